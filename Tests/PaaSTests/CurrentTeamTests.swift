import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/user/teams` and `/user/current-team`: a user in two teams works in one at a time, and every
/// route and `call_kw` follows the switch.
@Suite("PaaS: current team")
struct CurrentTeamTests {
    /// The demo fixture plus a second team "Second Co" where the demo `member` is an admin, with
    /// the workspace "Second Lab"; and a team where `member` only has a pending invitation.
    static func make(_ label: String) async throws -> (PaaSFixture, second: Int64, invitedOnly: Int64, demo: Int64) {
        let fixture = try await PaaSFixture.make(label)
        let ids = try await fixture.app.client.withTransaction { db in
            let member = try await db.query("SELECT id FROM res_users WHERE login = 'member'")[0].decode(Int64.self, at: 0)
            let second = try await db.query(
                "INSERT INTO woow_team (name, plan, credits_balance) VALUES ('Second Co', 'free', 5) RETURNING id"
            )[0].decode(Int64.self, at: 0)
            let invited = try await db.query(
                "INSERT INTO woow_team (name, plan) VALUES ('Invited Only', 'free') RETURNING id")[0].decode(Int64.self, at: 0)
            try await db.query(
                """
                INSERT INTO woow_team_member (team_id, user_id, role, status)
                VALUES (\(second), \(member), 'admin', 'active'), (\(invited), \(member), 'user', 'pending')
                """)
            try await db.query("INSERT INTO woow_workspace (team_id, name) VALUES (\(second), 'Second Lab')")
            let demo = try await db.query("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'")[0].decode(Int64.self, at: 0)
            return (second, invited, demo)
        }
        return (fixture, ids.0, ids.1, ids.2)
    }

    /// `call_kw` `woow.workspace.search_read` names for a session.
    static func rpcWorkspaceNames(_ api: APIClient, session: String) async throws -> [String] {
        let response = try await api.client.execute(
            uri: "/web/dataset/call_kw/woow.workspace/search_read", method: .post, headers: .json(session: session),
            body: RPCBody.call([
                "model": "woow.workspace", "method": "search_read", "args": [[]],
                "kwargs": ["fields": ["name"], "order": "name"],
            ]))
        return try #require(try response.json["result"]?.arrayValue).compactMap { $0["name"]?.stringValue }
    }

    @Test(arguments: Transport.allCases) func switchingMovesEveryRouteAndCallKWToTheOtherTeam(_ via: Transport) async throws {
        let (fixture, second, _, demo) = try await Self.make("team-switch")
        try await fixture.test { api in
            let session = try await api.login("member")
            let teams = try await api.call(.get, "/user/teams", session: session, via: via).expectSuccess()
            #expect(
                teams == [
                    "items": [
                        ["id": JSONValue(demo), "name": "WoowTech Demo", "role": "user", "plan": "pro", "current": true],
                        ["id": JSONValue(second), "name": "Second Co", "role": "admin", "plan": "free", "current": false],
                    ]
                ])
            let before = try await api.call(.get, "/workspaces", session: session, via: via).expectSuccess()
            #expect(before["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Smart Home", "Staging"])
            #expect(try await Self.rpcWorkspaceNames(api, session: session) == ["Smart Home", "Staging"])

            let switched = try await api.call(.put, "/user/current-team", ["team_id": JSONValue(second)], session: session, via: via)
            #expect(switched.expectSuccess() == ["message": "Current team switched", "team": ["id": JSONValue(second), "name": "Second Co"], "role": "admin"])

            let after = try await api.call(.get, "/workspaces", session: session, via: via).expectSuccess()
            #expect(after["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Second Lab"])
            #expect(try await Self.rpcWorkspaceNames(api, session: session) == ["Second Lab"])
            let me = try await api.call(.get, "/user/me", session: session, via: via).expectSuccess()
            #expect(me["role"] == "admin")
            #expect(me["plan"] == "free")
            let stats = try await api.call(.get, "/dashboard/stats", session: session, via: via).expectSuccess()
            #expect(stats["workspace"]?["workspaces"] == ["used": 1, "limit": 2])
            let listed = try await api.call(.get, "/user/teams", session: session, via: via).expectSuccess()
            #expect(listed["items"]?.arrayValue?.map { $0["current"] } == [false, true])

            // Back again.
            try await api.call(.put, "/user/current-team", ["team_id": JSONValue(demo)], session: session, via: via).expectSuccess()
            #expect(try await Self.rpcWorkspaceNames(api, session: session) == ["Smart Home", "Staging"])
        }
    }

    @Test(arguments: Transport.allCases) func onlyTeamsOfWhichTheUserIsAMember(_ via: Transport) async throws {
        let (fixture, second, invitedOnly, _) = try await Self.make("team-switch-refused")
        let rivalTeam = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'Rival Co'", as: Int64.self)
        try await fixture.test { api in
            let session = try await api.login("member")
            let before = try await fixture.scalar(
                "SELECT coalesce(current_team_id, 0) FROM res_users WHERE login = 'member'", as: Int64.self)
            for team in [rivalTeam, invitedOnly, 999_999] {
                try await api.call(.put, "/user/current-team", ["team_id": JSONValue(team)], session: session, via: via)
                    .expect(code: "NOT_FOUND", status: .notFound)
            }
            for bad: JSONValue in [[:], ["team_id": "abc"], ["team_id": 0], ["team_id": JSONValue(second), "role": "owner"]] {
                try await api.call(.put, "/user/current-team", bad, session: session, via: via)
                    .expect(code: "VALIDATION_ERROR", status: .badRequest)
            }
            let current = try await fixture.scalar(
                "SELECT coalesce(current_team_id, 0) FROM res_users WHERE login = 'member'", as: Int64.self)
            #expect(current == before)
            #expect(try await Self.rpcWorkspaceNames(api, session: session) == ["Smart Home", "Staging"])

            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/user/teams", session: rival, via: via).expectSuccess()
            #expect(theirs["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Rival Co"])
            try await api.call(.get, "/user/teams", session: nil, via: via).expectSessionExpired()
            try await api.call(.put, "/user/current-team", ["team_id": JSONValue(second)], session: nil, via: via).expectSessionExpired()
        }
    }
}
