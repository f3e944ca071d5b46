import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport
import WoowCrypto

/// `/workspaces/{id}/hubs` and `/workspaces/{id}/hubs/{hub_id}`: list, connect, detail, update
/// over both transports, with token masking, proxy-target validation, roles and tenant isolation.
@Suite("PaaS: hubs")
struct HubRouteTests {
    @Test(arguments: Transport.allCases) func connectListShowAndUpdateAHub(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("hubs-life")
        let smartHome = try await fixture.workspace("Smart Home")
        try await fixture.test { api in
            let member = try await api.login("member")
            let path = "/workspaces/\(smartHome)/hubs"

            let before = try await api.call(.get, path, session: member, via: via).expectSuccess()
            #expect(before["total"] == 1)
            let demo = try #require(before["items"]?[0])
            #expect(demo["name"] == "Living Room HAOS")
            #expect(demo["type"] == "haos")
            #expect(demo["status"] == "online")
            #expect(demo["volume_size"] == "32 GB")
            #expect(demo["last_backup"]?.stringValue?.hasSuffix("Z") == true)
            let hint = try await fixture.scalar("SELECT token_hint FROM woow_hub WHERE name = 'Living Room HAOS'", as: String.self)
            #expect(demo["tunnel_token"] == .string("wht_••••••••" + hint))

            let created = try await api.call(
                .post, path,
                ["name": "Garage Hub", "type": "woow-hub-os",
                 "proxy_targets": [["host": "192.168.1.30", "port": 8123, "protocol": "http"]]],
                session: member, via: via
            ).expectSuccess(.created)
            let id = try #require(created["id"]?.int64Value)
            #expect(created["message"] == "Hub created successfully")
            #expect(created["status"] == "offline")
            #expect(created["public_url"] == .string("https://garage-hub-hub-\(id).woow.app"))
            #expect(created["setup_instructions"]?.stringValue?.contains("Woow Connect") == true)
            let token = try #require(created["tunnel_token"]?.stringValue)
            #expect(TokenChecks.isFullToken(created["tunnel_token"]))
            // Stored hashed, with a hint; the plain token is nowhere in the row.
            let row = try await fixture.app.client.query(
                "SELECT token_hash, token_hint, row_to_json(h)::text FROM woow_hub h WHERE id = \(id)")[0]
            #expect(try row.decode(String.self, at: 0) == Digest.sha256(token).hexString)
            #expect(try row.decode(String.self, at: 1) == String(token.suffix(4)))
            #expect(try row.decode(String.self, at: 2).contains(token) == false)
            #expect(try await fixture.lastActivity() == "connected hub:Garage Hub")

            let detail = try await api.call(.get, "\(path)/\(id)", session: member, via: via).expectSuccess()
            #expect(detail["tunnel_token"] == TokenChecks.masked(token))
            #expect(detail["volume_size"] == "16 GB")
            #expect(detail["volumes"]?.arrayValue?.map { $0["mount_path"] } == ["/data"])
            #expect(detail["proxy_targets"] == [["host": "192.168.1.30", "port": 8123, "path": "/", "protocol": "http"]])
            #expect(detail["api_tokens"] == [])
            #expect(detail["backups"] == [])
            #expect(detail["last_backup"] == .null)
            let listed = try await api.call(.get, path, session: member, via: via).expectSuccess()
            #expect(listed["total"] == 2)
            #expect(listed["items"]?[0]?["tunnel_token"] == TokenChecks.masked(token))
            for answer in [detail, listed] {
                #expect(String(decoding: answer.serialized(), as: UTF8.self).contains(token) == false)
            }

            let updated = try await api.call(
                .put, "\(path)/\(id)",
                ["name": "Garage", "proxy_targets": [
                    ["host": "[FD00::10]", "port": 443, "path": "/ui", "protocol": "https"],
                    ["host": "garage.local", "port": 1883, "protocol": "tcp"],
                ]],
                session: member, via: via
            ).expectSuccess()
            #expect(updated["message"] == "Hub updated successfully")
            #expect(updated["name"] == "Garage")
            #expect(updated["proxy_targets"] == [
                ["host": "fd00::10", "port": 443, "path": "/ui", "protocol": "https"],
                ["host": "garage.local", "port": 1883, "path": "/", "protocol": "tcp"],
            ])
            #expect(try await fixture.lastActivity() == "updated hub:Garage")
            // Only the name: the targets stay; an empty list clears them.
            try await api.call(.put, "\(path)/\(id)", ["name": "Garage Hub"], session: member, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_proxy_target WHERE hub_id = \(id)", as: Int.self) == 2)
            try await api.call(.put, "\(path)/\(id)", ["proxy_targets": []], session: member, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_proxy_target WHERE hub_id = \(id)", as: Int.self) == 0)
            #expect(try await fixture.scalar("SELECT name FROM woow_hub WHERE id = \(id)", as: String.self) == "Garage Hub")

            let demoDetail = try await api.call(.get, "\(path)/\(demo["id"]!.int64Value!)", session: member, via: via).expectSuccess()
            #expect(demoDetail["api_tokens"]?[0]?["name"] == "Mobile app")
            #expect(demoDetail["api_tokens"]?[0]?["token"]?.stringValue?.hasPrefix("wha_••••••••") == true)
            #expect(demoDetail["backups"]?[0]?["status"] == "completed")
            #expect(demoDetail["backups"]?[0]?["backup_id"]?.stringValue?.hasPrefix("bk_") == true)
            #expect(demoDetail["volumes"]?.arrayValue?.count == 2)
        }
    }

