import Foundation
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// Uses a cluster of its own: restarting the shared one would disturb the other suites.
@Suite("Driver: reconnecting after a PostgreSQL restart", .serialized)
struct ReconnectTests {
    @Test func theFirstRequestAfterARestartSucceeds() async throws {
        let directory = NSTemporaryDirectory() + "woow-reconnect-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedPostgres(dataDirectory: directory, logger: TestPostgres.logger)
        try cluster.start()
        defer { cluster.stop() }
        let client = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: cluster.connectionString(database: "postgres"), maximumConnections: 4),
            logger: TestPostgres.logger)
        // Warm the pool: several idle connections that the restart will kill.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await client.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        #expect(client.openConnectionCount == 4)

        try cluster.restart()

        // Every stale connection is detected and replaced; no request fails.
        for _ in 0..<6 {
            #expect(try await client.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
        }
        let two = try await client.withTransaction { db in try await db.query("SELECT 2")[0].decode(Int.self, at: 0) }
        #expect(two == 2)

        // While the server is down, a request fails after the bounded retries instead of hanging…
        cluster.stop()
        let start = ContinuousClock.now
        await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(ContinuousClock.now - start < .seconds(10))
        // …and once it is back, the first request succeeds (the dead connections are replaced).
        try cluster.start()
        #expect(try await client.query("SELECT 3")[0].decode(Int.self, at: 0) == 3)
        await client.close()
    }
}
