import HTTPTypes
import HummingbirdTesting
import JSONRPC
import Testing
import TestSupport

/// `/web/dataset/call_kw` on `woow.cloud.app` obeys what the app routes obey: lifecycle fields are
/// server-only, guests change nothing, another team's apps are out of reach.
@Suite("PaaS: cloud apps over call_kw")
struct CloudAppRPCAccessTests {
    /// The result, or the Odoo exception name.
    static func callKW(
        _ api: APIClient, session: String, model: String = "woow.cloud.app", _ method: String, _ args: JSONValue
    ) async throws -> Result<JSONValue, RPCFailure> {
        let response = try await api.client.execute(
            uri: "/web/dataset/call_kw/\(model)/\(method)", method: .post, headers: .json(session: session),
            body: RPCBody.call(["model": .string(model), "method": .string(method), "args": args, "kwargs": [:]], id: 3))
        let json = try response.json
        if let error = json["error"] { return .failure(RPCFailure(name: error["data"]?["name"]?.stringValue ?? "?")) }
        return .success(json["result"] ?? .null)
    }

    struct RPCFailure: Error, Equatable { let name: String }
    static let accessError = RPCFailure(name: "odoo.exceptions.AccessError")

    @Test func lifecycleFieldsAndGuestsAreRefusedThroughTheORM() async throws {
        let fixture = try await PaaSFixture.make("app-callkw")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.appID("Home Hub")
        let template = try await fixture.scalar("SELECT id FROM woow_app_template WHERE code = 'n8n'", as: Int64.self)
        let rival = try await fixture.rivalSnapshot()
        try await fixture.test { api in
            let member = try await api.login("member")
            // The user may rename an app of a granted workspace, but never set its status.
            #expect(try await Self.callKW(api, session: member, "write", [[.number(JSONNumber(hub))], ["name": "Hub"]]).get() == true)
            for field in ["status", "deployment_id", "public_url", "custom_domain"] {
                let refused = try await Self.callKW(api, session: member, "write", [[.number(JSONNumber(hub))], [field: "running"]])
                #expect(refused == .failure(Self.accessError), "\(field)")
            }
            let sneaky = try await Self.callKW(
                api, session: member, "create",
                [["name": "Sneaky", "workspace_id": .number(JSONNumber(smartHome)), "template_id": .number(JSONNumber(template)), "status": "running"]])
            #expect(sneaky == .failure(Self.accessError))
            // Apps are deployed through the API only (plan, credits, the deployment job): a plain
            // create through RPC is refused too, even in a granted workspace.
            let plain = try await Self.callKW(
                api, session: member, "create",
                [["name": "Plain", "workspace_id": .number(JSONNumber(smartHome)), "template_id": .number(JSONNumber(template))]])
            #expect(plain == .failure(Self.accessError))
            // Nor reach another team's app.
            #expect(try await Self.callKW(api, session: member, "write", [[.number(JSONNumber(fixture.rivalApp))], ["name": "Mine"]]) == .failure(Self.accessError))
            #expect(try await Self.callKW(api, session: member, "read", [[.number(JSONNumber(fixture.rivalApp))], ["name"]]) == .failure(Self.accessError))

            // The guest reads Smart Home's apps but may neither create nor change nor delete one.
            let guest = try await api.login("guest")
            let read = try await Self.callKW(api, session: guest, "read", [[.number(JSONNumber(hub))], ["name"]]).get()
            #expect(read[0]?["name"] == "Hub")
            let created = try await Self.callKW(
                api, session: guest, "create",
                [["name": "Guest app", "workspace_id": .number(JSONNumber(smartHome)), "template_id": .number(JSONNumber(template))]])
            #expect(created == .failure(Self.accessError))
            #expect(try await Self.callKW(api, session: guest, "write", [[.number(JSONNumber(hub))], ["name": "Mine"]]) == .failure(Self.accessError))
            #expect(try await Self.callKW(api, session: guest, "unlink", [[.number(JSONNumber(hub))]]) == .failure(Self.accessError))

            let row = try await fixture.app.client.query("SELECT name, status FROM woow_cloud_app WHERE id = \(hub)")[0]
            #expect(try row.decode(String.self, at: 0) == "Hub")
            #expect(try row.decode(String.self, at: 1) == "running")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE name IN ('Sneaky', 'Guest app')", as: Int.self) == 0)
            #expect(try await fixture.rivalSnapshot() == rival)
        }
    }
}
