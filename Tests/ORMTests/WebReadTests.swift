import JSONRPC
import ORM
import Testing

@Suite("ORM web_read / web_search_read and introspection")
struct WebReadTests {
    @Test func specificationShapesNestedRecords() async throws {
        let db = try await ORMTestDatabase.make("webread")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let company = try await partners.create([
                ["name": "Azure", "is_company": true, "child_ids": [[0, 0, ["name": "Ann"]], [0, 0, ["name": "Bob"]]]],
            ])
            let kids = try await partners.search(.leaf("parent_id", .equal, .number(JSONNumber(company.ids[0]))), order: "name")
            let rows = try await kids.webRead([
                "name": [:], "parent_id": ["fields": ["display_name": [:], "is_company": [:]]],
            ])
            #expect(rows[0]["name"] == "Ann")
            #expect(rows[0]["parent_id"] == ["id": .number(JSONNumber(company.ids[0])), "display_name": "Azure", "is_company": true])
            let plain = try await kids.webRead(["parent_id": [:]])
            #expect(plain[0]["parent_id"] == .number(JSONNumber(company.ids[0])))
            let withChildren = try await company.webRead(["child_ids": ["fields": ["name": [:]], "limit": 1]])
            #expect(withChildren[0]["child_ids"] == [["id": .number(JSONNumber(kids.ids[0])), "name": "Ann"]])

            _ = try await partners.create((0..<5).map { ["name": .string("Extra \($0)")] })
            let page = try await partners.webSearchRead(.all, specification: ["name": [:]], offset: 0, limit: 2, order: "name")
            #expect(page["length"] == 9)  // with the company's contact
            #expect(page["records"]?.arrayValue?.count == 2)
            let all = try await partners.webSearchRead(.leaf("is_company", .equal, true), specification: ["name": [:]])
            #expect(all["length"] == 2)
        }
        await db.close()
    }

    @Test func introspectionTablesMirrorTheRegistry() async throws {
        let db = try await ORMTestDatabase.make("introspection")
        try await db.client.withTransaction { try await db.registry.synchronizeIntrospection(on: $0) }
        try await db.client.withConnection { try await db.registry.verifySchema(on: $0) }
        let user = try await db.makeUser("reader")
        try await db.run(uid: user) { env in
            let models = try env.model("ir.model")
            let found = try await models.search(.leaf("model", .equal, "res.partner"))
            #expect(found.ids.count == 1)
            let fields = try env.model("ir.model.fields")
            let parent = try await fields.search(.leaf("model", .equal, "res.partner") && .leaf("name", .equal, "parent_id"))
            let row = try await parent.read(fields: ["ttype", "relation", "model_id"])[0]
            #expect(row["ttype"] == "many2one")
            #expect(row["relation"] == "res.partner")
            #expect(try await models.search(.leaf("model", .equal, "no.such.model")).ids.isEmpty)
        }
        let denied = await db.failure(uid: user) { env in _ = try await env.model("ir.model").create([["model": "x", "name": "x"]]) }
        #expect(denied?.kind == .accessError)
        await db.close()
    }
}
