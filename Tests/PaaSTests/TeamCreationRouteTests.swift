import Foundation
import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `POST /paas/api/v1/teams`, over both transports: a user of no team (as `woow user create` makes
/// them) founds one and can work in it at once; a member of another team founds one and is
/// switched to it; every input problem is a `VALIDATION_ERROR` naming its field and creates
/// nothing.
@Suite("PaaS: creating a team")
struct TeamCreationRouteTests {
    static func teams(_ fixture: PaaSFixture) async throws -> Int {
        try await fixture.scalar("SELECT count(*)::int FROM woow_team", as: Int.self)
    }

    @Test(arguments: Transport.allCases) func aUserOfNoTeamFoundsOneAndWorksInItAtOnce(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-new")
        try await fixture.app.createUser(login: "newcomer@example.com", password: "newcomer-pw", name: "Nia Newcomer")
        try await fixture.test { api in
            let session = try await api.login("newcomer@example.com", password: "newcomer-pw")
            let before = try await api.call(.post, "/workspaces", ["name": "First"], session: session, via: via)
            before.expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            #expect(before.envelope?["error"] == "You are not a member of any team.")

            let created = try await api.call(.post, "/teams", ["name": "  Acme Labs  "], session: session, via: via)
            let data = created.expectSuccess(.created)
            let id = try #require(data["id"]?.int64Value)
            #expect(data["name"] == "Acme Labs")
            #expect(data["plan"] == "free")
            #expect(data["credits_balance"] == .number(JSONNumber(literal: "0.00")!))
            #expect(data["role"] == "owner")
            #expect(data["current"] == true)
            #expect(data["message"] == "Team created successfully")

            let me = try await api.call(.get, "/user/me", session: session, via: via).expectSuccess()
            #expect(me["role"] == "owner" && me["plan"] == "free")
            let teams = try await api.call(.get, "/user/teams", session: session, via: via).expectSuccess()
            #expect(teams["items"] == [["id": .number(JSONNumber(id)), "name": "Acme Labs", "role": "owner", "plan": "free", "current": true]])
            // The owner works in it: a workspace, and the founding on the dashboard.
            try await api.call(.post, "/workspaces", ["name": "First"], session: session, via: via).expectSuccess(.created)
            let activities = try await api.call(.get, "/dashboard/activities", session: session, via: via).expectSuccess()
            let actions = activities["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            #expect(actions.contains("created team"), "\(activities)")
            #expect(
                try await fixture.scalar(
                    "SELECT count(*)::int FROM woow_activity WHERE team_id = \(id) AND action = 'created team' AND target = 'Acme Labs'",
                    as: Int.self) == 1)
        }
    }

    @Test(arguments: Transport.allCases) func aMemberOfAnotherTeamFoundsOneAndIsSwitchedToIt(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-second")
        let demo = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        try await fixture.test { api in
            let member = try await api.login("member")
            let created = try await api.call(.post, "/teams", ["name": "Side Project"], session: member, via: via)
            let id = try #require(created.expectSuccess(.created)["id"]?.int64Value)
            let teams = try await api.call(.get, "/user/teams", session: member, via: via).expectSuccess()
            let items = teams["items"]?.arrayValue ?? []
            #expect(items.map { $0["name"] } == ["WoowTech Demo", "Side Project"])
            #expect(items.map { $0["current"] } == [false, true])
            #expect(items.map { $0["role"] } == ["user", "owner"])
            // The new team is empty and theirs; the demo team's workspaces are out of this team.
            let workspaces = try await api.call(.get, "/workspaces", session: member, via: via).expectSuccess()
            #expect(workspaces["total"] == 0)
            try await api.call(.post, "/workspaces", ["name": "Own"], session: member, via: via).expectSuccess(.created)
            // Switching back is the usual switch; nobody else joined the new team.
            try await api.call(.put, "/user/current-team", ["team_id": .number(JSONNumber(demo))], session: member, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT count(*)::int FROM woow_team_member WHERE team_id = \(id)", as: Int.self) == 1)
        }
    }

    @Test(arguments: Transport.allCases) func badInputIsAValidationErrorNamingTheFieldAndCreatesNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-invalid")
        let count = try await Self.teams(fixture)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let cases: [(JSONValue, String, String)] = [
                ([:], "name", "is required"),
                (["name": "   "], "name", "is required"),
                (["name": 42], "name", "must be a string"),
                (["name": .string(String(repeating: "n", count: 129))], "name", "must be at most 128 characters"),
                (["name": "Bell\u{07}Co"], "name", "must not contain control characters"),
                (["name": "Rich Co", "plan": "enterprise"], "plan", "unknown field"),
                (["name": "Rich Co", "credits_balance": 1000], "credits_balance", "unknown field"),
            ]
            for (body, field, message) in cases {
                let answer = try await api.call(.post, "/teams", body, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                let details = answer.envelope?["details"]?.arrayValue ?? []
                #expect(details.contains(["field": .string(field), "message": .string(message)]), "\(body): \(details)")
            }
            try await api.call(.post, "/teams", ["name": "Nobody's"], session: nil, via: via).expectSessionExpired()
            #expect(try await Self.teams(fixture) == count)
        }
    }
}
