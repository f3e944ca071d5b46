import JSONRPC
import ORM
import PostgresDriver

/// `woow.workspace`: a team's workspace, holding its cloud apps (and hubs and tunnels).
/// `app_count` is computed for a whole batch of workspaces in one query.
enum WorkspaceModels {
    static let workspace = ModelDefinition(
        name: "woow.workspace", description: "Workspace", order: "id desc", recName: "name",
        fields: [
            .char("name", string: "Name", required: true),
            .text("description", string: "Description"),
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade),
            .selection(
                "status", PaaSValues.options(PaaSValues.workspaceStatuses), string: "Status", defaultValue: "active"),
            .one2many("app_ids", "woow.cloud.app", inverse: "workspace_id", string: "Cloud Apps"),
            .computed("app_count", type: .integer, string: "Apps", depends: []) { records in
                try await countApps(records)
            },
        ])

    /// `{workspace id: number of apps}` for every record of the set, in one statement.
    static func countApps(_ records: RecordSet) async throws -> [Int64: JSONValue] {
        var counts: [Int64: JSONValue] = Dictionary(uniqueKeysWithValues: records.ids.map { ($0, JSONValue(0)) })
        let rows = try await records.env.transaction.query(
            """
            SELECT workspace_id, count(*) FROM woow_cloud_app
            WHERE workspace_id = ANY(\(records.ids)) GROUP BY workspace_id
            """)
        for row in rows.rows { counts[try row.decode(Int64.self, at: 0)] = JSONValue(try row.decode(Int64.self, at: 1)) }
        return counts
    }
}
