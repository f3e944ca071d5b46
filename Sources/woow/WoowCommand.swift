import ArgumentParser
import Foundation
import Identity
import Logging
import PostgresDriver
import ServerApp

/// The `woow` command line: run the server and administer its database.
@main
struct WoowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woow",
        abstract: "Woow: the WoowTech PaaS application server (Odoo 18-compatible JSON-RPC).",
        subcommands: [Serve.self, Database.self, User.self, Team.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that reaches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL or libpq connection string (default: $WOOW_DATABASE_URL, else the embedded cluster).")
    var databaseURL: String?

    @Option(help: "Data directory for the embedded PostgreSQL cluster (default: $WOOW_DATA_DIR or a per-user directory).")
    var dataDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// The server configuration: environment first, then these options.
    func serverConfiguration() throws -> ServerConfiguration {
        var configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        return configuration
    }

    func makeLogger(_ configuration: ServerConfiguration) -> Logger {
        Logging.bootstrapOnce(level: configuration.logLevel)
        var logger = Logger(label: "woow")
        logger.logLevel = configuration.logLevel
        return logger
    }
}

enum Logging {
    private static let bootstrapped: Void = {
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label) }
    }()
    static func bootstrapOnce(level: Logger.Level) { _ = bootstrapped }
}

extension WoowCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the HTTP server (with no database configured: a private PostgreSQL cluster and demo data).")

        @Option(help: "Address to bind (default 127.0.0.1 or $WOOW_HOST).")
        var host: String?

        @Option(help: "Port to bind (default 8069 or $WOOW_PORT).")
        var port: Int?

        @Option(
            help: ArgumentHelp(
                "Failed logins from one address, not answered by a success of the same login, before every login from it cools down; 0 turns this ceiling off (default 30 or $WOOW_LOGIN_ADDRESS_FAILURE_LIMIT).",
                valueName: "count"))
        var loginAddressFailureLimit: Int?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
            let limits = ServerConfiguration.addressFailureLimitRange
            if let loginAddressFailureLimit, !limits.contains(loginAddressFailureLimit) {
                throw ValidationError(
                    "--login-address-failure-limit must be between \(limits.lowerBound) and \(limits.upperBound)")
            }
        }

        func run() async throws {
            var configuration = try database.serverConfiguration()
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let loginAddressFailureLimit { configuration.identity.loginAddressFailureLimit = loginAddressFailureLimit }
            let logger = database.makeLogger(configuration)
            do {
                try await WoowServer.run(configuration: configuration, logger: logger)
            } catch let error as ConfigurationError {
                logger.critical("\(error.description)")
                throw ExitCode(2)
            } catch let error as ListenError {
                logger.critical("\(error.description)")
                throw ExitCode.failure
            }
        }
    }
}
