import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/web/dataset/call_kw` on the PaaS models obeys exactly what the REST routes obey: the same
/// workspaces are visible per role, guests cannot create, nobody moves a workspace to another
/// team or sets an app's lifecycle fields.
@Suite("PaaS: the same rules through call_kw")
struct WorkspaceModelRPCTests {
    /// `call_kw` as the OWL client sends it; returns the result, or the Odoo exception name.
    static func callKW(
        _ api: APIClient, _ model: String, _ method: String, _ args: JSONValue, _ kwargs: JSONValue = [:], session: String
    ) async throws -> (result: JSONValue?, error: String?) {
        let response = try await api.client.execute(
            uri: "/web/dataset/call_kw/\(model)/\(method)", method: .post, headers: .json(session: session),
            body: RPCBody.call(["model": .string(model), "method": .string(method), "args": args, "kwargs": kwargs]))
        let json = try response.json
        return (json["result"], json["error"]?["data"]?["name"]?.stringValue)
    }

    @Test func searchReadSeesWhatRESTSees() async throws {
        let fixture = try await PaaSFixture.make("ws-rpc-read")
        try await fixture.test { api in
            for login in ["admin", "manager", "member", "guest", "rival"] {
                let session = try await api.login(login)
                let rest = try await api.call(.get, "/workspaces", session: session, via: .rest).expectSuccess()
                let restNames = Set(rest["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                let rpc = try await Self.callKW(
                    api, "woow.workspace", "search_read", [[]], ["fields": ["name"]], session: session)
                let rpcNames = Set(rpc.result?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(rpc.error == nil)
                #expect(rpcNames == restNames, "\(login)")
                #expect(!rpcNames.isEmpty)
            }
        }
    }

    @Test func writesFollowTheRolesAndStayInTheTeam() async throws {
        let fixture = try await PaaSFixture.make("ws-rpc-write")
        let smartHome = try await fixture.workspace("Smart Home")
        let demoTeam = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        let rivalTeam = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'Rival Co'", as: Int64.self)
        let homeHub = try await fixture.scalar("SELECT id FROM woow_cloud_app WHERE name = 'Home Hub'", as: Int64.self)
        try await fixture.test { api in
            let guest = try await api.login("guest")
            let refused = try await Self.callKW(
                api, "woow.workspace", "create", [["name": "Guest's", "team_id": .number(JSONNumber(demoTeam))]], session: guest)
            #expect(refused.error == "odoo.exceptions.AccessError")
            let renamed = try await Self.callKW(
                api, "woow.workspace", "write", [[.number(JSONNumber(smartHome))], ["name": "Mine"]], session: guest)
            #expect(renamed.error == "odoo.exceptions.AccessError")

            let manager = try await api.login("manager")
            let created = try await Self.callKW(
                api, "woow.workspace", "create", [["name": "Via RPC", "team_id": .number(JSONNumber(demoTeam))]], session: manager)
            #expect(created.error == nil)
            // Creating in, or moving a workspace to, another team is refused and changes nothing.
            let foreign = try await Self.callKW(
                api, "woow.workspace", "create", [["name": "Planted", "team_id": .number(JSONNumber(rivalTeam))]], session: manager)
            #expect(foreign.error == "odoo.exceptions.AccessError")
            let moved = try await Self.callKW(
                api, "woow.workspace", "write", [[.number(JSONNumber(smartHome))], ["team_id": .number(JSONNumber(rivalTeam))]],
                session: manager)
            #expect(moved.error == "odoo.exceptions.AccessError")
            #expect(try await fixture.scalar("SELECT team_id FROM woow_workspace WHERE id = \(smartHome)", as: Int64.self) == demoTeam)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_workspace WHERE name = 'Planted'", as: Int.self) == 0)

            // Lifecycle fields are the server's: not even an owner sets them through RPC.
            let admin = try await api.login("admin")
            let status = try await Self.callKW(
                api, "woow.cloud.app", "write", [[.number(JSONNumber(homeHub))], ["status": "stopped"]], session: admin)
            #expect(status.error == "odoo.exceptions.AccessError")
            let credits = try await Self.callKW(
                api, "woow.team", "write", [[.number(JSONNumber(demoTeam))], ["credits_balance": 1_000_000]], session: admin)
            #expect(credits.error == "odoo.exceptions.AccessError")
            #expect(try await fixture.scalar("SELECT status FROM woow_cloud_app WHERE id = \(homeHub)", as: String.self) == "running")
        }
    }
}
