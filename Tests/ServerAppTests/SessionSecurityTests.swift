import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import JSONRPC
import PostgresDriver
import ServerApp
import Testing
import TestSupport
import WoowCrypto

/// Session fixation, storage, revocation and expiry (security guide §6.4, paas §3).
@Suite("Sessions: rotation, hashed storage, revocation, expiry, sharing")
struct SessionSecurityTests {
    static func expectExpired(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectOdooError(
            response, code: 100, name: "odoo.http.SessionExpiredException", message: "Session expired",
            sourceLocation: sourceLocation)
    }

    @Test func everyLoginIssuesABrandNewID() async throws {
        let app = try await TestApp.make("rotation")
        try await app.application().test(.router) { client in
            let first = try await client.login(app)
            let second = try await client.login(app)
            #expect(first != second)
            // Two independent logins are two live sessions.
            #expect(try await client.sessionInfo(first).json["result"] != nil)
            #expect(try await client.sessionInfo(second).json["result"] != nil)
        }
        await app.shutdown()
    }

    @Test func loggingInWithACookieRevokesThatSession() async throws {
        let app = try await TestApp.make("fixation")
        try await app.createUser(login: "bob@example.com", password: "bob-password")
        try await app.application().test(.router) { client in
            let before = try await client.login(app)
            // Log in again (even as somebody else) while presenting the old cookie.
            let after = try await client.login(
                app, login: "bob@example.com", password: "bob-password", session: before)
            #expect(after != before)
            try Self.expectExpired(try await client.sessionInfo(before))
            #expect(try await client.sessionInfo(after).json["result"]?["username"] == "bob@example.com")
            // A cookie value the server never issued is not adopted either (fixation).
            let planted = String(repeating: "x", count: 84)
            let issued = try await client.login(app, session: planted)
            #expect(issued != planted)
            try Self.expectExpired(try await client.sessionInfo(planted))
        }
        await app.shutdown()
    }

    @Test func theSessionIDIsStoredOnlyHashed() async throws {
        let app = try await TestApp.make("hashedsid")
        let cookie = try await app.application().test(.router) { client in try await client.login(app) }
        let rows = try await app.client.query("SELECT row_to_json(s)::text, sid_hash FROM http_session s")
        #expect(rows.rowCount == 1)
        let row = try #require(rows.first)
        let text = try row.decode(String.self, at: 0)
        #expect(!text.contains(cookie), "a column holds the session id in clear: \(text)")
        // No column equals the cookie value, in any encoding of the bytes either.
        let columns = try await app.client.query(
            """
            SELECT count(*) FROM http_session s, jsonb_each_text(to_jsonb(s)) AS c(key, value)
            WHERE c.value = \(cookie) OR c.value = \("\\x" + Array(cookie.utf8).hexString)
            """)
        #expect(try columns[0].decode(Int.self, at: 0) == 0)
        // What is stored is the SHA-256 of the id.
        let stored = try row.decode(PostgresBytes.self, at: 1)
        #expect(stored.bytes == Digest.sha256(cookie))
        await app.shutdown()
    }

    @Test func changingThePasswordEndsExistingSessions() async throws {
        let app = try await TestApp.make("pwchange")
        try await app.application().test(.router) { client in
            let first = try await client.login(app)
            let second = try await client.login(app)
            try await app.client.withConnection { db in
                try await app.services.accounts.setPassword(login: "admin", password: "new-password", on: db)
            }
            try Self.expectExpired(try await client.sessionInfo(first))
            try Self.expectExpired(try await client.jsonCall("/web/session/check", session: second))
            // The old password no longer logs in; the new one does.
            let old = try await client.authenticate(app)
            try expectOdooError(old, code: 200, name: "odoo.exceptions.AccessDenied")
            let fresh = try await client.login(app, password: "new-password")
            #expect(try await client.sessionInfo(fresh).json["result"]?["username"] == "admin")
        }
        await app.shutdown()
    }

