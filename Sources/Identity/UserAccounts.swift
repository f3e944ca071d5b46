import Foundation
import PostgresDriver

/// Creating users, setting passwords and reading what a session-info answer needs.
public struct UserAccounts: Sendable {
    let hashing: PasswordHashingPool

    /// Creates the service; new hashes use `configuration.passwordRounds`.
    public init(configuration: IdentityConfiguration) {
        hashing = PasswordHashingPool(rounds: configuration.passwordRounds)
    }

    /// Well-known group external ids.
    public enum GroupID {
        public static let user = "base.group_user"
        public static let system = "base.group_system"
        public static let accessRights = "base.group_erp_manager"
    }

    /// Creates a user (and its partner) with a hashed password; returns the user id.
    /// Refuses an empty password and a login that already exists (``UserAccountError``).
    public func createUser(
        login: String, name: String, email: String?, password: String, groups: [String] = [GroupID.user],
        on db: PostgresConnection
    ) async throws -> Int64 {
        let login = login.trimmingCharacters(in: .whitespaces)
        guard !login.isEmpty else { throw UserAccountError.invalid("login is required") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw UserAccountError.invalid("name is required") }
        guard !password.isEmpty else { throw UserAccountError.invalid("password is required") }
        if try await !db.query("SELECT 1 FROM res_users WHERE login = \(login)").isEmpty {
            throw UserAccountError.loginExists(login)
        }
        let hash = try await hashing.hash(password)
        let row = try await db.query(
            """
            WITH partner AS (
                INSERT INTO res_partner (name, email) VALUES (\(name), \(email)) RETURNING id
            )
            INSERT INTO res_users (login, password, partner_id) SELECT \(login), \(hash), id FROM partner
            RETURNING id
            """)
        let uid = try row[0].decode(Int64.self, at: 0)
        try await db.query(
            """
            INSERT INTO res_groups_users_rel (gid, uid)
            SELECT id, \(uid) FROM res_groups WHERE xmlid = ANY(\(groups)::varchar[])
            ON CONFLICT DO NOTHING
            """)
        return uid
    }

    /// Replaces a user's password (which ends every existing session of that user).
    public func setPassword(login: String, password: String, on db: PostgresConnection) async throws {
        guard !password.isEmpty else { throw UserAccountError.invalid("password is required") }
        let hash = try await hashing.hash(password)
        let result = try await db.query(
            "UPDATE res_users SET password = \(hash), write_date = now() AT TIME ZONE 'UTC' WHERE login = \(login)")
        guard result.affectedRows == 1 else { throw UserAccountError.unknownLogin(login) }
    }

    /// What `session_info` reports about a user.
    public struct Profile: Sendable {
        public let uid: Int64
        public let login: String
        public let name: String
        public let email: String?
        public let partnerID: Int64
        public let partnerDisplayName: String
        public let partnerWriteDate: String
        public let lang: String
        public let tz: String?
        public let groups: Set<String>
    }

    /// Loads a user's profile (one query).
    public func profile(uid: Int64, on db: PostgresConnection) async throws -> Profile? {
        guard
            let row = try await db.query(
                """
                SELECT u.id, u.login, p.name, p.email, p.id,
                       CASE WHEN parent.name IS NOT NULL THEN parent.name || ', ' || p.name ELSE p.name END,
                       to_char(p.write_date, 'YYYY-MM-DD HH24:MI:SS'), u.lang, u.tz,
                       coalesce(array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
                                      WHERE r.uid = u.id AND g.xmlid IS NOT NULL), '{}')
                FROM res_users u
                JOIN res_partner p ON p.id = u.partner_id
                LEFT JOIN res_partner parent ON parent.id = p.parent_id
                WHERE u.id = \(uid)
                """
            ).first
        else { return nil }
        return Profile(
            uid: try row.decode(at: 0), login: try row.decode(at: 1), name: try row.decode(at: 2),
            email: try row.decode(at: 3), partnerID: try row.decode(at: 4), partnerDisplayName: try row.decode(at: 5),
            partnerWriteDate: try row.decode(at: 6), lang: try row.decode(at: 7), tz: try row.decode(at: 8),
            groups: Set(try row.decode([String].self, at: 9)))
    }
}

/// Why a user-account operation was refused; the message is safe to show.
public enum UserAccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case loginExists(String)
    case unknownLogin(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        case .loginExists(let login): return "a user with login \(login) already exists"
        case .unknownLogin(let login): return "no user with login \(login)"
        }
    }
}
