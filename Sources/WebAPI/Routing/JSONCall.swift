import HTTPTypes
import Identity
import JSONRPC
import Logging
import PostgresDriver

/// Everything a JSON route handler gets for one call.
public struct JSONCall: Sendable {
    /// The `params` object of the JSON-RPC request (`{}` when absent).
    public let params: JSONObject
    /// The loaded session (`nil` when anonymous or when the route's auth is `.none`).
    public let session: Session?
    /// The id of the loaded session, if any.
    public let sessionID: SessionID?
    /// The request's connection, or `nil` when the route declared `DatabaseAccess.none`.
    public let connection: PostgresConnection?
    /// Shared services.
    public let services: WebServices
    /// The peer address.
    public let remoteAddress: String?
    /// Request headers.
    public let headers: HTTPFields
    /// The request's `Host` (authority), if any.
    public let authority: String?
    /// The request logger (tagged with `request.id`).
    public let logger: Logger
    /// The request id.
    public let requestID: String
    /// Cookies to set on the answer.
    public let cookies: ResponseCookies

    /// The request's connection; throws if the route was declared without database access.
    public var db: PostgresConnection {
        get throws {
            guard let connection else { throw ServerFault.userError("This route has no database access.") }
            return connection
        }
    }

    /// The logged-in user's id; throws the session-expired fault when anonymous.
    public var uid: Int64 {
        get throws {
            guard let session else { throw ServerFault.sessionExpired }
            return session.uid
        }
    }

    /// A required string parameter; a missing or mistyped one is Odoo's `TypeError`.
    public func string(_ name: String) throws -> String {
        guard let value = params[name] else {
            throw ServerFault.typeError("missing 1 required positional argument: '\(name)'")
        }
        guard let string = value.stringValue else { throw ServerFault.typeError("'\(name)' must be a string") }
        return string
    }
}

/// A JSON route: path, auth, database access and handler.
public struct JSONRoute: Sendable {
    /// The URL path (Hummingbird syntax: `/web/dataset/call_kw/**` for any suffix).
    public let path: String
    /// Who may call it.
    public let auth: AuthLevel
    /// How it uses the database.
    public let access: DatabaseAccess
    /// What a call with these `params` is counted as, or `nil` when the call is not limited. JSON
    /// routes count before the database is touched, per client address — per (address, login)
    /// for a login attempt (``RateLimitCharge/loginAttempt(_:)``).
    public let rateLimit: @Sendable (JSONObject) -> RateLimitCharge?
    /// Whether a call with these `params` does nothing but compute until its first read, so that
    /// its session may be guessed from an earlier request and confirmed by a lookup sent along
    /// with that read (``SessionGuess``: one round trip fewer). Only for handlers with no side
    /// effect before their first read; the default is never.
    public let guessesSession: @Sendable (JSONObject) -> Bool
    /// The handler; its return value becomes `result`.
    public let handler: @Sendable (JSONCall) async throws -> JSONValue

    /// Declares a JSON route.
    public init(
        _ path: String, auth: AuthLevel, access: DatabaseAccess = .connection,
        rateLimit: @escaping @Sendable (JSONObject) -> RateLimitCharge? = { _ in nil },
        guessesSession: @escaping @Sendable (JSONObject) -> Bool = { _ in false },
        handler: @escaping @Sendable (JSONCall) async throws -> JSONValue
    ) {
        self.path = path
        self.auth = auth
        self.access = access
        self.rateLimit = rateLimit
        self.guessesSession = guessesSession
        self.handler = handler
    }
}