    @Test(arguments: Transport.allCases) func badInputIsRefusedPerFieldAndChangesNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("hubs-validation")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.hubID("Living Room HAOS")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(smartHome)/hubs"
            func fields(_ answer: APIAnswer) -> [String] {
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                return answer.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue }.sorted() ?? []
            }
            #expect(fields(try await api.call(.post, path, [:], session: admin, via: via)) == ["name", "type"])
            #expect(fields(try await api.call(.post, path, ["name": "X", "type": "hue", "status": "online"], session: admin, via: via)) == ["status", "type"])
            let targets: JSONValue = [
                ["host": "ok.local", "port": 0, "protocol": "http"],
                ["host": "bad host!", "port": 80, "protocol": "http"],
                ["host": "10.0.0.1", "port": 80, "path": "no-slash", "protocol": "http"],
                ["host": "10.0.0.1", "port": 80, "protocol": "ftp"],
                ["host": "10.0.0.1", "port": 80, "protocol": "http", "weight": 3],
                "10.0.0.1:80",
                ["host": "300.1.1.1", "port": "x", "protocol": "http"],
                ["host": "fe80::1::2", "port": 22, "path": "/x", "protocol": "tcp"],
                ["port": 65536, "protocol": "https"],
            ]
            let problems = fields(try await api.call(.put, "\(path)/\(hub)", ["proxy_targets": targets], session: admin, via: via))
            #expect(problems == [
                "proxy_targets[0].port", "proxy_targets[1].host", "proxy_targets[2].path", "proxy_targets[3].protocol",
                "proxy_targets[4].weight", "proxy_targets[5]", "proxy_targets[6].host", "proxy_targets[6].port",
                "proxy_targets[7].host", "proxy_targets[7].path", "proxy_targets[8].host", "proxy_targets[8].port",
            ])
            let tooMany = JSONValue.array(Array(repeating: ["host": "a", "port": 1, "protocol": "tcp"], count: 21))
            #expect(fields(try await api.call(.put, "\(path)/\(hub)", ["proxy_targets": tooMany], session: admin, via: via)) == ["proxy_targets"])
            #expect(fields(try await api.call(.put, "\(path)/\(hub)", ["proxy_targets": "all"], session: admin, via: via)) == ["proxy_targets"])
            #expect(fields(try await api.call(.put, "\(path)/\(hub)", ["name": ""], session: admin, via: via)) == ["name"])
            #expect(fields(try await api.call(.put, "\(path)/\(hub)", ["token_hint": "abcd"], session: admin, via: via)) == ["token_hint"])
            // Nothing changed, and a half-valid list was not half-written.
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_proxy_target WHERE hub_id = \(hub)", as: Int.self) == 1)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_hub", as: Int.self) == 1)
        }
    }

    @Test(arguments: Transport.allCases) func rolesAndTenantsDecideWhoSeesAndChangesHubs(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("hubs-roles")
        let smartHome = try await fixture.workspace("Smart Home")
        let production = try await fixture.workspace("Production")
        let hub = try await fixture.hubID("Living Room HAOS")
        let rivalHub = try await fixture.rivalHub()
        try await fixture.test { api in
            let guest = try await api.login("guest")
            let path = "/workspaces/\(smartHome)/hubs"
            #expect(try await api.call(.get, path, session: guest, via: via).expectSuccess()["total"] == 1)
            #expect(try await api.call(.get, "\(path)/\(hub)", session: guest, via: via).expectSuccess()["name"] == "Living Room HAOS")
            try await api.call(.post, path, ["name": "Mine", "type": "haos"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.put, "\(path)/\(hub)", ["name": "Mine"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)

            // The user does not see Production; nobody of the demo team sees the rival's hub.
            let member = try await api.login("member")
            try await api.call(.get, "/workspaces/\(production)/hubs", session: member, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.post, "/workspaces/\(production)/hubs", ["name": "X", "type": "haos"], session: member, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            let admin = try await api.login("admin")
            try await api.call(.get, "/workspaces/\(production)/hubs/\(hub)", session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.get, "\(path)/\(rivalHub)", session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.get, "/workspaces/\(fixture.rivalWorkspace)/hubs/\(rivalHub)", session: admin, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.put, "/workspaces/\(fixture.rivalWorkspace)/hubs/\(rivalHub)", ["name": "Mine"], session: admin, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.get, "\(path)/abc", session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/workspaces/\(fixture.rivalWorkspace)/hubs", session: rival, via: via).expectSuccess()
            #expect(theirs["items"]?.arrayValue?.map { $0["name"] } == ["Rival Hub"])
            #expect(try await fixture.scalar("SELECT name FROM woow_hub WHERE id = \(rivalHub)", as: String.self) == "Rival Hub")
            #expect(try await fixture.scalar("SELECT name FROM woow_hub WHERE id = \(hub)", as: String.self) == "Living Room HAOS")

            // A workspace with a hub is not deleted underneath it.
            let lab = try await api.call(.post, "/workspaces", ["name": "Lab"], session: admin, via: via).expectSuccess(.created)
            let labID = try #require(lab["id"]?.int64Value)
            try await api.call(.post, "/workspaces/\(labID)/hubs", ["name": "Lab Hub", "type": "haos"], session: admin, via: via)
                .expectSuccess(.created)
            let conflict = try await api.call(.delete, "/workspaces/\(labID)", session: admin, via: via)
            conflict.expect(code: "CONFLICT", status: .conflict)
            #expect(conflict.envelope?["error"] == "Workspace still has 1 hub; remove it first.")

            for (method, target) in [(HTTPRequest.Method.get, path), (.post, path), (.get, "\(path)/\(hub)"), (.put, "\(path)/\(hub)")] {
                try await api.call(method, target, session: nil, via: via).expectSessionExpired()
            }
        }
    }
}
