import Identity
import Logging
import PaaS
import PostgresDriver

/// Seeds a fresh database so the product can be tried at once: the administrator `admin` / `admin`
/// (system administrator and owner of the demo team), the demo team with credits on the pro plan,
/// a member per role (`manager` / `manager` admin, `member` / `member` user, `guest` / `guest`
/// guest), three workspaces with apps, and 300 contacts (60 companies with 4 people each).
/// The marketplace catalogue is not demo data: every installation has it.
///
/// Idempotent: it does nothing when the `admin` login already exists.
public struct DemoData: Sendable {
    /// The demo login and password.
    public static let adminLogin = "admin"
    public static let adminPassword = "admin"

    /// The demo's history, as ages relative to the moment it is seeded, so that nothing is dated
    /// before what it belongs to: the team and its workspaces (an hour apart) were created first,
    /// the apps ten days later, the smart-home hub and tunnel after that; the top-ups and usage
    /// lines fall inside that history (``seedBilling``).
    enum History {
        /// When the team was founded and its first workspace created.
        static let founded = "40 days"
        /// When the apps were deployed (their status history starts there: ``seedAppHistory``).
        static let appsDeployed = "30 days"
        /// When the Smart Home workspace got its hub and tunnel.
        static let hubsConnected = "20 days"
    }

    let accounts: UserAccounts
    let publicDomain: String
    let logger: Logger

    /// Creates a seeder; hashes use the configured rounds, and the apps' addresses are under
    /// `publicDomain` (`WOOW_PUBLIC_DOMAIN`), as those of new deployments are.
    public init(identity: IdentityConfiguration, publicDomain: String = PaaSConfiguration().publicDomain, logger: Logger) {
        accounts = UserAccounts(configuration: identity)
        self.publicDomain = publicDomain
        self.logger = logger
    }

    /// 60 companies with 4 contacts each, with deterministic names, cities and e-mails: the demo
    /// team's contacts.
    func seedContacts(team: Int64, createdBy uid: Int64, on db: PostgresConnection) async throws {
        try await db.query(
            """
            WITH companies AS (
                INSERT INTO res_partner (name, email, phone, city, country, is_company, team_id, create_uid, write_uid)
                SELECT c.name, lower(replace(c.name, ' ', '.')) || '@example.com', '+1 555 01' || lpad(g::text, 2, '0'),
                       (ARRAY['Brussels','Taipei','Lisbon','Austin','Nairobi','Osaka'])[1 + g % 6],
                       (ARRAY['Belgium','Taiwan','Portugal','United States','Kenya','Japan'])[1 + g % 6], true, \(team), \(uid), \(uid)
                FROM generate_series(1, 60) AS g,
                     LATERAL (SELECT (ARRAY['Azure','Deco','Gemini','Lumber','Ready','Wood','Apex','Nimbus','Orbit','Quartz'])[1 + g % 10]
                                     || ' ' || (ARRAY['Interior','Addict','Furniture','Corner','Mat','Works'])[1 + g % 6]
                                     || ' ' || g AS name) AS c
                RETURNING id, name, city, country
            )
            INSERT INTO res_partner (name, email, city, country, is_company, parent_id, team_id, create_uid, write_uid)
            SELECT p.first || ' ' || p.last, lower(p.first || '.' || p.last) || '@' || lower(split_part(c.name, ' ', 1)) || '.example.com',
                   c.city, c.country, false, c.id, \(team), \(uid), \(uid)
            FROM companies AS c, generate_series(1, 4) AS n,
                 LATERAL (SELECT (ARRAY['Ann','Brandon','Colleen','Dwayne','Edith','Farid','Grace','Hiro'])[1 + (c.id + n) % 8] AS first,
                                 (ARRAY['Lee','Wong','Silva','Okafor','Tanaka','Dubois','Müller','Novak'])[1 + (c.id * n) % 8] AS last) AS p
            """)
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
                INSERT INTO woow_team (name, plan, credits_balance, create_uid, write_uid, create_date)
                VALUES ('WoowTech Demo', 'pro', 500.00, \(admin), \(admin), (now() AT TIME ZONE 'UTC') - \(History.founded)::interval)
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
            try await db.query(
                """
                INSERT INTO woow_team_member (team_id, user_id, role, status, create_uid, write_uid, create_date)
                VALUES (\(team), \(admin), 'owner', 'active', \(admin), \(admin), (now() AT TIME ZONE 'UTC') - \(History.founded)::interval)
                """)
            try await db.query("UPDATE res_users SET current_team_id = \(team), plan = 'pro' WHERE id = \(admin)")
            try await seedTeam(team, owner: admin, on: db)
            try await seedAppHistory(team: team, on: db)
            try await seedHubs(team: team, owner: admin, on: db)
            try await seedBilling(team: team, owner: admin, on: db)
            try await seedContacts(team: team, createdBy: admin, on: db)
            return true
        }
    }
}
