import JSONRPC
import ORM
import PostgresDriver
import Testing

@Suite("ORM page bounds: LIMIT written out, OFFSET bound, plans reused")
struct PageBoundsTests {
    @Test func limitIsALiteralAndOffsetABind() {
        var writer = SQLWriter()
        writer.append("SELECT id FROM t WHERE a = ")
        writer.bind(7)
        writer.page(limit: 20, offset: 40)
        #expect(writer.sql == "SELECT id FROM t WHERE a = $1 LIMIT 20 OFFSET $2")
        #expect(writer.binds == [7.postgresBind, 40.postgresBind])
        var first = SQLWriter()
        first.page(limit: -5, offset: 0)
        #expect(first.sql == " LIMIT 0" && first.binds.isEmpty)
        var none = SQLWriter()
        none.page(limit: nil, offset: 0)
        #expect(none.sql.isEmpty)
    }

    /// With `LIMIT $n`, PostgreSQL re-planned this statement at every execution (a custom plan each
    /// time); written out, the prepared statement settles on its generic plan.
    @Test func aRepeatedSearchReadReusesItsPlan() async throws {
        let db = try await ORMTestDatabase.make("pagebounds")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            _ = try await partners.create((0..<40).map { ["name": .string("Partner \($0)")] })
            for _ in 0..<12 {
                let page = try await partners.searchReadJSON(.all, fields: ["name", "parent_id"], limit: 20)
                #expect(page.arrayValue?.count == 20)
            }
            let plans = try await env.transaction.query(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%LIMIT 20'")
            #expect(plans.rowCount == 1)
            let generic = try plans[0].decode(Int64.self, at: 0)
            let custom = try plans[0].decode(Int64.self, at: 1)
            #expect(generic >= 6 && custom <= 6, "generic plans \(generic), custom plans \(custom)")
        }
        await db.close()
    }
}
