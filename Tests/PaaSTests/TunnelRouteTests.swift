import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport
import WoowCrypto

/// `/workspaces/{id}/tunnels…`: list, create (plan limit), detail, update, regenerate-token over
/// both transports; the token is shown once, stored hashed, masked everywhere else.
@Suite("PaaS: tunnels")
struct TunnelRouteTests {
    @Test(arguments: Transport.allCases) func createShowUpdateAndRegenerate(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("tunnels-life")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let member = try await api.login("member")
            let path = "/workspaces/\(staging)/tunnels"
            #expect(try await api.call(.get, path, session: member, via: via).expectSuccess() == ["items": [], "total": 0, "page": 1, "per_page": 20])

            let created = try await api.call(
                .post, path,
                ["name": "Build Box", "type": "podman",
                 "proxy_targets": [["host": "localhost", "port": 3000, "path": "/app", "protocol": "http"]]],
                session: member, via: via
            ).expectSuccess(.created)
            let id = try #require(created["id"]?.int64Value)
            #expect(created["message"] == "Tunnel created successfully")
            #expect(created["public_url"] == .string("https://build-box-tunnel-\(id).woow.app"))
            let token = try #require(created["tunnel_token"]?.stringValue)
            #expect(TokenChecks.isFullToken(created["tunnel_token"]))
            #expect(try await fixture.scalar("SELECT token_hash FROM woow_tunnel WHERE id = \(id)", as: String.self) == Digest.sha256(token).hexString)
            #expect(try await fixture.lastActivity() == "created tunnel:Build Box")

            let listed = try await api.call(.get, path, session: member, via: via).expectSuccess()
            #expect(listed["total"] == 1)
            #expect(listed["items"]?[0]?["tunnel_token"] == TokenChecks.masked(token))
            #expect(listed["items"]?[0]?["type"] == "podman")
            let detail = try await api.call(.get, "\(path)/\(id)", session: member, via: via).expectSuccess()
            #expect(detail["tunnel_token"] == TokenChecks.masked(token))
            #expect(detail["status"] == "offline")
            #expect(detail["proxy_targets"] == [["host": "localhost", "port": 3000, "path": "/app", "protocol": "http"]])
            #expect(detail["volumes"] == [])
            #expect(detail["api_tokens"] == [])
            #expect(String(decoding: detail.serialized(), as: UTF8.self).contains(token) == false)

            let updated = try await api.call(
                .put, "\(path)/\(id)", ["proxy_targets": [["host": "10.1.2.3", "port": 5432, "protocol": "tcp"]]],
                session: member, via: via
            ).expectSuccess()
            #expect(updated["message"] == "Tunnel updated successfully")
            #expect(updated["proxy_targets"] == [["host": "10.1.2.3", "port": 5432, "path": "/", "protocol": "tcp"]])
            #expect(try await fixture.lastActivity() == "updated tunnel:Build Box")

            // Regenerating: a new full token once; the old one no longer matches anything.
            try await fixture.app.client.query("UPDATE woow_tunnel SET status = 'online' WHERE id = \(id)")
            let regenerated = try await api.call(.post, "\(path)/\(id)/regenerate-token", session: member, via: via).expectSuccess()
            #expect(regenerated["message"] == "Token regenerated successfully")
            let fresh = try #require(regenerated["tunnel_token"]?.stringValue)
            #expect(TokenChecks.isFullToken(regenerated["tunnel_token"]))
            #expect(fresh != token)
            let old = Digest.sha256(token).hexString
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_tunnel WHERE token_hash = \(old)", as: Int.self) == 0)
            let new = Digest.sha256(fresh).hexString
            #expect(try await fixture.scalar("SELECT id FROM woow_tunnel WHERE token_hash = \(new)", as: Int64.self) == id)
            #expect(try await fixture.scalar("SELECT status FROM woow_tunnel WHERE id = \(id)", as: String.self) == "offline")
            let after = try await api.call(.get, "\(path)/\(id)", session: member, via: via).expectSuccess()
            #expect(after["tunnel_token"] == TokenChecks.masked(fresh))
            #expect(try await fixture.lastActivity() == "regenerated tunnel token:Build Box")
        }
    }

    @Test(arguments: Transport.allCases) func thePlanLimitsSecureTunnelsLikeTheDashboardCountsThem(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("tunnels-plan")
        let staging = try await fixture.workspace("Staging")
        let team = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        try await fixture.app.client.query("UPDATE woow_team SET plan = 'free' WHERE id = \(team)")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            // The free plan allows one tunnel; the demo's NAS tunnel takes it. Hubs do not count.
            let stats = try await api.call(.get, "/dashboard/stats", session: admin, via: via).expectSuccess()
            #expect(stats["workspace"]?["secure_tunnels"] == ["used": 1, "limit": 1])
            let refused = try await api.call(.post, "/workspaces/\(staging)/tunnels", ["name": "Extra", "type": "vm"], session: admin, via: via)
            refused.expect(code: "WORKSPACE_LIMIT_REACHED", status: .unprocessableContent)
            try await api.call(.post, "/workspaces/\(staging)/hubs", ["name": "Extra hub", "type": "haos"], session: admin, via: via)
                .expectSuccess(.created)
            try await fixture.app.client.query("UPDATE woow_team SET plan = 'pro' WHERE id = \(team)")
            try await api.call(.post, "/workspaces/\(staging)/tunnels", ["name": "Extra", "type": "vm"], session: admin, via: via)
                .expectSuccess(.created)
            let now = try await api.call(.get, "/dashboard/stats", session: admin, via: via).expectSuccess()
            #expect(now["workspace"]?["secure_tunnels"] == ["used": 2, "limit": 10])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_tunnel WHERE name = 'Extra'", as: Int.self) == 1)
        }
    }

    @Test(arguments: Transport.allCases) func guestsReadOnlyAndOtherTeamsSeeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("tunnels-roles")
        let smartHome = try await fixture.workspace("Smart Home")
        let tunnel = try await fixture.tunnelID("NAS Tunnel")
        let hashBefore = try await fixture.scalar("SELECT token_hash FROM woow_tunnel WHERE id = \(tunnel)", as: String.self)
        try await fixture.test { api in
            let guest = try await api.login("guest")
            let path = "/workspaces/\(smartHome)/tunnels"
            let list = try await api.call(.get, path, session: guest, via: via).expectSuccess()
            #expect(list["items"]?.arrayValue?.map { $0["name"] } == ["NAS Tunnel"])
            let detail = try await api.call(.get, "\(path)/\(tunnel)", session: guest, via: via).expectSuccess()
            #expect(detail["proxy_targets"]?.arrayValue?.count == 2)
            try await api.call(.post, path, ["name": "Mine", "type": "docker"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.put, "\(path)/\(tunnel)", ["proxy_targets": []], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.post, "\(path)/\(tunnel)/regenerate-token", session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)

            let rival = try await api.login("rival")
            for (method, target) in [
                (HTTPRequest.Method.get, path), (.post, path), (.get, "\(path)/\(tunnel)"), (.put, "\(path)/\(tunnel)"),
                (.post, "\(path)/\(tunnel)/regenerate-token"),
            ] {
                let params: JSONValue = method == .post && target == path ? ["name": "Spy", "type": "vm"] : [:]
                try await api.call(method, target, params, session: rival, via: via).expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
                try await api.call(method, target, params, session: nil, via: via).expectSessionExpired()
            }
            let admin = try await api.login("admin")
            let staging = try await fixture.workspace("Staging")
            try await api.call(.post, "/workspaces/\(staging)/tunnels/\(tunnel)/regenerate-token", session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, path, ["name": "X", "type": "lxc"], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.post, "\(path)/\(tunnel)/regenerate-token", ["token": "mine"], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(try await fixture.scalar("SELECT token_hash FROM woow_tunnel WHERE id = \(tunnel)", as: String.self) == hashBefore)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_proxy_target WHERE tunnel_id = \(tunnel)", as: Int.self) == 2)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_tunnel", as: Int.self) == 1)
        }
    }
}
