import ORM
import PostgresDriver
import WebAPI

/// The WoowTech PaaS application module: its models, access rules and `/paas/api/v1` routes.
///
/// ```swift
/// var builder = RegistryBuilder()
/// BaseModule.register(into: &builder)
/// PaaSModule.register(into: &builder)
/// let routes = PaaSModule.routes(registry: try builder.build(), configuration: .init())
/// ```
public enum PaaSModule {
    /// Registers the models, access rights, record rules and rule variables.
    public static func register(into builder: inout RegistryBuilder) {
        for model in [
            TeamModels.team, TeamModels.member, TeamModels.invitation, WorkspaceModels.workspace,
            CloudAppModels.template, CloudAppModels.app, CloudAppModels.volume, ActivityModels.activity,
        ] + HubModels.all + BillingModels.all {
            builder.register(model)
        }
        PaaSAccess.register(into: &builder)
    }

    /// Every application route of the product.
    public static func routes(registry: ModelRegistry, configuration: PaaSConfiguration) -> [AppRoute] {
        let builder = PaaSRouteBuilder(registry: registry, configuration: configuration)
        return UserRoutes.routes(builder) + WorkspaceRoutes.routes(builder) + MarketplaceRoutes.routes(builder)
            + CloudAppRoutes.routes(builder) + AppMetricsRoutes.routes(builder)
            + TeamRoutes.routes(builder) + TeamMemberRoutes.routes(builder) + InvitationRoutes.routes(builder)
            + InvitationAcceptRoute.routes(builder)
            + SettingsRoutes.routes(builder)
            + HubRoutes.routes(builder) + TunnelRoutes.routes(builder)
            + BillingRoutes.routes(builder)
    }

    /// What the module needs in the database besides schema.sql: the marketplace catalogue.
    public static func install(on db: PostgresConnection) async throws {
        try await MarketplaceCatalogue.apply(on: db)
    }
}
