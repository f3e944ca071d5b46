import Foundation
import HTTPTypes
import Identity
import JSONRPC
import Logging
import PostgresDriver

/// How an application request arrived.
public enum AppTransport: Sendable {
    /// Verb and path, envelope body, mapped HTTP status.
    case rest
    /// JSON-RPC 2.0 POST to the same path; the envelope is the `result`.
    case jsonRPC
}

/// Everything an application route handler gets for one call.
public struct AppCall: Sendable {
    /// Query parameters (REST GET), the JSON body (REST POST/PUT/DELETE) or `params` (JSON-RPC).
    public let params: JSONObject
    /// Values captured from the path (`{id}`).
    public let pathParameters: [String: String]
    /// The loaded session, if any.
    public let session: Session?
    /// The request's connection, or `nil` when the route declared `DatabaseAccess.none`.
    public let connection: PostgresConnection?
    /// Shared services.
    public let services: WebServices
    /// Request headers.
    public let headers: HTTPFields
    /// The peer address.
    public let remoteAddress: String?
    /// The request logger.
    public let logger: Logger
    /// The request id.
    public let requestID: String
    /// The transport used.
    public let transport: AppTransport

    /// The request's connection.
    public var db: PostgresConnection {
        get throws {
            guard let connection else { throw AppError(.internalError, "This route has no database access.") }
            return connection
        }
    }

    /// The logged-in user's id (routes with `auth: .user` always have one).
    public var uid: Int64 {
        get throws {
            guard let session else { throw AppError(.authTokenExpired, "Session expired or missing") }
            return session.uid
        }
    }
}

/// A file a route answers (an invoice PDF): REST sends the bytes as an attachment, JSON-RPC the
/// envelope `{filename, content_type, content_base64}`.
public struct AppFile: Sendable, Hashable {
    /// The attachment's file name (`INV-2026-000001.pdf`).
    public let filename: String
    /// The media type (`application/pdf`).
    public let contentType: String
    /// The content.
    public let bytes: [UInt8]

    /// A file.
    public init(filename: String, contentType: String, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// What a successful application handler answers: the HTTP status (REST) and the `data` member,
/// or a file.
public struct AppResult: Sendable {
    /// 200 or 201 over REST.
    public let status: HTTPResponse.Status
    /// The `data` member of the envelope.
    public let data: JSONValue
    /// The file, for a download route (REST answers its bytes instead of the envelope).
    public let file: AppFile?

    /// An answer; `file` only for downloads.
    public init(status: HTTPResponse.Status, data: JSONValue, file: AppFile? = nil) {
        self.status = status
        self.data = data
        self.file = file
    }

    /// A 200 answer.
    public static func ok(_ data: JSONValue) -> AppResult { AppResult(status: .ok, data: data) }
    /// A 201 answer (creation).
    public static func created(_ data: JSONValue) -> AppResult { AppResult(status: .created, data: data) }
    /// A download: REST sends the bytes (`Content-Disposition: attachment`); JSON-RPC the data
    /// `{filename, content_type, content_base64}`.
    public static func file(_ file: AppFile) -> AppResult {
        AppResult(
            status: .ok,
            data: [
                "filename": .string(file.filename), "content_type": .string(file.contentType),
                "content_base64": .string(Data(file.bytes).base64EncodedString()),
            ], file: file)
    }

    /// The envelope `{"success": true, "data": …}`.
    public var envelope: JSONValue { ["success": true, "data": data] }
}

/// An application route under `/paas/api/v1`, served over both REST and JSON-RPC by one declaration.
public struct AppRoute: Sendable {
    /// The REST verb.
    public let method: HTTPRequest.Method
    /// The path below the API prefix, with `{name}` parameters (`/workspaces/{id}`).
    public let path: String
    /// Who may call it.
    public let auth: AuthLevel
    /// How it uses the database.
    public let access: DatabaseAccess
    /// The rate-limit budget each call is counted against (docs/api/rate-limits.md).
    public let rateLimit: RateLimitCategory
    /// For an `authentication` route: the login a call tries, found from the call (it may read,
    /// inside the request's database scope). The call is counted per (client address, login)
    /// before the handler runs; `nil` (or no resolver) counts it as an attempt naming no login.
    public let attemptedLogin: (@Sendable (AppCall) async throws -> String?)?
    /// The handler.
    public let handler: @Sendable (AppCall) async throws -> AppResult

    /// Declares a route. `rateLimit` defaults to `billing` for paths under `/billing`, else `general`;
    /// `attemptedLogin` matters only for `authentication` routes.
    public init(
        _ method: HTTPRequest.Method, _ path: String, auth: AuthLevel = .user, access: DatabaseAccess = .transaction,
        rateLimit: RateLimitCategory? = nil, attemptedLogin: (@Sendable (AppCall) async throws -> String?)? = nil,
        handler: @escaping @Sendable (AppCall) async throws -> AppResult
    ) {
        self.method = method
        self.path = path
        self.auth = auth
        self.access = access
        self.rateLimit = rateLimit ?? .forApplicationPath(path)
        self.attemptedLogin = attemptedLogin
        self.handler = handler
    }
}
