import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import JSONRPC
import ServerApp
import Testing
import TestSupport
import WebAPI

/// The login limits as an office, a CI runner or an admin script meets them (docs/security.md,
/// "Login limits"): the login rate limit counts per (address, login) pair on every login path,
/// a success forgives the failures of its own login from its own address, and the per-address
/// ceiling on failures is separate from the per-login cooldown. Every test uses `.live`, so the
/// requests have a real peer address (127.0.0.1) that they all share.
@Suite("Login limits: per (address, login), forgiving honest typos, an address ceiling on failures")
struct LoginLimitPolicyTests {
    static let colleagues = ["ana@office.example", "ben@office.example", "cai@office.example", "dee@office.example",
        "eli@office.example", "fay@office.example"]

    static func password(_ login: String) -> String { "pw-" + login }

    static func remaining(_ response: TestResponse) -> Int? { response.headers[.xRateLimitRemaining].flatMap(Int.init) }

    static func expectTooManyRequests(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(
            try response.json["error"]?["data"]?["name"] == "werkzeug.exceptions.TooManyRequests",
            "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        #expect(response.headers[.retryAfter] != nil, sourceLocation: sourceLocation)
        #expect(response.sessionCookie == nil, sourceLocation: sourceLocation)
    }

    static func expectLoggedIn(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try response.json["result"]?["uid"] != nil, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    }

    /// The failures an address has not been forgiven, as the throttle adds them up.
    static func addressFailures(_ app: TestApp) async throws -> Int {
        try await app.client.query(
            "SELECT coalesce(sum(failures), 0)::int FROM auth_login_failure WHERE address IS NOT NULL"
        )[0].decode(Int.self, at: 0)
    }

    @Test func everyLoginBehindOneAddressHasItsOwnBudgetOfFiveOnEveryPath() async throws {
        let app = try await TestApp.make("loginpairs") { $0.rateLimits = RateLimitSettings(windowSeconds: 86_400) }
        for login in Self.colleagues { try await app.createUser(login: login, password: Self.password(login)) }
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.live) { client in
            // A team behind one office NAT: six colleagues log in within one window, once each.
            for login in Self.colleagues {
                let response = try await client.authenticate(app, login: login, password: Self.password(login))
                try Self.expectLoggedIn(response)
                #expect(Self.remaining(response) == 4, "\(login)")
            }
            // An admin script of one of them logs in four more times: its own five.
            let ana = Self.colleagues[0]
            for remaining in [3, 2, 1, 0] {
                let response = try await client.authenticate(app, login: ana, password: Self.password(ana))
                try Self.expectLoggedIn(response)
                #expect(Self.remaining(response) == remaining)
            }
            // The sixth of that login is refused on every login path, whatever the login's case.
            try Self.expectTooManyRequests(try await client.authenticate(app, login: ana.uppercased(), password: "whatever"))
            try Self.expectTooManyRequests(
                try await client.rpc("common", "login", [db, .string(ana), .string(Self.password(ana))]))
            let xml = try await client.postXML(
                "/xmlrpc/2/common",
                XMLRPCTestCodec.call("authenticate", [db, .string(ana), .string(Self.password(ana)), [:]]))
            #expect(String(buffer: xml.body).contains("werkzeug.exceptions.TooManyRequests"))
            #expect(Self.remaining(xml) == 0)
            // The colleagues keep logging in, over /jsonrpc and XML-RPC too, each from their own budget.
            let ben = Self.colleagues[1]
            let rpc = try await client.rpc("common", "login", [db, .string(ben), .string(Self.password(ben))])
            #expect(try rpc.json["result"]?.intValue != nil, "\(String(buffer: rpc.body))")
            #expect(Self.remaining(rpc) == 3)
            let cai = Self.colleagues[2]
            let answer = try await client.xmlrpc("/xmlrpc/2/common", "authenticate", [db, .string(cai), .string(Self.password(cai)), [:]])
            guard case .value(let uid) = answer, uid.intValue != nil else {
                Issue.record("XML-RPC login refused: \(answer)")
                return
            }
        }
        await app.shutdown()
    }

