import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// The Odoo session routes, compared with the shapes of the real Odoo 18 captures
/// (`odoo18-captures/01, 02, 03, 03b, 13, 13b, 15, 16`).
@Suite("Odoo JSON routes: version, authenticate, session info, destroy, logout, database list")
struct OdooSessionRouteTests {
    /// Keys of Odoo 18's session_info (capture 02) that Woow sends; the capture's web-client-only
    /// keys `websocket_worker_version`, `tour_enabled` and `current_tour` are not part of the contract.
    static let sessionInfoKeys = [
        "uid", "is_system", "is_admin", "is_public", "is_internal_user", "user_context", "db", "user_settings",
        "server_version", "server_version_info", "support_url", "name", "username", "partner_write_date",
        "partner_display_name", "partner_id", "web.base.url", "active_ids_limit", "profile_session",
        "profile_collectors", "profile_params", "max_file_upload_size", "home_action_id", "cache_hashes",
        "currencies", "bundle_params", "test_mode", "view_info", "user_companies", "show_effect",
        "display_switch_company_menu",
    ]

    static let versionInfo: JSONValue = [
        "server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""], "server_serie": "18.0",
        "protocol_version": 1,
    ]

    @Test func versionInfoNeedsNoSession() async throws {
        let app = try await TestApp.make("versioninfo")
        try await app.application().test(.router) { client in
            let response = try await client.jsonCall("/web/webclient/version_info", id: 1)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try response.json
            #expect(json == ["jsonrpc": "2.0", "id": 1, "result": Self.versionInfo])
            #expect(json["result"]?["server_version"] == "18.0")
            #expect(json["result"]?["server_version_info"] == [18, 0, 0, "final", 0, ""])
            // The envelope's key order is Odoo's: jsonrpc, id, result.
            #expect(json.objectValue?.keys == ["jsonrpc", "id", "result"])
            // A string id is echoed as a string (capture 12e).
            let stringID = try await client.jsonCall("/web/webclient/version_info", id: "abc-123")
            #expect(try stringID.json["id"] == "abc-123")
        }
        await app.shutdown()
    }

