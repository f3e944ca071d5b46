import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// Cloud apps of a workspace: list, deploy, detail, lifecycle actions and the custom domain.
///
/// Reads go through the ORM in the caller's environment, so the record rules decide what is
/// visible: a workspace the caller may not see is `WORKSPACE_NOT_FOUND`, an app that is not in
/// the (visible) workspace of the path is `NOT_FOUND` — never its data.
enum CloudAppRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/workspaces/{workspace_id}/apps", access: .connection, list),
            builder.route(.post, "/workspaces/{workspace_id}/apps", AppDeployment.deploy),
            builder.route(.get, "/workspaces/{workspace_id}/apps/{app_id}", access: .connection, get),
        ] + AppActionRoutes.routes(builder) + CustomDomainRoutes.routes(builder)
    }

    /// The app of the path, if it is in the path's workspace and the caller may see both;
    /// `WORKSPACE_NOT_FOUND` / `NOT_FOUND` otherwise.
    static func visibleApp(_ request: PaaSRequest, fields: [String]) async throws -> (workspace: Int64, app: RecordSet, row: JSONObject) {
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let id = try request.pathID("app_id", notFound: .notFound, "App not found")
        let found = try await request.model("woow.cloud.app").search(
            .leaf("id", .equal, JSONValue(id)) && .leaf("workspace_id", .equal, JSONValue(workspace.ids[0])), limit: 1)
        guard !found.ids.isEmpty else { throw AppError(.notFound, "App not found") }
        return (workspace.ids[0], found, try await found.read(fields: fields, load: "_classic_write")[0])
    }

    /// `{items: [App], total}`: every app of the workspace the caller may see, newest first.
    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id")
        try reader.finish()
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let apps = try await CloudAppFormat.summaries(inWorkspace: workspace.ids[0], request: request)
        return .ok(["items": .array(apps.items), "total": JSONValue(apps.items.count)])
    }

    /// `{id, name, status, public_url, deployment_id, config, volumes, metrics, template}`.
    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        try reader.finish()
        let (_, app, row) = try await visibleApp(
            request, fields: ["name", "status", "status_message", "public_url", "deployment_id", "config", "template_id"])
        let volumes = try await request.model("woow.volume").search(.leaf("app_id", .equal, JSONValue(app.ids[0])), order: "id")
        let volumeRows = try await volumes.read(fields: ["name", "mount_path", "size_gb"])
        var template: JSONObject?
        if let templateID = row["template_id"]?.int64Value {
            // The app keeps its template even once it is withdrawn from the marketplace.
            let templates = try await request.model("woow.app.template").browse([templateID]).read(fields: TemplateFormat.fields)
            template = templates.first
        }
        let status = row["status"]?.stringValue ?? "deploying"
        var data = JSONObject()
        data["id"] = JSONValue(app.ids[0])
        data["name"] = APIFormat.text(row["name"])
        data["status"] = .string(status)
        data["status_message"] = APIFormat.optionalText(row["status_message"])
        data["public_url"] = APIFormat.text(row["public_url"])
        data["deployment_id"] = APIFormat.text(row["deployment_id"])
        data["config"] = row["config"]?.objectValue.map(JSONValue.object) ?? [:]
        data["volumes"] = .array(
            volumeRows.map { volume in
                [
                    "id": volume["id"] ?? .null, "name": APIFormat.text(volume["name"]),
                    "mount_path": APIFormat.text(volume["mount_path"]), "size_gb": volume["size_gb"] ?? 0,
                ]
            })
        data["metrics"] = AppMetricsSummary.current(appID: app.ids[0], status: status, template: template)
        data["template"] = template.map(TemplateFormat.item) ?? .null
        return .ok(.object(data))
    }
}
