import PostgresDriver
import Testing
import TestSupport

@Suite("Driver: errors, transactions and retries")
struct ErrorAndTransactionTests {
    let client: PostgresClient

    init() async throws {
        client = try await TestPostgres.shared.makeDatabase("errors").makeClient()
        try await client.query(
            "CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, code text UNIQUE NOT NULL, n int NOT NULL DEFAULT 0)")
    }

    @Test func serverErrorsCarrySQLStateMessageAndDetail() async throws {
        let syntax = await #expect(throws: PostgresError.self) { try await client.query("SELEC 1") }
        #expect(syntax?.code == .server)
        #expect(syntax?.sqlState == .syntaxError)
        #expect(syntax?.message.contains("syntax error") == true)

        try await client.query("INSERT INTO items (code) VALUES ('dup')")
        let unique = await #expect(throws: PostgresError.self) {
            try await client.query("INSERT INTO items (code) VALUES ('dup')")
        }
        #expect(unique?.sqlState == .uniqueViolation)
        #expect(unique?.constraintName == "items_code_key")
        #expect(unique?.detail?.contains("(code)=(dup)") == true)
        // The description never shows SQL or data; the debug description has them.
        #expect(unique?.description.contains("INSERT") == false)
        #expect(unique?.description.contains("dup") == false)
        #expect(unique?.debugDescription.contains("INSERT INTO items") == true)
    }

    @Test func aConnectionIsReusableAfterAnError() async throws {
        let seven = try await client.withConnection { db -> Int in
            await #expect(throws: PostgresError.self) { try await db.query("SELECT 1/0") }
            return try await db.query("SELECT 7")[0].decode(Int.self, at: 0)
        }
        #expect(seven == 7)
    }

    @Test func transactionCommitsOrRollsBack() async throws {
        try await client.withTransaction { db in
            try await db.query("INSERT INTO items (code) VALUES ('committed')")
        }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await client.withTransaction { db in
                try await db.query("INSERT INTO items (code) VALUES ('rolled-back')")
                throw Boom()
            }
        }
        let codes = try await client.query("SELECT code FROM items WHERE code IN ('committed', 'rolled-back')")
        #expect(try codes.rows.map { try $0.decode(String.self, at: 0) } == ["committed"])
    }

    @Test(arguments: ["40001", "40P01"])
    func serializationFailuresAndDeadlocksAreRetried(sqlState: String) async throws {
        let attempts = Counter()
        let value = try await client.withTransaction { db -> Int in
            let attempt = attempts.increment()
            try await db.query("INSERT INTO items (code) VALUES (\("retry-\(sqlState)-\(attempt)"))")
            if attempt < 3 {
                // A real server error with that SQLSTATE, raised inside the transaction.
                try await db.execute(script: "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '\(sqlState)'; END $$")
            }
            return attempt
        }
        #expect(value == 3)
        // Only the successful attempt's row survived; the failed attempts were rolled back.
        let rows = try await client.query("SELECT code FROM items WHERE code LIKE \("retry-\(sqlState)-%")")
        #expect(try rows.rows.map { try $0.decode(String.self, at: 0) } == ["retry-\(sqlState)-3"])
    }

    @Test func retriesStopWithinTheCap() async throws {
        let attempts = Counter()
        let start = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await client.withTransaction { db in
                _ = attempts.increment()
                try await db.execute(script: "DO $$ BEGIN RAISE EXCEPTION 'always' USING ERRCODE = '40001'; END $$")
            }
        }
        #expect(error?.sqlState == .serializationFailure)
        #expect(attempts.value == client.configuration.retry.maximumAttempts)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func realConcurrentUpdatesSerializeWithoutLoss() async throws {
        try await client.query("INSERT INTO items (code, n) VALUES ('counter', 0) ON CONFLICT (code) DO NOTHING")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await client.withTransaction { db in
                        let n = try await db.query("SELECT n FROM items WHERE code = 'counter' FOR UPDATE")[0]
                            .decode(Int.self, at: 0)
                        try await db.query("UPDATE items SET n = \(n + 1) WHERE code = 'counter'")
                    }
                }
            }
            try await group.waitForAll()
        }
        let n = try await client.query("SELECT n FROM items WHERE code = 'counter'")[0].decode(Int.self, at: 0)
        #expect(n == 20)
    }
}

/// A thread-safe counter for closures that may run several times.
final class Counter: Sendable {
    private let storage = Locked(0)
    func increment() -> Int { storage.withLock { $0 += 1; return $0 } }
    var value: Int { storage.value }
}

@Suite("Driver: a commit after a swallowed error")
struct AbortedTransactionTests {
    @Test func isReportedNotPassedOffAsACommit() async throws {
        let client = try await TestPostgres.shared.makeDatabase("aborted").makeClient()
        try await client.query("CREATE TABLE kept (v int)")
        let error = await #expect(throws: PostgresError.self) {
            try await client.withTransaction { db in
                try await db.query("INSERT INTO kept VALUES (1)")
                // A failing statement aborts the transaction, even if the caller swallows the error.
                _ = try? await db.query("SELECT 1/0")
            }
        }
        #expect(error?.sqlState == "25P02")
        #expect(try await client.query("SELECT count(*) FROM kept")[0].decode(Int.self, at: 0) == 0)
        await client.close()
    }
}
