import PaaS
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// The demo data looks like something the product made: apps have the address a deployment
/// gets, and nothing is dated before what it belongs to.
@Suite("Demo data: addresses and a consistent history")
struct DemoDataTests {
    @Test func appsHaveTheAddressADeploymentGets() async throws {
        let app = try await TestApp.make("demourls") { $0.paas.publicDomain = "apps.example.net" }
        let rows = try await app.client.query("SELECT id, name, public_url FROM woow_cloud_app ORDER BY id").rows
        #expect(rows.count == 4)
        for row in rows {
            let id = try row.decode(Int64.self, at: 0)
            let name = try row.decode(String.self, at: 1)
            // As `POST /workspaces/{id}/apps` builds it.
            #expect(try row.decode(String?.self, at: 2) == "https://\(APIFormat.slug(name))-\(id).apps.example.net")
        }
        await app.shutdown()
    }

    /// Each query counts the rows dated before what they belong to; all must be zero.
    static let anachronisms: [(what: String, sql: PostgresQuery)] = [
        ("workspaces created before their team",
         "SELECT count(*) FROM woow_workspace w JOIN woow_team t ON t.id = w.team_id WHERE w.create_date < t.create_date"),
        ("workspaces updated before they were created", "SELECT count(*) FROM woow_workspace WHERE write_date < create_date"),
        ("members who joined before their team",
         "SELECT count(*) FROM woow_team_member m JOIN woow_team t ON t.id = m.team_id WHERE m.create_date < t.create_date"),
        ("apps created before their workspace",
         "SELECT count(*) FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id WHERE a.create_date < w.create_date"),
        ("app status changes before the app",
         "SELECT count(*) FROM woow_app_status_change c JOIN woow_cloud_app a ON a.id = c.app_id WHERE c.changed_at < a.create_date"),
        ("\"created workspace\" activities not at the workspace's creation",
         """
         SELECT count(*) FROM woow_activity x JOIN woow_workspace w ON w.id = x.res_id
         WHERE x.action = 'created workspace' AND x.res_model = 'woow.workspace' AND x.create_date <> w.create_date
         """),
        ("hubs created before their workspace",
         "SELECT count(*) FROM woow_hub h JOIN woow_workspace w ON w.id = h.workspace_id WHERE h.create_date < w.create_date"),
        ("tunnels created before their workspace",
         "SELECT count(*) FROM woow_tunnel x JOIN woow_workspace w ON w.id = x.workspace_id WHERE x.create_date < w.create_date"),
        ("backups before their hub",
         "SELECT count(*) FROM woow_backup b JOIN woow_hub h ON h.id = b.hub_id WHERE b.create_date < h.create_date"),
        ("API tokens created before their hub, or used before they were created",
         """
         SELECT count(*) FROM woow_api_token k JOIN woow_hub h ON h.id = k.hub_id
         WHERE k.create_date < h.create_date OR k.last_used_at < k.create_date
         """),
        ("usage lines dated before their app",
         "SELECT count(*) FROM woow_usage_line l JOIN woow_cloud_app a ON a.id = l.app_id WHERE l.date < a.create_date::date"),
        ("transactions before the team",
         "SELECT count(*) FROM woow_transaction x JOIN woow_team t ON t.id = x.team_id WHERE x.create_date < t.create_date"),
        ("invoices before the team",
         "SELECT count(*) FROM woow_invoice i JOIN woow_team t ON t.id = i.team_id WHERE i.create_date < t.create_date"),
    ]

    @Test func nothingIsDatedBeforeWhatItBelongsTo() async throws {
        let app = try await TestApp.make("demohistory")
        for check in Self.anachronisms {
            let count = try await app.client.query(check.sql)[0].decode(Int.self, at: 0)
            #expect(count == 0, "\(check.what): \(count)")
        }
        // The checks have something to check.
        let counts = try await app.client.query(
            """
            SELECT (SELECT count(*) FROM woow_workspace), (SELECT count(*) FROM woow_cloud_app),
                   (SELECT count(*) FROM woow_activity WHERE action = 'created workspace'),
                   (SELECT count(*) FROM woow_usage_line), (SELECT count(*) FROM woow_transaction)
            """)[0]
        #expect(try counts.decode(Int.self, at: 0) == 3)
        #expect(try counts.decode(Int.self, at: 1) == 4)
        #expect(try counts.decode(Int.self, at: 2) == 3)
        #expect(try counts.decode(Int.self, at: 3) > 0)
        #expect(try counts.decode(Int.self, at: 4) == 4)
        await app.shutdown()
    }
}
