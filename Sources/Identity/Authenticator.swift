import Logging
import NIOConcurrencyHelpers
import PostgresDriver
import WoowCrypto

/// Checks logins and passwords against `res_users`, with the failed-login cooldown
/// (``LoginThrottle``: per login, and per address).
///
/// Hashes are verified on ``PasswordHashingPool``; a hash whose rounds differ from the configured
/// ones is replaced after a successful check (Odoo's `verify_and_update`). Failures are recorded
/// in their own statements, so callers pass a connection in autocommit mode (not inside a
/// transaction that the refusal will roll back): a refused login is counted even though the
/// request itself fails.
public struct Authenticator: Sendable {
    let hashing: PasswordHashingPool
    let throttle: LoginThrottle
    let recentChecks: RecentCredentialChecks
    let logger: Logger

    /// Creates an authenticator.
    public init(configuration: IdentityConfiguration, logger: Logger) {
        self.hashing = PasswordHashingPool(rounds: configuration.passwordRounds)
        self.throttle = LoginThrottle(configuration: configuration)
        self.recentChecks = RecentCredentialChecks()
        self.logger = logger
    }

    /// Checks a login and password; returns the user id or throws ``AuthenticationError``.
    public func authenticate(login: String, password: String, remoteAddress: String?, on db: PostgresConnection)
        async throws -> Int64
    {
        try await check(.login(login), password: password, remoteAddress: remoteAddress, on: db)
    }

    /// Checks a user id and password (the `object` RPC service); returns the id or throws.
    ///
    /// Repeated checks of the same still-valid credentials skip the slow hash (as Odoo caches
    /// them); the cache entry dies as soon as the stored hash changes.
    public func verify(uid: Int64, password: String, remoteAddress: String?, on db: PostgresConnection)
        async throws -> Int64
    {
        try await check(.uid(uid), password: password, remoteAddress: remoteAddress, on: db)
    }

    /// Deletes the failure counters that no longer count (see ``LoginThrottle/purgeExpired(on:)``).
    @discardableResult
    public func purgeExpiredFailures(on db: PostgresConnection) async throws -> Int {
        try await throttle.purgeExpired(on: db)
    }

    enum Subject {
        case login(String)
        case uid(Int64)
    }

    /// Runs in autocommit mode on `db` so that a failure is counted even when the request fails.
    private func check(_ subject: Subject, password: String, remoteAddress: String?, on db: PostgresConnection)
        async throws -> Int64
    {
        let row: PostgresRow?
        var standing: LoginThrottle.Standing?
        switch subject {
        case .login(let login):
            row = try await db.query(
                "SELECT id, login, password, active FROM res_users WHERE login = \(login)"
            ).first
            standing = try await throttle.standing(login: login, remoteAddress: remoteAddress, on: db)
        case .uid(let uid):
            row = try await db.query(
                "SELECT id, login, password, active FROM res_users WHERE id = \(uid)"
            ).first
            if let login = try row?.decode(String.self, at: 1) {
                standing = try await throttle.standing(login: login, remoteAddress: remoteAddress, on: db)
            }
        }
        if standing?.coolingDown == true {
            if case .login(let login) = subject {
                logger.notice("login refused: cooldown", metadata: ["auth.login": "\(login)"])
            }
            throw AuthenticationError.cooldown
        }
        guard let row, let stored = try row.decode(String?.self, at: 2), try row.decode(Bool.self, at: 3),
            !password.isEmpty
        else {
            try await recordFailure(subject: subject, row: row, remoteAddress: remoteAddress, on: db)
            throw AuthenticationError.invalidCredentials
        }
        let uid = try row.decode(Int64.self, at: 0)
        let login = try row.decode(String.self, at: 1)
        // A success clears the login's own failures (when it has any), cached check or not.
        if recentChecks.contains(uid: uid, password: password, storedHash: stored) {
            if standing?.hasFailures == true { try await throttle.recordSuccess(login: login, remoteAddress: remoteAddress, on: db) }
            return uid
        }
        switch try await hashing.verify(password, against: stored) {
        case .invalid:
            try await recordFailure(subject: subject, row: row, remoteAddress: remoteAddress, on: db)
            throw AuthenticationError.invalidCredentials
        case .valid(let needsRehash):
            if standing?.hasFailures == true { try await throttle.recordSuccess(login: login, remoteAddress: remoteAddress, on: db) }
            var current = stored
            if needsRehash {
                current = try await hashing.hash(password)
                try await db.query("UPDATE res_users SET password = \(current) WHERE id = \(uid)")
                logger.info("password hash upgraded", metadata: ["auth.uid": "\(uid)"])
            }
            recentChecks.remember(uid: uid, password: password, storedHash: current)
            return uid
        }
    }

    private func recordFailure(subject: Subject, row: PostgresRow?, remoteAddress: String?, on db: PostgresConnection)
        async throws
    {
        let login: String
        switch subject {
        case .login(let value): login = value
        case .uid(let uid): login = (try? row?.decode(String.self, at: 1)) ?? "uid:\(uid)"
        }
        try await throttle.recordFailure(login: login, remoteAddress: remoteAddress, on: db)
        logger.notice("login failed", metadata: ["auth.login": "\(login)", "auth.ip": "\(remoteAddress ?? "-")"])
    }
}

/// Remembers recently verified credentials as (uid → keyed digest of the password, stored hash) so
/// that RPC scripts sending the password on every call do not pay the slow hash each time. The
/// digest is an HMAC under a random key that never leaves the process.
final class RecentCredentialChecks: Sendable {
    private let entries = NIOLockedValueBox([Int64: (digest: [UInt8], storedHash: String)]())
    private let key = SecureRandom.bytes(32)

    func contains(uid: Int64, password: String, storedHash: String) -> Bool {
        guard let entry = entries.withLockedValue({ $0[uid] }), entry.storedHash == storedHash else { return false }
        return ConstantTime.equals(entry.digest, Digest.hmacSHA256(key: key, message: Array(password.utf8)))
    }

    func remember(uid: Int64, password: String, storedHash: String) {
        let digest = Digest.hmacSHA256(key: key, message: Array(password.utf8))
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[uid] = (digest, storedHash)
        }
    }
}
