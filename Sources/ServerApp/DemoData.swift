import Identity
import Logging
import PostgresDriver

/// Seeds a fresh database so the product can be tried at once: the administrator `admin` / `admin`
/// (system administrator and owner of the demo team) and the demo team with credits on the pro plan.
///
/// Idempotent: it does nothing when the `admin` login already exists.
public struct DemoData: Sendable {
    /// The demo login and password.
    public static let adminLogin = "admin"
    public static let adminPassword = "admin"

    let accounts: UserAccounts
    let logger: Logger

    /// Creates a seeder; hashes use the configured rounds.
    public init(identity: IdentityConfiguration, logger: Logger) {
        accounts = UserAccounts(configuration: identity)
        self.logger = logger
    }

    /// Seeds the demo data; returns `false` when it was already there.
    @discardableResult
    public func seed(using client: PostgresClient) async throws -> Bool {
        try await client.withTransaction { db in
            if try await !db.query("SELECT 1 FROM res_users WHERE login = \(Self.adminLogin)").isEmpty { return false }
            let admin = try await accounts.createUser(
                login: Self.adminLogin, name: "Mitchell Admin", email: "admin@woow.example", password: Self.adminPassword,
                groups: [UserAccounts.GroupID.user, UserAccounts.GroupID.system, UserAccounts.GroupID.accessRights],
                on: db)
            let team = try await db.query(
                """
                INSERT INTO woow_team (name, plan, credits_balance, create_uid, write_uid)
                VALUES ('WoowTech Demo', 'pro', 500.00, \(admin), \(admin)) RETURNING id
                """)[0].decode(Int64.self, at: 0)
            try await db.query(
                """
                INSERT INTO woow_team_member (team_id, user_id, role, status, create_uid, write_uid)
                VALUES (\(team), \(admin), 'owner', 'active', \(admin), \(admin))
                """)
            try await db.query("UPDATE res_users SET current_team_id = \(team), plan = 'pro' WHERE id = \(admin)")
            return true
        }
    }
}
