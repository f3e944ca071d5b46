import Hummingbird
import HummingbirdTesting
import Identity
import JSONRPC
import PostgresDriver
import ServerApp
import Testing
import TestSupport
import WoowCrypto

/// Stored password hashes: passlib's `pbkdf2_sha512` format, rehash on login, 600 000 rounds by default
/// (security guide AU-1, AU-2; paas §3).
@Suite("Password hashing: format, rehash on login, default rounds")
struct PasswordHashingTests {
    /// `$pbkdf2-sha512$<rounds>$<ab64 salt>$<ab64 checksum>` (16-byte salt, 64-byte checksum).
    static var format: Regex<(Substring, Substring, Substring, Substring)> { #/^\$pbkdf2-sha512\$([0-9]+)\$([./A-Za-z0-9]{22})\$([./A-Za-z0-9]{86})$/# }

    /// A hash made by passlib 1.7.4 (Odoo's library) for the password `admin`, 29 000 rounds.
    static let passlibAdmin = "$pbkdf2-sha512$29000$T2RvbyBzYWx0IDE2Ynl0ZQ$KtQEo6k.P5qK1ZSmsb1Codrf9VgpRQeyv9sD12PGG75thM40okFCE0vF0PJ/SITmje.4EF.tUM9ZmM.JWM5Skw"
    /// A hash made by passlib for `correct horse battery staple`, 600 000 rounds.
    static let passlib600k = "$pbkdf2-sha512$600000$V29vd1RlY2gtUGFhUy0xNg$sxYN85pAv8/0yGBt5gBhR1kPUJdyRv/RzF5BUa5gOuT0taiOqw0vaxHwoWObZuW5TIeBgEWwgEt/TwKAJVdBuw"

    static func storedHash(_ app: TestApp, login: String = "admin") async throws -> String {
        try await app.client.query("SELECT password FROM res_users WHERE login = \(login)")[0].decode(String.self, at: 0)
    }

    static func rounds(of hash: String) -> Int? {
        hash.wholeMatch(of: format).flatMap { Int($0.output.1) }
    }

    @Test func storedPasswordsArePasslibPBKDF2SHA512Hashes() async throws {
        let app = try await TestApp.make("hashformat")
        try await app.createUser(login: "one@example.com", password: "same password")
        try await app.createUser(login: "two@example.com", password: "same password")
        let admin = try await Self.storedHash(app)
        #expect(Self.rounds(of: admin) == app.configuration.identity.passwordRounds, "\(admin)")
        let one = try await Self.storedHash(app, login: "one@example.com")
        let two = try await Self.storedHash(app, login: "two@example.com")
        #expect(Self.rounds(of: one) != nil && Self.rounds(of: two) != nil)
        #expect(one != two, "the same password gets a different salt each time")
        #expect(one.split(separator: "$")[2] != two.split(separator: "$")[2])
        #expect(!one.contains("same password"))
        await app.shutdown()
    }

    @Test func aHashWithOtherRoundsIsUpgradedAtLogin() async throws {
        // The app hashes with 1000 rounds; admin's stored hash is passlib's, with 29 000.
        let app = try await TestApp.make("rehash")
        try await app.client.query("UPDATE res_users SET password = \(Self.passlibAdmin) WHERE login = 'admin'")
        try await app.application().test(.router) { client in
            // A failed login changes nothing.
            try expectOdooError(
                try await client.authenticate(app, password: "wrong"), code: 200, name: "odoo.exceptions.AccessDenied")
            #expect(try await Self.storedHash(app) == Self.passlibAdmin)

            let session = try await client.login(app)
            let upgraded = try await Self.storedHash(app)
            #expect(upgraded != Self.passlibAdmin)
            #expect(Self.rounds(of: upgraded) == 1000, "\(upgraded)")
            #expect(PasswordHasher(rounds: 1000).verify("admin", against: upgraded) == .valid(needsRehash: false))
            // The session issued by that login survives the upgrade, and the new hash logs in.
            #expect(try await client.sessionInfo(session).json["result"]?["username"] == "admin")
            _ = try await client.login(app)
            #expect(try await Self.storedHash(app) == upgraded, "no second rehash at the configured rounds")
        }
        await app.shutdown()
    }

    @Test func hashesAreUpgradedToMoreRoundsToo() async throws {
        let app = try await TestApp.make("rehashup") { $0.identity.passwordRounds = 1500 }
        let old = PasswordHasher(rounds: 1000).hash("s3cret-pass")
        try await app.client.query("UPDATE res_users SET password = \(old) WHERE login = 'admin'")
        try await app.application().test(.router) { client in
            let session = try await client.login(app, password: "s3cret-pass")
            #expect(Self.rounds(of: try await Self.storedHash(app)) == 1500)
            #expect(try await client.sessionInfo(session).json["error"] == nil)
        }
        await app.shutdown()
    }

    @Test func theDefaultIs600000Rounds() throws {
        #expect(ServerConfiguration().identity.passwordRounds == 600_000)
        #expect(IdentityConfiguration().passwordRounds == 600_000)
        #expect(try ServerConfiguration(environment: [:]).identity.passwordRounds == 600_000)
        #expect(try ServerConfiguration(environment: ["WOOW_PASSWORD_ROUNDS": "700000"]).identity.passwordRounds == 700_000)
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(environment: ["WOOW_PASSWORD_ROUNDS": "10"])
        }
    }

    @Test func aRealLoginWithA600000RoundHashWorks() async throws {
        let app = try await TestApp.make("rounds600k") { $0.identity.passwordRounds = 600_000 }
        let uid = try await app.createUser(login: "carol@example.com", password: "carol-password")
        #expect(Self.rounds(of: try await Self.storedHash(app, login: "carol@example.com")) == 600_000)
        try await app.client.query("UPDATE res_users SET password = \(Self.passlib600k) WHERE login = 'admin'")
        try await app.application().test(.router) { client in
            let admin = try await client.login(app, password: "correct horse battery staple")
            #expect(try await client.sessionInfo(admin).json["result"]?["username"] == "admin")
            // Same rounds as configured: the stored hash is left as it is.
            #expect(try await Self.storedHash(app) == Self.passlib600k)
            let carol = try await client.login(app, login: "carol@example.com", password: "carol-password")
            #expect(try await client.sessionInfo(carol).json["result"]?["uid"]?.int64Value == uid)
        }
        await app.shutdown()
    }
}
