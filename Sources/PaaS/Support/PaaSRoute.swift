import HTTPTypes
import ORM
import WebAPI

/// Declares PaaS routes: each handler gets a ``PaaSRequest``, and ORM errors become envelopes
/// (AccessError → 403 `AUTH_INSUFFICIENT_PERMISSIONS`, MissingError → 404 `NOT_FOUND`,
/// ValidationError / ValueError → 400 `VALIDATION_ERROR`, UserError → 409 `CONFLICT`).
public struct PaaSRouteBuilder: Sendable {
    let registry: ModelRegistry
    let configuration: PaaSConfiguration

    /// Creates a builder for the registry the server runs.
    public init(registry: ModelRegistry, configuration: PaaSConfiguration) {
        self.registry = registry
        self.configuration = configuration
    }

    /// One route. `rateLimit` defaults to `billing` under `/billing`, else `general`; an
    /// `authentication` route names the login a call tries with `attemptedLogin`.
    public func route(
        _ method: HTTPRequest.Method, _ path: String, auth: AuthLevel = .user, access: DatabaseAccess = .transaction,
        rateLimit: RateLimitCategory? = nil, attemptedLogin: (@Sendable (AppCall) async throws -> String?)? = nil,
        _ handler: @escaping @Sendable (PaaSRequest) async throws -> AppResult
    ) -> AppRoute {
        let registry = registry
        let configuration = configuration
        return AppRoute(method, path, auth: auth, access: access, rateLimit: rateLimit, attemptedLogin: attemptedLogin) { call in
            do {
                return try await handler(PaaSRequest(call: call, registry: registry, configuration: configuration))
            } catch let error as ORMError {
                throw AppError(orm: error)
            }
        }
    }
}

extension AppError {
    /// The envelope error for an ORM error.
    public init(orm error: ORMError) {
        switch error.kind {
        case .accessError, .accessDenied:
            self.init(.authInsufficientPermissions, error.message)
        case .missingError, .notFound:
            self.init(.notFound, error.message)
        case .userError:
            self.init(.conflict, error.message)
        default:
            self.init(.validationError, error.message)
        }
    }
}
