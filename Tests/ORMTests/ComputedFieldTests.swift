import JSONRPC
import ORM
import Testing

/// Order lines with a computed subtotal (stored) and a computed label (not stored).
enum LineModule {
    static let setupSQL = """
        CREATE TABLE order_line (id bigserial PRIMARY KEY, name varchar NOT NULL, quantity integer, price numeric(12,2),
            subtotal numeric(14,2), partner_id bigint REFERENCES res_partner(id),
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        """

    static func registry() throws -> ModelRegistry {
        try ORMTestDatabase.registry(
            adding: ModelDefinition(
                name: "order.line", description: "Order Line",
                fields: [
                    .char("name", required: true), .integer("quantity"), .monetary("price"),
                    .many2one("partner_id", "res.partner"),
                    .related("partner_email", type: .char, path: ["partner_id", "email"]),
                    .computed("subtotal", type: .monetary, store: true, depends: ["quantity", "price"]) { lines in
                        let rows = try await lines.read(fields: ["quantity", "price"])
                        var values: [Int64: JSONValue] = [:]
                        for row in rows {
                            let cents = Int64(row["quantity"]?.intValue ?? 0)
                                * Int64(((row["price"]?.doubleValue ?? 0) * 100).rounded())
                            values[row["id"]!.int64Value!] = .number(JSONNumber(literal: String(format: "%.2f", Double(cents) / 100))!)
                        }
                        return values
                    },
                    .computed("label", type: .char, depends: ["name", "quantity"]) { lines in
                        let rows = try await lines.read(fields: ["name", "quantity"])
                        return Dictionary(uniqueKeysWithValues: rows.map {
                            ($0["id"]!.int64Value!, .string("\($0["quantity"]?.intValue ?? 0) × \($0["name"]?.stringValue ?? "")"))
                        })
                    },
                ]))
    }
}

import Foundation

@Suite("ORM related and computed fields")
struct ComputedFieldTests {
    @Test func storedComputedFieldsFollowTheirDependencies() async throws {
        let db = try await ORMTestDatabase.make("computed", registry: try LineModule.registry(), setupSQL: LineModule.setupSQL)
        try await db.run(sudo: true) { env in
            let lines = try env.model("order.line")
            let line = try await lines.create([["name": "Widget", "quantity": 3, "price": 2.5]])
            var row = try await line.read(fields: ["subtotal", "label"])[0]
            #expect(row["subtotal"] == .number(JSONNumber(literal: "7.50")!))
            #expect(row["label"] == "3 × Widget")
            try await line.write(["quantity": 4])
            row = try await line.read(fields: ["subtotal", "label"])[0]
            #expect(row["subtotal"] == .number(JSONNumber(literal: "10.00")!))
            #expect(row["label"] == "4 × Widget")
            // Stored: searchable like any column.
            #expect(try await lines.search(.leaf("subtotal", .greater, 9)).ids == line.ids)
            // Not stored: not searchable.
            await #expect(throws: ORMError.self) { try await lines.search(.leaf("label", .equal, "x")) }
        }
        await db.close()
    }

    @Test func relatedFieldsReadSearchAndWriteThrough() async throws {
        let db = try await ORMTestDatabase.make("related", registry: try LineModule.registry(), setupSQL: LineModule.setupSQL)
        try await db.run(sudo: true) { env in
            let partner = try await env.model("res.partner").create([["name": "Azure", "email": "azure@x.io"]])
            let lines = try env.model("order.line")
            let line = try await lines.create([["name": "A", "partner_id": .number(JSONNumber(partner.ids[0]))]])
            #expect(try await line.read(fields: ["partner_email"])[0]["partner_email"] == "azure@x.io")
            #expect(try await lines.search(.leaf("partner_email", .ilike, "azure")).ids == line.ids)
            try await line.write(["partner_email": "new@x.io"])
            #expect(try await partner.read(fields: ["email"])[0]["email"] == "new@x.io")

            // res.users: a user created with a name gets its partner, as Odoo's delegation does.
            let users = try env.model("res.users")
            let user = try await users.create([["login": "zoe@x.io", "name": "Zoé", "email": "zoe@x.io", "password": "long-password"]])
            let row = try await user.read(fields: ["name", "email", "partner_id"])[0]
            #expect(row["name"] == "Zoé")
            #expect(row["email"] == "zoe@x.io")
            #expect(row["partner_id"]?.arrayValue?[1] == "Zoé")
            #expect(try await users.search(.leaf("name", .equal, "Zoé")).ids == user.ids)
        }
        await db.close()
    }
}
