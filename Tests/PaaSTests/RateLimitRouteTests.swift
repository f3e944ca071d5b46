import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONRPC
import NIOCore
import ServerApp
import Testing
import TestSupport
import WebAPI

extension APIAnswer {
    /// `X-RateLimit-Limit`, `-Remaining`, `-Reset` and `Retry-After` as numbers (`nil` when absent).
    var rateLimit: (limit: Int?, remaining: Int?, reset: Int?, retryAfter: Int?) {
        (
            headers[.xRateLimitLimit].flatMap(Int.init), headers[.xRateLimitRemaining].flatMap(Int.init),
            headers[.xRateLimitReset].flatMap(Int.init), headers[.retryAfter].flatMap(Int.init)
        )
    }
}

extension TestResponse {
    var remainingRequests: Int? { headers[.xRateLimitRemaining].flatMap(Int.init) }
}

/// Rate limits on the application API, over both transports (docs/api/rate-limits.md): headers on
/// every answer, 429 / `RATE_LIMITED` past the budget, per user after login and per address before,
/// categories, batches, the switch and the window. The limiter itself: ServerAppTests.RateLimiterTests.
@Suite("PaaS: rate limits on the application API")
struct RateLimitRouteTests {
    /// Real limits over a day-long window (so no window ends during a test), defaults unless given.
    static func limits(_ limits: [RateLimitCategory: Int] = [:], window: Int = 86_400) -> (inout ServerConfiguration) -> Void {
        { configuration in
            configuration.rateLimits = RateLimitSettings(
                windowSeconds: window, limits: RateLimitSettings.defaultLimits.merging(limits) { $1 })
        }
    }

    @Test(arguments: Transport.allCases) func everyAnswerCarriesTheHeadersCountingDown(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-headers", configure: Self.limits())
        try await fixture.test { api in
            let admin = try await api.login("admin")
            var remaining: [Int?] = []
            for _ in 0..<3 {
                let answer = try await api.call(.get, "/user/me", session: admin, via: via)
                answer.expectSuccess()
                #expect(answer.rateLimit.limit == 100)
                #expect((1...86_400).contains(answer.rateLimit.reset ?? 0))
                #expect(answer.rateLimit.retryAfter == nil)
                remaining.append(answer.rateLimit.remaining)
            }
            #expect(remaining == [99, 98, 97])
            // Errors too, from the same budget.
            let missing = try await api.call(.get, "/workspaces/987654321", session: admin, via: via)
            missing.expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            #expect(missing.rateLimit.remaining == 96)
            let invalid = try await api.call(.post, "/workspaces", ["name": 12], session: admin, via: via)
            invalid.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(invalid.rateLimit.remaining == 95)
            // Without a session the address's own budget is counted (then the session answer).
            let anonymous = try await api.call(.get, "/user/me", session: nil, via: via)
            anonymous.expectSessionExpired()
            #expect(anonymous.rateLimit.limit == 100)
            #expect(anonymous.rateLimit.remaining == 99)
            // Unknown paths under the prefix count against the address too.
            let unknown = try await api.client.execute(uri: "/paas/api/v1/no/such/route", method: .get, headers: [:])
            #expect(unknown.status == .notFound)
            #expect(unknown.remainingRequests == 98)
        }
    }

