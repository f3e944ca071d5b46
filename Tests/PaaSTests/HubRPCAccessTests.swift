import HTTPTypes
import HummingbirdTesting
import JSONRPC
import Testing
import TestSupport

/// `/web/dataset/call_kw` on the hub and tunnel models obeys what their routes obey: token hashes
/// are not fields at all, server-managed fields are refused, guests change nothing, children are
/// read-only, and another team's hubs are out of reach.
@Suite("PaaS: hubs and tunnels over call_kw")
struct HubRPCAccessTests {
    typealias RPC = CloudAppRPCAccessTests

    static func id(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }

    @Test func tokenHashesAndServerFieldsStayOutOfReach() async throws {
        let fixture = try await PaaSFixture.make("hub-callkw")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.hubID("Living Room HAOS")
        let tunnel = try await fixture.tunnelID("NAS Tunnel")
        let rivalHub = try await fixture.rivalHub()
        let hashes = try await fixture.scalar(
            "SELECT string_agg(token_hash, ',') FROM (SELECT token_hash FROM woow_hub UNION ALL SELECT token_hash FROM woow_tunnel UNION ALL SELECT token_hash FROM woow_api_token) t",
            as: String.self)
        try await fixture.test { api in
            let member = try await api.login("member")
            // Reading everything a client can read never yields a hash.
            for model in ["woow.hub", "woow.tunnel", "woow.api.token", "woow.proxy.target", "woow.backup", "woow.volume"] {
                let rows = try await RPC.callKW(api, session: member, model: model, "search_read", [[]]).get()
                #expect(rows.arrayValue?.isEmpty == false, "\(model)")
                let text = String(decoding: rows.serialized(), as: UTF8.self)
                for hash in hashes.split(separator: ",") { #expect(!text.contains(hash), "\(model) leaks a token hash") }
            }
            let hubRead = try await RPC.callKW(api, session: member, model: "woow.hub", "read", [[Self.id(hub)], ["name", "token_hint", "volume_ids"]]).get()
            #expect(hubRead[0]?["volume_ids"]?.arrayValue?.count == 2)
            let hashRead = try await RPC.callKW(api, session: member, model: "woow.hub", "read", [[Self.id(hub)], ["token_hash"]])
            #expect((try? hashRead.get()) == nil)
            let unknownField = try await RPC.callKW(api, session: member, model: "woow.hub", "search", [[["token_hash", "!=", false]]])
            #expect((try? unknownField.get()) == nil)

            // The user renames a hub of a granted workspace, nothing else.
            #expect(try await RPC.callKW(api, session: member, model: "woow.hub", "write", [[Self.id(hub)], ["name": "Den"]]).get() == true)
            for field in ["status", "public_url", "token_hint", "workspace_id", "last_backup", "type"] {
                let value: JSONValue = field == "workspace_id" ? Self.id(fixture.rivalWorkspace) : "online"
                let refused = try await RPC.callKW(api, session: member, model: "woow.hub", "write", [[Self.id(hub)], [field: value]])
                #expect(refused == .failure(RPC.accessError), "\(field)")
            }
            #expect(
                try await RPC.callKW(
                    api, session: member, model: "woow.tunnel", "write", [[Self.id(tunnel)], ["token_hint": "abcd"]]) == .failure(RPC.accessError))
            // Creation goes through the routes only (token, plan, activity).
            let created = try await RPC.callKW(
                api, session: member, model: "woow.hub", "create", [["name": "Sneaky", "type": "haos", "workspace_id": Self.id(smartHome)]])
            #expect(created == .failure(RPC.accessError))
            let tunnelCreated = try await RPC.callKW(
                api, session: member, model: "woow.tunnel", "create", [["name": "Sneaky", "type": "vm"]])
            #expect(tunnelCreated == .failure(RPC.accessError))
            #expect(try await RPC.callKW(api, session: member, model: "woow.hub", "unlink", [[Self.id(hub)]]) == .failure(RPC.accessError))
            // Children are read-only: targets change only through PUT, which validates them.
            let target = try await fixture.scalar("SELECT id FROM woow_proxy_target WHERE hub_id = \(hub)", as: Int64.self)
            #expect(
                try await RPC.callKW(api, session: member, model: "woow.proxy.target", "write", [[Self.id(target)], ["port": 0]])
                    == .failure(RPC.accessError))
            #expect(
                try await RPC.callKW(
                    api, session: member, model: "woow.proxy.target", "create",
                    [["hub_id": Self.id(hub), "host": "x", "port": 1, "protocol": "tcp"]]) == .failure(RPC.accessError))
            #expect(
                try await RPC.callKW(api, session: member, model: "woow.backup", "write", [[Self.id(1)], ["status": "completed"]])
                    == .failure(RPC.accessError))
            // Another team's hub is invisible.
            #expect(
                try await RPC.callKW(api, session: member, model: "woow.hub", "read", [[Self.id(rivalHub)], ["name"]]) == .failure(RPC.accessError))
            #expect(
                try await RPC.callKW(api, session: member, model: "woow.hub", "write", [[Self.id(rivalHub)], ["name": "Mine"]])
                    == .failure(RPC.accessError))
            let visible = try await RPC.callKW(api, session: member, model: "woow.hub", "search_count", [[]]).get()
            #expect(visible == 1)

            // The guest reads but renames nothing.
            let guest = try await api.login("guest")
            #expect(try await RPC.callKW(api, session: guest, model: "woow.hub", "read", [[Self.id(hub)], ["name"]]).get()[0]?["name"] == "Den")
            #expect(
                try await RPC.callKW(api, session: guest, model: "woow.hub", "write", [[Self.id(hub)], ["name": "Guest"]])
                    == .failure(RPC.accessError))
            #expect(
                try await RPC.callKW(api, session: guest, model: "woow.tunnel", "write", [[Self.id(tunnel)], ["name": "Guest"]])
                    == .failure(RPC.accessError))
            // The rival sees its own hub only.
            let rival = try await api.login("rival")
            #expect(try await RPC.callKW(api, session: rival, model: "woow.hub", "search_count", [[]]).get() == 1)
            #expect(try await RPC.callKW(api, session: rival, model: "woow.api.token", "search_count", [[]]).get() == 0)
            #expect(try await RPC.callKW(api, session: rival, model: "woow.backup", "search_count", [[]]).get() == 0)
            #expect(try await fixture.scalar("SELECT name FROM woow_hub WHERE id = \(hub)", as: String.self) == "Den")
            #expect(try await fixture.scalar("SELECT name FROM woow_hub WHERE id = \(rivalHub)", as: String.self) == "Rival Hub")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_hub", as: Int.self) == 2)
        }
    }
}
