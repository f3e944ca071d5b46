import Foundation
import Logging
import PostgresDriver
import ServerApp

/// The PostgreSQL server the tests use: `WOOW_TEST_DATABASE_URL` when set (the role needs
/// CREATEDB), otherwise a private cluster that the harness creates with `initdb` in a temporary
/// directory, once per test process, and stops when the process exits.
///
/// Every suite gets a fresh database cloned from a template that already holds the schema.
public actor TestPostgres {
    /// The process-wide instance.
    public static let shared = TestPostgres()

    private var setup: Task<Server, any Error>?
    private var counter = 0
    /// Databases being created now, and the suites waiting for their turn: at most
    /// ``maxConcurrentCreations`` at once, so that the ~160 creations at the start of a run do not
    /// starve the server (a storm of them made new connections time out on two cores).
    private var creating = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    static let maxConcurrentCreations = 4

    struct Server: Sendable {
        let maintenance: String
        let cluster: EmbeddedPostgres?
        /// PostgreSQL 15 or later: databases are created with `STRATEGY = FILE_COPY` (with the
        /// default WAL_LOG strategy, ~160 databases created at once from the template queue on the
        /// WAL insert lock for tens of seconds on two cores).
        let fileCopy: Bool
    }

    static let templateName = "woow_test_template"

    /// A logger for test infrastructure (warnings only).
    public static var logger: Logger {
        var logger = Logger(label: "woow.tests")
        logger.logLevel = .warning
        return logger
    }

    /// Creates a fresh database with the current schema; `label` makes its name readable.
    public func makeDatabase(_ label: String) async throws -> TestDatabase {
        let server = try await prepare()
        counter += 1
        let suffix = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(24)
        let name = "t_\(getpid())_\(counter)_\(suffix)"
        if creating >= Self.maxConcurrentCreations {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            creating += 1
        }
        defer {
            // The slot passes to the next waiter, or is freed.
            if waiting.isEmpty { creating -= 1 } else { waiting.removeFirst().resume() }
        }
        _ = try await DatabaseProvisioner.createDatabaseIfMissing(
            name, template: Self.templateName, fileCopy: server.fileCopy, maintenance: server.maintenance,
            logger: Self.logger)
        return TestDatabase(connectionString: server.maintenance, name: name, cluster: server.cluster)
    }

    private func prepare() async throws -> Server {
        if let setup { return try await setup.value }
        let task = Task { try await Self.startServer() }
        setup = task
        return try await task.value
    }

    private static func startServer() async throws -> Server {
        let environment = ProcessInfo.processInfo.environment
        var maintenance: String
        var cluster: EmbeddedPostgres?
        if let url = environment["WOOW_TEST_DATABASE_URL"], !url.isEmpty {
            maintenance = url
        } else {
            removeStaleClusters()
            let directory = NSTemporaryDirectory() + "woow-test-\(getpid())"
            try? FileManager.default.removeItem(atPath: directory)
            // Suites run in parallel, each with its own pools: leave plenty of connections.
            // A throw-away cluster: durability is irrelevant, and without fsync the many parallel
            // CREATE DATABASE … TEMPLATE of the suites stay fast on a loaded machine.
            let embedded = try EmbeddedPostgres(
                dataDirectory: directory, maxConnections: 1000,
                settings: [("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off")], logger: logger)
            try embedded.start()
            TestClusterCleanup.register(embedded, directory: directory)
            cluster = embedded
            maintenance = embedded.connectionString(database: "postgres")
        }
        // The template: drop a stale one, create it, apply the schema.
        let admin = PostgresClient(
            configuration: PostgresConfiguration(connectionString: maintenance, maximumConnections: 1), logger: logger)
        let fileCopy = try await admin.withConnection { db in
            try await db.execute(script: "DROP DATABASE IF EXISTS \(templateName)")
            return try await db.query("SELECT current_setting('server_version_num')::int >= 150000")[0].decode(Bool.self, at: 0)
        }
        await admin.close()
        _ = try await DatabaseProvisioner.createDatabaseIfMissing(templateName, maintenance: maintenance, logger: logger)
        let template = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: maintenance, maximumConnections: 1, databaseOverride: templateName),
            logger: logger)
        try await SchemaManager(logger: logger).apply(using: template)
        await template.close()
        return Server(maintenance: maintenance, cluster: cluster, fileCopy: fileCopy)
    }
}

/// Stops and removes clusters left by test processes that died before their exit handler ran
/// (a crash, a kill): their directory names carry the pid of a process that no longer exists.
private func removeStaleClusters() {
    let temporary = NSTemporaryDirectory()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
    for entry in entries where entry.hasPrefix("woow-test-") {
        guard let pid = Int32(entry.dropFirst("woow-test-".count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
        let directory = temporary + entry
        if let cluster = try? EmbeddedPostgres(dataDirectory: directory, logger: TestPostgres.logger) { cluster.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// One test database.
public struct TestDatabase: Sendable {
    /// The connection string of the server (its database name is overridden by ``name``).
    public let connectionString: String
    /// The database name.
    public let name: String
    /// The embedded cluster, when the harness started one (tests that restart PostgreSQL use it).
    public let cluster: EmbeddedPostgres?

    /// A pool configuration for this database. The timeouts are generous (30 s): ~75 suites run at
    /// once on two cores in CI, and a lock wait or a pool wait there can take seconds; a real hang
    /// still fails the test.
    public func configuration(maximumConnections: Int = 8, statementTimeout: Duration = .seconds(30))
        -> PostgresConfiguration
    {
        PostgresConfiguration(
            connectionString: connectionString, maximumConnections: maximumConnections,
            statementTimeout: statementTimeout, connectTimeout: .seconds(15), leaseTimeout: .seconds(30),
            databaseOverride: name)
    }

    /// A new pool on this database (close it when done).
    public func makeClient(maximumConnections: Int = 8, statementTimeout: Duration = .seconds(30)) -> PostgresClient {
        PostgresClient(
            configuration: configuration(maximumConnections: maximumConnections, statementTimeout: statementTimeout),
            logger: TestPostgres.logger)
    }
}

/// Stops the harness's cluster and removes its directory when the test process exits.
enum TestClusterCleanup {
    nonisolated(unsafe) static var cluster: EmbeddedPostgres?
    nonisolated(unsafe) static var directory: String?

    static func register(_ cluster: EmbeddedPostgres, directory: String) {
        Self.cluster = cluster
        Self.directory = directory
        atexit {
            TestClusterCleanup.cluster?.stop()
            if let directory = TestClusterCleanup.directory { try? FileManager.default.removeItem(atPath: directory) }
        }
    }
}
