/// What one call is counted as before it runs: its category and, for a login attempt, the login
/// it tries. Login attempts are counted per (client address, login) pair; everything else per
/// user, or per address before login.
public struct RateLimitCharge: Sendable, Hashable {
    /// The budget counted.
    public let category: RateLimitCategory
    /// The login tried (`authentication` only; `nil` when the call names none).
    public let login: String?

    /// A call of `category` that is not a login attempt.
    public init(_ category: RateLimitCategory) {
        self.category = category
        self.login = nil
    }

    /// A login attempt for `login`.
    public static func loginAttempt(_ login: String?) -> RateLimitCharge { RateLimitCharge(login: login) }

    private init(login: String?) {
        self.category = .authentication
        self.login = login
    }

    /// Whom the call is counted for: the (address, login) pair for a login attempt, else the user
    /// when known, else the address.
    public func subject(uid: Int64?, remoteAddress: String?) -> RateLimitSubject {
        category == .authentication
            ? .loginAttempt(login: login, remoteAddress: remoteAddress) : .of(uid: uid, remoteAddress: remoteAddress)
    }
}
