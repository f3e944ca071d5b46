import Hummingbird
import Identity
import Logging
import ORM
import PostgresDriver
import ServerApp
import WebAPI

/// A Woow application over a fresh test database, assembled exactly as `woow serve` does.
public struct TestApp: Sendable {
    /// The database.
    public let database: TestDatabase
    /// The pool.
    public let client: PostgresClient
    /// The services.
    public let services: WebServices
    /// The configuration (fast password hashing unless a test asks otherwise).
    public let configuration: ServerConfiguration

    /// Builds an app on a new database with the demo data (admin / admin) seeded; `registry`
    /// replaces the default model registry (the base models) when given.
    public static func make(
        _ label: String, seedDemo: Bool = true, registry: ModelRegistry? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestApp {
        let database = try await TestPostgres.shared.makeDatabase(label)
        let app = attach(to: database, registry: registry, configure: configure)
        if let models = app.services.registry {
            // As the server does at start-up: ir.model and ir.model.fields mirror the registry.
            try await app.client.withTransaction { try await models.synchronizeIntrospection(on: $0) }
        }
        if seedDemo {
            try await DemoData(
                identity: app.configuration.identity, publicDomain: app.configuration.paas.publicDomain, logger: TestPostgres.logger
            ).seed(using: app.client)
        }
        return app
    }

    /// Another application over an existing database, with its own pool and services: a second
    /// server instance next to the first one. Nothing is seeded; `shutdown()` closes only its pool.
    public static func attach(
        to database: TestDatabase, registry: ModelRegistry? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) -> TestApp {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, logLevel: .warning)
        configuration.identity.passwordRounds = 1000
        configuration.databasePoolSize = 4
        // Limits on (every answer carries the headers) but too high for any suite to reach; the
        // rate-limit suites set real ones.
        configuration.rateLimits = .uniform(1_000_000)
        configure(&configuration)
        let client = database.makeClient(maximumConnections: configuration.databasePoolSize)
        let services = WoowApplication.makeServices(
            configuration: configuration, database: client, databaseName: database.name, registry: registry,
            logger: TestPostgres.logger)
        return TestApp(database: database, client: client, services: services, configuration: configuration)
    }

    /// The Hummingbird application (use with `HummingbirdTesting`'s `test(.router)` or `test(.live)`).
    public func application() -> some ApplicationProtocol {
        WoowApplication.makeApplication(
            configuration: configuration, router: WoowApplication.makeRouter(services: services, configuration: configuration),
            logger: TestPostgres.logger)
    }

    /// Creates a user with the given password; returns its id.
    @discardableResult
    public func createUser(login: String, password: String, name: String? = nil, groups: [String] = ["base.group_user"])
        async throws -> Int64
    {
        let accounts = services.accounts
        return try await client.withTransaction { db in
            try await accounts.createUser(
                login: login, name: name ?? login, email: login, password: password, groups: groups, on: db)
        }
    }

    /// Closes the pool.
    public func shutdown() async { await client.close() }
}
