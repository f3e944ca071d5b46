import HTTPTypes
import Hummingbird
import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /paas/api/v1/users/{user_id}/avatar`: a user's avatar as raw image bytes (a plain HTTP
/// route, not the envelope), at the URL ``AvatarURL`` gives.
///
/// It needs a session, and answers only to the user themself and to the active (or offline)
/// members of a team the user belongs to (pending invitees included as targets); anyone else —
/// and a user without an avatar — gets a 404 envelope, so the route never tells whether a user
/// exists. The answer carries the type found in the bytes at upload, `X-Content-Type-Options:
/// nosniff`, a restrictive `Content-Security-Policy`, and `Cache-Control: private` (the URL
/// changes with each upload through its `?v=` version).
public enum AvatarRoute {
    /// The path, below the server root.
    public static let path = "/paas/api/v1/users/{user_id}/avatar"

    /// Registers the route on `router`. Call it before the application API is mounted or after:
    /// the router prefers this constant path over the API's `/paas/api/v1/**` fallback.
    public static func register(on router: Router<WoowRequestContext>, services: WebServices) {
        router.get(RouterPath(path)) { request, context in
            await serve(request: request, context: context, services: services)
        }
    }

    static func serve(request: Request, context: WoowRequestContext, services: WebServices) async -> Response {
        guard let sessionID = SessionCookie.sessionID(in: request) else {
            return error(AppError(.authTokenExpired, "Session expired or missing"))
        }
        guard let text = context.parameters.get("user_id"), let target = Int64(text), target > 0 else {
            return error(AppError(.notFound, "Avatar not found"))
        }
        do {
            return try await services.database.withConnection { db in
                guard let session = try await services.sessions.load(sessionID, on: db) else {
                    return error(AppError(.authTokenExpired, "Session expired or missing"))
                }
                guard
                    let row = try await db.query(
                        """
                        SELECT u.avatar, u.avatar_mimetype, u.avatar_version FROM res_users u
                        WHERE u.id = \(target) AND u.avatar IS NOT NULL AND u.avatar_mimetype IS NOT NULL
                          AND (u.id = \(session.uid) OR EXISTS (
                              SELECT 1 FROM woow_team_member viewer
                              JOIN woow_team_member shown ON shown.team_id = viewer.team_id
                              WHERE viewer.user_id = \(session.uid) AND viewer.status IN ('active', 'offline')
                                AND shown.user_id = u.id))
                        """
                    ).first
                else { return error(AppError(.notFound, "Avatar not found")) }
                let bytes = try row.decode(PostgresBytes.self, at: 0).bytes
                var headers = HTTPFields()
                headers[.contentType] = try row.decode(String.self, at: 1)
                headers[.cacheControl] = "private, max-age=86400"
                headers[.eTag] = "\"\(target)-\(try row.decode(Int.self, at: 2))\""
                headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
                headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
                headers[.contentDisposition] = "inline"
                var buffer = ByteBuffer()
                buffer.writeBytes(bytes)
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
            }
        } catch {
            context.logger.error("avatar read failed", metadata: ["error": "\(String(reflecting: error))"])
            return Self.error(AppError(.internalError, "Internal server error (request id \(context.requestID))"))
        }
    }

    private static func error(_ error: AppError) -> Response {
        .json(error.envelope.serialized(), status: error.code.status)
    }
}
