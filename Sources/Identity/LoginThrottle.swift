import PostgresDriver

/// The brute-force cooldown: after N failures for one login or from one address, further attempts
/// are refused without checking the password until the cooldown has passed since the last failure.
///
/// Counters live in PostgreSQL (`auth_login_failure`), so every server instance shares them. A
/// success clears the counter of its login only, never that of the address: one valid account
/// must not reset an attacker's budget for the others.
public struct LoginThrottle: Sendable {
    let configuration: IdentityConfiguration

    /// Creates a throttle with the configured threshold and duration.
    public init(configuration: IdentityConfiguration) { self.configuration = configuration }

    static func keys(login: String, remoteAddress: String?) -> [String] {
        ["login:" + login.lowercased()] + (remoteAddress.map { ["ip:" + $0] } ?? [])
    }

    /// Whether either key is cooling down now.
    public func isCoolingDown(login: String, remoteAddress: String?, on db: PostgresConnection) async throws -> Bool {
        guard configuration.loginCooldownAfter > 0 else { return false }
        let keys = Self.keys(login: login, remoteAddress: remoteAddress)
        let result = try await db.query(
            """
            SELECT 1 FROM auth_login_failure
            WHERE key = ANY(\(keys)::varchar[]) AND failures >= \(configuration.loginCooldownAfter)
              AND last_failure > now() - make_interval(secs => \(Int(configuration.loginCooldownDuration.wholeSeconds)))
            LIMIT 1
            """)
        return !result.isEmpty
    }

    /// Counts one failure against the login and the address. A counter whose last failure is older
    /// than the cooldown starts again from one.
    public func recordFailure(login: String, remoteAddress: String?, on db: PostgresConnection) async throws {
        guard configuration.loginCooldownAfter > 0 else { return }
        let keys = Self.keys(login: login, remoteAddress: remoteAddress)
        try await db.query(
            """
            INSERT INTO auth_login_failure (key, failures, last_failure)
            SELECT k, 1, now() FROM unnest(\(keys)::varchar[]) AS k
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE
                WHEN auth_login_failure.last_failure
                     > now() - make_interval(secs => \(Int(configuration.loginCooldownDuration.wholeSeconds)))
                THEN auth_login_failure.failures + 1 ELSE 1 END,
              last_failure = now()
            """)
    }

    /// Clears the login's counter after a successful login.
    public func recordSuccess(login: String, on db: PostgresConnection) async throws {
        guard configuration.loginCooldownAfter > 0 else { return }
        try await db.query("DELETE FROM auth_login_failure WHERE key = \("login:" + login.lowercased())")
    }
}
