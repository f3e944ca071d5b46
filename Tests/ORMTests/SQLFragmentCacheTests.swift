import JSONRPC
import ORM
import Testing

/// The SELECT and ORDER BY texts are built once per shape and then copied: requests of different
/// shapes, one after another in one registry, must each get their own text.
@Suite("ORM: statement parts reused across requests of the same shape")
struct SQLFragmentCacheTests {
    @Test func eachShapeGetsItsOwnText() async throws {
        let db = try await ORMTestDatabase.make("fragments")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let company = try await partners.create([["name": "Acme", "is_company": true]])
            _ = try await partners.create([
                ["name": "Bea", "parent_id": .number(JSONNumber(company.ids[0]))], ["name": "Al"],
            ])
            for _ in 0..<2 {
                let named = try await partners.searchRead(.leaf("name", .notEqual, "WoowTech"), fields: ["name", "parent_id"], order: "name")
                #expect(named.map { $0["name"] } == ["Acme", "Al", "Bea"])
                #expect(named[2]["parent_id"] == [.number(JSONNumber(company.ids[0])), "Acme"])
                // Same fields, other load: no name join, the bare id.
                let bare = try await partners.searchRead(.all, fields: ["name", "parent_id"], order: "name", load: "_classic_write")
                #expect(bare[2]["parent_id"] == .number(JSONNumber(company.ids[0])))
                // Same fields, other order; fields in another order.
                let reversed = try await partners.searchRead(.leaf("name", .notEqual, "WoowTech"), fields: ["parent_id", "name"], order: "name desc")
                #expect(reversed.map { $0["name"] } == ["Bea", "Al", "Acme"])
                #expect(reversed[0].keys == ["id", "parent_id", "name"])
                // read() selects by ids with the same columns: its own text too.
                let read = try await partners.browse(company.ids).read(fields: ["name", "parent_id"])
                #expect(read.first?["parent_id"] == false)
                // An invalid order is refused every time, never remembered as valid.
                await #expect(throws: ORMError.self) { _ = try await partners.searchRead(.all, fields: ["name"], order: "nope") }
            }
        }
        await db.close()
    }
}