    @Test func authenticateAnswersSessionInfoAndSetsAFreshCookie() async throws {
        let app = try await TestApp.make("authok")
        let admin = try await app.client.query(
            "SELECT u.id, u.partner_id FROM res_users u WHERE u.login = 'admin'")[0]
        let uid = try admin.decode(Int64.self, at: 0)
        let partnerID = try admin.decode(Int64.self, at: 1)
        try await app.application().test(.router) { client in
            let response = try await client.authenticate(app)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["error"] == nil)
            #expect(json["id"] == 1)
            let info = try #require(json["result"])
            let keys = info.objectValue?.keys ?? []
            for key in Self.sessionInfoKeys { #expect(keys.contains(key), "session_info lacks \(key)") }
            #expect(info["uid"]?.int64Value == uid)
            #expect(info["is_system"] == true)
            #expect(info["is_admin"] == true)
            #expect(info["is_public"] == false)
            #expect(info["is_internal_user"] == true)
            let context = try #require(info["user_context"])
            #expect(context["lang"] == "en_US")
            #expect(context["uid"]?.int64Value == uid)
            // `tz` is the user's zone or `false` when unset, as in Odoo.
            #expect(context["tz"] == false || context["tz"]?.stringValue != nil)
            #expect(context.objectValue?.keys.sorted() == ["lang", "tz", "uid"])
            #expect(info["db"] == .string(app.database.name))
            #expect(info["username"] == "admin")
            #expect(info["name"] == "Mitchell Admin")
            #expect(info["partner_id"]?.int64Value == partnerID)
            #expect(info["server_version"] == "18.0")
            #expect(info["server_version_info"] == [18, 0, 0, "final", 0, ""])
            #expect(info["user_companies"]?["current_company"] == 1)
            #expect(info["home_action_id"] == false)

            // Set-Cookie: session_id=<84 url-safe chars>; …; HttpOnly; Path=/; SameSite=Lax — and no Secure.
            let header = try #require(sessionSetCookie(response))
            let value = try #require(response.sessionCookie)
            #expect(isOdoo18SessionID(value), "session id shape: \(value)")
            let attributes = cookieAttributes(header)
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("Path=/"))
            #expect(attributes.contains("SameSite=Lax"))
            #expect(attributes.contains("Max-Age=604800"))
            #expect(!attributes.contains { $0.lowercased() == "secure" }, "Secure by default: \(header)")
            #expect(!attributes.contains { $0.lowercased().hasPrefix("domain") })
            #expect(response.headers[values: .setCookie].filter { $0.hasPrefix("session_id=") }.count == 1)

            // The new cookie is a working session.
            let again = try await client.sessionInfo(value)
            #expect(try again.json["result"]?["uid"]?.int64Value == uid)
        }
        await app.shutdown()
    }

    @Test func cookieIsSecureWhenConfigured() async throws {
        let app = try await TestApp.make("securecookie") { $0.secureCookies = true }
        try await app.application().test(.router) { client in
            let response = try await client.authenticate(app)
            let header = try #require(sessionSetCookie(response))
            let attributes = cookieAttributes(header)
            #expect(attributes.contains("Secure"), "\(header)")
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Lax"))
            #expect(attributes.contains("Path=/"))
        }
        await app.shutdown()
    }

    @Test func wrongPasswordIsAccessDeniedWithoutACookie() async throws {
        let app = try await TestApp.make("authwrong")
        try await app.application().test(.router) { client in
            let response = try await client.authenticate(app, password: "wrong")
            try expectOdooError(
                response, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 1)
            #expect(response.headers[values: .setCookie].isEmpty, "no cookie on a refused login")
            // An unknown login answers exactly the same (no user enumeration).
            let unknown = try await client.authenticate(app, login: "nobody@example.com", password: "wrong")
            try expectOdooError(
                unknown, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 1)
            #expect(unknown.headers[values: .setCookie].isEmpty)
            // So does an empty password.
            let empty = try await client.authenticate(app, password: "")
            try expectOdooError(empty, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied")
        }
        await app.shutdown()
    }

    @Test func unknownDatabaseIsAccessError() async throws {
        let app = try await TestApp.make("authdb")
        try await app.application().test(.router) { client in
            let response = try await client.authenticate(app, db: "no_such_database")
            try expectOdooError(
                response, code: 200, name: "odoo.exceptions.AccessError", message: "Database not found.", id: 1)
            #expect(response.headers[values: .setCookie].isEmpty)
        }
        await app.shutdown()
    }

    @Test(arguments: ["db", "login", "password"])
    func missingParameterIsTypeError(_ missing: String) async throws {
        let app = try await TestApp.make("authparam")
        try await app.application().test(.router) { client in
            var params: JSONObject = ["db": .string(app.database.name), "login": "admin", "password": "admin"]
            params[missing] = nil
            let response = try await client.jsonCall("/web/session/authenticate", params: .object(params), id: 5)
            let data = try expectOdooError(response, code: 200, name: "builtins.TypeError", id: 5)
            #expect(data["message"]?.stringValue?.contains("'\(missing)'") == true, "\(data)")
            #expect(response.headers[values: .setCookie].isEmpty)
        }
        await app.shutdown()
    }

    @Test func sessionInfoAndCheckWithASession() async throws {
        let app = try await TestApp.make("sessioninfo")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let info = try await client.jsonCall("/web/session/get_session_info", id: 22, session: session)
            let json = try info.json
            #expect(json["id"] == 22)
            #expect(json["error"] == nil)
            #expect(json["result"]?["username"] == "admin")
            #expect(json["result"]?["db"] == .string(app.database.name))
            let check = try await client.jsonCall("/web/session/check", id: 4, session: session)
            #expect(check.status == .ok)
            let checked = try check.json
            #expect(checked["id"] == 4)
            #expect(checked["error"] == nil)
            #expect(checked["result"] == .null)
            // version_info with a session answers the same as without (capture 14).
            let version = try await client.jsonCall("/web/webclient/version_info", id: 24, session: session)
            #expect(try version.json == ["jsonrpc": "2.0", "id": 24, "result": Self.versionInfo])
        }
        await app.shutdown()
    }

    @Test(arguments: ["/web/session/get_session_info", "/web/session/check", "/web/session/destroy"])
    func userRoutesWithoutASessionAreSessionExpired(_ path: String) async throws {
        let app = try await TestApp.make("nosession")
        try await app.application().test(.router) { client in
            // As captures 04 / 13b: code 100, id null (Odoo fails before reading the request id).
            let response = try await client.jsonCall(path, id: 23)
            try expectOdooError(
                response, code: 100, name: "odoo.http.SessionExpiredException", message: "Session expired",
                id: .null)
            #expect(response.headers[values: .setCookie].isEmpty)
        }
        await app.shutdown()
    }

    @Test func destroyAnswersNullRotatesTheCookieAndRevokesTheSession() async throws {
        let app = try await TestApp.make("destroy")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let response = try await client.jsonCall("/web/session/destroy", id: 25, session: session)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["id"] == 25)
            #expect(json["error"] == nil)
            #expect(json["result"] == .null)
            let rotated = try #require(response.sessionCookie, "destroy sends a new session cookie (capture 15)")
            #expect(rotated != session)
            #expect(isOdoo18SessionID(rotated))
            // Capture 16: the old cookie no longer works.
            try expectOdooError(
                try await client.sessionInfo(session), code: 100, name: "odoo.http.SessionExpiredException",
                id: .null)
            // The new id is anonymous.
            try expectOdooError(
                try await client.sessionInfo(rotated), code: 100, name: "odoo.http.SessionExpiredException")
        }
        let remaining = try await app.client.query("SELECT count(*) FROM http_session")[0].decode(Int.self, at: 0)
        #expect(remaining == 0)
        await app.shutdown()
    }

    @Test func logoutRedirectsToALocalPathAndRevokesTheSession() async throws {
        let app = try await TestApp.make("logout")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let response = try await client.execute(
                uri: "/web/session/logout?redirect=/web/login", method: .get,
                headers: [.cookie: "session_id=\(session)"])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/web/login")
            let rotated = try #require(response.sessionCookie)
            #expect(rotated != session)
            try expectOdooError(
                try await client.sessionInfo(session), code: 100, name: "odoo.http.SessionExpiredException")
            // Without `redirect`: the home page.
            let plain = try await client.execute(uri: "/web/session/logout", method: .get)
            #expect(plain.status == .seeOther)
            #expect(plain.headers[.location] == "/")
        }
        await app.shutdown()
    }

    @Test(arguments: [
        "//evil.example", "//evil.example/odoo", "https://evil.example/", "/\\evil.example", "evil.example",
        "%2F%2Fevil.example", "javascript:alert(1)", "/%5Cevil.example",
        // Browsers drop tabs and newlines from URLs, so these are `//evil.example` to them.
        "/%09/evil.example", "/%0A/evil.example", "%09//evil.example",
    ])
    func logoutRefusesRedirectsOffSite(_ target: String) async throws {
        let app = try await TestApp.make("logoutredirect")
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/web/session/logout?redirect=\(target)", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/", "redirect=\(target) → \(response.headers[.location] ?? "-")")
        }
        await app.shutdown()
    }

    @Test func databaseListNamesTheDatabase() async throws {
        let app = try await TestApp.make("dblist")
        try await app.application().test(.router) { client in
            let response = try await client.jsonCall("/web/database/list", id: 6)
            #expect(try response.json == ["jsonrpc": "2.0", "id": 6, "result": [.string(app.database.name)]])
        }
        await app.shutdown()
    }

    @Test func databaseListCanBeHidden() async throws {
        let app = try await TestApp.make("dblisthidden") { $0.listDatabases = false }
        try await app.application().test(.router) { client in
            let response = try await client.jsonCall("/web/database/list", id: 6)
            try expectOdooError(response, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 6)
            #expect(String(buffer: response.body).contains(app.database.name) == false)
        }
        await app.shutdown()
    }
}
