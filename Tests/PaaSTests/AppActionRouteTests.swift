import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport

/// `POST /workspaces/{id}/apps/{app_id}/actions`: the state machine, roles, row locking and
/// tenant isolation, over both transports.
@Suite("PaaS: app actions")
struct AppActionRouteTests {
    @Test func theStateMachineTable() throws {
        let legal: [(AppLifecycle.Action, String, String?, String?)] = [
            (.start, "stopped", "deploying", "app.start"), (.start, "error", "deploying", "app.start"),
            (.stop, "running", "stopped", nil), (.stop, "deploying", "stopped", nil),
            (.restart, "running", "deploying", "app.restart"),
            (.delete, "running", nil, nil), (.delete, "stopped", nil, nil), (.delete, "deploying", nil, nil), (.delete, "error", nil, nil),
        ]
        for (action, from, to, job) in legal {
            let transition = try AppLifecycle.transition(action, from: from)
            #expect(transition.status == to, "\(action) from \(from)")
            #expect(transition.job == job, "\(action) from \(from)")
        }
        let illegal: [(AppLifecycle.Action, String)] = [
            (.start, "running"), (.start, "deploying"), (.stop, "stopped"), (.stop, "error"),
            (.restart, "stopped"), (.restart, "deploying"), (.restart, "error"),
        ]
        for (action, from) in illegal {
            #expect(throws: (any Error).self, "\(action) from \(from)") { try AppLifecycle.transition(action, from: from) }
        }
    }

    @Test(arguments: Transport.allCases) func actionsFollowTheStateMachineAndRecordActivities(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-actions")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        let database = try await fixture.appID("ERP Database")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/actions"
            func act(_ action: String, _ target: String = path) async throws -> APIAnswer {
                try await api.call(.post, target, ["action": .string(action)], session: admin, via: via)
            }
            let already = try await act("start")
            already.expect(code: "CONFLICT", status: .conflict)
            #expect(already.envelope?["error"] == "App is already running")
            try await act("restart", "/workspaces/\(production)/apps/\(database)/actions").expectSuccess()
            #expect(try await fixture.status(ofApp: database) == "deploying")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job WHERE res_id = \(database) AND kind = 'app.restart' AND state = 'queued'", as: Int.self) == 1)

            #expect(try await act("stop").expectSuccess() == ["message": "App stop completed successfully"])
            #expect(try await fixture.status(ofApp: erp) == "stopped")
            #expect(try await fixture.scalar("SELECT started_at IS NULL FROM woow_cloud_app WHERE id = \(erp)", as: Bool.self))
            let again = try await act("stop")
            again.expect(code: "CONFLICT", status: .conflict)
            #expect(again.envelope?["error"] == "App is already stopped")
            try await act("restart").expect(code: "CONFLICT", status: .conflict)

            #expect(try await act("start").expectSuccess() == ["message": "App start completed successfully"])
            #expect(try await fixture.status(ofApp: erp) == "deploying")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job WHERE res_id = \(erp) AND kind = 'app.start' AND state = 'queued'", as: Int.self) == 1)
            try await act("start").expect(code: "CONFLICT", status: .conflict)
            // Stopping a deployment cancels its job.
            try await act("stop").expectSuccess()
            #expect(try await fixture.scalar("SELECT state FROM woow_job WHERE res_id = \(erp) AND kind = 'app.start'", as: String.self) == "cancelled")
            try await act("start").expectSuccess()

            #expect(try await act("delete").expectSuccess() == ["message": "App delete completed successfully"])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE id = \(erp)", as: Int.self) == 0)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_volume WHERE app_id = \(erp)", as: Int.self) == 0)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job WHERE res_id = \(erp) AND state = 'queued'", as: Int.self) == 0)
            try await act("delete").expect(code: "NOT_FOUND", status: .notFound)

            let actions = try await fixture.app.client.query(
                "SELECT action FROM woow_activity WHERE res_model = 'woow.cloud.app' AND res_id = \(erp) ORDER BY id"
            ).rows.map { try $0.decode(String.self, at: 0) }
            #expect(actions == ["stopped app", "started app", "stopped app", "started app", "deleted app"])
        }
    }

    @Test(arguments: Transport.allCases) func refusalsChangeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-actions-bad")
        let production = try await fixture.workspace("Production")
        let smartHome = try await fixture.workspace("Smart Home")
        let erp = try await fixture.appID("Company ERP")
        let hub = try await fixture.appID("Home Hub")
        let rival = try await fixture.rivalSnapshot()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/actions"
            let bad = try await api.call(.post, path, ["action": "explode"], session: admin, via: via)
            bad.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(bad.envelope?["details"]?[0]?["field"] == "action")
            let missing = try await api.call(.post, path, [:], session: admin, via: via)
            #expect(missing.envelope?["details"] == [["field": "action", "message": "is required"]])
            try await api.call(.post, path, ["action": "stop", "force": true], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.post, path, ["action": "stop"], session: nil, via: via).expectSessionExpired()

            let guest = try await api.login("guest")
            for action in ["stop", "restart", "delete"] {
                try await api.call(.post, "/workspaces/\(smartHome)/apps/\(hub)/actions", ["action": .string(action)], session: guest, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            let member = try await api.login("member")
            try await api.call(.post, path, ["action": "stop"], session: member, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            for target in [
                "/workspaces/\(production)/apps/\(fixture.rivalApp)/actions",
                "/workspaces/\(fixture.rivalWorkspace)/apps/\(fixture.rivalApp)/actions",
            ] {
                for action in ["stop", "delete"] {
                    let answer = try await api.call(.post, target, ["action": .string(action)], session: admin, via: via)
                    #expect(answer.code == "NOT_FOUND" || answer.code == "WORKSPACE_NOT_FOUND", "\(answer.text)")
                    #expect(answer.status == (via == .rest ? .notFound : .ok))
                    #expect(!answer.text.contains("Rival"))
                }
            }
            #expect(try await fixture.status(ofApp: erp) == "running")
            #expect(try await fixture.status(ofApp: hub) == "running")
            #expect(try await fixture.rivalSnapshot() == rival)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job", as: Int.self) == 0)
        }
    }

    @Test func theUserRoleOperatesInGrantedWorkspaces() async throws {
        let fixture = try await PaaSFixture.make("app-actions-user")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.appID("Home Hub")
        try await fixture.test { api in
            let member = try await api.login("member")
            try await api.call(.post, "/workspaces/\(smartHome)/apps/\(hub)/actions", ["action": "stop"], session: member, via: .rest)
                .expectSuccess()
            #expect(try await fixture.status(ofApp: hub) == "stopped")
        }
    }

    @Test func concurrentActionsOnOneAppSerialize() async throws {
        let fixture = try await PaaSFixture.make("app-actions-race")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/actions"
            async let first = api.call(.post, path, ["action": "stop"], session: admin, via: .rest)
            async let second = api.call(.post, path, ["action": "stop"], session: admin, via: .rest)
            let answers = try await [first, second]
            #expect(answers.filter(\.success).count == 1)
            #expect(answers.filter { $0.code == "CONFLICT" }.count == 1)
            #expect(try await fixture.status(ofApp: erp) == "stopped")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action = 'stopped app'", as: Int.self) == 1)
        }
    }
}