    @Test func aUserWhoMistypesAndThenGetsInIsNotHeldAgainstTheAddress() async throws {
        // The defaults: 5 failures per login, the address ceiling, rate limits out of reach.
        let app = try await TestApp.make("loginforgive")
        let alice = try await app.createUser(login: "alice@office.example", password: "alice-password")
        try await app.createUser(login: "bob@office.example", password: "bob-password")
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.live) { client in
            /// One failure, or one success, of Alice through each login path in turn.
            func attempt(_ round: Int, password: String) async throws -> Bool {
                switch round % 4 {
                case 0:
                    return try await client.authenticate(app, login: "alice@office.example", password: password)
                        .json["result"]?["uid"] != nil
                case 1:
                    return try await client.rpc("common", "login", [db, "alice@office.example", .string(password)])
                        .json["result"]?.intValue != nil
                case 2:
                    let answer = try await client.xmlrpc(
                        "/xmlrpc/2/common", "login", [db, "alice@office.example", .string(password)])
                    if case .value(let value) = answer { return value.intValue != nil }
                    return false
                default:
                    return try await client.rpc(
                        "object", "execute_kw",
                        [db, .number(JSONNumber(alice)), .string(password), "res.partner", "search_count", [[]]]
                    ).json["result"] != nil
                }
            }
            // Two typos, then the right password — sixteen times, through every login path: 32
            // failures from this address, more than any ceiling, each answered by her success.
            for round in 0..<16 {
                #expect(try await attempt(round, password: "alice-pasword") == false)
                #expect(try await attempt(round, password: "alice-passwrd") == false)
                #expect(try await attempt(round, password: "alice-password"), "round \(round): refused")
            }
            #expect(try await Self.addressFailures(app) == 0)
            // Neither she nor a colleague behind the same address is blocked for those typos.
            try Self.expectLoggedIn(try await client.authenticate(app, login: "bob@office.example", password: "bob-password"))
            try Self.expectLoggedIn(try await client.authenticate(app, login: "alice@office.example", password: "alice-password"))
        }
        await app.shutdown()
    }

    @Test func theAddressCeilingAddsUpTheFailuresOfEveryLoginSeparatelyFromThePerLoginCooldown() async throws {
        let app = try await TestApp.make("loginceiling") { configuration in
            configuration.identity.loginCooldownAfter = 5
            configuration.identity.loginAddressFailureLimit = 8
        }
        let logins = ["u1@office.example", "u2@office.example", "u3@office.example", "u4@office.example", "u5@office.example"]
        for login in logins { try await app.createUser(login: login, password: Self.password(login)) }
        try await app.application().test(.live) { client in
            func fail(_ login: String) async throws {
                try LoginThrottleTests.expectWrongPassword(try await client.authenticate(app, login: login, password: "guess"))
            }
            // Seven failures spread over four logins: under every threshold.
            for login in logins.prefix(3) {
                try await fail(login)
                try await fail(login)
            }
            try await fail(logins[3])
            try Self.expectLoggedIn(try await client.authenticate(app, login: logins[4], password: Self.password(logins[4])))
            // u5's success forgives nothing of the others.
            #expect(try await Self.addressFailures(app) == 7)
            // The eighth: every login from this address cools down, u5's right password included,
            // although no login reached its own five.
            try await fail(logins[3])
            try LoginThrottleTests.expectCooldown(
                try await client.authenticate(app, login: logins[4], password: Self.password(logins[4])))
            // Failures age out pair by pair: once u1's are older than the cooldown, the address is
            // under the ceiling again.
            try await app.client.query(
                """
                UPDATE auth_login_failure SET last_failure = now() - interval '61 seconds'
                WHERE key LIKE '%login:u1@office.example'
                """)
            try Self.expectLoggedIn(try await client.authenticate(app, login: logins[4], password: Self.password(logins[4])))
        }
        await app.shutdown()
    }

    @Test func zeroTurnsTheAddressCeilingOffButNotThePerLoginCooldown() async throws {
        let app = try await TestApp.make("loginnoceiling") { $0.identity.loginAddressFailureLimit = 0 }
        let logins = ["v1@office.example", "v2@office.example", "v3@office.example", "v4@office.example"]
        for login in logins { try await app.createUser(login: login, password: Self.password(login)) }
        try await app.application().test(.live) { client in
            for login in logins.prefix(3) {
                for _ in 0..<4 {
                    try LoginThrottleTests.expectWrongPassword(try await client.authenticate(app, login: login, password: "guess"))
                }
            }
            try Self.expectLoggedIn(try await client.authenticate(app, login: logins[3], password: Self.password(logins[3])))
            try LoginThrottleTests.expectWrongPassword(try await client.authenticate(app, login: logins[0], password: "guess"))
            try LoginThrottleTests.expectCooldown(
                try await client.authenticate(app, login: logins[0], password: Self.password(logins[0])))
        }
        #expect(try await Self.addressFailures(app) == 0, "no pair is counted without a ceiling")
        await app.shutdown()
    }

    @Test func theCeilingIsConfiguredByEnvironment() throws {
        #expect(try ServerConfiguration(environment: [:]).identity.loginAddressFailureLimit == 30)
        #expect(
            try ServerConfiguration(environment: ["WOOW_LOGIN_ADDRESS_FAILURE_LIMIT": "200"]).identity.loginAddressFailureLimit
                == 200)
        #expect(
            try ServerConfiguration(environment: ["WOOW_LOGIN_ADDRESS_FAILURE_LIMIT": "0"]).identity.loginAddressFailureLimit == 0)
        for bad in ["-1", "lots", "2000000"] {
            #expect(throws: ConfigurationError.self) {
                try ServerConfiguration(environment: ["WOOW_LOGIN_ADDRESS_FAILURE_LIMIT": bad])
            }
        }
    }

    @Test func loginKeysAreCaseFoldedAndBounded() {
        #expect(LoginKey.of("Ana@Office.Example") == "ana@office.example")
        let long = String(repeating: "x", count: 5000)
        let key = LoginKey.of(long)
        #expect(key.hasPrefix("sha256:") && key.count == 7 + 64)
        #expect(LoginKey.of(long.uppercased()) == key)
        #expect(
            RateLimitSubject.loginAttempt(login: "Ana@Office.Example", remoteAddress: "10.0.0.7")
                == .login(address: "10.0.0.7", login: "ana@office.example"))
        #expect(RateLimitSubject.loginAttempt(login: nil, remoteAddress: nil) == .login(address: "unknown", login: ""))
    }
}
