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

    /// Runs one call. The rate limit is counted first: before the database when the subject is
    /// already known (no session cookie) or when the session is known to belong to a user already
    /// over the limit; else right after the session is loaded, before the handler. A login attempt
    /// (an `authentication` route) is counted per (address, login) once the route has found the
    /// login it tries (``AppRoute/attemptedLogin``), before the handler. A refused call runs
    /// nothing, and its transaction (holding at most the session's `last_seen` touch and the
    /// login lookup) is rolled back.
    func run(
        _ route: AppRoute, params: JSONObject, pathParameters: [String: String], request: Request,
        context: WoowRequestContext, transport: AppTransport, rateLimit tracker: RateLimitTracker
    ) async -> Outcome {
        let sessionID = route.auth == .none ? nil : SessionCookie.sessionID(in: request)
        let limiter = services.rateLimiter
        let isLoginAttempt = route.rateLimit == .authentication
        let countedBeforeSession = !isLoginAttempt && sessionID == nil
        // Counted once per call, even when the transaction is retried (serialization failure).
        let counted = RateLimitTracker()
        func count(_ subject: RateLimitSubject, session: String?) -> RateLimitDecision? {
            if let previous = counted.current { return previous.allowed ? nil : previous }
            guard let decision = limiter.acquire(route.rateLimit, for: subject, session: session) else { return nil }
            counted.record(decision)
            tracker.record(decision)
            return decision.allowed ? nil : decision
        }
        if countedBeforeSession, let refusal = count(.of(uid: nil, remoteAddress: context.remoteAddress), session: nil) {
            return .failure(AppError(.rateLimited, refusal.message))
        }
        // A session whose user is already over the limit is refused without touching the database.
        if !countedBeforeSession, !isLoginAttempt, let sessionID,
            let refusal = limiter.refusal(route.rateLimit, session: sessionID.value)
        {
            tracker.record(refusal)
            return .failure(AppError(.rateLimited, refusal.message))
        }
        func call(_ connection: PostgresConnection?) async throws -> AppResult {
            var session: Session?
            if let sessionID, let connection {
                session = try await services.sessions.load(sessionID, on: connection)
            }
            let appCall = AppCall(
                params: params, pathParameters: pathParameters, session: session, connection: connection,
                services: services, headers: request.headers, remoteAddress: context.remoteAddress,
                logger: context.logger, requestID: context.requestID, transport: transport)
            if isLoginAttempt {
                let login = try await route.attemptedLogin?(appCall)
                if let refusal = count(.loginAttempt(login: login, remoteAddress: context.remoteAddress), session: nil) {
                    throw AppError(.rateLimited, refusal.message)
                }
            } else if !countedBeforeSession,
                let refusal = count(
                    .of(uid: session?.uid, remoteAddress: context.remoteAddress),
                    session: session == nil ? nil : sessionID?.value)
            {
                throw AppError(.rateLimited, refusal.message)
            }
            if route.auth == .user, session == nil { throw SessionMissing() }
            return try await route.handler(appCall)
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
