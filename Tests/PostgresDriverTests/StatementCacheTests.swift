import Logging
import PostgresDriver
import Testing
import TestSupport

@Suite("Driver: the prepared-statement cache")
struct StatementCacheTests {
    /// A full cache is emptied, so statements first seen later are prepared too, and none is lost.
    @Test func aFullCacheIsEmptiedAndRefilled() async throws {
        let database = try await TestPostgres.shared.makeDatabase("stmtcache")
        var configuration = database.configuration(maximumConnections: 1)
        configuration.statementCacheSize = 3
        let client = PostgresClient(configuration: configuration, logger: Logger(label: "test"))
        try await client.withConnection { (db: PostgresConnection) async throws -> Void in
            func prepared() async throws -> [String] {
                try await db.query("SELECT statement FROM pg_prepared_statements ORDER BY statement").rows
                    .map { try $0.decode(String.self, at: 0) }
            }
            func sum(_ n: Int) async throws -> Int {
                try await db.query(PostgresQuery(unsafeSQL: "SELECT \(n)::int + \(n)"))[0].decode(Int.self, at: 0)
            }
            for n in 1...3 { #expect(try await sum(n) == 2 * n) }
            // Three statements cached; the listing is the fourth: the cache was emptied for it.
            let listing = "SELECT statement FROM pg_prepared_statements ORDER BY statement"
            #expect(try await prepared() == [listing])
            #expect(try await sum(1) == 2)  // forgotten, prepared again
            #expect(try await prepared() == ["SELECT 1::int + 1", listing])
        }
        await client.close()
    }
}
