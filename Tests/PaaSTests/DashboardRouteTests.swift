import Foundation
import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/dashboard/stats` and `/dashboard/activities` over both transports, for the current team only.
@Suite("PaaS: dashboard")
struct DashboardRouteTests {
    /// `YYYY-MM-DD` of the first day of next month, UTC.
    static var nextBillDate: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
        let next = calendar.date(byAdding: .month, value: 1, to: start)!
        let parts = calendar.dateComponents([.year, .month, .day], from: next)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Amounts are written with two decimals even when nothing was used (`0.00`, not `0`), and
    /// the same way everywhere: stats, the user, the billing overview, the marketplace.
    @Test(arguments: Transport.allCases) func amountsAlwaysHaveTwoDecimals(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("dash-zero")
        try await fixture.app.client.query("DELETE FROM woow_usage_line")
        try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 7 WHERE name = 'WoowTech Demo'")
        try await fixture.app.createUser(login: "loner", password: "loner-pass")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let stats = try await api.call(.get, "/dashboard/stats", session: admin, via: via).expectSuccess()
            #expect(stats["billing"]?["month_usage"]?.numberValue?.literal == "0.00")
            #expect(stats["billing"]?["credits_left"]?.numberValue?.literal == "7.00")
            let me = try await api.call(.get, "/user/me", session: admin, via: via).expectSuccess()
            #expect(me["credits_balance"]?.numberValue?.literal == "7.00")
            let overview = try await api.call(.get, "/billing/overview", session: admin, via: via).expectSuccess()
            #expect(overview["current_usage"]?.numberValue?.literal == "0.00")
            let catalogue = try await api.call(.get, "/marketplace/apps", session: nil, via: via).expectSuccess()
            let prices = catalogue["items"]?.arrayValue?.compactMap { $0["monthly_price"]?.numberValue?.literal } ?? []
            #expect(!prices.isEmpty)
            #expect(prices.allSatisfy { $0.split(separator: ".").last?.count == 2 }, "\(prices)")
            // A user of no team has no credits: 0.00 as well.
            let loner = try await api.login("loner", password: "loner-pass")
            let theirs = try await api.call(.get, "/user/me", session: loner, via: via).expectSuccess()
            #expect(theirs["credits_balance"]?.numberValue?.literal == "0.00")
        }
    }

    @Test(arguments: Transport.allCases) func statsCountTheCurrentTeamExactly(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("dash-stats")
        let db = fixture.app.client
        let team = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        let rivalTeam = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'Rival Co'", as: Int64.self)
        let pending = try await fixture.app.createUser(login: "invitee", password: "invitee-pass")
        let away = try await fixture.app.createUser(login: "away", password: "away-pass")
        try await db.query(
            """
            INSERT INTO woow_team_member (team_id, user_id, role, status)
            VALUES (\(team), \(pending), 'user', 'pending'), (\(team), \(away), 'user', 'offline')
            """)
        // 0.10 + 0.20 is 0.3 only in exact arithmetic; lines of other months and teams are left out.
        let lines: [(Int64, String, String)] = [
            (team, "0 days", "0.10"), (team, "1 month - 1 day", "0.20"), (team, "-1 day", "99.00"),
            (team, "1 month", "77.00"), (rivalTeam, "0 days", "55.55"),
        ]
        for (owner, offset, amount) in lines {
            try await db.query(
                """
                INSERT INTO woow_usage_line (team_id, date, service, description, amount)
                VALUES (\(owner), (date_trunc('month', now() AT TIME ZONE 'UTC') + \(offset)::interval)::date,
                        'compute', 'usage', \(amount)::numeric)
                """)
        }
        let workspaces = try await fixture.scalar("SELECT count(*) FROM woow_workspace WHERE team_id = \(team)", as: Int.self)
        let apps = try await fixture.scalar(
            "SELECT count(*) FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id WHERE w.team_id = \(team)", as: Int.self)
        let tunnels = try await fixture.scalar(
            "SELECT count(*) FROM woow_tunnel x JOIN woow_workspace w ON w.id = x.workspace_id WHERE w.team_id = \(team)", as: Int.self)
        try await fixture.test { api in
            let member = try await api.login("member")
            let stats = try await api.call(.get, "/dashboard/stats", session: member, via: via).expectSuccess()
            #expect(stats.objectValue?.keys.sorted() == ["billing", "members", "workspace"])
            #expect(stats["members"] == ["total": 6, "active": 4, "pending_invites": 1])
            #expect(stats["billing"]?["month_usage"]?.numberValue?.literal == "0.30")
            #expect(stats["billing"]?["credits_left"]?.numberValue?.literal == "500.00")
            #expect(stats["billing"]?["next_bill_date"] == .string(Self.nextBillDate))
            #expect(stats["workspace"]?["workspaces"] == ["used": JSONValue(workspaces), "limit": 10])
            #expect(stats["workspace"]?["cloud_services"] == ["used": JSONValue(apps), "limit": 25])
            #expect(stats["workspace"]?["secure_tunnels"] == ["used": JSONValue(tunnels), "limit": 10])

            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/dashboard/stats", session: rival, via: via).expectSuccess()
            #expect(theirs["members"] == ["total": 1, "active": 1, "pending_invites": 0])
            #expect(theirs["billing"]?["month_usage"]?.numberValue?.literal == "55.55")
            #expect(theirs["workspace"]?["workspaces"] == ["used": 1, "limit": 10])

            try await db.query("UPDATE woow_team SET plan = 'enterprise' WHERE id = \(rivalTeam)")
            let unlimited = try await api.call(.get, "/dashboard/stats", session: rival, via: via).expectSuccess()
            #expect(unlimited["workspace"]?["workspaces"] == ["used": 1, "limit": nil])

            try await api.call(.get, "/dashboard/stats", ["team_id": JSONValue(rivalTeam)], session: member, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.get, "/dashboard/stats", session: nil, via: via).expectSessionExpired()
            let loner = try await api.login("invitee", password: "invitee-pass")
            try await api.call(.get, "/dashboard/stats", session: loner, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
        }
    }

    @Test(arguments: Transport.allCases) func activitiesPageTheCurrentTeamNewestFirst(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("dash-activities")
        let db = fixture.app.client
        let team = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
        let rivalTeam = try await fixture.scalar("SELECT id FROM woow_team WHERE name = 'Rival Co'", as: Int64.self)
        let manager = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'manager'", as: Int64.self)
        let rivalID = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'rival'", as: Int64.self)
        try await db.query(
            """
            INSERT INTO woow_activity (team_id, user_id, action, target)
            SELECT \(team), \(manager), 'deployed app', 'App ' || n FROM generate_series(1, 12) AS n
            """)
        try await db.query(
            "INSERT INTO woow_activity (team_id, user_id, action, target) VALUES (\(rivalTeam), \(rivalID), 'created workspace', 'Rival Plan')")
        try await db.query("UPDATE res_users SET avatar_version = 4, avatar = '\\x89'::bytea WHERE id = \(manager)")
        try await fixture.test { api in
            let guest = try await api.login("guest")
            let first = try await api.call(.get, "/dashboard/activities", session: guest, via: via).expectSuccess()
            #expect(first["total"] == 15)
            let items = try #require(first["items"]?.arrayValue)
            #expect(items.count == 10)
            #expect(items[0].objectValue?.keys.sorted() == ["action", "id", "target", "timestamp", "user"])
            #expect(items[0]["action"] == "deployed app")
            #expect(items[0]["target"] == "App 12")
            #expect(items[0]["user"] == ["id": JSONValue(manager), "name": "Marc Demo", "avatar_url": .string("/paas/api/v1/users/\(manager)/avatar?v=4")])
            #expect(items[0]["timestamp"]?.stringValue?.hasSuffix("Z") == true)
            let ids = items.compactMap { $0["id"]?.int64Value }
            #expect(ids == ids.sorted(by: >))

            let rest = try await api.call(.get, "/dashboard/activities", ["limit": 10, "offset": 10], session: guest, via: via).expectSuccess()
            #expect(rest["total"] == 15)
            let tail = try #require(rest["items"]?.arrayValue)
            #expect(tail.map { $0["action"] } == ["deployed app", "deployed app", "created workspace", "created workspace", "created workspace"])
            #expect(tail.last?["user"]?["name"] == "Mitchell Admin")
            #expect(tail.last?["user"]?["avatar_url"] == .null)

            let all = try await api.call(.get, "/dashboard/activities", ["limit": 500], session: guest, via: via).expectSuccess()
            #expect(all["items"]?.arrayValue?.count == 15)
            #expect(all["items"]?.arrayValue?.contains { $0["target"] == "Rival Plan" } == false)
            let beyond = try await api.call(.get, "/dashboard/activities", ["offset": 40], session: guest, via: via).expectSuccess()
            #expect(beyond == ["items": [], "total": 15])

            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/dashboard/activities", session: rival, via: via).expectSuccess()
            #expect(theirs["total"] == 1)
            #expect(theirs["items"]?[0]?["target"] == "Rival Plan")

            for bad: JSONValue in [["limit": 0], ["offset": -1], ["limit": "ten"], ["page": 2]] {
                try await api.call(.get, "/dashboard/activities", bad, session: guest, via: via)
                    .expect(code: "VALIDATION_ERROR", status: .badRequest)
            }
            try await api.call(.get, "/dashboard/activities", session: nil, via: via).expectSessionExpired()
        }
    }
}