    @Test(arguments: Transport.allCases) func theHundredAndFirstCallIsRefusedDoesNothingAndSparesOtherUsers(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-general", configure: Self.limits())
        let staging = try await fixture.workspace("Staging")
        let activities = try await fixture.scalar("SELECT count(*) FROM woow_activity", as: Int.self)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let member = try await api.login("member")
            for index in 0..<100 {
                let answer = try await api.call(.get, "/user/me", session: admin, via: via)
                #expect(answer.success && answer.rateLimit.remaining == 99 - index)
            }
            let refused = try await api.call(.put, "/workspaces/\(staging)", ["name": "Renamed"], session: admin, via: via)
            refused.expect(code: "RATE_LIMITED", status: .tooManyRequests)
            #expect(refused.envelope?["error"]?.stringValue?.contains("general") == true)
            #expect(refused.rateLimit.limit == 100)
            #expect(refused.rateLimit.remaining == 0)
            #expect(refused.rateLimit.retryAfter != nil && refused.rateLimit.retryAfter == refused.rateLimit.reset)
            // Nothing ran: the name and the activity log are untouched.
            #expect(try await fixture.scalar("SELECT name FROM woow_workspace WHERE id = \(staging)", as: String.self) == "Staging")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity", as: Int.self) == activities)
            // Still refused; another user has a budget of their own.
            try await api.call(.get, "/user/me", session: admin, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
            let other = try await api.call(.get, "/user/me", session: member, via: via)
            other.expectSuccess()
            #expect(other.rateLimit.remaining == 99)
            // The refusal comes before the session lookup: even a session deleted meanwhile is
            // answered from memory (no database work for a client over its limit).
            try await fixture.app.client.query(
                "DELETE FROM http_session WHERE uid = (SELECT id FROM res_users WHERE login = 'admin')")
            try await api.call(.get, "/user/me", session: admin, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
        }
    }

    @Test func theSixthLoginOfTheWindowIsRefusedOnEveryLoginPath() async throws {
        let fixture = try await PaaSFixture.make("rl-auth", configure: Self.limits())
        try await fixture.app.createUser(login: "eve@example.com", password: "eve-password", name: "Eve")
        let sessions = try await fixture.scalar("SELECT count(*) FROM http_session", as: Int.self)
        try await fixture.test { api in
            let client = api.client
            let login: JSONValue = ["db": .string(fixture.app.database.name), "login": "admin", "password": "admin"]
            var admin = ""
            for remaining in [4, 3, 2, 1, 0] {
                let response = try await client.execute(
                    uri: "/web/session/authenticate", method: .post, headers: .json(), body: RPCBody.call(login))
                #expect(try response.json["result"]?["uid"] != nil)
                #expect(response.headers[.xRateLimitLimit] == "5")
                #expect(response.remainingRequests == remaining)
                admin = response.sessionCookie ?? ""
            }
            // The sixth: Odoo's shape of werkzeug's TooManyRequests, nothing checked, no session.
            let sixth = try await client.execute(
                uri: "/web/session/authenticate", method: .post, headers: .json(), body: RPCBody.call(login, id: 6))
            #expect(sixth.status == .ok)
            let error = try #require(try sixth.json["error"])
            #expect(try sixth.json["id"] == 6)
            #expect(error["code"] == 200)
            #expect(error["data"]?["name"] == "werkzeug.exceptions.TooManyRequests")
            #expect(error["data"]?["message"]?.stringValue?.hasPrefix("429 Too Many Requests") == true)
            #expect(sixth.remainingRequests == 0)
            #expect(sixth.headers[.retryAfter].flatMap(Int.init) != nil)
            #expect(sixth.sessionCookie == nil)
            #expect(try await fixture.scalar("SELECT count(*) FROM http_session", as: Int.self) == sessions + 5)
            // The same login's budget covers /jsonrpc common.login and /xmlrpc/2/common authenticate ...
            let rpc = try await client.execute(
                uri: "/jsonrpc", method: .post, headers: .json(),
                body: RPCBody.call(["service": "common", "method": "login", "args": [.string(fixture.app.database.name), "admin", "admin"]]))
            #expect(try rpc.json["error"]?["data"]?["name"] == "werkzeug.exceptions.TooManyRequests")
            #expect(rpc.headers[.retryAfter] != nil)
            let xml = """
                <?xml version="1.0"?><methodCall><methodName>authenticate</methodName><params>\
                <param><value><string>\(fixture.app.database.name)</string></value></param>\
                <param><value><string>admin</string></value></param><param><value><string>admin</string></value></param>\
                <param><value><struct></struct></value></param></params></methodCall>
                """
            let xmlAnswer = try await client.execute(
                uri: "/xmlrpc/2/common", method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: xml))
            #expect(String(buffer: xmlAnswer.body).contains("<name>faultCode</name>"))
            #expect(String(buffer: xmlAnswer.body).contains("werkzeug.exceptions.TooManyRequests"))
            #expect(xmlAnswer.remainingRequests == 0)
            // ... and the public invitation acceptance, a login attempt for the invited e-mail, over
            // both transports.
            try await api.call(.post, "/team/invite", ["email": "eve@example.com", "role": "user"], session: admin, via: .rest)
                .expectSuccess(.created)
            let token = try await fixture.invitationToken(to: "eve@example.com")
            for _ in 0..<5 { _ = try await api.login("eve@example.com", password: "eve-password") }
            for via in Transport.allCases {
                let accept = try await api.call(
                    .post, "/team/invite/accept", ["token": .string(token), "name": "Eve", "password": "eve-password"],
                    session: nil, via: via)
                accept.expect(code: "RATE_LIMITED", status: .tooManyRequests)
                #expect(accept.rateLimit.limit == 5 && accept.rateLimit.retryAfter != nil)
            }
            // A token that names no invitation names no login: such attempts have a budget of their own.
            let unknown = try await api.call(
                .post, "/team/invite/accept", ["token": "whatever", "name": "Eve", "password": "long-enough-1"], session: nil,
                via: .rest)
            unknown.expect(code: "NOT_FOUND", status: .notFound)
            #expect(unknown.rateLimit.remaining == 4)
            // Other RPC methods are not login attempts, and the sessions already open keep working.
            let version = try await client.execute(
                uri: "/jsonrpc", method: .post, headers: .json(), body: RPCBody.call(["service": "common", "method": "version", "args": []]))
            #expect(try version.json["result"]?["server_version"] == "18.0")
            #expect(version.headers[.xRateLimitLimit] == nil)
            #expect(!admin.isEmpty)
            let me = try await api.call(.get, "/user/me", session: admin, via: .rest)
            me.expectSuccess()
            #expect(me.rateLimit.limit == 100)
        }
    }

