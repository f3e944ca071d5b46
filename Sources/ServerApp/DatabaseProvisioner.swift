import Logging
import PostgresDriver

/// Resolves where the database is: the configured URL, or the embedded cluster (created, started
/// and given a `woow` database on first use).
public struct DatabaseProvisioner: Sendable {
    /// The outcome: a connection string, and the embedded cluster when one is used.
    public struct Target: Sendable {
        /// The libpq connection string.
        public let connectionString: String
        /// The embedded cluster, if this process uses one.
        public let embedded: EmbeddedPostgres?
        /// Whether this process started the embedded cluster (and so stops it).
        public let startedEmbedded: Bool
        /// Whether the database was created just now (a fresh install).
        public let createdDatabase: Bool
    }

    let configuration: ServerConfiguration
    let logger: Logger

    /// Creates a provisioner.
    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Prepares the database target.
    public func prepare() async throws -> Target {
        if let url = configuration.databaseURL {
            return Target(connectionString: url, embedded: nil, startedEmbedded: false, createdDatabase: false)
        }
        let embedded = try EmbeddedPostgres(dataDirectory: configuration.dataDirectory, logger: logger)
        let started = try embedded.start()
        do {
            let created = try await Self.createDatabaseIfMissing(
                embedded.databaseName, maintenance: embedded.connectionString(database: "postgres"), logger: logger)
            return Target(
                connectionString: embedded.connectionString, embedded: embedded, startedEmbedded: started,
                createdDatabase: created)
        } catch {
            if started { embedded.stop() }
            throw error
        }
    }

    /// Creates `name` through the maintenance database unless it exists; returns whether it did.
    /// `fileCopy` (PostgreSQL 15 and later) copies the template's files instead of writing them all
    /// to the WAL: much faster when many databases are created from one template at once (the tests).
    public static func createDatabaseIfMissing(
        _ name: String, template: String? = nil, fileCopy: Bool = false, maintenance: String, logger: Logger
    ) async throws -> Bool {
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: maintenance, maximumConnections: 1), logger: logger)
        do {
            let created = try await client.withConnection { db in
                if try await !db.query("SELECT 1 FROM pg_database WHERE datname = \(name)").isEmpty { return false }
                let templateClause = template.map { " TEMPLATE " + PostgresQuery.quoteIdentifier($0) } ?? ""
                let strategy = fileCopy ? " STRATEGY = FILE_COPY" : ""
                try await db.execute(
                    script: "CREATE DATABASE \(PostgresQuery.quoteIdentifier(name))\(templateClause) ENCODING 'UTF8'\(strategy)")
                return true
            }
            await client.close()
            return created
        } catch {
            await client.close()
            throw error
        }
    }
}
