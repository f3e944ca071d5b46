import Foundation
import JSONRPC
import Logging
import PaaS
import PostgresDriver
import Testing
import TestSupport

/// The metering service over a real database: hourly proration in exact cents with the remainder
/// carried, one usage line per app and day, two instances charging each hour once, auto-reload,
/// and apps stopped when the credits run out.
@Suite("PaaS: metering")
struct MeteringServiceTests {
    static let logger = Logger(label: "test.metering")

    static func service(_ fixture: PaaSFixture) -> MeteringService {
        MeteringService(database: fixture.app.client, configuration: fixture.app.configuration.paas, logger: logger)
    }

    /// The rival's only app (Odoo) running since `hours` ago, never metered.
    static func runRivalApp(_ fixture: PaaSFixture, hoursAgo hours: Int) async throws {
        try await fixture.app.client.query(
            """
            UPDATE woow_cloud_app SET status = 'running', metered_until = NULL, metering_remainder = 0,
                   started_at = (now() AT TIME ZONE 'UTC') - \(hours) * interval '1 hour' - interval '5 minutes'
            WHERE id = \(fixture.rivalApp)
            """)
    }

    @Test func runningAppsPayTheirMonthlyPricePerHourExactly() async throws {
        let fixture = try await PaaSFixture.make("metering-prorate")
        let team = try await fixture.rivalTeam()
        // The demo team's apps started now: nothing due for them.
        let price = try await fixture.scalar("SELECT monthly_price::text FROM woow_app_template WHERE code = 'odoo'", as: String.self)
        let monthly = try #require(Money(text: price))
        try await Self.runRivalApp(fixture, hoursAgo: 10)
        let service = Self.service(fixture)
        let report = try await service.runOnce()
        #expect(report.teams == 1)
        let (ten, remainder) = MeteringRate.charge(monthlyPrice: monthly, hours: 10, remainder: 0)
        #expect(report.charged == ten)
        #expect(try await fixture.balance(team) == (Money(cents: 10000) - ten).description)
        let app = try await fixture.app.client.query(
            """
            SELECT metering_remainder, round(extract(epoch FROM metered_until - started_at))::bigint FROM woow_cloud_app
            WHERE id = \(fixture.rivalApp)
            """)[0]
        #expect(try app.decode(Int64.self, at: 0) == remainder)
        #expect(try app.decode(Int64.self, at: 1) == 36000)
        // Nothing more is due within the hour, even run again (or by a second instance).
        #expect(try await service.runOnce().charged == .zero)
        #expect(try await Self.service(fixture).runOnce().charged == .zero)

        // 710 more hours: together exactly the monthly price.
        try await fixture.app.client.query(
            "UPDATE woow_cloud_app SET metered_until = metered_until - interval '710 hours', started_at = started_at - interval '710 hours' WHERE id = \(fixture.rivalApp)")
        try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 1000 WHERE id = \(team)")
        let rest = try await service.runOnce()
        #expect(ten + rest.charged == monthly)
        let lines = try await fixture.app.client.query(
            "SELECT date = (now() AT TIME ZONE 'UTC')::date, service, amount::text, app_id FROM woow_usage_line WHERE team_id = \(team)").rows
        #expect(lines.count == 1)
        #expect(try lines[0].decode(Bool.self, at: 0))
        #expect(try lines[0].decode(String.self, at: 1) == "Odoo")
        #expect(try lines[0].decode(String.self, at: 2) == monthly.description)
        #expect(try lines[0].decode(Int64.self, at: 3) == fixture.rivalApp)
        let ledger = try await fixture.app.client.query(
            "SELECT coalesce(sum(amount), 0)::text FROM woow_transaction WHERE team_id = \(team) AND type = 'usage'")[0]
        #expect(try ledger.decode(String.self, at: 0) == monthly.description)
        // The report shows it.
        try await fixture.test { api in
            let rival = try await api.login("rival")
            let usage = try await api.call(.get, "/billing/usage", session: rival, via: .rest).expectSuccess()
            #expect(literal(usage["total"]) == monthly.description)
            #expect(usage["items"]?[0]?["workspace"] == "Rival Secret")
        }
    }

