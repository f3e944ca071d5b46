import HummingbirdTesting
import JSONRPC
import PostgresDriver
import Testing
import TestSupport

/// Secrets stay in the server and people stay in their tenant, over every RPC transport, as a
/// member of the demo team and as its owner (a system administrator too) would try it.
@Suite("Secrets and people over every RPC transport")
struct SecretFieldRPCTests {
    typealias Transport = TenantIsolationRPCTests.Transport
    static let accessError = TenantIsolationRPCTests.accessError

    /// A caller logged in over `transport` as a demo login (its password is the login).
    static func caller(_ login: String, _ app: TestApp, _ client: any TestClientProtocol, _ transport: Transport) async throws
        -> TenantIsolationRPCTests.Caller
    {
        let uid = try await app.client.query("SELECT id FROM res_users WHERE login = \(login)")[0].decode(Int64.self, at: 0)
        let session = transport == .callKW ? try await client.login(app, login: login, password: login) : nil
        return TenantIsolationRPCTests.Caller(
            transport: transport, client: client, database: app.database.name, uid: uid, password: login, session: session)
    }

    @Test(arguments: Transport.allCases)
    func passwordHashesAndTokensAreNeverGroupedSearchedNorSorted(_ transport: Transport) async throws {
        let app = try await TestApp.make("secrets_\(transport == .callKW ? "kw" : transport == .jsonRPC ? "json" : "xml")")
        try await app.application().test(.router) { client in
            let member = try await Self.caller("member", app, client, transport)
            #expect(try await member.call("res.users", "read_group", [[], ["login"], ["password"]]) == Self.accessError)
            #expect(
                try await member.call("res.users", "search_read", [[["password", "like", "$pbkdf2-sha512$600000$%"]]])
                    == Self.accessError)
            #expect(
                try await member.call("res.users", "search_count", [[["login", "=", "admin"], ["password", "like", "$pbkdf2-sha512$%"]]])
                    == Self.accessError)
            #expect(try await member.call("res.users", "search_read", [[]], ["order": "password"]) == Self.accessError)
            // What a member may read of a user shows no hash.
            let users = try #require(try await member.call("res.users", "search_read", [[]]).result)
            #expect(users.arrayValue?.isEmpty == false)
            #expect(!String(decoding: users.serialized(), as: UTF8.self).contains("pbkdf2"))

            let owner = try await Self.caller("admin", app, client, transport)
            #expect(try await owner.call("woow.payment.method", "read_group", [[], ["brand"], ["gateway_token"]]) == Self.accessError)
            #expect(try await owner.call("woow.team.invitation", "read_group", [[], ["email"], ["token_hash"]]) == Self.accessError)
            #expect(try await owner.call("woow.hub", "search_read", [[["token_hash", "!=", false]]]) == Self.accessError)
            #expect(try await owner.call("woow.tunnel", "search", [[]], ["order": "token_hash"]) == Self.accessError)
            #expect(
                try await owner.call("woow.api.token", "read_group", [[], ["token_hash:array_agg"], ["scope"]]) == Self.accessError)
            #expect(try await owner.call("woow.payment.method", "search_read", [[]], ["fields": ["gateway_token"]]) == Self.accessError)
            let cards = try #require(try await owner.call("woow.payment.method", "search_read", [[]]).result)
            #expect(cards.arrayValue?.isEmpty == false)
            #expect(cards.arrayValue?.allSatisfy { $0["gateway_token"] == nil } == true, "\(cards)")
        }
        await app.shutdown()
    }

    @Test(arguments: Transport.allCases)
    func aMemberSeesThePeopleOfTheirTeamsOnly(_ transport: Transport) async throws {
        let app = try await TestApp.make("people_\(transport == .callKW ? "kw" : transport == .jsonRPC ? "json" : "xml")")
        let rita = try await app.createUser(login: "rita@other.example", password: "rita-secret", name: "Rita Other")
        let contact = try await app.client.withTransaction { db in
            let team = try await db.query("INSERT INTO woow_team (name) VALUES ('Other Customer') RETURNING id")[0].decode(Int64.self, at: 0)
            try await db.query("INSERT INTO woow_team_member (team_id, user_id, role) VALUES (\(team), \(rita), 'owner')")
            return try await db.query(
                "INSERT INTO res_partner (name, email, team_id) VALUES ('Client of Other', 'client@other.example', \(team)) RETURNING id"
            )[0].decode(Int64.self, at: 0)
        }
        let demoUsers = try await app.client.query(
            "SELECT count(*) FROM woow_team_member m JOIN woow_team t ON t.id = m.team_id WHERE t.name = 'WoowTech Demo' AND m.user_id IS NOT NULL"
        )[0].decode(Int.self, at: 0)
        let demoContacts = try await app.client.query(
            "SELECT count(*) FROM res_partner p JOIN woow_team t ON t.id = p.team_id WHERE t.name = 'WoowTech Demo' AND p.active"
        )[0].decode(Int.self, at: 0)
        try await app.application().test(.router) { client in
            let member = try await Self.caller("member", app, client, transport)
            for model in ["res.users", "res.partner"] {
                #expect(try await member.call(model, "search_read", [[["email", "ilike", "other.example"]]]) == .result([]), "\(model)")
                #expect(try await member.call(model, "search_count", [[["name", "ilike", "Other"]]]) == .result(0), "\(model)")
            }
            #expect(try await member.call("res.users", "read", [[.number(JSONNumber(rita))], ["name"]]) == Self.accessError)
            #expect(try await member.call("res.partner", "read", [[.number(JSONNumber(contact))], ["name"]]) == Self.accessError)
            #expect(try await member.call("res.partner", "write", [[.number(JSONNumber(contact))], ["name": "pwned"]]) == Self.accessError)
            // Their own team's people are all there.
            #expect(try await member.call("res.users", "search_count", [[]]) == .result(.number(JSONNumber(demoUsers))))
            let partners = try #require(try await member.call("res.partner", "search_count", [[]]).result?.intValue)
            #expect(partners == demoContacts + demoUsers)
            // A contact a member creates belongs to their current team.
            let created = try #require(try await member.call("res.partner", "create", [["name": "New Lead"]]).result?.int64Value)
            let team = try await app.client.query("SELECT t.name FROM res_partner p JOIN woow_team t ON t.id = p.team_id WHERE p.id = \(created)")
            #expect(try team.first?.decode(String.self, at: 0) == "WoowTech Demo")

            // The system administrator keeps the global view.
            let admin = try await Self.caller("admin", app, client, transport)
            let found = try #require(try await admin.call("res.users", "search_read", [[["email", "ilike", "other.example"]]], ["fields": ["name"]]).result)
            #expect(found.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Rita Other"])
            #expect(try await admin.call("res.partner", "search_count", [[["email", "ilike", "other.example"]]]) == .result(2))
        }
        await app.shutdown()
    }
}
