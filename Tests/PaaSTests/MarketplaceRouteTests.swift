import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport

/// `GET /marketplace/apps`: public, the shipped catalogue, category and search filters.
@Suite("PaaS: marketplace")
struct MarketplaceRouteTests {
    @Test(arguments: Transport.allCases) func theCatalogueIsPublicAndFiltered(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("marketplace")
        try await fixture.test { api in
            // No session needed.
            let all = try await api.call(.get, "/marketplace/apps", session: nil, via: via).expectSuccess()
            let items = try #require(all["items"]?.arrayValue)
            #expect(items.count == MarketplaceCatalogue.entries.count)
            #expect(all["total"]?.intValue == items.count)
            let ids = Set(items.compactMap { $0["id"]?.stringValue })
            #expect(ids.isSuperset(of: ["odoo", "n8n", "postgresql", "home-assistant"]))
            for category in PaaSValues.categories {
                #expect(items.contains { $0["categories"]?.arrayValue?.contains(.string(category)) == true }, "\(category)")
            }
            let odoo = try #require(items.first { $0["id"] == "odoo" }?.objectValue)
            #expect(odoo.keys.sorted() == ["categories", "description", "icon_url", "id", "monthly_price", "name", "specs"])
            #expect(odoo["monthly_price"]?.numberValue?.literal == "29.00")
            #expect(odoo["specs"]?["ram"] == "4 GB")

            let databases = try await api.call(.get, "/marketplace/apps", ["category": "database"], session: nil, via: via).expectSuccess()
            let databaseIDs = databases["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(databaseIDs.contains("postgresql"))
            #expect(databases["items"]?.arrayValue?.allSatisfy { $0["categories"]?.arrayValue?.contains("database") == true } == true)

            let search = try await api.call(.get, "/marketplace/apps", ["search": "WORKFLOW"], session: nil, via: via).expectSuccess()
            #expect(search["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["n8n"])
            let nothing = try await api.call(
                .get, "/marketplace/apps", ["category": "ai", "search": "postgres"], session: nil, via: via
            ).expectSuccess()
            #expect(nothing["total"] == 0)

            let bad = try await api.call(.get, "/marketplace/apps", ["category": "games"], session: nil, via: via)
            bad.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(bad.envelope?["details"]?[0]?["field"] == "category")
            // A logged-in caller gets the same catalogue.
            let session = try await api.login("guest")
            let again = try await api.call(.get, "/marketplace/apps", session: session, via: via).expectSuccess()
            #expect(again["total"] == all["total"])
        }
    }

    @Test func aWithdrawnTemplateLeavesTheCatalogueAndApplyingAgainKeepsOperatorTemplates() async throws {
        let fixture = try await PaaSFixture.make("marketplace-apply")
        try await fixture.app.client.query("UPDATE woow_app_template SET active = false WHERE code = 'ghost'")
        try await fixture.app.client.query(
            "INSERT INTO woow_app_template (code, name, monthly_price, categories) VALUES ('custom', 'In-house CRM', 3, '[\"cms\"]')")
        try await fixture.app.client.withConnection { try await MarketplaceCatalogue.apply(on: $0) }
        try await fixture.test { api in
            let all = try await api.call(.get, "/marketplace/apps", session: nil, via: .rest).expectSuccess()
            let ids = all["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(!ids.contains("ghost"))
            #expect(ids.contains("custom"))
            #expect(ids.count == MarketplaceCatalogue.entries.count)
        }
    }
}
