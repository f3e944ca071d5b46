import PostgresDriver
import Testing
import TestSupport

/// `BEGIN` is sent in one libpq pipeline with a transaction's first statement; these tests show the
/// statement still runs inside the transaction, failures surface as before, and the connection is
/// clean afterwards.
@Suite("Driver: BEGIN pipelined with the first statement")
struct PipelinedBeginTests {
    let client: PostgresClient

    init() async throws {
        client = try await TestPostgres.shared.makeDatabase("pipeline").makeClient()
        try await client.query("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)")
    }

    @Test func theFirstStatementRunsInsideTheTransaction() async throws {
        let (isolation, inTransaction) = try await client.withTransaction(isolation: .serializable) { db in
            let row = try await db.query(
                "SELECT current_setting('transaction_isolation'), now() = statement_timestamp()")[0]
            // now() is the transaction's start; it differs from the statement's own timestamp only
            // when a transaction began before it — so check with a second statement too.
            _ = try row.decode(Bool.self, at: 1)
            let second = try await db.query("SELECT now() = statement_timestamp()")[0].decode(Bool.self, at: 0)
            return (try row.decode(String.self, at: 0), !second)
        }
        #expect(isolation == "serializable")
        #expect(inTransaction)
    }

    @Test func aFailingFirstStatementRollsBackAndLeavesTheConnectionUsable() async throws {
        await #expect(throws: PostgresError.self) {
            try await client.withTransaction { db in
                try await db.query("INSERT INTO notes (body) VALUES (\(nil as String?))")
            }
        }
        // The same pool connection (the pool has idle ones) answers normally afterwards, in and out
        // of transactions, with prepared statements cached during the pipeline.
        for round in 0..<3 {
            let count = try await client.withTransaction { db in
                try await db.query("INSERT INTO notes (body) VALUES (\("round \(round)"))")
                return try await db.query("SELECT count(*) FROM notes")[0].decode(Int.self, at: 0)
            }
            #expect(count == round + 1)
        }
        let syntax = await #expect(throws: PostgresError.self) {
            try await client.withTransaction { db in try await db.query("SELEC 1") }
        }
        #expect(syntax?.sqlState == .syntaxError)
        #expect(try await client.query("SELECT 5")[0].decode(Int.self, at: 0) == 5)
    }

    @Test func aTransactionWithoutStatementsSendsNothing() async throws {
        let value = try await client.withTransaction { _ in 42 }
        #expect(value == 42)
        // A script as the first command still runs inside the transaction.
        try await client.withTransaction { db in
            try await db.execute(script: "SAVEPOINT s1; RELEASE SAVEPOINT s1")
            try await db.query("INSERT INTO notes (body) VALUES ('after script')")
        }
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'after script'")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func aRolledBackPipelinedTransactionLeavesNoRow() async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await client.withTransaction { db in
                try await db.query("INSERT INTO notes (body) VALUES ('never')")
                throw Boom()
            }
        }
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'never'")[0].decode(Int.self, at: 0) == 0)
    }
}
