import HummingbirdTesting
import JSONRPC
import PostgresDriver
import Testing
import TestSupport

/// A `call_kw` read method guesses its session from the previous call of the same session and
/// confirms it with a lookup sent along with its first read. These tests change the session behind
/// the guess's back, directly in the database, and show that the next call answers as if no guess
/// had been made: expired when the session ended, with the user's current rights when they changed.
@Suite("Sessions: a guessed session is confirmed before anything is answered")
struct SessionGuessTests {
    static let searchRead: JSONValue = [
        "model": "res.partner", "method": "search_read", "args": [[]],
        "kwargs": ["fields": ["name"], "limit": 5],
    ]

    static func expectRows(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let json = try response.json
        #expect(json["error"] == nil, "\(json)", sourceLocation: sourceLocation)
        #expect((json["result"]?.arrayValue?.count ?? 0) > 0, "\(json)", sourceLocation: sourceLocation)
    }

    @Test func aSessionRevokedSinceTheLastCallIsExpired() async throws {
        let app = try await TestApp.make("guessrevoked")
        try await app.createUser(login: "bob@example.com", password: "bob-password")
        try await app.application().test(.router) { client in
            let bob = try await client.login(app, login: "bob@example.com", password: "bob-password")
            for _ in 0..<2 { try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob)) }
            try await app.client.query("DELETE FROM http_session")
            try expectOdooError(
                try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob), code: 100,
                name: "odoo.http.SessionExpiredException")
            // fields_get runs no statement: its lookup runs on its own, with the same outcome.
            try expectOdooError(
                try await client.jsonCall(
                    "/web/dataset/call_kw",
                    params: ["model": "res.partner", "method": "fields_get", "args": [], "kwargs": [:]], session: bob),
                code: 100, name: "odoo.http.SessionExpiredException")
        }
        await app.shutdown()
    }

    @Test func aDeactivatedUserIsExpiredAtOnce() async throws {
        let app = try await TestApp.make("guessinactive")
        try await app.createUser(login: "bob@example.com", password: "bob-password")
        try await app.application().test(.router) { client in
            let bob = try await client.login(app, login: "bob@example.com", password: "bob-password")
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob))
            try await app.client.query("UPDATE res_users SET active = false WHERE login = 'bob@example.com'")
            try expectOdooError(
                try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob), code: 100,
                name: "odoo.http.SessionExpiredException")
        }
        await app.shutdown()
    }

    @Test func groupsChangedSinceTheLastCallApplyToTheNextOne() async throws {
        let app = try await TestApp.make("guessgroups")
        let bobID = try await app.createUser(login: "bob@example.com", password: "bob-password")
        try await app.application().test(.router) { client in
            let bob = try await client.login(app, login: "bob@example.com", password: "bob-password")
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob))
            // Bob leaves the internal-user group, which is what grants reading contacts.
            try await app.client.query(
                """
                DELETE FROM res_groups_users_rel
                WHERE uid = \(bobID) AND gid = (SELECT id FROM res_groups WHERE xmlid = 'base.group_user')
                """)
            try expectOdooError(
                try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob), code: 200,
                name: "odoo.exceptions.AccessError")
            // And back: the call after that reads again.
            try await app.client.query(
                """
                INSERT INTO res_groups_users_rel (gid, uid)
                SELECT id, \(bobID) FROM res_groups WHERE xmlid = 'base.group_user'
                """)
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: bob))
        }
        await app.shutdown()
    }

    @Test func aGuessedCallThatFailsAnswersItsOwnError() async throws {
        let app = try await TestApp.make("guesserror")
        try await app.application().test(.router) { client in
            let admin = try await client.login(app)
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: admin))
            try await app.client.query("UPDATE http_session SET last_seen = now() - interval '2 hours'")
            let badOrder: JSONValue = [
                "model": "res.partner", "method": "search_read", "args": [[]], "kwargs": ["order": "nope"],
            ]
            try expectOdooError(
                try await client.jsonCall("/web/dataset/call_kw", params: badOrder, session: admin), code: 200,
                name: "builtins.ValueError")
            // Still the same live session afterwards.
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: admin))
        }
        await app.shutdown()
    }

    @Test func aGuessedCallStillRefreshesLastSeen() async throws {
        let app = try await TestApp.make("guesstouch")
        try await app.application().test(.router) { client in
            let admin = try await client.login(app)
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: admin))
            try await app.client.query("UPDATE http_session SET last_seen = now() - interval '2 hours'")
            try Self.expectRows(try await client.jsonCall("/web/dataset/call_kw", params: Self.searchRead, session: admin))
            let age = try await app.client.query("SELECT extract(epoch FROM now() - last_seen)::int FROM http_session")
            #expect(try age[0].decode(Int.self, at: 0) < 60)
        }
        await app.shutdown()
    }
}
