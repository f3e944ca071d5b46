import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// Creating teams and members through the generic model RPC: system administrators
/// (`base.group_system`) onboard customers with `create` on `woow.team` and `woow.team.member`;
/// everybody else is refused, nobody sets balances or writes teams there, and reading stays
/// scoped to one's own teams for administrators too.
@Suite("PaaS: teams and members through call_kw")
struct TeamRPCAccessTests {
    static func callKW(_ api: APIClient, _ model: String, _ method: String, _ args: JSONValue, session: String)
        async throws -> (result: JSONValue?, error: String?)
    {
        try await WorkspaceModelRPCTests.callKW(api, model, method, args, session: session)
    }

    @Test func aSystemAdministratorFoundsATeamWithItsOwnerAndAddsAMember() async throws {
        let fixture = try await PaaSFixture.make("team-rpc-admin")
        let owner = try await fixture.app.createUser(login: "olga@customer.example", password: "olga-password", name: "Olga")
        let colleague = try await fixture.app.createUser(login: "carl@customer.example", password: "carl-password", name: "Carl")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            // One call: the team on a plan, and its owner through `member_ids`.
            let team = try await Self.callKW(
                api, "woow.team", "create",
                [["name": "Customer Co", "plan": "pro", "member_ids": [[0, 0, ["user_id": .number(JSONNumber(owner)), "role": "owner"]]]]],
                session: admin)
            #expect(team.error == nil, "\(team)")
            let teamID = try #require(team.result?.int64Value)
            // A member on its own.
            let member = try await Self.callKW(
                api, "woow.team.member", "create",
                [["team_id": .number(JSONNumber(teamID)), "user_id": .number(JSONNumber(colleague)), "role": "admin"]],
                session: admin)
            #expect(member.error == nil, "\(member)")
            #expect(
                try await fixture.scalar(
                    "SELECT string_agg(role || ':' || status, ',' ORDER BY role) FROM woow_team_member WHERE team_id = \(teamID)",
                    as: String.self) == "admin:active,owner:active")

            // The customers work in their team at once (it is their only one, hence current).
            let olga = try await api.login("olga@customer.example", password: "olga-password")
            let me = try await api.call(.get, "/user/me", session: olga, via: .rest).expectSuccess()
            #expect(me["role"] == "owner" && me["plan"] == "pro" && me["credits_balance"] == .number(JSONNumber(literal: "0.00")!))
            let carl = try await api.login("carl@customer.example", password: "carl-password")
            #expect(try await api.call(.get, "/user/me", session: carl, via: .jsonRPC).expectSuccess()["role"] == "admin")

            // The administrator founded it but is not in it: reads and writes stay scoped to their teams.
            let seen = try await Self.callKW(api, "woow.team", "search_read", [[], ["name"]], session: admin)
            #expect(seen.result?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["WoowTech Demo"])
            let renamed = try await Self.callKW(
                api, "woow.team", "write", [[.number(JSONNumber(teamID))], ["name": "Mine Now"]], session: admin)
            #expect(renamed.error == "odoo.exceptions.AccessError")
        }
    }

    @Test func balancesAndStatusesStayTheServersEvenForAdministrators() async throws {
        let fixture = try await PaaSFixture.make("team-rpc-money")
        let count = try await fixture.scalar("SELECT count(*)::int FROM woow_team", as: Int.self)
        let rival = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'rival'", as: Int64.self)
        let demo = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let rich = try await Self.callKW(api, "woow.team", "create", [["name": "Rich Co", "credits_balance": 1_000_000]], session: admin)
            #expect(rich.error == "odoo.exceptions.AccessError")
            let reload = try await Self.callKW(api, "woow.team", "create", [["name": "Reload Co", "auto_reload_enabled": true]], session: admin)
            #expect(reload.error == "odoo.exceptions.AccessError")
            let pending = try await Self.callKW(
                api, "woow.team.member", "create",
                [["team_id": .number(JSONNumber(demo)), "user_id": .number(JSONNumber(rival)), "role": "user", "status": "pending"]],
                session: admin)
            #expect(pending.error == "odoo.exceptions.AccessError")
            // A bad plan or role is a validation error, not a half-made team.
            let plan = try await Self.callKW(api, "woow.team", "create", [["name": "Odd Co", "plan": "platinum"]], session: admin)
            #expect(plan.error == "odoo.exceptions.ValidationError", "\(plan)")
            #expect(try await fixture.scalar("SELECT count(*)::int FROM woow_team", as: Int.self) == count)
            #expect(try await fixture.scalar("SELECT count(*)::int FROM woow_team_member WHERE user_id = \(rival)", as: Int.self) == 1)
        }
    }

    @Test func everybodyElseIsRefusedWhateverTheirRole() async throws {
        let fixture = try await PaaSFixture.make("team-rpc-refused")
        let count = try await fixture.scalar("SELECT count(*)::int FROM woow_team", as: Int.self)
        let members = try await fixture.scalar("SELECT count(*)::int FROM woow_team_member", as: Int.self)
        let demo = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        let rival = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'rival'", as: Int64.self)
        try await fixture.test { api in
            // The demo team's admin and plain user, and another team's owner — none is a system administrator.
            for login in ["manager", "member", "rival"] {
                let session = try await api.login(login)
                let team = try await Self.callKW(api, "woow.team", "create", [["name": .string("By \(login)")]], session: session)
                #expect(team.error == "odoo.exceptions.AccessError", "\(login)")
                let member = try await Self.callKW(
                    api, "woow.team.member", "create",
                    [["team_id": .number(JSONNumber(demo)), "user_id": .number(JSONNumber(rival)), "role": "owner"]], session: session)
                #expect(member.error == "odoo.exceptions.AccessError", "\(login)")
            }
            #expect(try await fixture.scalar("SELECT count(*)::int FROM woow_team", as: Int.self) == count)
            #expect(try await fixture.scalar("SELECT count(*)::int FROM woow_team_member", as: Int.self) == members)
        }
    }
}
