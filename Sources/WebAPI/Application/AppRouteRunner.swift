import Hummingbird
import Identity
import JSONRPC
import Logging
import PostgresDriver

/// Runs an ``AppRoute`` handler for either transport: loads the session, enforces `auth`, opens
/// the declared database scope, and turns every error into an ``AppError`` envelope.
struct AppRouteRunner: Sendable {
    let services: WebServices

    enum Outcome {
        case success(AppResult)
        case failure(AppError)
        /// `auth: .user` without a valid session (REST: 401 envelope; JSON-RPC: Odoo's code 100).
        case sessionExpired
    }

    func run(
        _ route: AppRoute, params: JSONObject, pathParameters: [String: String], request: Request,
        context: WoowRequestContext, transport: AppTransport
    ) async -> Outcome {
        let sessionID = route.auth == .none ? nil : SessionCookie.sessionID(in: request)
        func call(_ connection: PostgresConnection?) async throws -> AppResult {
            var session: Session?
            if let sessionID, let connection {
                session = try await services.sessions.load(sessionID, on: connection)
            }
            if route.auth == .user, session == nil { throw SessionMissing() }
            return try await route.handler(
                AppCall(
                    params: params, pathParameters: pathParameters, session: session, connection: connection,
                    services: services, headers: request.headers, remoteAddress: context.remoteAddress,
                    logger: context.logger, requestID: context.requestID, transport: transport))
        }
        do {
            let result: AppResult
            switch route.access {
            case .none where route.auth == .none:
                result = try await call(nil)
            case .none, .connection:
                result = try await services.database.withConnection { try await call($0) }
            case .transaction:
                result = try await services.database.withTransaction { try await call($0) }
            }
            return .success(result)
        } catch is SessionMissing {
            return .sessionExpired
        } catch let error as AppError {
            return .failure(error)
        } catch let error as AuthenticationError {
            return .failure(AppError(.authInvalidCredentials, error.message))
        } catch let error as PostgresError where error.code == .poolTimeout || error.code == .connectionFailed {
            context.logger.error("database unavailable", metadata: ["error": "\(error.debugDescription)"])
            return .failure(AppError(.serviceUnavailable, "The database is unavailable right now; please retry shortly."))
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return .failure(
                AppError(.internalError, "Internal server error (request id \(context.requestID))"))
        }
    }

    private struct SessionMissing: Error {}
}
