import ArgumentParser
import Logging
import PostgresDriver
import ServerApp

extension WoowCommand {
    struct Database: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db", abstract: "Administer the database.", subcommands: [Initialise.self, SeedDemo.self])
    }
}

extension WoowCommand.Database {
    struct Initialise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or upgrade the schema (idempotent; refuses a database that is not Woow's).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withDatabase(database) { client, _, logger in
                try await SchemaManager(logger: logger).apply(using: client)
                print("schema version \(SchemaManager.currentVersion) is in place")
            }
        }
    }

    struct SeedDemo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-demo", abstract: "Seed the demo data (admin / admin and the demo team).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withDatabase(database) { client, configuration, logger in
                try await SchemaManager(logger: logger).apply(using: client)
                let seeded = try await DemoData(
                    identity: configuration.identity, publicDomain: configuration.paas.publicDomain, logger: logger).seed(using: client)
                print(seeded ? "demo data seeded (login admin, password admin)" : "demo data already present")
            }
        }
    }
}

/// Runs `body` with a pool on the configured database (starting the embedded cluster if needed and
/// stopping it afterwards when this command started it).
func withDatabase(
    _ options: DatabaseOptions,
    _ body: (PostgresClient, ServerConfiguration, Logger) async throws -> Void
) async throws {
    let configuration = try options.serverConfiguration()
    let logger = options.makeLogger(configuration)
    let target: DatabaseProvisioner.Target
    do {
        target = try await DatabaseProvisioner(configuration: configuration, logger: logger).prepare()
    } catch let error as ConfigurationError {
        logger.critical("\(error.description)")
        throw ExitCode(2)
    }
    let client = PostgresClient(
        configuration: configuration.postgresConfiguration(connectionString: target.connectionString), logger: logger)
    var failure: (any Error)?
    do {
        try await body(client, configuration, logger)
    } catch {
        failure = error
    }
    await client.close()
    if target.startedEmbedded { target.embedded?.stop() }
    if let failure {
        switch failure {
        case let error as ConfigurationError:
            logger.critical("\(error.description)")
            throw ExitCode(2)
        case let error as PostgresError:
            logger.critical("database error: \(error.message)")
            throw ExitCode(1)
        default:
            throw failure
        }
    }
}
