import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// `woow team create`, run as the built executable against a test database: a team for a user of
/// no team (who can then work in it), exact opening credits, and a clear error — with nothing
/// created — for an unknown login, a bad plan, negative or inexact credits and an empty name.
@Suite("CLI: woow team create")
struct TeamCommandTests {
    static func woow(_ arguments: [String], database: TestDatabase) async throws -> (status: Int32, output: String) {
        let executable = try #require(WoowProcess.executable)
        let url = try WoowProcess.connectionString(for: database)
        return try await ProcessRunner.run([executable] + arguments + ["--database-url", url, "--log-level", "warning"])
    }

    @Test(.enabled(if: WoowProcess.executable != nil, "the woow executable is built next to the tests"))
    func createsATeamOwnedByAUserOfNoTeam() async throws {
        let app = try await TestApp.make("cli-team")
        let uid = try await app.createUser(login: "founder@example.com", password: "founder-pw", name: "Fay Founder")
        let result = try await Self.woow(
            ["team", "create", "--name", "Founder Co", "--owner", "founder@example.com", "--plan", "pro", "--credits", "250.5"],
            database: app.database)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("created team Founder Co with id"), "\(result.output)")
        #expect(result.output.contains("on the pro plan with 250.50 credits, owned by founder@example.com"), "\(result.output)")
        let row = try await app.client.query(
            """
            SELECT t.id, t.plan, t.credits_balance::text, m.role, m.status, u.current_team_id = t.id,
                   (SELECT count(*)::int FROM woow_activity a
                    WHERE a.team_id = t.id AND a.action = 'created team' AND a.user_id IS NULL)
            FROM woow_team t JOIN woow_team_member m ON m.team_id = t.id JOIN res_users u ON u.id = m.user_id
            WHERE t.name = 'Founder Co' AND m.user_id = \(uid)
            """)[0]
        #expect(try row.decode(String.self, at: 1) == "pro")
        #expect(try row.decode(String.self, at: 2) == "250.50")
        #expect(try row.decode(String.self, at: 3) == "owner")
        #expect(try row.decode(String.self, at: 4) == "active")
        #expect(try row.decode(Bool.self, at: 5))
        #expect(try row.decode(Int.self, at: 6) == 1)
        // The owner logs in and works in the team.
        try await app.application().test(.router) { client in
            let session = try await client.login(app, login: "founder@example.com", password: "founder-pw")
            let me = try await client.execute(
                uri: "/paas/api/v1/user/me", method: .get, headers: [.cookie: "session_id=\(session)"])
            let data = try me.json["data"]
            #expect(data?["role"] == "owner" && data?["plan"] == "pro")
            #expect(data?["credits_balance"] == .number(JSONNumber(literal: "250.50")!))
        }
        await app.shutdown()
    }

    @Test(.enabled(if: WoowProcess.executable != nil, "the woow executable is built next to the tests"))
    func badInputIsAClearErrorAndCreatesNothing() async throws {
        let app = try await TestApp.make("cli-team-errors")
        try await app.createUser(login: "founder@example.com", password: "founder-pw")
        let before = try await app.client.query("SELECT count(*)::int FROM woow_team")[0].decode(Int.self, at: 0)
        let cases: [([String], String)] = [
            (["--name", "Ghost Co", "--owner", "ghost@example.com"], "--owner: no user has the login ghost@example.com"),
            (["--name", "Gold Co", "--owner", "founder@example.com", "--plan", "gold"], "--plan must be one of: free, pro, enterprise"),
            (["--name", "Debt Co", "--owner", "founder@example.com", "--credits", "-5"], "--credits must not be negative"),
            (["--name", "Fine Co", "--owner", "founder@example.com", "--credits", "10.005"], "--credits must be an exact amount"),
            (["--name", "Float Co", "--owner", "founder@example.com", "--credits", "1e3"], "--credits must be an exact amount"),
            (["--name", "   ", "--owner", "founder@example.com"], "--name is required"),
        ]
        for (arguments, message) in cases {
            let result = try await Self.woow(["team", "create"] + arguments, database: app.database)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.output.contains(message), "\(arguments): \(result.output)")
        }
        #expect(try await app.client.query("SELECT count(*)::int FROM woow_team")[0].decode(Int.self, at: 0) == before)
        await app.shutdown()
    }
}
