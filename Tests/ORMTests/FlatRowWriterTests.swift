import JSONRPC
import ORM
import Testing

/// A model with a stored field of every column type, for the search_read fast path.
enum SampleModule {
    static let setupSQL = """
        CREATE TABLE x_sample (id bigserial PRIMARY KEY, name varchar NOT NULL, notes text, body text, count bigint,
            ratio double precision, amount numeric(14,2), flag boolean, kind varchar, day date, moment timestamp,
            partner_id bigint REFERENCES res_partner(id), data jsonb, blob bytea, secret varchar,
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        """

    static func registry() throws -> ModelRegistry {
        try ORMTestDatabase.registry(
            adding: ModelDefinition(
                name: "x.sample", description: "Sample",
                fields: [
                    .char("name", required: true), .text("notes"), FieldDefinition(name: "body", type: .html),
                    .integer("count"), .float("ratio"), .monetary("amount"), .boolean("flag"),
                    .selection("kind", [SelectionOption("a", "A"), SelectionOption("b", "B")]),
                    .date("day"), .datetime("moment"), .many2one("partner_id", "res.partner"),
                    .json("data"), .binary("blob"),
                    .password("secret", groups: [BaseModule.Group.system]),
                ]))
    }
}

@Suite("ORM search_read written straight to JSON")
struct FlatRowWriterTests {
    static let flatFields = [
        "name", "notes", "body", "count", "ratio", "amount", "flag", "kind", "day", "moment", "partner_id", "data", "blob",
        "secret", "display_name", "create_uid", "write_date",
    ]

    @Test func theBytesAreWhatSerialisingTheObjectsGives() async throws {
        let db = try await ORMTestDatabase.make("flatwriter", registry: try SampleModule.registry(), setupSQL: SampleModule.setupSQL)
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let company = try await partners.create([["name": "Acme \"Quoted\" \\ Co", "is_company": true]])
            let person = try await partners.create([["name": "Zoë\tTab", "parent_id": .number(JSONNumber(company.ids[0]))]])
            let samples = try env.model("x.sample")
            _ = try await samples.create([
                [
                    "name": "full \"one\"\n\u{1}", "notes": "line 1\nline 2 — ✓", "body": "<p>x</p>", "count": -42,
                    "ratio": 2.5, "amount": 10.5, "flag": true, "kind": "b", "day": "2026-12-02",
                    "moment": "2026-12-02 10:15:04", "partner_id": .number(JSONNumber(person.ids[0])),
                    "data": ["k": [1, "two", nil]], "blob": "aGVsbG8=", "secret": "a-long-password",
                ],
                ["name": "empty"],
                ["name": "zero", "count": 0, "ratio": 0, "amount": 0, "flag": false, "partner_id": .number(JSONNumber(company.ids[0]))],
                ["name": "big", "count": 2_147_483_647, "ratio": 1e20, "amount": 12345678.9],
            ])
            // int8 values of 19 digits (beyond the writer's short path) and negative ones.
            _ = try await env.transaction.query("UPDATE x_sample SET count = 9223372036854775807 WHERE name = 'big'")
            _ = try await env.transaction.query("UPDATE x_sample SET count = -9223372036854775808 WHERE name = 'zero'")
            for load in ["_classic_read", "_classic_write"] {
                for names in [Self.flatFields, ["name"], ["partner_id"]] {
                    let json = try await samples.searchReadJSON(.all, fields: names, order: "name", load: load)
                    guard case .encoded(let encoded) = json else {
                        Issue.record("a flat search_read should be written straight to bytes")
                        continue
                    }
                    let objects = try await samples.searchRead(.all, fields: names, order: "name", load: load)
                    let twoStep = try await samples.search(.all, order: "name").read(fields: names, load: load)
                    #expect(objects == twoStep)
                    // Byte for byte what the tree serialises to, and it reads back as the same tree.
                    #expect(String(decoding: encoded.bytes, as: UTF8.self) == JSONValue.array(objects.map(JSONValue.object)).jsonString)
                    #expect(json == .array(twoStep.map(JSONValue.object)))
                    #expect(json.arrayValue?.count == 4)
                }
            }
            let rows = try #require(try await samples.searchReadJSON(.all, fields: Self.flatFields, order: "name").arrayValue)
            let empty = try #require(rows.first { $0["name"] == "empty" })
            for name in ["notes", "body", "flag", "kind", "day", "moment", "partner_id", "data", "blob"] {
                #expect(empty[name] == false, "empty \(name)")
            }
            #expect(empty["count"] == 0 && empty["secret"] == "")
            #expect(empty["ratio"] == .number(JSONNumber(literal: "0.0")!))
            #expect(rows.first { $0["name"] == "big" }?["count"] == .number(JSONNumber(Int64.max)))
            #expect(rows.first { $0["name"] == "zero" }?["count"] == .number(JSONNumber(Int64.min)))
            let full = try #require(rows.first { $0["count"] == -42 })
            #expect(full["name"] == "full \"one\"\n\u{1}")
            #expect(full["partner_id"] == [.number(JSONNumber(person.ids[0])), "Acme \"Quoted\" \\ Co, Zoë\tTab"])
            #expect(full["flag"] == true && full["moment"] == "2026-12-02 10:15:04" && full["secret"] == "")
            #expect(full["data"] == ["k": [1, "two", nil]])
            let classic = try await samples.searchReadJSON(.all, fields: ["partner_id"], order: "name", load: "_classic_write")
            #expect(classic.arrayValue?.contains { $0["partner_id"] == .number(JSONNumber(person.ids[0])) } == true)
            // Nothing found: an empty array.
            let none = try await samples.searchReadJSON(try Domain(json: [["name", "=", "nobody"]]), fields: ["name"])
            #expect(none == [])
            if case .encoded(let encoded) = none { #expect(encoded.bytes == Array("[]".utf8)) }
        }
        await db.close()
    }

    @Test func anX2ManyFieldTakesTheAssembledPath() async throws {
        let db = try await ORMTestDatabase.make("flatwriter2", registry: try SampleModule.registry(), setupSQL: SampleModule.setupSQL)
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let parent = try await partners.create([["name": "Parent", "is_company": true]])
            _ = try await partners.create([["name": "Child", "parent_id": .number(JSONNumber(parent.ids[0]))]])
            let json = try await partners.searchReadJSON(.all, fields: ["name", "child_ids"], order: "name")
            guard case .array(let rows) = json else {
                Issue.record("an x2many field is read by its own statement, not written from the row")
                return
            }
            #expect(rows == (try await partners.searchRead(.all, fields: ["name", "child_ids"], order: "name")).map(JSONValue.object))
        }
        await db.close()
    }
}
