import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// A bounded pool of libpq connections, run as a `Service`.
///
/// Each connection is leased to one task at a time. Statements use libpq's non-blocking mode and
/// wait on an epoll thread (``SocketReactor``) that also runs the leasing task; the only blocking libpq calls, connecting and
/// cancelling, run on two threads of the pool's own (not NIO's shared blocking pool, where slow
/// password hashing could hold them up). So libpq never occupies Swift's cooperative threads or
/// NIO's event loops. Idle connections are checked (without a round trip) before reuse and replaced when the
/// server has closed them, so the first request after a PostgreSQL restart gets a fresh one.
///
/// ```swift
/// let client = PostgresClient(configuration: .init(connectionString: url), logger: logger)
/// // add `client` to the ServiceGroup, then:
/// let name = try await client.withTransaction { db in
///     try await db.query("SELECT name FROM res_users WHERE id = \(uid)").first?.decode(String.self, at: 0)
/// }
/// ```
public final class PostgresClient: Service, Sendable {
    /// The configuration the pool was created with.
    public let configuration: PostgresConfiguration
    let logger: Logger
    let state = NIOLockedValueBox(PoolState())
    /// Threads for the blocking libpq calls (connecting, cancelling).
    let blockingPool: NIOThreadPool

    /// Creates the pool; connections open lazily on first use.
    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        blockingPool = NIOThreadPool(numberOfThreads: 2)
        blockingPool.start()
    }

    /// Runs until graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Leases a connection for the duration of `body` (autocommit: each statement commits on its own).
    @discardableResult
    public func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let raw = try await acquireWithRetry()
        let connection = PostgresConnection(
            raw: raw, statementTimeout: configuration.statementTimeout, blockingPool: blockingPool)
        do {
            // The body runs on the connection's reactor thread, which resumes it there after each
            // statement: no thread handoff per statement (see SocketReactor).
            let result = try await withTaskExecutorPreference(raw.reactor) { try await body(connection) }
            release(raw)
            return result
        } catch {
            release(raw)
            throw error
        }
    }

    /// Runs `body` inside `BEGIN … COMMIT` on one connection (`ROLLBACK` if it throws).
    /// At READ COMMITTED, statements run with ``PostgresConnection/read(_:)`` before the first
    /// write go ahead of the `BEGIN`, so a body that only reads costs no `BEGIN`/`COMMIT` at all.
    ///
    /// Serialization failures, deadlocks and connections lost before `COMMIT` was sent are retried
    /// transparently with jittered backoff (see ``PostgresConfiguration/RetryPolicy``), so `body`
    /// must be safe to run again: keep side effects other than SQL out of it.
    @discardableResult
    public func withTransaction<Result: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        var slept = Duration.zero
        while true {
            var commitSent = false
            do {
                return try await withConnection { connection in
                    // Sent with the first statement, or at READ COMMITTED with the first one that
                    // is not a declared read (see LibPQConnection.pendingBegin).
                    connection.raw.pendingBegin = isolation.beginStatement
                    do {
                        let result = try await body(connection)
                        commitSent = true
                        try await connection.commit()
                        return result
                    } catch {
                        if !connection.raw.isBroken, !commitSent { try? await connection.execute(script: "ROLLBACK") }
                        throw error
                    }
                }
            } catch let error as PostgresError where !commitSent && (error.isTransient || error.isConnectionFailure) {
                guard let pause = configuration.retry.backoff(beforeRetry: attempt, alreadySlept: slept) else {
                    throw error
                }
                logger.debug(
                    "retrying transaction",
                    metadata: ["db.sqlstate": "\(error.sqlState?.rawValue ?? "-")", "db.attempt": "\(attempt)"])
                try await Task.sleep(for: pause)
                slept += pause
                attempt += 1
            }
        }
    }

    /// Runs a single statement on a leased connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        try await withConnection { try await $0.query(query) }
    }

    /// Closes every connection; later leases fail with `.poolClosed`.
    public func close() async {
        let (idle, waiters) = state.withLockedValue { state in
            state.closed = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            state.open -= state.idle.count
            return (state.idle, state.waiters)
        }
        _ = idle
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, message: "connection pool closed"))
        }
        // Give leased connections a moment to come back from in-flight work.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while state.withLockedValue({ $0.open > 0 }), clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await blockingPool.shutdownGracefully()
    }

    /// The number of open connections (idle and leased); for tests and metrics.
    public var openConnectionCount: Int { state.withLockedValue { $0.open } }

    /// Transaction isolation levels.
    public enum IsolationLevel: Sendable {
        case readCommitted, repeatableRead, serializable
        var beginStatement: String {
            switch self {
            case .readCommitted: return LibPQConnection.readCommittedBegin
            case .repeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ"
            case .serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE"
            }
        }
    }
}
