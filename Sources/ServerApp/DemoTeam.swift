import Identity
import PaaS
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
    /// The workspaces date from the team's founding, an hour apart, each with its "created
    /// workspace" activity at that moment; the apps get their history in ``seedAppHistory``.
    func seedTeam(_ team: Int64, owner: Int64, on db: PostgresConnection) async throws {
        var memberIDs: [String: Int64] = [:]
        for member in Self.members {
            let uid = try await accounts.createUser(
                login: member.login, name: member.name, email: "\(member.login)@woow.example", password: member.login,
                groups: [UserAccounts.GroupID.user], on: db)
            try await db.query("UPDATE res_users SET current_team_id = \(team) WHERE id = \(uid)")
            memberIDs[member.role] = try await db.query(
                """
                INSERT INTO woow_team_member (team_id, user_id, role, status, create_uid, write_uid, create_date, write_date)
                VALUES (\(team), \(uid), \(member.role), 'active', \(owner), \(owner),
                        (now() AT TIME ZONE 'UTC') - \(Self.History.founded)::interval,
                        (now() AT TIME ZONE 'UTC') - \(Self.History.founded)::interval) RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
        let workspaces = try await db.query(
            """
            INSERT INTO woow_workspace (team_id, name, description, create_uid, write_uid, create_date, write_date)
            SELECT \(team), w.name, w.description, \(owner), \(owner), at.ts, at.ts
            FROM unnest(ARRAY['Production', 'Staging', 'Smart Home'],
                        ARRAY['Customer-facing ERP and its database', 'Automation experiments', 'Home Assistant and sensors'])
                 WITH ORDINALITY AS w(name, description, n)
            CROSS JOIN LATERAL (
                SELECT (now() AT TIME ZONE 'UTC') - \(Self.History.founded)::interval + (w.n - 1) * interval '1 hour' AS ts) AS at
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
        let apps: [(workspace: Int64, template: String, name: String, status: String, config: String)] = [
            (production, "odoo", "Company ERP", "running", #"{"workers": 4}"#),
            (production, "postgresql", "ERP Database", "running", #"{"version": "16"}"#),
            (staging, "n8n", "Lead Automation", "stopped", "{}"),
            (smartHome, "home-assistant", "Home Hub", "running", #"{"timezone": "Asia/Taipei"}"#),
        ]
        try await db.query(
            """
            WITH apps AS (
                INSERT INTO woow_cloud_app (workspace_id, template_id, name, status, deployment_id, config,
                                            started_at, create_uid, write_uid)
                SELECT a.workspace, t.id, a.name, a.status, 'dep_demo_' || a.slug,
                       a.config::jsonb, CASE WHEN a.status = 'running' THEN now() AT TIME ZONE 'UTC' END, \(owner), \(owner)
                FROM unnest(\(apps.map(\.workspace))::bigint[], \(apps.map(\.template))::text[], \(apps.map(\.name))::text[],
                            \(apps.map(\.status))::text[], \(apps.map { APIFormat.slug($0.name) })::text[],
                            \(apps.map(\.config))::text[]) WITH ORDINALITY
                     AS a(workspace, template, name, status, slug, config, n)
                JOIN woow_app_template t ON t.code = a.template
                ORDER BY a.n
                RETURNING id, template_id
            )
            INSERT INTO woow_volume (app_id, name, mount_path, size_gb, create_uid, write_uid)
            SELECT apps.id, 'data', '/data', coalesce(nullif(regexp_replace(t.storage, '[^0-9]', '', 'g'), '')::int, 10),
                   \(owner), \(owner)
            FROM apps JOIN woow_app_template t ON t.id = apps.template_id
            """)
        // The address a deployment gets: `https://<slug of the name>-<id>.<public domain>`.
        try await db.query(
            """
            UPDATE woow_cloud_app a SET public_url = 'https://' || s.slug || '-' || a.id || '.' || \(publicDomain)
            FROM unnest(\(apps.map(\.name))::text[], \(apps.map { APIFormat.slug($0.name) })::text[]) AS s(name, slug),
                 woow_workspace w
            WHERE a.name = s.name AND w.id = a.workspace_id AND w.team_id = \(team)
            """)
        try await db.query(
            """
            INSERT INTO woow_activity (team_id, user_id, action, target, res_model, res_id, create_uid, write_uid, create_date)
            SELECT \(team), \(owner), 'created workspace', w.name, 'woow.workspace', w.id, \(owner), \(owner), w.create_date
            FROM woow_workspace w WHERE w.team_id = \(team) ORDER BY w.id
            """)
    }
}
