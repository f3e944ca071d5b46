/// Why a login or a credential check was refused. The message is safe to show to the client.
public struct AuthenticationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal.
    public enum Reason: Sendable, Equatable {
        /// Unknown login, wrong password, inactive user or empty password (never says which).
        case invalidCredentials
        /// Too many recent failures for this login or address.
        case cooldown
    }

    /// The kind of refusal.
    public let reason: Reason

    /// The client-facing message, as Odoo words it.
    public var message: String {
        switch reason {
        case .invalidCredentials: return "Access Denied"
        case .cooldown: return "Too many login failures, please wait a bit before trying again."
        }
    }

    public var description: String { message }

    public static let invalidCredentials = AuthenticationError(reason: .invalidCredentials)
    public static let cooldown = AuthenticationError(reason: .cooldown)
}