    @Test func twoInstancesAtOnceChargeEachHourOnce() async throws {
        let fixture = try await PaaSFixture.make("metering-two") { $0.databasePoolSize = 8 }
        let team = try await fixture.rivalTeam()
        try await Self.runRivalApp(fixture, hoursAgo: 72)
        let other = TestApp.attach(to: fixture.app.database)
        let first = Self.service(fixture)
        let second = MeteringService(database: other.client, configuration: other.configuration.paas, logger: Self.logger)
        async let a = first.runOnce()
        async let b = second.runOnce()
        let total = try await a.charged + b.charged
        await other.shutdown()
        let monthly = try #require(Money(text: try await fixture.scalar("SELECT monthly_price::text FROM woow_app_template WHERE code = 'odoo'", as: String.self)))
        #expect(total == MeteringRate.charge(monthlyPrice: monthly, hours: 72, remainder: 0).amount)
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'usage'", as: Int.self) == 1)
        #expect(try await fixture.balance(team) == (Money(cents: 10000) - total).description)
    }

    @Test func atZeroCreditsPaidAppsStopAfterTryingAutoReload() async throws {
        let fixture = try await PaaSFixture.make("metering-exhausted")
        let team = try await fixture.rivalTeam()
        // A second, free app keeps running; the paid one stops.
        let workspace = fixture.rivalWorkspace
        let freeTemplate = try await fixture.app.client.query(
            "SELECT code FROM woow_app_template WHERE monthly_price = 0 ORDER BY id LIMIT 1").first?.decode(String.self, at: 0)
        var freeApp: Int64?
        if let freeTemplate {
            freeApp = try await fixture.app.client.query(
                """
                INSERT INTO woow_cloud_app (workspace_id, template_id, name, status, started_at)
                SELECT \(workspace), id, 'Free thing', 'running', (now() AT TIME ZONE 'UTC') - interval '5 hours'
                FROM woow_app_template WHERE code = \(freeTemplate) RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
        try await Self.runRivalApp(fixture, hoursAgo: 24)
        try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 0.05 WHERE id = \(team)")
        // Auto-reload is on, but with a declined card: it is tried, then the apps stop.
        try await fixture.insertCard("4000000000000002", team: team, isDefault: true)
        try await fixture.app.client.query(
            "UPDATE woow_team SET auto_reload_enabled = true, auto_reload_threshold = 10, auto_reload_amount = 50 WHERE id = \(team)")
        let report = try await Self.service(fixture).runOnce()
        #expect(report.charged == Money(cents: 5))
        #expect(report.stoppedApps == 1)
        #expect(try await fixture.balance(team) == "0.00")
        #expect(try await fixture.status(ofApp: fixture.rivalApp) == "stopped")
        #expect(try await fixture.scalar("SELECT status_message FROM woow_cloud_app WHERE id = \(fixture.rivalApp)", as: String.self) == "Stopped: no credits left")
        if let freeApp { #expect(try await fixture.status(ofApp: freeApp) == "running") }
        let actions = try await fixture.app.client.query(
            "SELECT action FROM woow_activity WHERE team_id = \(team) ORDER BY id").rows.map { try $0.decode(String.self, at: 0) }
        #expect(actions == ["auto-reload failed", "stopped app: no credits left"])
        #expect(try await fixture.scalar("SELECT sum(amount)::text FROM woow_usage_line WHERE team_id = \(team)", as: String.self) == "0.05")

        // With a good card the reload comes first and the app keeps running.
        try await fixture.insertCard("4242424242424242", team: team, isDefault: true)
        try await Self.runRivalApp(fixture, hoursAgo: 24)
        let reloaded = try await Self.service(fixture).runOnce()
        #expect(reloaded.stoppedApps == 0)
        #expect(try await fixture.status(ofApp: fixture.rivalApp) == "running")
        let monthly = try #require(Money(text: try await fixture.scalar("SELECT monthly_price::text FROM woow_app_template WHERE code = 'odoo'", as: String.self)))
        let day = MeteringRate.charge(monthlyPrice: monthly, hours: 24, remainder: 0).amount
        #expect(reloaded.charged == day)
        #expect(try await fixture.balance(team) == (Money(cents: 5000) - day).description)
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'auto_reload'", as: Int.self) == 1)
    }
}
