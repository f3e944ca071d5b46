import Foundation
import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /workspaces/{workspace_id}/apps/{app_id}/metrics?period=1h|24h|7d|30d`: the app's cpu,
/// ram, disk, network and connection series (``AppMetricsSeries``) over the period, `24h` by
/// default. Visible to whoever may see the app's detail, guests included; anyone else gets the
/// same 404s as the detail.
enum AppMetricsRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.get, "/workspaces/{workspace_id}/apps/{app_id}/metrics", access: .connection, metrics)]
    }

    @Sendable static func metrics(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        let name = reader.string("period", maxLength: 8, allowed: MetricsPeriod.allCases.map(\.rawValue))
        try reader.finish()
        let period = name.flatMap(MetricsPeriod.init(rawValue:)) ?? .standard

        let (_, app, _) = try await CloudAppRoutes.visibleApp(request, fields: ["status"])
        let now = Date.now.timeIntervalSince1970
        let since = Double(period.bucketStarts(now: now)[0])
        guard let (specs, history) = try await load(app: app.ids[0], since: since, on: try request.db) else {
            throw AppError(.notFound, "App not found")
        }
        let model = AppLoadModel(appID: app.ids[0], specs: specs)
        let points = AppMetricsSeries.points(period: period, model: model, history: history, now: now)
        return .ok(AppMetricsSeries.json(period: period, specs: specs, points: points))
    }

    /// The app's template specs and its status changes from the last one at or before `since`
    /// (what it was doing when the period began) onwards, in one statement; `nil` if the app is gone.
    static func load(app: Int64, since: Double, on db: PostgresConnection) async throws -> (AppResourceSpecs, AppStatusHistory)? {
        let rows = try await db.query(
            """
            SELECT t.cpu, t.ram, t.storage, c.status, extract(epoch FROM c.changed_at)::float8
            FROM woow_cloud_app a
            JOIN woow_app_template t ON t.id = a.template_id
            LEFT JOIN woow_app_status_change c ON c.app_id = a.id AND c.changed_at >= coalesce(
                (SELECT max(p.changed_at) FROM woow_app_status_change p
                 WHERE p.app_id = a.id AND p.changed_at <= to_timestamp(\(since)) AT TIME ZONE 'UTC'),
                '-infinity')
            WHERE a.id = \(app)
            ORDER BY c.changed_at, c.id
            """
        ).rows
        guard let first = rows.first else { return nil }
        let specs = AppResourceSpecs(
            cpu: try first.decode(String?.self, at: 0), ram: try first.decode(String?.self, at: 1),
            storage: try first.decode(String?.self, at: 2))
        var changes: [AppStatusHistory.Change] = []
        for row in rows {
            guard let status = try row.decode(String?.self, at: 3), let time = try row.decode(Double?.self, at: 4) else { continue }
            changes.append(AppStatusHistory.Change(time: time, status: status))
        }
        return (specs, AppStatusHistory(changes))
    }
}
