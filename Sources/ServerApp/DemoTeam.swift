import Identity
import PostgresDriver

extension DemoData {
    /// The demo members other than the owner: login (= password), name and role.
    public static let members: [(login: String, name: String, role: String)] = [
        ("manager", "Marc Demo", "admin"),
        ("member", "Mia User", "user"),
        ("guest", "Gus Guest", "guest"),
    ]

    /// Members per role, three workspaces (Production, Staging, Smart Home) with running and
    /// stopped apps and their volumes, workspace access for the user and the guest, activities.
    func seedTeam(_ team: Int64, owner: Int64, on db: PostgresConnection) async throws {
        var memberIDs: [String: Int64] = [:]
        for member in Self.members {
            let uid = try await accounts.createUser(
                login: member.login, name: member.name, email: "\(member.login)@woow.example", password: member.login,
                groups: [UserAccounts.GroupID.user], on: db)
            try await db.query("UPDATE res_users SET current_team_id = \(team) WHERE id = \(uid)")
            memberIDs[member.role] = try await db.query(
                """
                INSERT INTO woow_team_member (team_id, user_id, role, status, create_uid, write_uid)
                VALUES (\(team), \(uid), \(member.role), 'active', \(owner), \(owner)) RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
        let workspaces = try await db.query(
            """
            INSERT INTO woow_workspace (team_id, name, description, create_uid, write_uid)
            SELECT \(team), w.name, w.description, \(owner), \(owner)
            FROM unnest(ARRAY['Production', 'Staging', 'Smart Home'],
                        ARRAY['Customer-facing ERP and its database', 'Automation experiments', 'Home Assistant and sensors'])
                 WITH ORDINALITY AS w(name, description, n)
            ORDER BY w.n RETURNING id
            """
        ).rows.map { try $0.decode(Int64.self, at: 0) }
        let (production, staging, smartHome) = (workspaces[0], workspaces[1], workspaces[2])
        // The user works in Staging and Smart Home; the guest may look at Smart Home.
        try await db.query(
            """
            INSERT INTO woow_team_member_workspace_rel (member_id, workspace_id)
            VALUES (\(memberIDs["user"]!), \(staging)), (\(memberIDs["user"]!), \(smartHome)), (\(memberIDs["guest"]!), \(smartHome))
            """)
        try await db.query(
            """
            WITH apps AS (
                INSERT INTO woow_cloud_app (workspace_id, template_id, name, status, public_url, deployment_id, config,
                                            started_at, create_uid, write_uid)
                SELECT a.workspace, t.id, a.name, a.status, 'https://' || a.slug || '.woow.app', 'dep_demo_' || a.slug,
                       a.config::jsonb, CASE WHEN a.status = 'running' THEN now() AT TIME ZONE 'UTC' END, \(owner), \(owner)
                FROM unnest(ARRAY[\(production), \(production), \(staging), \(smartHome)]::bigint[],
                            ARRAY['odoo', 'postgresql', 'n8n', 'home-assistant'],
                            ARRAY['Company ERP', 'ERP Database', 'Lead Automation', 'Home Hub'],
                            ARRAY['running', 'running', 'stopped', 'running'],
                            ARRAY['company-erp', 'erp-database', 'lead-automation', 'home-hub'],
                            ARRAY['{"workers": 4}', '{"version": "16"}', '{}', '{"timezone": "Asia/Taipei"}'])
                     AS a(workspace, template, name, status, slug, config)
                JOIN woow_app_template t ON t.code = a.template
                RETURNING id, template_id
            )
            INSERT INTO woow_volume (app_id, name, mount_path, size_gb, create_uid, write_uid)
            SELECT apps.id, 'data', '/data', coalesce(nullif(regexp_replace(t.storage, '[^0-9]', '', 'g'), '')::int, 10),
                   \(owner), \(owner)
            FROM apps JOIN woow_app_template t ON t.id = apps.template_id
            """)
        try await db.query(
            """
            INSERT INTO woow_activity (team_id, user_id, action, target, res_model, res_id, create_uid, write_uid, create_date)
            SELECT \(team), \(owner), 'created workspace', w.name, 'woow.workspace', w.id, \(owner), \(owner),
                   (now() AT TIME ZONE 'UTC') - interval '1 day' + w.id * interval '1 minute'
            FROM woow_workspace w WHERE w.team_id = \(team)
            """)
    }
}
