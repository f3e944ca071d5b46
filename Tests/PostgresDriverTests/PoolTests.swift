import PostgresDriver
import Testing
import TestSupport

@Suite("Driver: the connection pool")
struct PoolTests {
    let database: TestDatabase

    init() async throws {
        database = try await TestPostgres.shared.makeDatabase("pool")
    }

    @Test func neverOpensMoreThanTheLimit() async throws {
        let client = database.makeClient(maximumConnections: 2)
        let peak = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await client.withConnection { db in
                        peak.withLock { $0 = max($0, client.openConnectionCount) }
                        try await db.query("SELECT pg_sleep(0.05)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.withLock { $0 } <= 2)
        let backends = try await client.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'woow'")
        #expect(try backends[0].decode(Int.self, at: 0) <= 2)
        await client.close()
    }

    @Test func aWaiterGivesUpAfterTheLeaseTimeout() async throws {
        var configuration = database.configuration(maximumConnections: 1)
        configuration.leaseTimeout = .milliseconds(200)
        let client = PostgresClient(configuration: configuration, logger: TestPostgres.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await client.query("SELECT pg_sleep(1)") }
            try await Task.sleep(for: .milliseconds(100))
            let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
            #expect(error?.code == .poolTimeout)
            try await group.waitForAll()
        }
        // Once the holder is done, the connection is available again.
        #expect(try await client.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
        await client.close()
    }

    @Test func statementsAreCancelledAtTheTimeout() async throws {
        let client = database.makeClient(maximumConnections: 1, statementTimeout: .seconds(1))
        // Connect first: on a loaded machine opening the connection can take longer than the
        // 1 s timeout under test, which would fail for another reason than the one tested here.
        do {
            #expect(try await client.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
        } catch {
            Issue.record("connecting failed: \(String(reflecting: error))")
            throw error
        }
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT pg_sleep(30)") }
        #expect(error?.sqlState == .queryCanceled || error?.code == .timeout, "\(String(reflecting: error))")
        // The pool still works afterwards.
        #expect(try await client.query("SELECT 2")[0].decode(Int.self, at: 0) == 2)
        await client.close()
    }

    @Test func slowStatementsAreAllInFlightAtOnce() async throws {
        // Six slow statements, three times as many as the cooperative threads of a 2-core machine.
        // If a libpq call blocked a cooperative thread, at most two could be in flight at once; the
        // server must see all six running together.
        let client = database.makeClient(maximumConnections: 6)
        let observer = database.makeClient(maximumConnections: 1)
        // Open the six connections first, so that a slow connect on a loaded machine cannot make the
        // statements run one after another; what is measured is only where the statements wait.
        for _ in 0..<20 where client.openConnectionCount < 6 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await client.query("SELECT pg_sleep(0.2)") } }
                try await group.waitForAll()
            }
        }
        let tag = "woow-inflight-\(Int.random(in: 0..<1_000_000))"
        let done = Locked(false)
        let peak = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    _ = try await client.query(PostgresQuery(unsafeSQL: "SELECT pg_sleep(5) -- \(tag)"))
                    return -1
                }
            }
            group.addTask {
                var peak = 0
                while !done.value, peak < 6 {
                    let running = try await observer.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE \("%" + tag)")
                    peak = max(peak, try running[0].decode(Int.self, at: 0))
                    try await Task.sleep(for: .milliseconds(50))
                }
                return peak
            }
            var peak = 0
            var finished = 0
            for try await value in group {
                if value >= 0 { peak = value } else { finished += 1 }
                if finished == 6 { done.withLock { $0 = true } }
            }
            return peak
        }
        #expect(peak == 6, "only \(peak) of 6 statements were ever in flight together")
        await client.close()
        await observer.close()
    }

    @Test func closingFailsLaterLeases() async throws {
        let client = database.makeClient()
        _ = try await client.query("SELECT 1")
        await client.close()
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .poolClosed)
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        var configuration = PostgresConfiguration(
            connectionString: "host=/nonexistent-socket-dir dbname=nothing", maximumConnections: 1)
        configuration.retry = .init(maximumAttempts: 2, initialBackoff: .milliseconds(10))
        let client = PostgresClient(configuration: configuration, logger: TestPostgres.logger)
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isConnectionFailure == true)
        await client.close()
    }
}
