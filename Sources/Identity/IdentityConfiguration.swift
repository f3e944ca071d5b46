/// Settings for logins, password hashing and sessions. Every setting has a default.
public struct IdentityConfiguration: Sendable {
    /// PBKDF2 rounds for new hashes; stored hashes with other rounds are re-hashed at login.
    public var passwordRounds: Int
    /// Sessions unused for longer than this expire (Odoo: `sessions.max_inactivity_seconds`, 7 days).
    public var sessionMaxInactivity: Duration
    /// How often a session's `last_seen` is written back (avoids a write on every request).
    public var sessionTouchInterval: Duration
    /// Failed logins for one login before its cooldown starts; 0 disables the whole throttle.
    public var loginCooldownAfter: Int
    /// Failed logins from one address, not answered by a success of the same login, before the
    /// address's cooldown starts (every login from it is refused); 0 disables this ceiling.
    public var loginAddressFailureLimit: Int
    /// How long logins stay refused after the last failure once a threshold is reached; also how
    /// long a failure counts.
    public var loginCooldownDuration: Duration

    /// Creates a configuration.
    public init(
        passwordRounds: Int = 600_000,
        sessionMaxInactivity: Duration = .seconds(7 * 24 * 3600),
        sessionTouchInterval: Duration = .seconds(60),
        loginCooldownAfter: Int = 5,
        loginAddressFailureLimit: Int = 30,
        loginCooldownDuration: Duration = .seconds(60)
    ) {
        self.passwordRounds = passwordRounds
        self.sessionMaxInactivity = sessionMaxInactivity
        self.sessionTouchInterval = sessionTouchInterval
        self.loginCooldownAfter = loginCooldownAfter
        self.loginAddressFailureLimit = loginAddressFailureLimit
        self.loginCooldownDuration = loginCooldownDuration
    }
}

extension Duration {
    /// Whole seconds, for SQL intervals.
    var wholeSeconds: Int64 { components.seconds }
}
