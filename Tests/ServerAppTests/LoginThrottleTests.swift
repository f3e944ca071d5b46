import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import JSONRPC
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// The failed-login cooldown: per login and per address, stored in `auth_login_failure` so every
/// instance shares it (the policy as a whole: LoginLimitPolicyTests).
@Suite("Login throttle: per login, per address, shared, configurable")
struct LoginThrottleTests {
    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.identity.loginCooldownAfter = 5
        configuration.identity.loginCooldownDuration = .seconds(60)
    }

    static let cooldownMessage = AuthenticationError.cooldown.message

    static func expectCooldown(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectOdooError(
            response, code: 200, name: "odoo.exceptions.AccessDenied", message: cooldownMessage,
            sourceLocation: sourceLocation)
        #expect(response.headers[values: .setCookie].isEmpty, sourceLocation: sourceLocation)
    }

    static func expectWrongPassword(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectOdooError(
            response, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied",
            sourceLocation: sourceLocation)
    }

    static func failures(_ app: TestApp) async throws -> [String: Int] {
        var counters: [String: Int] = [:]
        for row in try await app.client.query("SELECT key, failures FROM auth_login_failure").rows {
            counters[try row.decode(String.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        return counters
    }

    @Test func theRightPasswordIsRefusedAfterFiveFailures() async throws {
        let app = try await TestApp.make("cooldown", configure: Self.configure)
        #expect(Self.cooldownMessage.contains("Too many login failures"))
        try await app.application().test(.router) { client in
            for _ in 0..<5 { try Self.expectWrongPassword(try await client.authenticate(app, password: "wrong")) }
            try Self.expectCooldown(try await client.authenticate(app))
            // Still refused on the next try, and a wrong password gets the cooldown answer too.
            try Self.expectCooldown(try await client.authenticate(app, password: "wrong"))
        }
        #expect(try await Self.failures(app)["login:admin"] == 5)
        await app.shutdown()
    }

    @Test func fewerFailuresThanTheThresholdDoNotBlockAndSuccessClearsTheLoginCounter() async throws {
        let app = try await TestApp.make("belowthreshold", configure: Self.configure)
        try await app.application().test(.router) { client in
            for _ in 0..<4 { try Self.expectWrongPassword(try await client.authenticate(app, password: "wrong")) }
            #expect(try await Self.failures(app)["login:admin"] == 4)
            _ = try await client.login(app)
            #expect(try await Self.failures(app)["login:admin"] == nil)
            // The budget starts again: four more failures still do not block.
            for _ in 0..<4 { try Self.expectWrongPassword(try await client.authenticate(app, password: "wrong")) }
            _ = try await client.login(app)
        }
        await app.shutdown()
    }

    @Test func theLoginKeyIgnoresCase() async throws {
        let app = try await TestApp.make("cooldowncase", configure: Self.configure)
        try await app.application().test(.router) { client in
            for login in ["Admin", "ADMIN", "aDmIn", "admiN", "ADMIn"] {
                try Self.expectWrongPassword(try await client.authenticate(app, login: login, password: "wrong"))
            }
            try Self.expectCooldown(try await client.authenticate(app))
        }
        await app.shutdown()
    }

    @Test func anAddressThatSpentItsBudgetIsThrottledForEveryLogin() async throws {
        let app = try await TestApp.make("cooldownip") { configuration in
            Self.configure(&configuration)
            configuration.identity.loginAddressFailureLimit = 5
        }
        try await app.createUser(login: "alice@example.com", password: "alice-password")
        try await app.createUser(login: "bob@example.com", password: "bob-password")
        // `.live`: a real socket, so requests have a remote address.
        try await app.application().test(.live) { client in
            for _ in 0..<5 {
                try Self.expectWrongPassword(
                    try await client.authenticate(app, login: "alice@example.com", password: "wrong"))
            }
            // Bob has no failures of his own, but this address has spent its budget.
            try Self.expectCooldown(
                try await client.authenticate(app, login: "bob@example.com", password: "bob-password"))
        }
        let counters = try await Self.failures(app)
        #expect(counters["login:alice@example.com"] == 5)
        #expect(counters["login:bob@example.com"] == nil, "a refused-by-cooldown attempt is not a failure")
        // The address's failures are counted per (address, login) pair.
        let addresses = counters.filter { $0.key.hasPrefix("ip:") }
        #expect(addresses.count == 1, "\(counters)")
        #expect(addresses.first?.key.hasSuffix(" login:alice@example.com") == true)
        #expect(addresses.values.first == 5)
        await app.shutdown()
    }

    @Test func anotherLoginFromAnAddressBelowTheThresholdIsFine() async throws {
        let app = try await TestApp.make("iplow", configure: Self.configure)
        try await app.createUser(login: "alice@example.com", password: "alice-password")
        try await app.createUser(login: "bob@example.com", password: "bob-password")
        try await app.application().test(.live) { client in
            for _ in 0..<3 {
                try Self.expectWrongPassword(
                    try await client.authenticate(app, login: "alice@example.com", password: "wrong"))
            }
            let bob = try await client.login(app, login: "bob@example.com", password: "bob-password")
            #expect(try await client.sessionInfo(bob).json["result"]?["username"] == "bob@example.com")
            // Bob's success clears nothing of Alice's failures from this address.
            let counters = try await Self.failures(app)
            #expect(counters.filter { $0.key.hasPrefix("ip:") }.values.reduce(0, +) == 3, "\(counters)")
            _ = try await client.login(app, login: "alice@example.com", password: "alice-password")
        }
        // Alice's success clears her login's counter and her own failures from this address.
        let counters = try await Self.failures(app)
        #expect(counters["login:alice@example.com"] == nil)
        #expect(counters.filter { $0.key.hasPrefix("ip:") }.isEmpty, "\(counters)")
        await app.shutdown()
    }

    @Test func countersAreSharedBetweenInstances() async throws {
        let first = try await TestApp.make("cooldownshared", configure: Self.configure)
        let second = TestApp.attach(to: first.database, configure: Self.configure)
        try await first.application().test(.router) { client in
            for _ in 0..<3 { try Self.expectWrongPassword(try await client.authenticate(first, password: "wrong")) }
        }
        try await second.application().test(.router) { client in
            for _ in 0..<2 { try Self.expectWrongPassword(try await client.authenticate(second, password: "wrong")) }
            try Self.expectCooldown(try await client.authenticate(second))
        }
        try await first.application().test(.router) { client in
            try Self.expectCooldown(try await client.authenticate(first))
        }
        #expect(try await Self.failures(first)["login:admin"] == 5)
        await second.shutdown()
        await first.shutdown()
    }

    @Test func zeroDisablesTheThrottle() async throws {
        let app = try await TestApp.make("nocooldown") { $0.identity.loginCooldownAfter = 0 }
        try await app.application().test(.live) { client in
            for _ in 0..<12 { try Self.expectWrongPassword(try await client.authenticate(app, password: "wrong")) }
            _ = try await client.login(app)
        }
        #expect(try await Self.failures(app).isEmpty)
        await app.shutdown()
    }

    @Test func loginsWorkAgainOnceTheCooldownHasPassed() async throws {
        let app = try await TestApp.make("cooldownover", configure: Self.configure)
        try await app.application().test(.router) { client in
            for _ in 0..<5 { try Self.expectWrongPassword(try await client.authenticate(app, password: "wrong")) }
            try Self.expectCooldown(try await client.authenticate(app))
            // Just inside the window: still refused.
            try await app.client.query(
                "UPDATE auth_login_failure SET last_failure = now() - interval '50 seconds'")
            try Self.expectCooldown(try await client.authenticate(app))
            // Past the window (the time hook is the stored timestamp).
            try await app.client.query(
                "UPDATE auth_login_failure SET last_failure = now() - interval '61 seconds'")
            let session = try await client.login(app)
            #expect(try await client.sessionInfo(session).json["result"] != nil)
            // The success cleared the login's counter: a new failure counts from one.
            try Self.expectWrongPassword(try await client.authenticate(app, login: "admin", password: "wrong"))
        }
        #expect(try await Self.failures(app)["login:admin"] == 1)
        await app.shutdown()
    }

    @Test func countersThatNoLongerCountArePurgedWithoutWaitingForALogin() async throws {
        let app = try await TestApp.make("cooldownpurge", configure: Self.configure)
        try await app.client.query(
            """
            INSERT INTO auth_login_failure (key, failures, last_failure, address) VALUES
              ('login:old', 3, now() - interval '61 seconds', NULL),
              ('ip:10.0.0.7 login:old', 3, now() - interval '61 seconds', '10.0.0.7'),
              ('login:recent', 2, now() - interval '30 seconds', NULL)
            """)
        // A login holds an expired counter right now: the purge skips it rather than wait.
        let gate = try await LoginGate.close(on: app.database, login: "busy")
        let authenticator = app.services.authenticator
        let removed = try await app.client.withConnection { try await authenticator.purgeExpiredFailures(on: $0) }
        #expect(removed == 2)
        #expect(Set(try await Self.failures(app).keys) == ["login:recent", "login:busy"])
        await gate.close()
        #expect(try await app.client.withConnection { try await authenticator.purgeExpiredFailures(on: $0) } == 1)
        #expect(Set(try await Self.failures(app).keys) == ["login:recent"])
        await app.shutdown()
    }
}
