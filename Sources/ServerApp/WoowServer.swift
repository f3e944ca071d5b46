import Hummingbird
import Identity
import Logging
import ORM
import PaaS
import PostgresDriver
import ServiceLifecycle
import UnixSignals
import WebAPI

/// `woow serve`: provisions the database (embedded by default), applies the schema, seeds demo data
/// on a fresh embedded install, and runs the HTTP server until SIGTERM/SIGINT, then shuts down in
/// order: the server drains in-flight requests, the background services stop, the pool closes,
/// the embedded cluster stops. When the server cannot listen, the same shutdown runs and
/// ``ListenError`` says which address and port, and what to do.
public enum WoowServer {
    /// Runs the server.
    public static func run(configuration: ServerConfiguration, logger: Logger) async throws {
        let target = try await DatabaseProvisioner(configuration: configuration, logger: logger).prepare()
        let database = PostgresClient(
            configuration: configuration.postgresConfiguration(connectionString: target.connectionString), logger: logger)
        do {
            try await SchemaManager(logger: logger).apply(using: database)
            let registry = try WoowApplication.makeRegistry(configuration: configuration)
            try await database.withTransaction { db in
                try await registry.verifySchema(on: db)
                try await registry.synchronizeIntrospection(on: db)
            }
            if configuration.seedDemoData ?? (target.embedded != nil),
                try await DemoData(
                    identity: configuration.identity, publicDomain: configuration.paas.publicDomain, logger: logger).seed(using: database)
            {
                logger.warning(
                    "demo data seeded: log in with login 'admin' and password 'admin' — change it before exposing this server")
            }
            let services = WoowApplication.makeServices(
                configuration: configuration, database: database,
                databaseName: try await WoowApplication.databaseName(of: database), registry: registry, logger: logger)
            let application = WoowApplication.makeApplication(
                configuration: configuration, router: WoowApplication.makeRouter(services: services, configuration: configuration), logger: logger)
            // Started in this order and shut down in reverse: the HTTP server stops accepting
            // first, then the background services, then the pool, and the embedded cluster last.
            // A service that fails (the server cannot bind its port) shuts the others down in
            // the same order rather than cancelling them all at once, so nothing loses its
            // database under it.
            var lifecycle: [any Service] = []
            if let embedded = target.embedded, target.startedEmbedded { lifecycle.append(EmbeddedPostgresService(embedded)) }
            lifecycle += [
                database, SessionReaper(
                    database: database, sessions: services.sessions, authenticator: services.authenticator, logger: logger),
                MailSender(database: database, smtp: configuration.paas.smtp, logger: logger),
            ]
            if configuration.rateLimits.enabled {
                lifecycle.append(RateLimitSynchronizer(database: database, limiter: services.rateLimiter, logger: logger))
            }
            if configuration.paas.runWorker {
                lifecycle.append(DeploymentWorker(database: database, configuration: configuration.paas, logger: logger))
            }
            if configuration.paas.runMetering {
                lifecycle.append(MeteringService(database: database, configuration: configuration.paas, logger: logger))
            }
            lifecycle.append(application)
            let group = ServiceGroup(
                configuration: .init(
                    services: lifecycle.map { .init(service: $0, failureTerminationBehavior: .gracefullyShutdownGroup) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                throw ListenError(error, host: configuration.host, port: configuration.port) ?? error
            }
        } catch {
            await database.close()
            if target.startedEmbedded { target.embedded?.stop() }
            throw error
        }
    }
}

/// Keeps the embedded cluster running for the life of the service group and stops it last.
struct EmbeddedPostgresService: Service {
    let cluster: EmbeddedPostgres
    init(_ cluster: EmbeddedPostgres) { self.cluster = cluster }

    func run() async throws {
        try? await gracefulShutdown()
        cluster.stop()
    }
}