    @Test func changingTheLoginEndsExistingSessions() async throws {
        let app = try await TestApp.make("loginchange")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            try await app.client.query("UPDATE res_users SET login = 'root' WHERE login = 'admin'")
            try Self.expectExpired(try await client.sessionInfo(session))
        }
        await app.shutdown()
    }

    @Test func deactivatingTheUserEndsItsSessions() async throws {
        let app = try await TestApp.make("deactivate")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            try await app.client.query("UPDATE res_users SET active = false WHERE login = 'admin'")
            try Self.expectExpired(try await client.sessionInfo(session))
            let me = try await client.execute(
                uri: "/paas/api/v1/user/me", method: .get, headers: [.cookie: "session_id=\(session)"])
            #expect(me.status == .unauthorized)
            // A deactivated user cannot log in again either.
            let refused = try await client.authenticate(app)
            try expectOdooError(refused, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied")
        }
        await app.shutdown()
    }

    @Test func anInactiveSessionExpires() async throws {
        let app = try await TestApp.make("expiry") { $0.identity.sessionMaxInactivity = .seconds(3600) }
        try await app.application().test(.router) { client in
            let stale = try await client.login(app)
            let fresh = try await client.login(app)
            // Age one session beyond the limit (and the other just inside it).
            try await app.client.query(
                "UPDATE http_session SET last_seen = now() - interval '3601 seconds' WHERE sid_hash = \(PostgresBytes(Digest.sha256(stale)))")
            try await app.client.query(
                "UPDATE http_session SET last_seen = now() - interval '3000 seconds' WHERE sid_hash = \(PostgresBytes(Digest.sha256(fresh)))")
            try Self.expectExpired(try await client.sessionInfo(stale))
            #expect(try await client.sessionInfo(fresh).json["result"] != nil)
            // Using the live session moved its last_seen forward (activity extends the idle limit).
            let age = try await app.client.query(
                "SELECT extract(epoch FROM now() - last_seen)::int FROM http_session WHERE sid_hash = \(PostgresBytes(Digest.sha256(fresh)))")
            #expect(try age[0].decode(Int.self, at: 0) < 3000)
        }
        // The reaper's purge removes the expired row.
        let removed = try await app.client.withConnection { try await app.services.sessions.purgeExpired(on: $0) }
        #expect(removed == 1)
        await app.shutdown()
    }

    @Test(arguments: [
        "abc", String(repeating: "A", count: 83), String(repeating: "A", count: 85),
        String(repeating: "!", count: 84), "' OR '1'='1", String(repeating: "é", count: 84),
    ])
    func aMalformedCookieIsIgnored(_ value: String) async throws {
        let app = try await TestApp.make("badcookie")
        try await app.application().test(.router) { client in
            // An auth=user route sees an anonymous caller: the ordinary session-expired answer.
            try Self.expectExpired(try await client.sessionInfo(value))
            // An auth=none route is unaffected.
            let version = try await client.jsonCall("/web/webclient/version_info", session: value)
            #expect(try version.json["result"]?["server_version"] == "18.0")
            // A login with it works and issues a proper id.
            let issued = try await client.login(app, session: value)
            #expect(isOdoo18SessionID(issued))
        }
        await app.shutdown()
    }

    @Test func theSessionIDInTheURLOrAHeaderIsIgnored() async throws {
        let app = try await TestApp.make("sidurl")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let query = try await client.execute(
                uri: "/web/session/get_session_info?session_id=\(session)", method: .post, headers: .json(),
                body: RPCBody.call())
            try Self.expectExpired(query)
            var headers = HTTPFields.json()
            headers[HTTPField.Name("X-Openerp-Session-Id")!] = session
            headers[HTTPField.Name("Session-Id")!] = session
            let header = try await client.execute(
                uri: "/web/session/get_session_info", method: .post, headers: headers, body: RPCBody.call())
            try Self.expectExpired(header)
        }
        await app.shutdown()
    }

    @Test func twoInstancesOnOneDatabaseShareSessions() async throws {
        let first = try await TestApp.make("shared")
        let second = TestApp.attach(to: first.database)
        let cookie = try await first.application().test(.router) { client in try await client.login(first) }
        try await second.application().test(.router) { client in
            let info = try await client.sessionInfo(cookie)
            #expect(try info.json["result"]?["username"] == "admin")
            let me = try await client.execute(
                uri: "/paas/api/v1/user/me", method: .get, headers: [.cookie: "session_id=\(cookie)"])
            #expect(me.status == .ok)
            // Logging out on the second instance ends the session for the first one too.
            let destroyed = try await client.jsonCall("/web/session/destroy", session: cookie)
            #expect(try destroyed.json["error"] == nil)
        }
        try await first.application().test(.router) { client in
            try Self.expectExpired(try await client.sessionInfo(cookie))
        }
        await second.shutdown()
        await first.shutdown()
    }
}
