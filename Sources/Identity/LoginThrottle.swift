import PostgresDriver

/// The failed-login cooldown, per login and per client address (docs/security.md, "Login
/// throttling").
///
/// - **Per login**: after `loginCooldownAfter` failures for one login (from anywhere), that login is
///   refused — without checking the password — until `loginCooldownDuration` has passed since its
///   last failure. A success clears the login's counter.
/// - **Per address**: the failures of one address are counted per (address, login) pair; when the
///   pairs of an address that are still counting (last failure within `loginCooldownDuration`) add
///   up to `loginAddressFailureLimit`, every login from that address is refused until enough of
///   them have aged out. A success clears its own pair only: a user who mistyped and then got in
///   is not held against the address, but one valid account never resets the failures spent
///   against the others.
///
/// Counters live in PostgreSQL (`auth_login_failure`), so every server instance shares them: a row
/// `login:<login>` per login and a row `ip:<address> login:<login>` (with its `address`) per pair.
/// A counter whose last failure is older than the cooldown starts again from one.
public struct LoginThrottle: Sendable {
    let configuration: IdentityConfiguration

    /// Creates a throttle with the configured thresholds and duration.
    public init(configuration: IdentityConfiguration) { self.configuration = configuration }

    private var enabled: Bool { configuration.loginCooldownAfter > 0 }
    private var seconds: Int { Int(configuration.loginCooldownDuration.wholeSeconds) }

    /// The key of a login's own counter.
    static func loginKey(_ login: String) -> String { "login:" + LoginKey.of(login) }

    /// The key of an (address, login) pair's counter, when the address ceiling is on.
    func pairKey(login: String, remoteAddress: String?) -> String? {
        guard configuration.loginAddressFailureLimit > 0, let remoteAddress else { return nil }
        return "ip:" + remoteAddress + " login:" + LoginKey.of(login)
    }

    /// Where a login attempt stands before its password is checked.
    public struct Standing: Sendable, Equatable {
        /// The login, or the address, is cooling down: refuse without checking the password.
        public let coolingDown: Bool
        /// The login, or its (address, login) pair, has a failure counter that a success clears.
        public let hasFailures: Bool
    }

    /// Whether the login, or the address, is cooling down now, and whether a success would have
    /// failures of its own to clear — one statement.
    public func standing(login: String, remoteAddress: String?, on db: PostgresConnection) async throws -> Standing {
        guard enabled else { return Standing(coolingDown: false, hasFailures: false) }
        // No address (or no ceiling): the address part is false.
        let address = configuration.loginAddressFailureLimit > 0 ? remoteAddress : nil
        let loginKey = Self.loginKey(login)
        let keys = [loginKey] + (pairKey(login: login, remoteAddress: remoteAddress).map { [$0] } ?? [])
        let row = try await db.query(
            """
            SELECT EXISTS (
                     SELECT 1 FROM auth_login_failure
                     WHERE key = \(loginKey) AND failures >= \(configuration.loginCooldownAfter)
                       AND last_failure > now() - make_interval(secs => \(seconds)))
                OR (\(address as String?)::varchar IS NOT NULL AND coalesce((
                     SELECT sum(failures) FROM auth_login_failure
                     WHERE address = \(address as String?) AND last_failure > now() - make_interval(secs => \(seconds))
                   ), 0) >= \(configuration.loginAddressFailureLimit)),
                   EXISTS (SELECT 1 FROM auth_login_failure WHERE key = ANY(\(keys)::varchar[]))
            """)[0]
        return Standing(coolingDown: try row.decode(Bool.self, at: 0), hasFailures: try row.decode(Bool.self, at: 1))
    }

    /// Counts one failure against the login and against its (address, login) pair.
    public func recordFailure(login: String, remoteAddress: String?, on db: PostgresConnection) async throws {
        guard enabled else { return }
        let pair = pairKey(login: login, remoteAddress: remoteAddress)
        try await db.query(
            """
            INSERT INTO auth_login_failure AS f (key, failures, last_failure, address)
            SELECT k.key, 1, now(), k.address
            FROM (VALUES (\(Self.loginKey(login)), NULL::varchar), (\(pair as String?)::varchar, \(remoteAddress as String?)::varchar))
                 AS k(key, address)
            WHERE k.key IS NOT NULL
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN f.last_failure > now() - make_interval(secs => \(seconds))
                              THEN f.failures + 1 ELSE 1 END,
              last_failure = now(),
              address = EXCLUDED.address
            """)
    }

    /// After a successful login: clears the login's counter and its own (address, login) pair —
    /// never the failures other logins spent from the same address.
    public func recordSuccess(login: String, remoteAddress: String?, on db: PostgresConnection) async throws {
        guard enabled else { return }
        let keys = [Self.loginKey(login)] + (pairKey(login: login, remoteAddress: remoteAddress).map { [$0] } ?? [])
        try await db.query("DELETE FROM auth_login_failure WHERE key = ANY(\(keys)::varchar[])")
    }

    /// Deletes the counters whose last failure is older than the cooldown: they no longer count
    /// and a new failure would start them from one anyway. Rows a login holds right now are
    /// skipped (housekeeping never waits behind a login). Returns how many were deleted.
    @discardableResult
    public func purgeExpired(on db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            DELETE FROM auth_login_failure WHERE key IN (
                SELECT key FROM auth_login_failure
                WHERE last_failure < now() - make_interval(secs => \(seconds))
                FOR UPDATE SKIP LOCKED)
            """
        ).affectedRows
    }
}
