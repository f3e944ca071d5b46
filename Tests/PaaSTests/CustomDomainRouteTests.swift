import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport

/// `PUT/GET/DELETE /workspaces/{id}/apps/{app_id}/domain` over both transports, and the host-name rules.
@Suite("PaaS: custom domains")
struct CustomDomainRouteTests {
    @Test func hostnameRules() {
        let good = ["app.example.com": "app.example.com", "Shop.Example.COM": "shop.example.com", "a-b.c1.io": "a-b.c1.io",
                    "xn--bcher-kva.example": "xn--bcher-kva.example"]
        for (input, expected) in good {
            #expect((try? Hostname.validate(input, platformDomain: "woow.app").get()) == expected, "\(input)")
        }
        let bad = [
            "localhost", "example.", ".example.com", "a..example.com", "-app.example.com", "app-.example.com", "1.2.3.4",
            "[::1]", "under_score.example.com", "app.example.com:8080", "https://app.example.com", "woow.app", "x.woow.app",
            "a.b.WOOW.APP", String(repeating: "a", count: 64) + ".example.com",
            Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".") + ".com",
            "exa mple.com", "ümlaut.example.com",
        ]
        for input in bad {
            #expect((try? Hostname.validate(input, platformDomain: "woow.app").get()) == nil, "\(input)")
        }
    }

    @Test(arguments: Transport.allCases) func putGetDeleteWithAStableVerificationRecord(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-domain")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/domain"
            try await api.call(.get, path, session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)

            let saved = try await api.call(.put, path, ["domain": "ERP.Example.com", "ssl_enabled": true], session: admin, via: via)
                .expectSuccess()
            #expect(saved.objectValue?.keys.sorted() == ["domain", "message", "ssl_status", "status", "verification_record"])
            #expect(saved["domain"] == "erp.example.com")
            #expect(saved["status"] == "pending")
            #expect(saved["ssl_status"] == "pending")
            #expect(saved["message"] == "Domain configuration saved")
            let record = try #require(saved["verification_record"]?.stringValue)
            #expect(record.hasPrefix(#"_woow-challenge.erp.example.com TXT "woow-verify="#))
            #expect(record.hasSuffix("\""))
            #expect(record.count == #"_woow-challenge.erp.example.com TXT "woow-verify=""#.count + 32)

            let read = try await api.call(.get, path, session: admin, via: via).expectSuccess()
            #expect(read == ["domain": "erp.example.com", "verification_record": .string(record), "ssl_status": "pending", "status": "pending"])
            // The same domain again keeps its token; another domain gets a new one.
            let same = try await api.call(.put, path, ["domain": "erp.example.com", "ssl_enabled": false], session: admin, via: via).expectSuccess()
            #expect(same["verification_record"]?.stringValue == record)
            #expect(try await fixture.scalar("SELECT domain_ssl_enabled FROM woow_cloud_app WHERE id = \(erp)", as: Bool.self) == false)
            let other = try await api.call(.put, path, ["domain": "crm.example.com"], session: admin, via: via).expectSuccess()
            #expect(other["verification_record"]?.stringValue?.hasPrefix("_woow-challenge.crm.example.com") == true)
            #expect(other["verification_record"]?.stringValue?.hasSuffix(String(record.suffix(33))) == false)

            // Another app may not take it.
            let database = try await fixture.appID("ERP Database")
            let taken = try await api.call(
                .put, "/workspaces/\(production)/apps/\(database)/domain", ["domain": "crm.example.com"], session: admin, via: via)
            taken.expect(code: "CONFLICT", status: .conflict)

            #expect(try await api.call(.delete, path, session: admin, via: via).expectSuccess() == ["message": "Domain removed"])
            try await api.call(.get, path, session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.delete, path, session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            #expect(try await fixture.scalar("SELECT custom_domain IS NULL AND domain_token IS NULL FROM woow_cloud_app WHERE id = \(erp)", as: Bool.self))
            let actions = try await fixture.app.client.query(
                "SELECT action FROM woow_activity WHERE res_id = \(erp) AND res_model = 'woow.cloud.app' ORDER BY id"
            ).rows.map { try $0.decode(String.self, at: 0) }
            #expect(actions == ["configured domain", "configured domain", "configured domain", "removed domain"])
        }
    }

    @Test(arguments: Transport.allCases) func refusalsChangeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("app-domain-bad")
        let production = try await fixture.workspace("Production")
        let smartHome = try await fixture.workspace("Smart Home")
        let erp = try await fixture.appID("Company ERP")
        let hub = try await fixture.appID("Home Hub")
        let rival = try await fixture.rivalSnapshot()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/domain"
            for domain in ["localhost", "1.2.3.4", "-x.example.com", "shop.woow.app", "a_b.example.com"] {
                let answer = try await api.call(.put, path, ["domain": .string(domain)], session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?[0]?["field"] == "domain", "\(domain)")
            }
            let badSSL = try await api.call(.put, path, ["domain": "ok.example.com", "ssl_enabled": "maybe"], session: admin, via: via)
            #expect(badSSL.envelope?["details"] == [["field": "ssl_enabled", "message": "must be true or false"]])
            try await api.call(.put, path, [:], session: admin, via: via).expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.put, path, ["domain": "ok.example.com", "status": "active"], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.put, path, ["domain": "ok.example.com"], session: nil, via: via).expectSessionExpired()
            try await api.call(.get, path, session: nil, via: via).expectSessionExpired()
            try await api.call(.delete, path, session: nil, via: via).expectSessionExpired()

            // The guest may read Home Hub's domain but not change it.
            let hubPath = "/workspaces/\(smartHome)/apps/\(hub)/domain"
            try await api.call(.put, hubPath, ["domain": "hub.example.com"], session: admin, via: via).expectSuccess()
            let guest = try await api.login("guest")
            #expect(try await api.call(.get, hubPath, session: guest, via: via).expectSuccess()["domain"] == "hub.example.com")
            try await api.call(.put, hubPath, ["domain": "mine.example.com"], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.delete, hubPath, session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            #expect(try await fixture.scalar("SELECT custom_domain FROM woow_cloud_app WHERE id = \(hub)", as: String.self) == "hub.example.com")

            for target in [
                "/workspaces/\(production)/apps/\(fixture.rivalApp)/domain",
                "/workspaces/\(fixture.rivalWorkspace)/apps/\(fixture.rivalApp)/domain",
            ] {
                for method in [HTTPRequest.Method.put, .get, .delete] {
                    let params: JSONValue = method == .put ? ["domain": "stolen.example.com"] : [:]
                    let answer = try await api.call(method, target, params, session: admin, via: via)
                    #expect(answer.code == "NOT_FOUND" || answer.code == "WORKSPACE_NOT_FOUND", "\(answer.text)")
                    #expect(answer.status == (via == .rest ? .notFound : .ok))
                    #expect(!answer.text.contains("Rival"))
                }
            }
            #expect(try await fixture.scalar("SELECT custom_domain IS NULL FROM woow_cloud_app WHERE id = \(erp)", as: Bool.self))
            #expect(try await fixture.rivalSnapshot() == rival)
        }
    }
}
