import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// Workspaces: list, create, get (apps and stats embedded), update, delete.
///
/// Everything goes through the ORM in the caller's environment, so the record rules decide what
/// is visible (a workspace the caller may not see is `WORKSPACE_NOT_FOUND`, never its data) and
/// who may change it (owners and admins). Deleting a workspace that still has apps, hubs or
/// tunnels is refused with `CONFLICT`: they are deleted first, explicitly.
enum WorkspaceRoutes {
    static let fields = ["name", "description", "create_date", "write_date", "app_count", "status"]

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/workspaces", access: .connection, list),
            builder.route(.post, "/workspaces", create),
            builder.route(.get, "/workspaces/{workspace_id}", access: .connection, get),
            builder.route(.put, "/workspaces/{workspace_id}", update),
            builder.route(.delete, "/workspaces/{workspace_id}", delete),
        ]
    }

    /// `{id, name, description, created_at, updated_at, apps_count, status}`.
    static func item(_ row: JSONObject) -> JSONValue {
        [
            "id": row["id"] ?? .null,
            "name": APIFormat.text(row["name"]),
            "description": APIFormat.text(row["description"]),
            "created_at": APIFormat.timestamp(row["create_date"]),
            "updated_at": APIFormat.timestamp(row["write_date"]),
            "apps_count": row["app_count"] ?? 0,
            "status": row["status"] ?? "active",
        ]
    }

    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let page = reader.pagination()
        let search = reader.string("search", maxLength: 128)
        try reader.finish()
        var domain = Domain.all
        if let search {
            domain = .leaf("name", .ilike, .string(search)) || .leaf("description", .ilike, .string(search))
        }
        let workspaces = try request.model("woow.workspace")
        let total = try await workspaces.searchCount(domain)
        let rows = try await workspaces.searchRead(
            domain, fields: fields, offset: page.offset, limit: page.perPage, order: "id desc")
        return .ok(page.list(rows.map(item), total: total))
    }

    @Sendable static func create(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let name = reader.string("name", required: true, maxLength: 128)
        let description = reader.string("description", maxLength: 2000)
        try reader.finish()
        let member = try await request.membership()
        try member.require(.admin, to: "create workspaces")
        try await PlanGate(request: request, member: member).check(.workspaces)
        let created = try await request.model("woow.workspace").create([
            ["name": .string(name!), "description": description.map(JSONValue.string) ?? false, "team_id": JSONValue(member.teamID)]
        ])
        let row = try await created.read(fields: fields)[0]
        try await request.record("created workspace", target: name!, model: "woow.workspace", id: created.ids[0], team: member.teamID)
        return .created([
            "id": row["id"] ?? .null,
            "name": APIFormat.text(row["name"]),
            "description": APIFormat.text(row["description"]),
            "created_at": APIFormat.timestamp(row["create_date"]),
            "message": "Workspace created successfully",
        ])
    }

    /// The workspace if the caller may see it, else `WORKSPACE_NOT_FOUND`.
    static func visible(_ request: PaaSRequest, fields: [String] = fields) async throws -> (RecordSet, JSONObject) {
        let id = try request.pathID("workspace_id", notFound: .workspaceNotFound, "Workspace not found")
        let found = try await request.model("woow.workspace").search(.leaf("id", .equal, JSONValue(id)), limit: 1)
        guard !found.ids.isEmpty else { throw AppError(.workspaceNotFound, "Workspace not found") }
        return (found, try await found.read(fields: fields)[0])
    }

    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let (workspace, row) = try await visible(request)
        let apps = try await CloudAppFormat.summaries(inWorkspace: workspace.ids[0], request: request)
        var data = JSONObject()
        data["id"] = row["id"] ?? .null
        data["name"] = APIFormat.text(row["name"])
        data["description"] = APIFormat.text(row["description"])
        data["status"] = row["status"] ?? "active"
        data["created_at"] = APIFormat.timestamp(row["create_date"])
        data["updated_at"] = APIFormat.timestamp(row["write_date"])
        data["apps"] = .array(apps.items)
        data["stats"] = apps.stats
        return .ok(.object(data))
    }

    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let hasName = reader.has("name")
        let name = reader.string("name", required: hasName, maxLength: 128)
        let hasDescription = reader.has("description")
        let description = reader.string("description", maxLength: 2000)
        try reader.finish()
        let (workspace, _) = try await visible(request)
        let member = try await request.membership()
        try member.require(.admin, to: "change workspaces")
        var values = JSONObject()
        if let name { values["name"] = .string(name) }
        if hasDescription { values["description"] = description.map(JSONValue.string) ?? false }
        if !values.isEmpty { try await workspace.write(values) }
        let row = try await workspace.read(fields: ["name", "description"])[0]
        try await request.record(
            "updated workspace", target: row["name"]?.stringValue ?? "", model: "woow.workspace", id: workspace.ids[0],
            team: member.teamID)
        return .ok([
            "id": row["id"] ?? .null,
            "name": APIFormat.text(row["name"]),
            "description": APIFormat.text(row["description"]),
            "message": "Workspace updated successfully",
        ])
    }

    @Sendable static func delete(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let (workspace, row) = try await visible(request, fields: ["name", "app_count"])
        let member = try await request.membership()
        try member.require(.admin, to: "delete workspaces")
        let apps = row["app_count"]?.intValue ?? 0
        if apps > 0 {
            throw AppError(
                .conflict,
                "Workspace still has \(apps) app\(apps == 1 ? "" : "s"); delete \(apps == 1 ? "it" : "them") first.")
        }
        try await HubRoutes.refuseDeletingConnected(workspace: workspace.ids[0], request)
        try await workspace.unlink()
        try await request.record(
            "deleted workspace", target: row["name"]?.stringValue ?? "", model: "woow.workspace", id: workspace.ids[0],
            team: member.teamID)
        return .ok(["message": "Workspace deleted successfully"])
    }
}
