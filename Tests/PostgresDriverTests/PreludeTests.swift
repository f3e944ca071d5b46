import PostgresDriver
import Synchronization
import Testing
import TestSupport

/// A prelude travels with the lease's next read and its check decides whether that read's result
/// (and anything after it in the lease) may be used.
@Suite("Driver: a prelude sent along with the next read")
struct PreludeTests {
    let client: PostgresClient

    init() async throws {
        client = try await TestPostgres.shared.makeDatabase("prelude").makeClient()
        try await client.query("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)")
    }

    struct Refused: Error {}

    /// The last value a prelude's check saw.
    final class Seen: Sendable {
        let value = Atomic<Int>(0)
        var last: Int { value.load(ordering: .relaxed) }
    }

    /// A prelude `SELECT <value>` whose check records the value and refuses it when `refuse`.
    static func prelude(_ value: Int, refuse: Bool = false, seen: Seen) -> PostgresPrelude {
        PostgresPrelude(query: "SELECT \(value)::int8") { result in
            seen.value.store(try result[0].decode(Int.self, at: 0), ordering: .relaxed)
            if refuse { throw Refused() }
        }
    }

    @Test func anAcceptedPreludeLetsTheReadAnswer() async throws {
        let seen = Seen()
        let value = try await client.withTransaction { db in
            db.sendAhead(Self.prelude(41, seen: seen))
            let value = try await db.read("SELECT 42")[0].decode(Int.self, at: 0)
            try await db.settlePrelude()
            return value
        }
        #expect(value == 42)
        #expect(seen.last == 41)
    }

    @Test func aRefusedPreludeFailsTheReadAndEveryLaterStatementOfTheLease() async throws {
        let seen = Seen()
        try await client.withConnection { db in
            db.sendAhead(Self.prelude(7, refuse: true, seen: seen))
            await #expect(throws: Refused.self) { try await db.read("SELECT 1") }
            await #expect(throws: Refused.self) { try await db.query("INSERT INTO notes (body) VALUES ('after refusal')") }
            await #expect(throws: Refused.self) { try await db.settlePrelude() }
        }
        #expect(seen.last == 7)
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'after refusal'")[0].decode(Int.self, at: 0) == 0)
        // The next lease of the pool's connections is clean.
        #expect(try await client.withConnection { try await $0.read("SELECT 5")[0].decode(Int.self, at: 0) } == 5)
    }

    @Test func aWriteWaitsForThePreludesCheck() async throws {
        let seen = Seen()
        await #expect(throws: Refused.self) {
            try await client.withTransaction { db in
                db.sendAhead(Self.prelude(3, refuse: true, seen: seen))
                try await db.query("INSERT INTO notes (body) VALUES ('never written')")
            }
        }
        #expect(seen.last == 3)
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'never written'")[0].decode(Int.self, at: 0) == 0)
        // Accepted, the write goes on after it.
        try await client.withTransaction { db in
            db.sendAhead(Self.prelude(4, seen: seen))
            try await db.query("INSERT INTO notes (body) VALUES ('written')")
        }
        #expect(seen.last == 4)
        #expect(try await client.query("SELECT count(*) FROM notes WHERE body = 'written'")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func aLeaseWithoutReadsSettlesThePreludeOnItsOwn() async throws {
        let seen = Seen()
        try await client.withConnection { db in
            db.sendAhead(Self.prelude(9, seen: seen))
            try await db.settlePrelude()
        }
        #expect(seen.last == 9)
        // Inside a serializable transaction the prelude goes after BEGIN, in the same pipeline.
        let level = try await client.withTransaction(isolation: .serializable) { db in
            db.sendAhead(Self.prelude(10, seen: seen))
            return try await db.read("SELECT current_setting('transaction_isolation')")[0].decode(String.self, at: 0)
        }
        #expect(level == "serializable")
        #expect(seen.last == 10)
    }

    @Test func aFailingPreludeStatementIsThrownAndFailsTheRestOfTheLease() async throws {
        let failure = await #expect(throws: PostgresError.self) {
            try await client.withConnection { db in
                db.sendAhead(PostgresPrelude(query: "SELECT 1 / 0") { _ in })
                // Even a caller that swallows the error cannot go on unconfirmed.
                _ = try? await db.read("SELECT 1")
                _ = try await db.read("SELECT 2")
            }
        }
        #expect(failure?.sqlState == SQLState("22012"))  // division_by_zero
        #expect(try await client.query("SELECT 6")[0].decode(Int.self, at: 0) == 6)
    }

    @Test func aFailingReadAfterAnAcceptedPreludeIsAnOrdinaryError() async throws {
        let seen = Seen()
        let value = try await client.withConnection { db in
            db.sendAhead(Self.prelude(11, seen: seen))
            let failure = await #expect(throws: PostgresError.self) { try await db.read("SELECT 1 / 0") }
            #expect(failure?.sqlState == SQLState("22012"))
            // The prelude was judged (and accepted) before the read's error was thrown.
            #expect(seen.last == 11)
            try await db.settlePrelude()
            return try await db.read("SELECT 12")[0].decode(Int.self, at: 0)
        }
        #expect(value == 12)
        // Refused, the refusal wins over the read's own error.
        await #expect(throws: Refused.self) {
            try await client.withConnection { db in
                db.sendAhead(Self.prelude(13, refuse: true, seen: seen))
                _ = try await db.read("SELECT 1 / 0")
            }
        }
    }
}