    @Test func aJSONRPCBatchCountsEachCall() async throws {
        let fixture = try await PaaSFixture.make("rl-batch", configure: Self.limits([.general: 5]))
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let calls = (1...7).map { id -> JSONValue in ["jsonrpc": "2.0", "method": "get", "params": [:], "id": .number(JSONNumber(id))] }
            let batch = JSONValue.array(calls)
            let response = try await api.client.execute(
                uri: "/paas/api/v1/user/me", method: .post, headers: .json(session: admin), body: ByteBuffer(bytes: batch.serialized()))
            #expect(response.status == .ok)
            let answers = try #require(try response.json.arrayValue)
            #expect(answers.map { $0["result"]?["success"] } == [true, true, true, true, true, false, false])
            #expect(answers.suffix(2).allSatisfy { $0["result"]?["code"] == "RATE_LIMITED" })
            #expect(response.headers[.xRateLimitLimit] == "5")
            #expect(response.remainingRequests == 0)
            #expect(response.headers[.retryAfter] != nil)
        }
    }

    @Test(arguments: Transport.allCases) func beforeLoginTheAddressIsCountedAfterLoginTheUser(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-address", configure: Self.limits([.general: 3]))
        // `.live`: a real socket, so requests have a remote address (127.0.0.1).
        try await fixture.app.application().test(.live) { client in
            let api = APIClient(client: client, app: fixture.app)
            for remaining in [2, 1, 0] {
                let answer = try await api.call(.get, "/marketplace/apps", session: nil, via: via)
                answer.expectSuccess()
                #expect(answer.rateLimit.remaining == remaining)
            }
            try await api.call(.get, "/marketplace/apps", session: nil, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
            // The address's budget is spent for every anonymous call: 429 comes before 401 / 404.
            try await api.call(.get, "/user/me", session: nil, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
            let unknown = try await client.execute(uri: "/paas/api/v1/nowhere", method: .get, headers: [:])
            #expect(unknown.status == .tooManyRequests)
            // Logging in is another budget; then the same address is counted as its user.
            let admin = try await api.login("admin")
            let logged = try await api.call(.get, "/marketplace/apps", session: admin, via: via)
            logged.expectSuccess()
            #expect(logged.rateLimit.remaining == 2)
        }
        await fixture.app.shutdown()
    }

    @Test(arguments: Transport.allCases) func twoServersOnOneDatabaseShareTheBudget(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-two", configure: Self.limits([.general: 10]))
        let second = TestApp.attach(to: fixture.app.database, configure: Self.limits([.general: 10]))
        try await fixture.app.application().test(.router) { firstClient in
            try await second.application().test(.router) { secondClient in
                let first = APIClient(client: firstClient, app: fixture.app)
                let other = APIClient(client: secondClient, app: second)
                let admin = try await first.login("admin")
                for _ in 0..<6 { try await first.call(.get, "/user/me", session: admin, via: via).expectSuccess() }
                // The second server knows only its own requests until it synchronizes.
                for remaining in [9, 8, 7, 6] {
                    let answer = try await other.call(.get, "/user/me", session: admin, via: via)
                    answer.expectSuccess()
                    #expect(answer.rateLimit.remaining == remaining)
                }
                // What each server's RateLimitSynchronizer does every 250 ms.
                try await fixture.app.services.rateLimiter.synchronize(using: fixture.app.client)
                try await second.services.rateLimiter.synchronize(using: second.client)
                try await other.call(.get, "/user/me", session: admin, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
                try await fixture.app.services.rateLimiter.synchronize(using: fixture.app.client)
                try await first.call(.get, "/user/me", session: admin, via: via).expect(code: "RATE_LIMITED", status: .tooManyRequests)
            }
        }
        await second.shutdown()
        await fixture.app.shutdown()
    }

    @Test(arguments: Transport.allCases) func theUploadRouteHasItsOwnBudget(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-upload", configure: Self.limits([.upload: 2]))
        try await fixture.test { api in
            let admin = try await api.login("admin")
            for remaining in [1, 0] {
                let answer = try await api.call(.put, "/settings/profile", ["name": .string("Ada \(remaining)")], session: admin, via: via)
                answer.expectSuccess()
                #expect(answer.rateLimit.limit == 2)
                #expect(answer.rateLimit.remaining == remaining)
            }
            let refused = try await api.call(.put, "/settings/profile", ["name": "Too Many"], session: admin, via: via)
            refused.expect(code: "RATE_LIMITED", status: .tooManyRequests)
            #expect(refused.envelope?["error"]?.stringValue?.contains("upload") == true)
            // Reads of the same path are general requests.
            let read = try await api.call(.get, "/settings/profile", session: admin, via: via)
            #expect(read.expectSuccess()["name"] == "Ada 0")
            #expect(read.rateLimit.limit == 100)
        }
    }

    @Test(arguments: Transport.allCases) func theSwitchTurnsLimitingOff(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-off") { configuration in
            configuration.rateLimits = RateLimitSettings(enabled: false, limits: [.general: 1, .authentication: 1])
        }
        try await fixture.test { api in
            for _ in 0..<3 { _ = try await api.login("admin") }
            let admin = try await api.login("admin")
            for _ in 0..<5 {
                let answer = try await api.call(.get, "/user/me", session: admin, via: via)
                answer.expectSuccess()
                #expect(answer.headers[.xRateLimitLimit] == nil && answer.headers[.xRateLimitRemaining] == nil)
            }
        }
    }

    @Test(arguments: Transport.allCases) func aNewWindowRestoresTheBudget(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("rl-window", configure: Self.limits([.general: 1], window: 2))
        try await fixture.test { api in
            let admin = try await api.login("admin")
            // Two calls may straddle a window boundary; a third cannot be needed more than once.
            var refused: APIAnswer?
            for _ in 0..<3 where refused == nil {
                let answer = try await api.call(.get, "/user/me", session: admin, via: via)
                if !answer.success { refused = answer }
            }
            let refusal = try #require(refused)
            refusal.expect(code: "RATE_LIMITED", status: .tooManyRequests)
            let wait = try #require(refusal.rateLimit.reset)
            #expect((1...2).contains(wait))
            try await Task.sleep(for: .milliseconds(wait * 1000 + 200))
            let again = try await api.call(.get, "/user/me", session: admin, via: via)
            again.expectSuccess()
            #expect(again.rateLimit.remaining == 0)
        }
    }
}
