import Identity
import JSONRPC
import ORM
import PostgresDriver

/// What route handlers need: the database pool, identity services and web settings.
public struct WebServices: Sendable {
    /// The connection pool.
    public let database: PostgresClient
    /// Login and password checks.
    public let authenticator: Authenticator
    /// Server-side sessions.
    public let sessions: SessionStore
    /// User accounts and profiles.
    public let accounts: UserAccounts
    /// Web settings (cookies, limits, names).
    public let settings: WebSettings
    /// The frozen model registry behind the generic model RPC (`nil`: no models served).
    public let registry: ModelRegistry?
    /// The request counters of this instance (disabled unless configured).
    public let rateLimiter: RateLimiter

    /// Bundles the services.
    public init(
        database: PostgresClient, authenticator: Authenticator, sessions: SessionStore, accounts: UserAccounts,
        settings: WebSettings, registry: ModelRegistry? = nil,
        rateLimiter: RateLimiter = RateLimiter(settings: RateLimitSettings(enabled: false))
    ) {
        self.registry = registry
        self.rateLimiter = rateLimiter
        self.database = database
        self.authenticator = authenticator
        self.sessions = sessions
        self.accounts = accounts
        self.settings = settings
    }
}

/// Settings of the web layer. Every setting has a default.
public struct WebSettings: Sendable {
    /// The name clients use for the database (`db` in `/web/session/authenticate`).
    public var databaseName: String
    /// Add `Secure` to the session cookie (set when served over HTTPS).
    public var secureCookies: Bool
    /// The session cookie's `Max-Age`, which is also the inactivity limit.
    public var sessionMaxAge: Duration
    /// Largest request body accepted; larger ones get 413.
    public var maxBodySize: Int
    /// Whether `/web/database/list` and `db.list` answer (Odoo's `list_db`).
    public var listDatabases: Bool

    /// Creates settings.
    public init(
        databaseName: String, secureCookies: Bool = false, sessionMaxAge: Duration = .seconds(7 * 24 * 3600),
        maxBodySize: Int = 1 << 20, listDatabases: Bool = true
    ) {
        self.databaseName = databaseName
        self.secureCookies = secureCookies
        self.sessionMaxAge = sessionMaxAge
        self.maxBodySize = maxBodySize
        self.listDatabases = listDatabases
    }
}

/// The server version Woow reports: Odoo 18.0-compatible, since clients switch protocol on it.
public enum ServerVersion {
    /// `server_version`.
    public static let version = "18.0"
    /// The `common.version` and `/web/webclient/version_info` answer.
    public static let info: JSONValue = [
        "server_version": "18.0",
        "server_version_info": [18, 0, 0, "final", 0, ""],
        "server_serie": "18.0",
        "protocol_version": 1,
    ]
}
