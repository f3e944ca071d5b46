import Foundation
import Logging

/// A private PostgreSQL cluster in a data directory, driven with the installed server binaries
/// (`initdb`, `pg_ctl`): created on first use, listening on a Unix socket only, stopped on shutdown.
///
/// Used by `woow serve` when no database is configured, and by the test harness. When running as
/// root the binaries run as the `postgres` user (PostgreSQL refuses to run as root).
public final class EmbeddedPostgres: Sendable {
    /// The cluster's directory (`<dataDirectory>/pgdata`); its socket lives there too.
    public let clusterDirectory: String
    /// The database created for Woow inside the cluster.
    public let databaseName: String
    let binaries: Binaries
    let logger: Logger
    /// PostgreSQL's `max_connections` for the cluster.
    let maxConnections: Int
    /// More server settings (`-c name=value`), e.g. `fsync=off` for throw-away test clusters.
    let settings: [(String, String)]

    /// Locates the server binaries; throws a message naming the Debian packages when they are missing.
    public init(
        dataDirectory: String, databaseName: String = "woow", maxConnections: Int = 200,
        settings: [(String, String)] = [], logger: Logger
    ) throws {
        self.maxConnections = maxConnections
        self.settings = settings.filter { setting in
            (setting.0 + setting.1).allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        }
        let absolute = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        clusterDirectory = absolute + "/pgdata"
        self.databaseName = databaseName
        self.logger = logger
        binaries = try Binaries.locate()
        // The socket path must fit in sockaddr_un (107 bytes).
        guard (clusterDirectory + "/.s.PGSQL.5432").utf8.count < 107 else {
            throw ConfigurationError("data directory path too long for a Unix socket: \(clusterDirectory)")
        }
    }

    /// The libpq connection string for Woow's database in this cluster.
    public var connectionString: String { "host=\(clusterDirectory) port=5432 dbname=\(databaseName) user=postgres" }

    /// The connection string for another database of the cluster (used to create databases).
    public func connectionString(database: String) -> String {
        "host=\(clusterDirectory) port=5432 dbname=\(database) user=postgres"
    }

    /// Whether the cluster has been initialised.
    public var isInitialised: Bool { FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") }

    /// Creates the cluster if needed and starts it unless it is already running.
    /// Returns `true` when this call started it (and so should stop it).
    @discardableResult
    public func start() throws -> Bool {
        let fileManager = FileManager.default
        if !isInitialised {
            logger.notice("creating a private PostgreSQL cluster", metadata: ["pg.directory": "\(clusterDirectory)"])
            try fileManager.createDirectory(atPath: clusterDirectory, withIntermediateDirectories: true)
            try prepareOwnership()
            try run(binaries.initdb, ["-D", clusterDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"])
        }
        if isRunning() { return false }
        let options = "-k \(clusterDirectory) -c listen_addresses='' -c port=5432 -c max_connections=\(maxConnections)"
            + settings.map { " -c \($0.0)=\($0.1)" }.joined()
        try run(binaries.pgCtl, ["-D", clusterDirectory, "-o", options, "-l", clusterDirectory + "/server.log", "-w", "-t", "60", "start"])
        logger.info("private PostgreSQL cluster started", metadata: ["pg.directory": "\(clusterDirectory)"])
        return true
    }

    /// Whether a server is running on this cluster.
    public func isRunning() -> Bool {
        (try? run(binaries.pgCtl, ["-D", clusterDirectory, "status"], quiet: true)) != nil
    }

    /// Stops the cluster (fast shutdown: running transactions are rolled back).
    public func stop() {
        guard isInitialised, isRunning() else { return }
        do {
            try run(binaries.pgCtl, ["-D", clusterDirectory, "-m", "fast", "-w", "stop"])
            logger.info("private PostgreSQL cluster stopped")
        } catch {
            logger.error("could not stop the private PostgreSQL cluster", metadata: ["error": "\(error)"])
        }
    }

    /// Restarts the cluster (used by tests that prove reconnection).
    public func restart() throws {
        stop()
        try start()
    }

    private var runsAsRoot: Bool { geteuid() == 0 }

    private func prepareOwnership() throws {
        guard runsAsRoot else { return }
        // The cluster belongs to `postgres`; every parent must be traversable by it.
        try run("/bin/chown", ["-R", "postgres:postgres", clusterDirectory])
        var directory = URL(fileURLWithPath: clusterDirectory).deletingLastPathComponent()
        while directory.path != "/" {
            let path = directory.path
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let permissions = attributes[.posixPermissions] as? Int, permissions & 0o001 == 0
            {
                try FileManager.default.setAttributes([.posixPermissions: permissions | 0o001], ofItemAtPath: path)
            }
            directory = directory.deletingLastPathComponent()
        }
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> String {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let command =
            runsAsRoot && executable != "/bin/chown"
            ? [binaries.runuser, "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let (status, output) = try ChildProcess.run(command)
        guard status == 0 else {
            if !quiet {
                logger.error("PostgreSQL command failed", metadata: ["pg.command": "\(name)", "pg.output": "\(output)"])
            }
            throw ConfigurationError("\(name) failed (exit \(status)): \(output.suffix(500))")
        }
        return output
    }

    /// The server binaries of the newest installed PostgreSQL.
    struct Binaries: Sendable {
        let initdb: String
        let pgCtl: String
        let runuser: String

        static func locate() throws -> Binaries {
            let fileManager = FileManager.default
            var candidates: [String] = []
            if let override = ProcessInfo.processInfo.environment["WOOW_PG_BINDIR"] { candidates.append(override) }
            let root = "/usr/lib/postgresql"
            let versions = ((try? fileManager.contentsOfDirectory(atPath: root)) ?? [])
                .compactMap(Int.init).sorted(by: >)
            candidates += versions.map { "\(root)/\($0)/bin" }
            candidates += ["/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"]
            for directory in candidates
            where fileManager.isExecutableFile(atPath: directory + "/initdb")
                && fileManager.isExecutableFile(atPath: directory + "/pg_ctl")
            {
                let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
                    fileManager.isExecutableFile(atPath: $0)
                } ?? "/usr/sbin/runuser"
                return Binaries(initdb: directory + "/initdb", pgCtl: directory + "/pg_ctl", runuser: runuser)
            }
            throw ConfigurationError(
                """
                PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the Debian packages \
                `postgresql` and `libpq-dev` (apt-get install postgresql libpq-dev), or set WOOW_DATABASE_URL \
                to use an existing server.
                """)
        }
    }
}
