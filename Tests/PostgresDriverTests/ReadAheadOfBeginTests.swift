import PostgresDriver
import Testing
import TestSupport

/// In a READ COMMITTED transaction, statements declared read-only (`PostgresConnection.read`) run
/// ahead of the `BEGIN` until the first statement that may write; these tests watch the leased
/// backend from a second connection (`pg_stat_activity.state`) to show where the transaction starts.
@Suite("Driver: reads ahead of a READ COMMITTED transaction's BEGIN")
struct ReadAheadOfBeginTests {
    let client: PostgresClient
    /// A pool of its own, so that watching never leases the connection being watched.
    let observer: PostgresClient

    init() async throws {
        let database = try await TestPostgres.shared.makeDatabase("readahead")
        client = database.makeClient()
        observer = database.makeClient()
        try await client.query("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)")
    }

    /// The backend's state seen from another connection: `idle` or `idle in transaction`.
    func state(of pid: Int) async throws -> String {
        try await observer.query("SELECT state FROM pg_stat_activity WHERE pid = \(pid)")[0].decode(String.self, at: 0)
    }

    @Test func readsRunOutsideUntilTheFirstWrite() async throws {
        let (afterRead, afterWrite, seesOwnWrite) = try await client.withTransaction { db in
            let pid = try await db.read("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
            let afterRead = try await state(of: pid)
            try await db.query("INSERT INTO notes (body) VALUES ('inside')")
            let afterWrite = try await state(of: pid)
            let count = try await db.read("SELECT count(*) FROM notes WHERE body = 'inside'")[0].decode(Int.self, at: 0)
            return (afterRead, afterWrite, count == 1)
        }
        #expect(afterRead == "idle")
        #expect(afterWrite == "idle in transaction")
        #expect(seesOwnWrite)
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'inside'")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func aWriteAfterReadsIsStillRolledBackOnError() async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await client.withTransaction { db in
                _ = try await db.read("SELECT count(*) FROM notes")
                try await db.query("INSERT INTO notes (body) VALUES ('rolled back')")
                _ = try await db.read("SELECT count(*) FROM notes")
                throw Boom()
            }
        }
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'rolled back'")[0].decode(Int.self, at: 0) == 0)
    }

    @Test func aTransactionThatOnlyReadsLeavesNoTransactionOpen() async throws {
        let pid = try await client.withTransaction { db in
            let pid = try await db.read("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
            _ = try await db.read("SELECT count(*) FROM notes")
            return pid
        }
        #expect(try await state(of: pid) == "idle")
        // A failing read is reported as before and leaves the connection usable.
        let failure = await #expect(throws: PostgresError.self) {
            try await client.withTransaction { db in try await db.read("SELECT 1 / 0") }
        }
        #expect(failure?.sqlState == SQLState("22012"))  // division_by_zero
        #expect(try await client.query("SELECT 7")[0].decode(Int.self, at: 0) == 7)
    }

    @Test func strongerIsolationLevelsBeginBeforeTheFirstRead() async throws {
        for isolation in [PostgresClient.IsolationLevel.repeatableRead, .serializable] {
            let (stateAfterRead, level) = try await client.withTransaction(isolation: isolation) { db in
                let row = try await db.read("SELECT pg_backend_pid(), current_setting('transaction_isolation')")[0]
                return (try await state(of: try row.decode(Int.self, at: 0)), try row.decode(String.self, at: 1))
            }
            #expect(stateAfterRead == "idle in transaction")
            #expect(level != "read committed")
        }
    }
}
