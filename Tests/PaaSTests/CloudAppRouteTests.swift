import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `GET/POST /workspaces/{id}/apps` and `GET /workspaces/{id}/apps/{app_id}` over both
/// transports: deployment, validation, roles, credits, plan limit and tenant isolation.
@Suite("PaaS: cloud apps")
struct CloudAppRouteTests {
    @Test(arguments: Transport.allCases) func deployCreatesAnAppItsVolumeItsJobAndAnActivity(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-deploy")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let member = try await api.login("member")
            let answer = try await api.call(
                .post, "/workspaces/\(staging)/apps",
                ["app_template_id": "n8n", "name": "  My Flows! ", "config": ["region": "eu", "workers": 2]], session: member, via: via)
            let data = answer.expectSuccess(.created)
            #expect(data.objectValue?.keys.sorted() == ["deployment_id", "id", "message", "name", "public_url", "status"])
            let id = try #require(data["id"]?.int64Value)
            #expect(data["name"] == "My Flows!")
            #expect(data["status"] == "deploying")
            #expect(data["message"] == "App deployment started")
            #expect(data["public_url"]?.stringValue == "https://my-flows-\(id).woow.app")
            let deployment = try #require(data["deployment_id"]?.stringValue)
            #expect(deployment.hasPrefix("dep_") && deployment.count == 28)
            #expect(deployment.dropFirst(4).allSatisfy { $0.isHexDigit })

            let stored = try await fixture.app.client.query(
                "SELECT status, deployment_id, config::text, workspace_id FROM woow_cloud_app WHERE id = \(id)")[0]
            #expect(try stored.decode(String.self, at: 0) == "deploying")
            #expect(try stored.decode(String.self, at: 1) == deployment)
            #expect(try stored.decode(String.self, at: 2) == #"{"region": "eu", "workers": 2}"#)
            #expect(try stored.decode(Int64.self, at: 3) == staging)
            let volume = try await fixture.app.client.query(
                "SELECT name, mount_path, size_gb FROM woow_volume WHERE app_id = \(id)").rows
            #expect(volume.count == 1)
            #expect(try volume[0].decode(String.self, at: 1) == "/data")
            #expect(try volume[0].decode(Int.self, at: 2) == 10)
            // The job is queued for after the (default, 5 s) deployment delay, counted from the
            // request's transaction (no clock reading in the test: the machine may be slow).
            let job = try await fixture.app.client.query(
                "SELECT kind, state, run_after - created_at = interval '5 seconds', team_id IS NOT NULL FROM woow_job WHERE res_id = \(id)").rows
            #expect(job.count == 1)
            #expect(try job[0].decode(String.self, at: 0) == "app.deploy")
            #expect(try job[0].decode(String.self, at: 1) == "queued")
            #expect(try job[0].decode(Bool.self, at: 2))
            #expect(try job[0].decode(Bool.self, at: 3))
            let activity = try await fixture.app.client.query(
                "SELECT action, target, res_id FROM woow_activity ORDER BY id DESC LIMIT 1")[0]
            #expect(try activity.decode(String.self, at: 0) == "deployed app")
            #expect(try activity.decode(String.self, at: 1) == "My Flows!")
            #expect(try activity.decode(Int64.self, at: 2) == id)

            // Listed, with the workspace's other app.
            let list = try await api.call(.get, "/workspaces/\(staging)/apps", session: member, via: via).expectSuccess()
            #expect(list["total"] == 2)
            let items = try #require(list["items"]?.arrayValue)
            #expect(items.map { $0["name"]?.stringValue } == ["My Flows!", "Lead Automation"])
            #expect(items[0].objectValue?.keys.sorted() == ["created_at", "id", "metrics", "name", "public_url", "status", "template"])
            #expect(items[0]["template"]?["id"] == "n8n")

            // The detail: config, volumes, metrics, template.
            let detail = try await api.call(.get, "/workspaces/\(staging)/apps/\(id)", session: member, via: via).expectSuccess()
            #expect(detail["config"] == ["region": "eu", "workers": 2])
            #expect(detail["status"] == "deploying")
            #expect(detail["deployment_id"]?.stringValue == deployment)
            #expect(detail["volumes"]?.arrayValue?.count == 1)
            #expect(detail["volumes"]?[0]?["size_gb"] == 10)
            #expect(detail["volumes"]?[0]?["mount_path"] == "/data")
            #expect(detail["metrics"] == ["cpu": 0, "ram": 0, "storage": 0])
            #expect(detail["template"]?["id"] == "n8n")
            #expect(detail["template"]?["monthly_price"]?.numberValue?.literal == "12.00")
        }
    }

    @Test(arguments: Transport.allCases) func deployValidatesEverythingAndChangesNothingWhenRefused(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-deploy-bad")
        let staging = try await fixture.workspace("Staging")
        let production = try await fixture.workspace("Production")
        let smartHome = try await fixture.workspace("Smart Home")
        try await fixture.app.client.query("UPDATE woow_app_template SET active = false WHERE code = 'redis'")
        let before = try await fixture.appCount()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(staging)/apps"
            let missing = try await api.call(.post, path, ["config": [:]], session: admin, via: via)
            missing.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(Set(missing.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []) == ["app_template_id", "name"])
            let notObject = try await api.call(.post, path, ["app_template_id": "n8n", "name": "x", "config": "big"], session: admin, via: via)
            #expect(notObject.envelope?["details"] == [["field": "config", "message": "must be an object"]])
            let huge = try await api.call(
                .post, path, ["app_template_id": "n8n", "name": "x", "config": ["blob": .string(String(repeating: "a", count: 17_000))]],
                session: admin, via: via)
            huge.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(huge.envelope?["details"]?[0]?["field"] == "config")
            let sneaky = try await api.call(.post, path, ["app_template_id": "n8n", "name": "x", "status": "running"], session: admin, via: via)
            #expect(sneaky.envelope?["details"] == [["field": "status", "message": "unknown field"]])
            for code in ["nope", "redis"] {
                let unknown = try await api.call(.post, path, ["app_template_id": .string(code), "name": "x"], session: admin, via: via)
                unknown.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(unknown.envelope?["details"]?[0]?["field"] == "app_template_id", "\(code)")
            }
            try await api.call(.post, path, ["app_template_id": "n8n", "name": "x"], session: nil, via: via).expectSessionExpired()

            // The guest sees Smart Home but may not deploy there; the user does not see Production.
            let guest = try await api.login("guest")
            try await api.call(.post, "/workspaces/\(smartHome)/apps", ["app_template_id": "n8n", "name": "x"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            let member = try await api.login("member")
            try await api.call(.post, "/workspaces/\(production)/apps", ["app_template_id": "n8n", "name": "x"], session: member, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            // Another team's workspace is not found, whoever asks.
            let rivalBefore = try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE workspace_id = \(fixture.rivalWorkspace)", as: Int.self)
            let rival = try await api.call(
                .post, "/workspaces/\(fixture.rivalWorkspace)/apps", ["app_template_id": "n8n", "name": "x"], session: admin, via: via)
            rival.expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            #expect(!rival.text.contains("Rival"))
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE workspace_id = \(fixture.rivalWorkspace)", as: Int.self) == rivalBefore)
            #expect(try await fixture.appCount() == before)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job", as: Int.self) == 0)
        }
    }

    @Test(arguments: Transport.allCases) func creditsMustCoverOneMonthOfTheTemplate(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-credits")
        let staging = try await fixture.workspace("Staging")
        // Odoo costs 29.00 a month: 28.99 is not enough, 29.00 is.
        try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 28.99 WHERE name = 'WoowTech Demo'")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let refused = try await api.call(
                .post, "/workspaces/\(staging)/apps", ["app_template_id": "odoo", "name": "ERP 2"], session: admin, via: via)
            refused.expect(code: "BILLING_INSUFFICIENT_CREDITS", status: .unprocessableContent)
            #expect(refused.envelope?["error"]?.stringValue?.contains("29.00") == true)
            #expect(refused.envelope?["error"]?.stringValue?.contains("28.99") == true)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE name = 'ERP 2'", as: Int.self) == 0)
            // A cheaper template fits.
            try await api.call(.post, "/workspaces/\(staging)/apps", ["app_template_id": "uptime-kuma", "name": "Status"], session: admin, via: via)
                .expectSuccess(.created)
            try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 29.00 WHERE name = 'WoowTech Demo'")
            try await api.call(.post, "/workspaces/\(staging)/apps", ["app_template_id": "odoo", "name": "ERP 2"], session: admin, via: via)
                .expectSuccess(.created)
        }
    }

    @Test(arguments: Transport.allCases) func thePlanCloudServiceLimitIsWorkspaceLimitReached(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-limit")
        let staging = try await fixture.workspace("Staging")
        // The free plan allows 3 cloud services; the demo team has 4 apps.
        try await fixture.app.client.query("UPDATE woow_team SET plan = 'free' WHERE name = 'WoowTech Demo'")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let refused = try await api.call(
                .post, "/workspaces/\(staging)/apps", ["app_template_id": "n8n", "name": "One more"], session: admin, via: via)
            refused.expect(code: "WORKSPACE_LIMIT_REACHED", status: .unprocessableContent)
            #expect(refused.envelope?["error"]?.stringValue?.contains("3 cloud services") == true)
            #expect(try await fixture.appCount() == 5)
        }
    }

    @Test(arguments: Transport.allCases) func listAndDetailShowOnlyWhatTheCallerMaySee(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-get")
        let production = try await fixture.workspace("Production")
        let staging = try await fixture.workspace("Staging")
        let smartHome = try await fixture.workspace("Smart Home")
        let erp = try await fixture.appID("Company ERP")
        let hub = try await fixture.appID("Home Hub")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let list = try await api.call(.get, "/workspaces/\(production)/apps", session: admin, via: via).expectSuccess()
            #expect(list["total"] == 2)
            #expect(Set(list["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []) == ["Company ERP", "ERP Database"])
            let detail = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)", session: admin, via: via).expectSuccess()
            #expect(detail["name"] == "Company ERP")
            #expect(detail["status"] == "running")
            #expect(detail["config"] == ["workers": 4])
            #expect(detail["volumes"]?[0]?["size_gb"] == 40)
            #expect(detail["volumes"]?[0]?.objectValue?.keys.sorted() == ["id", "mount_path", "name", "size_gb"])
            #expect((detail["metrics"]?["cpu"]?.intValue ?? 0) > 0)
            #expect(detail["template"]?["id"] == "odoo")
            #expect(detail["public_url"] == .string("https://company-erp-\(erp).woow.app"))
            try await api.call(.get, "/workspaces/\(production)/apps", ["status": "running"], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)

            // An app of another workspace, a missing one, a malformed id: not found.
            for path in ["/workspaces/\(staging)/apps/\(erp)", "/workspaces/\(production)/apps/999999", "/workspaces/\(production)/apps/x"] {
                try await api.call(.get, path, session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            }
            // Another team's app through one of my workspaces, or through its own: never its data.
            for (path, code) in [
                ("/workspaces/\(production)/apps/\(fixture.rivalApp)", "NOT_FOUND"),
                ("/workspaces/\(fixture.rivalWorkspace)/apps/\(fixture.rivalApp)", "WORKSPACE_NOT_FOUND"),
                ("/workspaces/\(fixture.rivalWorkspace)/apps", "WORKSPACE_NOT_FOUND"),
            ] {
                let answer = try await api.call(.get, path, session: admin, via: via)
                answer.expect(code: code, status: .notFound)
                #expect(!answer.text.contains("Rival"))
            }
            // The guest reads Smart Home's apps, and nothing in Production.
            let guest = try await api.login("guest")
            let hubDetail = try await api.call(.get, "/workspaces/\(smartHome)/apps/\(hub)", session: guest, via: via).expectSuccess()
            #expect(hubDetail["name"] == "Home Hub")
            try await api.call(.get, "/workspaces/\(production)/apps/\(erp)", session: guest, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.get, "/workspaces/\(production)/apps", session: guest, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.get, "/workspaces/\(smartHome)/apps", session: nil, via: via).expectSessionExpired()
            try await api.call(.get, "/workspaces/\(smartHome)/apps/\(hub)", session: nil, via: via).expectSessionExpired()
        }
    }
}
