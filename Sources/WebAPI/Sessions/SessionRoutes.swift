import Foundation
import HTTPTypes
import Hummingbird
import Identity
import JSONRPC
import PostgresDriver

/// Odoo's session controller: `/web/session/*`, `/web/webclient/version_info`, `/web/database/list`.
public enum SessionRoutes {
    /// The JSON routes.
    public static var jsonRoutes: [JSONRoute] {
        [
            JSONRoute(
                "/web/session/authenticate", auth: .none, access: .connection,
                rateLimit: { params in .loginAttempt(params["login"]?.stringValue) },
                handler: authenticate),
            JSONRoute("/web/session/get_session_info", auth: .user, access: .connection) { call in
                try await sessionInfo(uid: try call.uid, call: call)
            },
            // Valid session: no result (we send `null`, which every Odoo client accepts).
            JSONRoute("/web/session/check", auth: .user, access: .connection) { _ in .null },
            JSONRoute("/web/session/destroy", auth: .user, access: .connection) { call in
                if let id = call.sessionID { try await call.services.sessions.destroy(id, on: try call.db) }
                call.cookies.setSession(SessionStore.newSessionID(), settings: call.services.settings)
                return .null
            },
            JSONRoute("/web/webclient/version_info", auth: .none, access: .none) { _ in ServerVersion.info },
            JSONRoute("/web/database/list", auth: .none, access: .none) { call in
                guard call.services.settings.listDatabases else { throw ServerFault.accessDenied() }
                return [.string(call.services.settings.databaseName)]
            },
        ]
    }

    /// `POST /web/session/authenticate {db, login, password}` → session_info and a new session cookie.
    @Sendable static func authenticate(_ call: JSONCall) async throws -> JSONValue {
        let database = try call.string("db")
        let login = try call.string("login")
        let password = try call.string("password")
        guard database == call.services.settings.databaseName else {
            throw ServerFault.accessError("Database not found.")
        }
        let db = try call.db
        let uid = try await call.services.authenticator.authenticate(
            login: login, password: password, remoteAddress: call.remoteAddress, on: db)
        // Rotation: the pre-login session (if any) is revoked and a brand-new id is issued.
        if let previous = SessionCookie.sessionID(fromHeaders: call.headers) {
            try await call.services.sessions.destroy(previous, on: db)
        }
        let id = try await call.services.sessions.create(
            uid: uid, database: database, remoteAddress: call.remoteAddress, userAgent: call.headers[.userAgent], on: db)
        call.cookies.setSession(id, settings: call.services.settings)
        return try await sessionInfo(uid: uid, call: call)
    }

    static func sessionInfo(uid: Int64, call: JSONCall) async throws -> JSONValue {
        guard let profile = try await call.services.accounts.profile(uid: uid, on: try call.db) else {
            throw ServerFault.sessionExpired
        }
        return SessionInfo.json(profile: profile, call: call)
    }

    /// `GET /web/session/logout?redirect=/path`: ends the session and redirects (303) to a local
    /// path, by default the home page (`/`).
    static func logout(request: Request, context: WoowRequestContext, services: WebServices) async throws -> Response {
        if let id = SessionCookie.sessionID(in: request) {
            try await services.database.withConnection { try await services.sessions.destroy(id, on: $0) }
        }
        var target = request.uri.queryParameters["redirect"].map(String.init) ?? "/"
        // Only local paths: never an open redirect to another site. Browsers drop tabs and newlines
        // from URLs (`/\t/evil` is `//evil` to them), so control characters are refused too.
        if !target.hasPrefix("/") || target.hasPrefix("//") || target.hasPrefix("/\\")
            || target.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        {
            target = "/"
        }
        var response = Response(status: .seeOther, headers: [.location: target])
        response.headers.append(
            HTTPField(name: .setCookie, value: SessionCookie.header(for: SessionStore.newSessionID(), settings: services.settings)))
        return response
    }
}

extension SessionCookie {
    /// The session id carried by raw request headers.
    static func sessionID(fromHeaders headers: HTTPFields) -> SessionID? {
        for field in headers where field.name == .cookie {
            for pair in field.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                if let id = SessionID(cookieValue: parts[1].trimmingCharacters(in: .whitespaces)) { return id }
            }
        }
        return nil
    }
}
