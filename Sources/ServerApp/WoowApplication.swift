import Hummingbird
import Identity
import Logging
import ORM
import PaaS
import PostgresDriver
import ServiceLifecycle
import WebAPI

/// Assembles Woow: services, routes and the Hummingbird application. Used by the executable and
/// by the tests, so both run exactly the same server.
public enum WoowApplication {
    /// The model registry: the base models, then the application modules'. Password fields hash
    /// with the configured rounds.
    public static func makeRegistry(configuration: ServerConfiguration) throws -> ModelRegistry {
        var builder = RegistryBuilder()
        builder.passwordRounds = configuration.identity.passwordRounds
        BaseModule.register(into: &builder)
        PaaSModule.register(into: &builder)
        return try builder.build()
    }

    /// The shared services for a database pool.
    public static func makeServices(
        configuration: ServerConfiguration, database: PostgresClient, databaseName: String, registry: ModelRegistry? = nil,
        logger: Logger
    ) -> WebServices {
        let registry = registry ?? {
            do {
                return try makeRegistry(configuration: configuration)
            } catch {
                preconditionFailure("invalid model declarations: \(error)")
            }
        }()
        return WebServices(
            database: database,
            authenticator: Authenticator(configuration: configuration.identity, logger: logger),
            sessions: SessionStore(configuration: configuration.identity),
            accounts: UserAccounts(configuration: configuration.identity),
            settings: WebSettings(
                databaseName: databaseName, secureCookies: configuration.secureCookies,
                sessionMaxAge: configuration.identity.sessionMaxInactivity, maxBodySize: configuration.maxBodySize,
                listDatabases: configuration.listDatabases),
            registry: registry, rateLimiter: RateLimiter(settings: configuration.rateLimits))
    }

    /// Every application route of the product (none without a model registry).
    public static func applicationRoutes(services: WebServices, configuration: PaaSConfiguration) -> [AppRoute] {
        guard let registry = services.registry else { return [] }
        return PaaSModule.routes(registry: registry, configuration: configuration)
    }

    /// The router with every route.
    public static func makeRouter(services: WebServices, configuration: ServerConfiguration) -> Router<WoowRequestContext> {
        let builder = WebRouterBuilder(services: services)
        builder.router.add(middleware: MetricsMiddleware())
        builder.addSessionRoutes()
        builder.add(jsonRoutes: DatasetRoutes.jsonRoutes + RPCServiceRoutes.jsonRoutes)
        XMLRPCRoutes.register(on: builder.router, services: services)
        AvatarRoute.register(on: builder.router, services: services)
        builder.add(application: ApplicationAPI(routes: applicationRoutes(services: services, configuration: configuration.paas)))
        builder.addOperationsRoutes(renderMetrics: { MetricsRegistry.render() })
        HomePageRoutes.register(on: builder.router)
        return builder.router
    }

    /// The Hummingbird application (a `Service`); `services` run in its group before the server.
    public static func makeApplication(
        configuration: ServerConfiguration, router: Router<WoowRequestContext>, services: [any Service] = [],
        logger: Logger
    ) -> some ApplicationProtocol {
        _ = MetricsRegistry.shared
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Woow"),
            services: services,
            logger: logger)
    }

    /// The name of the database the pool reaches.
    public static func databaseName(of client: PostgresClient) async throws -> String {
        try await client.withConnection { $0.databaseName }
    }
}
