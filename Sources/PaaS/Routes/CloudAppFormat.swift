import JSONRPC
import ORM

/// The cloud-app list shape `{id, name, template, status, public_url, created_at, metrics}` and a
/// workspace's app statistics, read through the ORM (record rules apply) in a fixed number of
/// statements whatever the number of apps.
enum CloudAppFormat {
    static let fields = ["name", "template_id", "status", "public_url", "create_date", "started_at"]

    /// The apps of a workspace (newest first) and `{apps_total, running, stopped, deploying, error, monthly_cost}`.
    static func summaries(inWorkspace workspace: Int64, request: PaaSRequest) async throws -> (items: [JSONValue], stats: JSONValue) {
        let apps = try await request.model("woow.cloud.app").search(.leaf("workspace_id", .equal, JSONValue(workspace)))
        let rows = try await apps.read(fields: fields, load: "_classic_write")
        let templateIDs = Array(Set(rows.compactMap { $0["template_id"]?.int64Value }))
        let templateRows = try await request.model("woow.app.template").browse(templateIDs).read(fields: TemplateFormat.fields)
        let templates = Dictionary(uniqueKeysWithValues: templateRows.compactMap { row in row["id"]?.int64Value.map { ($0, row) } })
        var counts: [String: Int] = [:]
        var monthly = Money.zero
        var items: [JSONValue] = []
        for row in rows {
            let status = row["status"]?.stringValue ?? "deploying"
            counts[status, default: 0] += 1
            let template = row["template_id"]?.int64Value.flatMap { templates[$0] }
            if status == "running" || status == "deploying", let price = template?["monthly_price"]?.numberValue {
                if let amount = Money(price) { monthly = monthly + amount }
            }
            items.append(item(row, template: template))
        }
        let stats: JSONValue = [
            "apps_total": JSONValue(rows.count),
            "running": JSONValue(counts["running", default: 0]),
            "stopped": JSONValue(counts["stopped", default: 0]),
            "deploying": JSONValue(counts["deploying", default: 0]),
            "error": JSONValue(counts["error", default: 0]),
            "monthly_cost": monthly.json,
        ]
        return (items, stats)
    }

    static func item(_ row: JSONObject, template: JSONObject?) -> JSONValue {
        let id = row["id"]?.int64Value ?? 0
        let status = row["status"]?.stringValue ?? "deploying"
        return [
            "id": JSONValue(id),
            "name": APIFormat.text(row["name"]),
            "template": template.map(TemplateFormat.item) ?? .null,
            "status": .string(status),
            "public_url": APIFormat.text(row["public_url"]),
            "created_at": APIFormat.timestamp(row["create_date"]),
            "metrics": AppMetricsSummary.current(appID: id, status: status, template: template),
        ]
    }
}
