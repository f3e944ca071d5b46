import PostgresDriver
import WoowCrypto

/// Sessions in PostgreSQL (`http_session`), so that every server instance sees the same ones.
///
/// Only a SHA-256 of the session id is stored. A session is valid while it has been used within
/// the inactivity limit, its user is active, and the user's login and password hash are the ones
/// it was created with (any change ends every session of the user, as Odoo's session token does).
public struct SessionStore: Sendable {
    let configuration: IdentityConfiguration
    /// Sessions loaded lately, for guessing a call's session (see ``guess(_:alongNextReadOn:)``).
    let recent = RecentSessions()

    /// Creates a store with the configured inactivity limit.
    public init(configuration: IdentityConfiguration) { self.configuration = configuration }

    /// A brand-new random session id (63 random bytes → 84 URL-safe characters).
    public static func newSessionID() -> SessionID {
        SessionID(unchecked: SecureRandom.urlSafeToken(byteCount: 63))
    }

    static func hash(_ id: SessionID) -> PostgresBytes { PostgresBytes(Digest.sha256(id.value)) }

    /// The SQL expression binding a session to the user's current credentials (alias `u` = res_users).
    static let credentialExpression =
        "sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'))"

    /// Creates a session for `uid` and returns its new id. Never reuses an id.
    public func create(
        uid: Int64, database: String, remoteAddress: String?, userAgent: String?, on db: PostgresConnection
    ) async throws -> SessionID {
        let id = Self.newSessionID()
        try await db.query(
            """
            INSERT INTO http_session (sid_hash, uid, db, credential_hash, remote_addr, user_agent)
            SELECT \(Self.hash(id)), u.id, \(database), \(unescaped: Self.credentialExpression),
                   \(remoteAddress), \(userAgent.map { String($0.prefix(512)) })
            FROM res_users u WHERE u.id = \(uid)
            """)
        return id
    }

    /// Loads a valid session, refreshing its `last_seen` at most once per touch interval.
    public func load(_ id: SessionID, on db: PostgresConnection) async throws -> Session? {
        guard let row = try await db.read(lookup(id)).first else {
            recent.forget(id)
            return nil
        }
        let (session, stale) = try Self.decode(row)
        if stale { try await touch(id, on: db) }
        recent.remember(RecentSessions.Seen(session: session, row: row), for: id)
        return session
    }

    /// The session lookup: the session's user, whether `last_seen` is older than the touch
    /// interval, and the user's groups; no row when the session is unknown, expired, or its user
    /// inactive or with other credentials than at login.
    func lookup(_ id: SessionID) -> PostgresQuery {
        let maxInactivity = Int(configuration.sessionMaxInactivity.wholeSeconds)
        let touchInterval = Int(configuration.sessionTouchInterval.wholeSeconds)
        // The text is the same for every lookup (values are binds): built once, bound per call.
        return PostgresQuery(
            unsafeSQL: Self.lookupSQL,
            binds: [touchInterval.postgresBind, Self.hash(id).postgresBind, maxInactivity.postgresBind])
    }

    /// The lookup's SQL text, with `$1` the touch interval, `$2` the id's hash, `$3` the inactivity limit.
    private static let lookupSQL = lookupQuery(touchInterval: 0, hash: PostgresBytes([]), maxInactivity: 0).sql

    private static func lookupQuery(touchInterval: Int, hash: PostgresBytes, maxInactivity: Int) -> PostgresQuery {
        """
            SELECT s.uid, s.db, u.login, u.lang, u.tz,
                   s.last_seen < now() - make_interval(secs => \(touchInterval)) AS stale,
                   array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
                         WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
            FROM http_session s JOIN res_users u ON u.id = s.uid
            WHERE s.sid_hash = \(hash)
              AND s.last_seen > now() - make_interval(secs => \(maxInactivity))
              AND u.active AND s.credential_hash = \(unescaped: Self.credentialExpression)
            """
    }

    /// A row of ``lookup(_:)``: the session, and whether its `last_seen` wants refreshing.
    static func decode(_ row: PostgresRow) throws -> (session: Session, stale: Bool) {
        let session = Session(
            uid: try row.decode(Int64.self, at: 0), database: try row.decode(String.self, at: 1),
            login: try row.decode(String.self, at: 2), lang: try row.decode(String.self, at: 3),
            tz: try row.decode(String?.self, at: 4), groups: Set(try row.decode([String].self, at: 6)))
        return (session, try row.decode(Bool.self, at: 5))
    }

    /// Refreshes `last_seen`.
    func touch(_ id: SessionID, on db: PostgresConnection) async throws {
        try await db.query("UPDATE http_session SET last_seen = now() WHERE sid_hash = \(Self.hash(id))")
    }

    /// Revokes one session (logout).
    public func destroy(_ id: SessionID, on db: PostgresConnection) async throws {
        recent.forget(id)
        try await db.query("DELETE FROM http_session WHERE sid_hash = \(Self.hash(id))")
    }

    /// Revokes every session of a user except, optionally, one (password change).
    public func destroyAll(uid: Int64, except keep: SessionID? = nil, on db: PostgresConnection) async throws {
        try await db.query(
            "DELETE FROM http_session WHERE uid = \(uid) AND sid_hash IS DISTINCT FROM \(keep.map(Self.hash))")
    }

    /// After a password change: revokes every other session of the user and binds `keep` (the
    /// caller's session) to the user's new credentials, so the caller stays logged in. Run it in
    /// the transaction that changed the password.
    public func revokeOthers(uid: Int64, keeping keep: SessionID, on db: PostgresConnection) async throws {
        try await destroyAll(uid: uid, except: keep, on: db)
        try await db.query(
            """
            UPDATE http_session s SET credential_hash = \(unescaped: Self.credentialExpression)
            FROM res_users u WHERE u.id = s.uid AND s.uid = \(uid) AND s.sid_hash = \(Self.hash(keep))
            """)
    }

    /// Deletes expired sessions; returns how many. Run periodically.
    public func purgeExpired(on db: PostgresConnection) async throws -> Int {
        let maxInactivity = Int(configuration.sessionMaxInactivity.wholeSeconds)
        return try await db.query(
            "DELETE FROM http_session WHERE last_seen < now() - make_interval(secs => \(maxInactivity))"
        ).affectedRows
    }
}
