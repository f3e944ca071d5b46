import Foundation
import Identity
import Logging
import PaaS
import PostgresDriver
import WebAPI

/// Everything `woow serve` needs, read once at the edge (command line and environment) and passed
/// down. Every setting has a default; ``init(environment:)`` documents the variables it reads.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind (Odoo's default 8069).
    public var port: Int
    /// A libpq connection string or URI; `nil` means the embedded cluster in ``dataDirectory``.
    public var databaseURL: String?
    /// Where the embedded cluster and other local state live.
    public var dataDirectory: String
    /// Connection pool size.
    public var databasePoolSize: Int
    /// Server-side statement timeout.
    public var statementTimeout: Duration
    /// Largest request body accepted (413 beyond).
    public var maxBodySize: Int
    /// Mark the session cookie `Secure` (serve over HTTPS).
    public var secureCookies: Bool
    /// Whether the database list is public (`/web/database/list`).
    public var listDatabases: Bool
    /// Seed the demo data at start-up (idempotent). `nil` means: only with the embedded cluster.
    public var seedDemoData: Bool?
    /// Identity settings (password rounds, sessions, login cooldown).
    public var identity: IdentityConfiguration
    /// Log level.
    public var logLevel: Logger.Level
    /// The PaaS application's settings (plan limits, deployment delay, worker, e-mail).
    public var paas = PaaSConfiguration()
    /// Request rate limits (docs/api/rate-limits.md).
    public var rateLimits = RateLimitSettings()

    /// Creates a configuration with defaults.
    public init(
        host: String = "127.0.0.1", port: Int = 8069, databaseURL: String? = nil,
        dataDirectory: String = ServerConfiguration.defaultDataDirectory, databasePoolSize: Int = 16,
        statementTimeout: Duration = .seconds(30), maxBodySize: Int = 1 << 20, secureCookies: Bool = false,
        listDatabases: Bool = true, seedDemoData: Bool? = nil, identity: IdentityConfiguration = .init(),
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.databasePoolSize = databasePoolSize
        self.statementTimeout = statementTimeout
        self.maxBodySize = maxBodySize
        self.secureCookies = secureCookies
        self.listDatabases = listDatabases
        self.seedDemoData = seedDemoData
        self.identity = identity
        self.logLevel = logLevel
    }

    /// `$WOOW_DATA_DIR`, else `/var/lib/woow` for root, else `$XDG_DATA_HOME/woow` or `~/.local/share/woow`.
    public static var defaultDataDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["WOOW_DATA_DIR"], !directory.isEmpty { return directory }
        if geteuid() == 0 { return "/var/lib/woow" }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/woow" }
        return NSHomeDirectory() + "/.local/share/woow"
    }

    /// Reads the environment over the defaults:
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `WOOW_HOST`, `WOOW_PORT` | bind address |
    /// | `WOOW_DATABASE_URL` | database (unset: embedded cluster) |
    /// | `WOOW_DATA_DIR` | data directory |
    /// | `WOOW_DB_POOL_SIZE`, `WOOW_STATEMENT_TIMEOUT` (seconds) | pool |
    /// | `WOOW_MAX_BODY_SIZE` (bytes) | request size limit |
    /// | `WOOW_SECURE_COOKIES` (`1`/`true`) | `Secure` cookies |
    /// | `WOOW_LIST_DB` (`0` hides the list) | database listing |
    /// | `WOOW_SEED_DEMO` (`1`/`0`) | seed demo data at start (default: only with the embedded cluster) |
    /// | `WOOW_PASSWORD_ROUNDS` | PBKDF2 rounds for new hashes |
    /// | `WOOW_SESSION_MAX_INACTIVITY` (seconds) | session lifetime |
    /// | `WOOW_LOGIN_COOLDOWN_AFTER`, `WOOW_LOGIN_ADDRESS_FAILURE_LIMIT`, `WOOW_LOGIN_COOLDOWN_DURATION` (seconds) | login throttle |
    /// | `WOOW_LOG_LEVEL` | `trace` … `critical` |
    /// | `WOOW_RATE_LIMIT_ENABLED`, `WOOW_RATE_LIMIT_WINDOW` (seconds), `WOOW_RATE_LIMIT_<CATEGORY>` | rate limits (``readRateLimits``) |
    public init(environment: [String: String]) throws {
        self.init()
        func value(_ key: String) -> String? {
            guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func integer(_ key: String, range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(key) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), got \(text)")
            }
            return number
        }
        func flag(_ key: String) throws -> Bool? {
            guard let text = value(key)?.lowercased() else { return nil }
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigurationError("\(key) must be true or false, got \(text)")
            }
        }
        if let host = value("WOOW_HOST") { self.host = host }
        if let port = try integer("WOOW_PORT", range: 0...65535) { self.port = port }
        databaseURL = value("WOOW_DATABASE_URL")
        if let directory = value("WOOW_DATA_DIR") { dataDirectory = directory }
        if let size = try integer("WOOW_DB_POOL_SIZE", range: 1...512) { databasePoolSize = size }
        if let seconds = try integer("WOOW_STATEMENT_TIMEOUT", range: 1...3600) { statementTimeout = .seconds(seconds) }
        if let size = try integer("WOOW_MAX_BODY_SIZE", range: 1024...(1 << 30)) { maxBodySize = size }
        if let secure = try flag("WOOW_SECURE_COOKIES") { secureCookies = secure }
        if let list = try flag("WOOW_LIST_DB") { listDatabases = list }
        if let seed = try flag("WOOW_SEED_DEMO") { seedDemoData = seed }
        if let rounds = try integer("WOOW_PASSWORD_ROUNDS", range: 1000...10_000_000) { identity.passwordRounds = rounds }
        if let seconds = try integer("WOOW_SESSION_MAX_INACTIVITY", range: 60...(365 * 86400)) {
            identity.sessionMaxInactivity = .seconds(seconds)
        }
        if let count = try integer("WOOW_LOGIN_COOLDOWN_AFTER", range: 0...1000) { identity.loginCooldownAfter = count }
        if let count = try integer("WOOW_LOGIN_ADDRESS_FAILURE_LIMIT", range: Self.addressFailureLimitRange) {
            identity.loginAddressFailureLimit = count
        }
        if let seconds = try integer("WOOW_LOGIN_COOLDOWN_DURATION", range: 1...86400) {
            identity.loginCooldownDuration = .seconds(seconds)
        }
        if let level = value("WOOW_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("WOOW_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = parsed
        }
        try readPaaS(value: value, integer: integer, flag: flag)
        try readRateLimits(integer: integer, flag: flag)
    }

    /// The values `WOOW_LOGIN_ADDRESS_FAILURE_LIMIT` (and `--login-address-failure-limit`) accept.
    public static let addressFailureLimitRange = 0...1_000_000

    /// The rate limits: `WOOW_RATE_LIMIT_ENABLED` (`0` turns limiting off), `WOOW_RATE_LIMIT_WINDOW`
    /// (seconds, default 60), `WOOW_RATE_LIMIT_AUTHENTICATION` / `_UPLOAD` / `_BILLING` / `_GENERAL`
    /// (requests per window; defaults 5 / 10 / 20 / 100), `WOOW_RATE_LIMIT_SYNC_MS` (how often the
    /// counters are merged through PostgreSQL, default 250) and `WOOW_RATE_LIMIT_MAX_KEYS`.
    private mutating func readRateLimits(
        integer: (String, ClosedRange<Int>) throws -> Int?, flag: (String) throws -> Bool?
    ) throws {
        if let enabled = try flag("WOOW_RATE_LIMIT_ENABLED") { rateLimits.enabled = enabled }
        if let seconds = try integer("WOOW_RATE_LIMIT_WINDOW", 1...86400) { rateLimits.windowSeconds = seconds }
        for category in RateLimitCategory.allCases {
            if let limit = try integer("WOOW_RATE_LIMIT_\(category.rawValue.uppercased())", 1...1_000_000_000) {
                rateLimits.limits[category] = limit
            }
        }
        if let milliseconds = try integer("WOOW_RATE_LIMIT_SYNC_MS", 10...60_000) {
            rateLimits.syncInterval = .milliseconds(milliseconds)
        }
        if let keys = try integer("WOOW_RATE_LIMIT_MAX_KEYS", 100...10_000_000) { rateLimits.maxKeys = keys }
    }

    /// The PaaS settings: `WOOW_DEPLOY_DELAY`, `WOOW_BACKUP_STEP_DELAY` and `WOOW_WORKER_POLL_MS`, `WOOW_WORKER` (`0` disables
    /// the background worker on this instance), `WOOW_PUBLIC_DOMAIN`, `WOOW_FRONTEND_URL`,
    /// `WOOW_INVITATION_DAYS`, `WOOW_SMTP_HOST` / `WOOW_SMTP_PORT` / `WOOW_SMTP_FROM`,
    /// `WOOW_MAX_AVATAR_SIZE` (bytes), `WOOW_METERING_INTERVAL` (seconds) and `WOOW_METERING` (`0`
    /// disables the metering service on this instance), `WOOW_PAYMENT_GATEWAY` (`test`), and the plan limits `WOOW_PLAN_<PLAN>_<LIMIT>` (for example
    /// `WOOW_PLAN_FREE_WORKSPACES=3`; `-1` means unlimited).
    private mutating func readPaaS(
        value: (String) -> String?, integer: (String, ClosedRange<Int>) throws -> Int?, flag: (String) throws -> Bool?
    ) throws {
        if let seconds = try integer("WOOW_DEPLOY_DELAY", 0...3600) { paas.deploymentDelay = .seconds(seconds) }
        if let milliseconds = try integer("WOOW_WORKER_POLL_MS", 10...60_000) { paas.workerPollInterval = .milliseconds(milliseconds) }
        if let seconds = try integer("WOOW_BACKUP_STEP_DELAY", 0...3600) { paas.backupStepDelay = .seconds(seconds) }
        if let run = try flag("WOOW_WORKER") { paas.runWorker = run }
        if let domain = value("WOOW_PUBLIC_DOMAIN") { paas.publicDomain = domain.lowercased() }
        if let url = value("WOOW_FRONTEND_URL") { paas.frontendURL = url.hasSuffix("/") ? String(url.dropLast()) : url }
        if let days = try integer("WOOW_INVITATION_DAYS", 1...365) { paas.invitationLifetime = .seconds(days * 86400) }
        if let host = value("WOOW_SMTP_HOST") {
            var smtp = SMTPConfiguration(host: host)
            if let port = try integer("WOOW_SMTP_PORT", 1...65535) { smtp.port = port }
            if let from = value("WOOW_SMTP_FROM") { smtp.from = from }
            paas.smtp = smtp
        }
        if let size = try integer("WOOW_MAX_AVATAR_SIZE", 1024...(16 << 20)) { paas.maxAvatarSize = size }
        if let seconds = try integer("WOOW_METERING_INTERVAL", 1...86400) { paas.meteringInterval = .seconds(seconds) }
        if let run = try flag("WOOW_METERING") { paas.runMetering = run }
        if let gateway = value("WOOW_PAYMENT_GATEWAY") {
            guard gateway.lowercased() == "test" else {
                throw ConfigurationError("WOOW_PAYMENT_GATEWAY must be 'test' (the built-in test gateway), got \(gateway)")
            }
            paas.paymentGateway = TestPaymentGateway()
        }
        for plan in PaaSValues.plans {
            var limits = paas.limits(for: plan)
            func read(_ name: String, into keyPath: WritableKeyPath<PlanLimits, Int?>) throws {
                guard let number = try integer("WOOW_PLAN_\(plan.uppercased())_\(name)", -1...1_000_000) else { return }
                limits[keyPath: keyPath] = number < 0 ? nil : number
            }
            try read("WORKSPACES", into: \.workspaces)
            try read("CLOUD_SERVICES", into: \.cloudServices)
            try read("SECURE_TUNNELS", into: \.secureTunnels)
            try read("MEMBERS", into: \.members)
            paas.planLimits[plan] = limits
        }
    }

    /// The pool configuration for a connection string.
    public func postgresConfiguration(connectionString: String) -> PostgresConfiguration {
        PostgresConfiguration(
            connectionString: connectionString, maximumConnections: databasePoolSize, statementTimeout: statementTimeout)
    }
}

/// A configuration value that cannot be used; the message names the setting.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
