import Foundation
import HTTPTypes
import JSONRPC
import PaaS
import ServerApp
import Testing
import TestSupport

/// `GET /workspaces/{id}/apps/{app_id}/metrics`: every period over both transports, consistency,
/// the template's limits, zeros while stopped, agreement with the detail's summary, the status
/// history trigger, and who may read.
@Suite("PaaS: app metrics")
struct AppMetricsRouteTests {
    static let seriesPaths: [[String]] = [["cpu"], ["ram"], ["disk_io", "read"], ["disk_io", "write"], ["network", "in"], ["network", "out"], ["connections"]]

    /// The points of one series: (Unix seconds, value).
    static func series(_ data: JSONValue, _ path: [String]) -> [(time: Int64, value: Double)] {
        var node: JSONValue? = data
        for key in path { node = node?[key] }
        return (node?.arrayValue ?? []).map { point in
            let date = (try? Date(point["timestamp"]?.stringValue ?? "", strategy: .iso8601)) ?? .distantPast
            return (Int64(date.timeIntervalSince1970), point["value"]?.doubleValue ?? -1)
        }
    }

    @Test(arguments: Transport.allCases) func everyPeriodAtItsResolutionWithinTheTemplatesLimits(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("metrics-periods")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/metrics"
            for (period, count, resolution, label) in [("1h", 60, 60, "1m"), ("24h", 96, 900, "15m"), ("7d", 168, 3600, "1h"), ("30d", 120, 21600, "6h")] {
                let before = Int64(Date.now.timeIntervalSince1970)
                let data = try await api.call(.get, path, ["period": .string(period)], session: admin, via: via).expectSuccess()
                let after = Int64(Date.now.timeIntervalSince1970)
                #expect(data["period"] == .string(period))
                #expect(data["resolution"] == .string(label))
                #expect(data["resolution_seconds"]?.intValue == resolution)
                #expect(data["units"] == ["cpu": "percent", "ram": "MB", "disk_io": "KB/s", "network": "KB/s", "connections": "count"])
                // Odoo's template: 2 vCPU, 4 GB.
                #expect(data["limits"] == ["cpu": 100, "ram": 4096])
                for seriesPath in Self.seriesPaths {
                    let points = Self.series(data, seriesPath)
                    #expect(points.count == count, "\(period) \(seriesPath)")
                    #expect(points.allSatisfy { $0.time % Int64(resolution) == 0 })
                    #expect(zip(points, points.dropFirst()).allSatisfy { $1.time - $0.time == Int64(resolution) })
                    let last = try #require(points.last).time
                    #expect(last <= after && before < last + Int64(resolution), "the last point is the bucket in progress")
                    #expect(points.allSatisfy { $0.value >= 0 })
                    // The demo app has run for 30 days: every bucket of every period has load.
                    #expect(points.allSatisfy { $0.value > 0 }, "\(period) \(seriesPath)")
                }
                #expect(Self.series(data, ["cpu"]).allSatisfy { $0.value <= 100 })
                #expect(Self.series(data, ["ram"]).allSatisfy { $0.value <= 4096 })
                #expect(Self.series(data, ["connections"]).allSatisfy { $0.value == $0.value.rounded() })
            }
            // No period is a day.
            let standard = try await api.call(.get, path, session: admin, via: via).expectSuccess()
            #expect(standard["period"] == "24h")
            #expect(Self.series(standard, ["cpu"]).count == 96)
            // A template with 512 MB keeps under it.
            let smartHome = try await fixture.workspace("Smart Home")
            let hub = try await fixture.appID("Home Hub")
            let hubData = try await api.call(.get, "/workspaces/\(smartHome)/apps/\(hub)/metrics", ["period": "7d"], session: admin, via: via).expectSuccess()
            let ramLimit = try #require(hubData["limits"]?["ram"]?.doubleValue)
            #expect(Self.series(hubData, ["ram"]).allSatisfy { $0.value <= ramLimit })
        }
    }

    @Test(arguments: Transport.allCases) func twoCallsAgreeAndTheSummaryIsTheLastPoint(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("metrics-consistent")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/metrics"
            for period in ["1h", "24h", "7d", "30d"] {
                let first = try await api.call(.get, path, ["period": .string(period)], session: admin, via: via).expectSuccess()
                let second = try await api.call(.get, path, ["period": .string(period)], session: admin, via: via).expectSuccess()
                for seriesPath in Self.seriesPaths {
                    let a = Self.series(first, seriesPath), b = Self.series(second, seriesPath)
                    if a.last?.time == b.last?.time {
                        #expect(a.map(\.value) == b.map(\.value), "\(period) \(seriesPath)")
                    } else {
                        // A bucket ended between the calls: the finished buckets they share agree.
                        let shared = Dictionary(uniqueKeysWithValues: b.map { ($0.time, $0.value) })
                        for point in a.dropLast() where shared[point.time] != nil { #expect(shared[point.time] == point.value) }
                    }
                }
            }
            // The detail's and the list's cpu / ram are the live point of the minute series.
            var agreed = false
            for _ in 0..<3 where !agreed {
                let detail = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)", session: admin, via: via).expectSuccess()
                let list = try await api.call(.get, "/workspaces/\(production)/apps", session: admin, via: via).expectSuccess()
                let series = try await api.call(.get, path, ["period": "1h"], session: admin, via: via).expectSuccess()
                let again = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)", session: admin, via: via).expectSuccess()
                guard detail["metrics"] == again["metrics"] else { continue }  // a minute went by: try again
                agreed = true
                let cpu = try #require(Self.series(series, ["cpu"]).last?.value)
                let ram = try #require(Self.series(series, ["ram"]).last?.value)
                #expect(detail["metrics"]?["cpu"]?.intValue == Int(cpu.rounded()))
                #expect(detail["metrics"]?["ram"]?.intValue == Int((ram / 4096 * 100).rounded()))
                let item = list["items"]?.arrayValue?.first { $0["id"]?.int64Value == erp }
                #expect(item?["metrics"] == detail["metrics"])
            }
            #expect(agreed)
        }
    }

    @Test(arguments: Transport.allCases) func aStoppedSpanIsZeroAndAStopShowsAtOnce(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("metrics-stopped")
        let production = try await fixture.workspace("Production")
        let erp = try await fixture.appID("Company ERP")
        // Running for 40 days, stopped from 10 hours ago until 4 hours ago, running since.
        try await fixture.app.client.query(
            """
            WITH cleared AS (DELETE FROM woow_app_status_change WHERE app_id = \(erp))
            INSERT INTO woow_app_status_change (app_id, status, changed_at)
            SELECT \(erp), s, (now() AT TIME ZONE 'UTC') - a::interval
            FROM (VALUES ('running', '40 days'), ('stopped', '10 hours'), ('deploying', '4 hours 2 minutes'),
                         ('running', '4 hours')) AS v(s, a)
            """)
        let stoppedAt = try await fixture.scalar(
            "SELECT extract(epoch FROM changed_at)::float8 FROM woow_app_status_change WHERE app_id = \(erp) AND status = 'stopped'", as: Double.self)
        let restartedAt = stoppedAt + 6 * 3600
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(production)/apps/\(erp)/metrics"
            let data = try await api.call(.get, path, ["period": "24h"], session: admin, via: via).expectSuccess()
            for seriesPath in Self.seriesPaths {
                let points = Self.series(data, seriesPath)
                #expect(points.count == 96)
                for point in points {
                    let start = Double(point.time), end = start + 900
                    if start >= stoppedAt && end <= restartedAt {
                        #expect(point.value == 0, "\(seriesPath) at \(point.time) inside the stopped span")
                    } else if end <= stoppedAt || start >= restartedAt {
                        #expect(point.value > 0, "\(seriesPath) at \(point.time) while running")
                    }
                }
                let inside = points.filter { Double($0.time) >= stoppedAt && Double($0.time) + 900 <= restartedAt }
                #expect(inside.count >= 22)
            }
            // The same span in the week's hourly series.
            let week = Self.series(try await api.call(.get, path, ["period": "7d"], session: admin, via: via).expectSuccess(), ["cpu"])
            #expect(week.filter { Double($0.time) >= stoppedAt && Double($0.time) + 3600 <= restartedAt }.allSatisfy { $0.value == 0 })
            #expect(week.filter { Double($0.time) + 3600 <= stoppedAt }.allSatisfy { $0.value > 0 })

            // Stopping through the actions route: the live point and the summary drop to zero at once,
            // the history keeps what came before.
            try await api.call(.post, "/workspaces/\(production)/apps/\(erp)/actions", ["action": "stop"], session: admin, via: via).expectSuccess()
            #expect(try await fixture.scalar(
                "SELECT status FROM woow_app_status_change WHERE app_id = \(erp) ORDER BY changed_at DESC, id DESC LIMIT 1", as: String.self) == "stopped")
            let hour = try await api.call(.get, path, ["period": "1h"], session: admin, via: via).expectSuccess()
            for seriesPath in Self.seriesPaths {
                let points = Self.series(hour, seriesPath)
                #expect(points.last?.value == 0, "\(seriesPath)")
                #expect(points.dropLast(2).allSatisfy { $0.value > 0 }, "\(seriesPath)")
            }
            let detail = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)", session: admin, via: via).expectSuccess()
            #expect(detail["metrics"] == ["cpu": 0, "ram": 0, "storage": 0])
        }
    }

    @Test(arguments: Transport.allCases) func whoMayReadAndBadPeriods(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("metrics-access")
        let production = try await fixture.workspace("Production")
        let staging = try await fixture.workspace("Staging")
        let smartHome = try await fixture.workspace("Smart Home")
        let erp = try await fixture.appID("Company ERP")
        let hub = try await fixture.appID("Home Hub")
        let lead = try await fixture.appID("Lead Automation")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            // Another team's app, through one of my workspaces or its own; an app of another workspace; no app.
            for (path, code) in [
                ("/workspaces/\(production)/apps/\(fixture.rivalApp)/metrics", "NOT_FOUND"),
                ("/workspaces/\(fixture.rivalWorkspace)/apps/\(fixture.rivalApp)/metrics", "WORKSPACE_NOT_FOUND"),
                ("/workspaces/\(staging)/apps/\(erp)/metrics", "NOT_FOUND"),
                ("/workspaces/\(production)/apps/999999/metrics", "NOT_FOUND"),
                ("/workspaces/\(production)/apps/x/metrics", "NOT_FOUND"),
            ] {
                let answer = try await api.call(.get, path, session: admin, via: via)
                answer.expect(code: code, status: .notFound)
                #expect(!answer.text.contains("Rival"))
            }
            // Bad periods and unknown parameters.
            for period in ["2h", "", "24H", "1h; DROP TABLE woow_cloud_app"] {
                let bad = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)/metrics", ["period": .string(period)], session: admin, via: via)
                if period.isEmpty {
                    // An empty period is no period: the default.
                    #expect(bad.expectSuccess()["period"] == "24h")
                    continue
                }
                bad.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(bad.envelope?["details"]?[0]?["field"] == "period")
            }
            let numeric = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)/metrics", ["period": 24], session: admin, via: via)
            numeric.expect(code: "VALIDATION_ERROR", status: .badRequest)
            let unknown = try await api.call(.get, "/workspaces/\(production)/apps/\(erp)/metrics", ["resolution": "1m"], session: admin, via: via)
            unknown.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(unknown.envelope?["details"]?[0]?["field"] == "resolution")

            // The user sees Staging (a stopped app: its live point is zero) but not Production.
            let member = try await api.login("member")
            let leadData = try await api.call(.get, "/workspaces/\(staging)/apps/\(lead)/metrics", ["period": "1h"], session: member, via: via).expectSuccess()
            #expect(Self.series(leadData, ["cpu"]).allSatisfy { $0.value == 0 })
            try await api.call(.get, "/workspaces/\(production)/apps/\(erp)/metrics", session: member, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            // The guest may read Smart Home's app.
            let guest = try await api.login("guest")
            let hubData = try await api.call(.get, "/workspaces/\(smartHome)/apps/\(hub)/metrics", ["period": "30d"], session: guest, via: via).expectSuccess()
            #expect(Self.series(hubData, ["cpu"]).count == 120)
            try await api.call(.get, "/workspaces/\(production)/apps/\(erp)/metrics", session: guest, via: via)
                .expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.get, "/workspaces/\(smartHome)/apps/\(hub)/metrics", session: nil, via: via).expectSessionExpired()
        }
    }

    @Test func theTriggerRecordsEveryStatusChangeAndTheSchemaBackfills() async throws {
        let fixture = try await PaaSFixture.make("metrics-history")
        let db = fixture.app.client
        let rival = fixture.rivalApp
        func statuses() async throws -> [String] {
            try await db.query("SELECT status FROM woow_app_status_change WHERE app_id = \(rival) ORDER BY changed_at, id").rows
                .map { try $0.decode(String.self, at: 0) }
        }
        // The fixture inserted the rival app as running.
        #expect(try await statuses() == ["running"])
        try await db.query("UPDATE woow_cloud_app SET status = 'stopped' WHERE id = \(rival)")
        try await db.query("UPDATE woow_cloud_app SET status = 'stopped', name = 'Renamed' WHERE id = \(rival)")
        try await db.query("UPDATE woow_cloud_app SET name = 'Again' WHERE id = \(rival)")
        try await db.query("UPDATE woow_cloud_app SET status = 'deploying' WHERE id = \(rival)")
        #expect(try await statuses() == ["running", "stopped", "deploying"])

        // A database from before the history: no rows, no trigger; applying the schema backfills them.
        try await db.query("DROP TRIGGER woow_cloud_app_status_history ON woow_cloud_app")
        try await db.query("DELETE FROM woow_app_status_change")
        try await db.query(
            "UPDATE woow_cloud_app SET status = 'running', started_at = (now() AT TIME ZONE 'UTC') - interval '1 hour' WHERE id = \(rival)")
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_app_status_change", as: Int.self) == 0)
        try await SchemaManager(logger: TestPostgres.logger).apply(using: db)
        #expect(try await statuses() == ["deploying", "running"])
        let appCount = try await fixture.appCount()
        #expect(try await fixture.scalar("SELECT count(DISTINCT app_id) FROM woow_app_status_change", as: Int.self) == appCount)
        #expect(try await fixture.scalar(
            """
            SELECT count(*) FROM woow_app_status_change c JOIN woow_cloud_app a ON a.id = c.app_id
            WHERE c.id = (SELECT max(id) FROM woow_app_status_change WHERE app_id = a.id) AND c.status <> a.status
            """, as: Int.self) == 0)
        // The trigger is back, once; applying again adds nothing.
        try await SchemaManager(logger: TestPostgres.logger).apply(using: db)
        #expect(try await fixture.scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'woow_cloud_app_status_history'", as: Int.self) == 1)
        try await db.query("UPDATE woow_cloud_app SET status = 'stopped' WHERE id = \(rival)")
        #expect(try await statuses() == ["deploying", "running", "stopped"])
        // Deleting the app deletes its history.
        try await db.query("DELETE FROM woow_cloud_app WHERE id = \(rival)")
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_app_status_change WHERE app_id = \(rival)", as: Int.self) == 0)
        await fixture.app.shutdown()
    }
}
