import JSONRPC
import ORM
import Testing

/// A model with dates and amounts for grouping.
enum ExpenseModule {
    static let setupSQL = """
        CREATE TABLE expense (id bigserial PRIMARY KEY, name varchar NOT NULL, amount numeric(12,2),
            date date, partner_id bigint REFERENCES res_partner(id), paid boolean,
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        """

    static func registry() throws -> ModelRegistry {
        var builder = RegistryBuilder()
        BaseModule.register(into: &builder)
        builder.register(
            ModelDefinition(
                name: "expense", description: "Expense",
                fields: [
                    .char("name", required: true), .monetary("amount"), .date("date"), .many2one("partner_id", "res.partner"),
                    .boolean("paid"),
                ]))
        return try builder.build()
    }
}

@Suite("ORM read_group")
struct ReadGroupTests {
    func seeded(_ label: String) async throws -> ORMTestDatabase {
        let db = try await ORMTestDatabase.make(label, registry: try ExpenseModule.registry(), setupSQL: ExpenseModule.setupSQL)
        try await db.run(sudo: true) { env in
            let azure = try await env.model("res.partner").create([["name": "Azure"]]).ids[0]
            let rows: [(String, String, String, Int64?)] = [
                ("a", "10.50", "2024-01-05", azure), ("b", "20.25", "2024-01-20", azure), ("c", "5.00", "2024-02-11", nil),
                ("d", "1.00", "2024-05-30", azure),
            ]
            _ = try await env.model("expense").create(
                rows.map { row in
                    [
                        "name": .string(row.0), "amount": .number(JSONNumber(literal: row.1)!), "date": .string(row.2),
                        "partner_id": row.3.map { .number(JSONNumber($0)) } ?? false,
                    ]
                })
        }
        return db
    }

    @Test func groupsByMonthWithExactSums() async throws {
        let db = try await seeded("group_month")
        let groups = try await db.run(sudo: true) { env in
            try await env.model("expense").readGroup(.all, fields: ["amount:sum"], groupBy: ["date:month"])
        }
        #expect(groups.map { $0["date:month"] } == ["January 2024", "February 2024", "May 2024"])
        #expect(groups[0]["amount"] == .number(JSONNumber(literal: "30.75")!))
        #expect(groups[0]["date_count"] == 2)
        #expect(groups[0]["__range"] == ["date:month": ["from": "2024-01-01", "to": "2024-02-01"]])
        #expect(groups[0]["__domain"] == ["&", ["date", ">=", "2024-01-01"], ["date", "<", "2024-02-01"]])
        let quarters = try await db.run(sudo: true) { env in
            try await env.model("expense").readGroup(.all, fields: [], groupBy: ["date:quarter"], lazy: false)
        }
        #expect(quarters.map { $0["date:quarter"] } == ["Q1 2024", "Q2 2024"])
        #expect(quarters.map { $0["__count"] } == [3, 1])
        await db.close()
    }

    @Test func groupsByMany2oneAndNestedGroupBys() async throws {
        let db = try await seeded("group_m2o")
        let groups = try await db.run(sudo: true) { env in
            try await env.model("expense").readGroup(
                .all, fields: ["total:sum(amount)", "n:count(id)"], groupBy: ["partner_id", "date:year"])
        }
        #expect(groups.count == 2)
        let azure = groups.first { $0["partner_id"] != false }!
        #expect(azure["partner_id"]?.arrayValue?[1] == "Azure")
        #expect(azure["total"] == .number(JSONNumber(literal: "31.75")!))
        #expect(azure["partner_id_count"] == 3)
        #expect(azure["__context"] == ["group_by": ["date:year"]])
        let none = groups.first { $0["partner_id"] == false }!
        #expect(none["__domain"] == [["partner_id", "=", false]])
        // The group's __domain selects exactly the group's records.
        let count = try await db.run(sudo: true) { env in
            try await env.model("expense").searchCount(try Domain(json: azure["__domain"]!))
        }
        #expect(count == 3)
        await db.close()
    }

    @Test func badSpecificationsAreValueErrors() async throws {
        let db = try await seeded("group_errors")
        for (fields, groupBy) in [([String](), ["nope"]), ([], ["name:month"]), (["amount:median"], ["name"])] {
            let failed: Bool
            do {
                try await db.run(sudo: true) { env in
                    _ = try await env.model("expense").readGroup(.all, fields: fields, groupBy: groupBy)
                }
                failed = false
            } catch let error as ORMError {
                failed = error.kind == .valueError
            }
            #expect(failed, "read_group(\(fields), \(groupBy)) should be a ValueError")
        }
        await db.close()
    }
}
