import Hummingbird

/// Assembles the server's routes onto a Hummingbird router: Odoo-style JSON routes, plain HTTP
/// routes, the application API and the operations endpoints.
///
/// Build once at start-up (mutable), then hand the router to the application, which freezes it.
public struct WebRouterBuilder {
    /// The shared services.
    public let services: WebServices
    /// The router being built.
    public let router: Router<WoowRequestContext>

    /// Starts a router with the request-id middleware installed.
    public init(services: WebServices) {
        self.services = services
        router = Router(context: WoowRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
    }

    /// Adds JSON routes; each answers any HTTP verb, as Odoo's JSON routes do.
    public func add(jsonRoutes: [JSONRoute]) {
        for route in jsonRoutes {
            let responder = JSONRouteResponder(route: route, services: services)
            for method in [HTTPRequest.Method.post, .get, .put, .patch, .delete] {
                router.on(RouterPath(route.path), method: method) { request, context in
                    try await responder.respond(to: request, context: context)
                }
            }
        }
    }

    /// Adds the Odoo session routes (JSON ones and the HTTP logout).
    public func addSessionRoutes() {
        add(jsonRoutes: SessionRoutes.jsonRoutes)
        let services = self.services
        router.get("/web/session/logout") { request, context in
            try await SessionRoutes.logout(request: request, context: context, services: services)
        }
    }

    /// Mounts the application API (REST and JSON-RPC on the same paths).
    public func add(application: ApplicationAPI) {
        application.register(on: router, services: services)
    }

    /// Adds `/health` and `/metrics`.
    public func addOperationsRoutes(renderMetrics: @escaping @Sendable () -> String) {
        OperationsRoutes.register(on: router, services: services, renderMetrics: renderMetrics)
    }
}
