import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/workspaces`: list, create, get, update, delete over both transports, with the role rules,
/// plan limits and tenant isolation of paas.md §3 and §7.
@Suite("PaaS: workspaces")
struct WorkspaceRouteTests {
    @Test(arguments: Transport.allCases) func listPagesSearchesAndCountsEverything(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-list")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let all = try await api.call(.get, "/workspaces", session: admin, via: via).expectSuccess()
            #expect(all["total"] == 3)
            #expect(all["page"] == 1)
            #expect(all["per_page"] == 20)
            let names = all["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["Smart Home", "Staging", "Production"])
            let first = try #require(all["items"]?.arrayValue?.last?.objectValue)
            #expect(first.keys.sorted() == ["apps_count", "created_at", "description", "id", "name", "status", "updated_at"])
            #expect(first["apps_count"] == 2)
            #expect(first["status"] == "active")
            #expect(first["created_at"]?.stringValue?.hasSuffix("Z") == true)

            let page2 = try await api.call(.get, "/workspaces", ["page": 2, "per_page": 2], session: admin, via: via).expectSuccess()
            #expect(page2["items"]?.arrayValue?.count == 1)
            #expect(page2["total"] == 3)
            #expect(page2["per_page"] == 2)

            let clamped = try await api.call(.get, "/workspaces", ["per_page": 500], session: admin, via: via).expectSuccess()
            #expect(clamped["per_page"] == 100)

            let search = try await api.call(.get, "/workspaces", ["search": "stag"], session: admin, via: via).expectSuccess()
            #expect(search["total"] == 1)
            #expect(search["items"]?[0]?["name"] == "Staging")

            let bad = try await api.call(.get, "/workspaces", ["page": 0], session: admin, via: via)
            bad.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(bad.envelope?["details"]?[0]?["field"] == "page")
            try await api.call(.get, "/workspaces", ["pgae": 1], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.get, "/workspaces", session: nil, via: via).expectSessionExpired()
        }
    }

    @Test(arguments: Transport.allCases) func everyRoleSeesOnlyItsWorkspaces(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-roles")
        try await fixture.test { api in
            let expected: [(String, [String])] = [
                ("manager", ["Smart Home", "Staging", "Production"]),
                ("member", ["Smart Home", "Staging"]),
                ("guest", ["Smart Home"]),
                ("rival", ["Rival Secret"]),
            ]
            for (login, names) in expected {
                let session = try await api.login(login)
                let data = try await api.call(.get, "/workspaces", session: session, via: via).expectSuccess()
                #expect(data["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == names, "\(login)")
                #expect(data["total"]?.intValue == names.count, "\(login)")
            }
        }
    }

    @Test(arguments: Transport.allCases) func createValidatesChecksTheRoleAndRecordsAnActivity(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-create")
        try await fixture.test { api in
            let manager = try await api.login("manager")
            let created = try await api.call(
                .post, "/workspaces", ["name": "  Analytics ", "description": "Dashboards"], session: manager, via: via)
            let data = created.expectSuccess(.created)
            #expect(data["name"] == "Analytics")
            #expect(data["description"] == "Dashboards")
            #expect(data["message"] == "Workspace created successfully")
            #expect(data["id"]?.int64Value != nil)
            #expect(data["created_at"]?.stringValue?.hasSuffix("Z") == true)
            let activity = try await fixture.app.client.query(
                "SELECT a.action, a.target, p.name FROM woow_activity a JOIN res_users u ON u.id = a.user_id JOIN res_partner p ON p.id = u.partner_id ORDER BY a.id DESC LIMIT 1")[0]
            #expect(try activity.decode(String.self, at: 0) == "created workspace")
            #expect(try activity.decode(String.self, at: 1) == "Analytics")
            #expect(try activity.decode(String.self, at: 2) == "Marc Demo")

            let missing = try await api.call(.post, "/workspaces", ["description": "no name"], session: manager, via: via)
            missing.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(missing.envelope?["details"] == [["field": "name", "message": "is required"]])
            let wrongType = try await api.call(.post, "/workspaces", ["name": 42], session: manager, via: via)
            #expect(wrongType.envelope?["details"]?[0]?["field"] == "name")
            // No mass assignment: a team_id (or any unknown field) is refused, nothing is created.
            let before = try await fixture.scalar("SELECT count(*) FROM woow_workspace", as: Int.self)
            let sneaky = try await api.call(
                .post, "/workspaces", ["name": "Sneaky", "team_id": .number(JSONNumber(fixture.rivalWorkspace))], session: manager, via: via)
            sneaky.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(sneaky.envelope?["details"] == [["field": "team_id", "message": "unknown field"]])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_workspace", as: Int.self) == before)

            for login in ["member", "guest"] {
                let session = try await api.login(login)
                try await api.call(.post, "/workspaces", ["name": "Nope"], session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            try await api.call(.post, "/workspaces", ["name": "Anon"], session: nil, via: via).expectSessionExpired()
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_workspace", as: Int.self) == before)
        }
    }

    @Test(arguments: Transport.allCases) func thePlanLimitIsWorkspaceLimitReached(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-limit")
        try await fixture.app.client.query("UPDATE woow_team SET plan = 'free' WHERE name = 'WoowTech Demo'")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            // The free plan allows 2 workspaces; the demo team already has 3.
            let refused = try await api.call(.post, "/workspaces", ["name": "Fourth"], session: admin, via: via)
            refused.expect(code: "WORKSPACE_LIMIT_REACHED", status: .unprocessableContent)
            #expect(refused.envelope?["error"]?.stringValue?.contains("free plan allows 2 workspaces") == true)
        }
    }

    @Test(arguments: Transport.allCases) func getEmbedsAppsAndStatsAndHidesOtherTeams(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-get")
        let production = try await fixture.workspace("Production")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let data = try await api.call(.get, "/workspaces/\(production)", session: admin, via: via).expectSuccess()
            #expect(data["name"] == "Production")
            let apps = try #require(data["apps"]?.arrayValue)
            #expect(apps.count == 2)
            #expect(Set(apps.compactMap { $0["template"]?["id"]?.stringValue }) == ["odoo", "postgresql"])
            #expect(apps[0].objectValue?.keys.sorted() == ["created_at", "id", "metrics", "name", "public_url", "status", "template"])
            #expect(data["stats"]?["apps_total"] == 2)
            #expect(data["stats"]?["running"] == 2)
            #expect(data["stats"]?["monthly_cost"]?.numberValue?.literal == "44.00")

            // Another team's workspace, a missing one and a malformed id are all "not found".
            for path in ["/workspaces/\(fixture.rivalWorkspace)", "/workspaces/999999", "/workspaces/abc"] {
                let answer = try await api.call(.get, path, session: admin, via: via)
                answer.expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
                #expect(answer.envelope.map { String(decoding: $0.serialized(), as: UTF8.self) }?.contains("Rival") == false)
            }
            // The guest may see Smart Home only.
            let guest = try await api.login("guest")
            try await api.call(.get, "/workspaces/\(staging)", session: guest, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
        }
    }

    @Test(arguments: Transport.allCases) func updateAndDeleteFollowTheRolesAndKeepApps(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("ws-update")
        let production = try await fixture.workspace("Production")
        let smartHome = try await fixture.workspace("Smart Home")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let updated = try await api.call(
                .put, "/workspaces/\(production)", ["name": "Prod", "description": nil], session: admin, via: via
            ).expectSuccess()
            #expect(updated["name"] == "Prod")
            #expect(updated["description"] == "")
            #expect(updated["message"] == "Workspace updated successfully")
            try await api.call(.put, "/workspaces/\(production)", ["name": ""], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.put, "/workspaces/\(fixture.rivalWorkspace)", ["name": "Mine"], session: admin, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            #expect(try await fixture.scalar("SELECT name FROM woow_workspace WHERE id = \(fixture.rivalWorkspace)", as: String.self) == "Rival Secret")

            let guest = try await api.login("guest")
            try await api.call(.put, "/workspaces/\(smartHome)", ["name": "Mine"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.delete, "/workspaces/\(smartHome)", session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)

            // A workspace with apps is kept: delete its apps first.
            let conflict = try await api.call(.delete, "/workspaces/\(production)", session: admin, via: via)
            conflict.expect(code: "CONFLICT", status: .conflict)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE workspace_id = \(production)", as: Int.self) == 2)

            let empty = try await api.call(.post, "/workspaces", ["name": "Scratch"], session: admin, via: via).expectSuccess(.created)
            let id = try #require(empty["id"]?.int64Value)
            let deleted = try await api.call(.delete, "/workspaces/\(id)", session: admin, via: via).expectSuccess()
            #expect(deleted["message"] == "Workspace deleted successfully")
            try await api.call(.get, "/workspaces/\(id)", session: admin, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.delete, "/workspaces/\(fixture.rivalWorkspace)", session: admin, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
        }
    }
}
