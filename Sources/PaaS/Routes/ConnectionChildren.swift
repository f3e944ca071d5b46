import JSONRPC
import ORM
import WebAPI

/// The lists of hubs and tunnels, and the children a hub's or a tunnel's detail shows: proxy targets, volumes and API tokens, each
/// read with one statement through the ORM in the caller's environment (their record rules apply).
///
/// - ProxyTarget: `{host, port, path, protocol}` in their order.
/// - Volume: `{id, name, mount_path, size_gb}`.
/// - ApiToken: `{id, name, scope, token, created_at, last_used_at, expires_at}` where `token` is
///   always masked (`wha_••••••••abcd`): API tokens are never shown in full after their creation.
enum ConnectionChildren {
    static func proxyTargets(of owner: ProxyTargets.Owner, _ request: PaaSRequest) async throws -> JSONValue {
        let found = try await request.model("woow.proxy.target").search(
            .leaf(owner.column, .equal, JSONValue(owner.id)), order: "sequence, id")
        let rows = found.ids.isEmpty ? [] : try await found.read(fields: ["host", "port", "path", "protocol"])
        return .array(
            rows.map { row in
                [
                    "host": APIFormat.text(row["host"]), "port": row["port"] ?? 0, "path": APIFormat.text(row["path"]),
                    "protocol": APIFormat.text(row["protocol"]),
                ]
            })
    }

    static func volumes(of owner: ProxyTargets.Owner, _ request: PaaSRequest) async throws -> JSONValue {
        let found = try await request.model("woow.volume").search(.leaf(owner.column, .equal, JSONValue(owner.id)), order: "id")
        let rows = found.ids.isEmpty ? [] : try await found.read(fields: ["name", "mount_path", "size_gb"])
        return .array(
            rows.map { row in
                [
                    "id": row["id"] ?? .null, "name": APIFormat.text(row["name"]),
                    "mount_path": APIFormat.text(row["mount_path"]), "size_gb": row["size_gb"] ?? 0,
                ]
            })
    }

    static func apiTokens(of owner: ProxyTargets.Owner, _ request: PaaSRequest) async throws -> JSONValue {
        let found = try await request.model("woow.api.token").search(.leaf(owner.column, .equal, JSONValue(owner.id)), order: "id")
        let rows =
            found.ids.isEmpty
            ? [] : try await found.read(fields: ["name", "scope", "token_hint", "create_date", "last_used_at", "expires_at"])
        return .array(
            rows.map { row in
                [
                    "id": row["id"] ?? .null, "name": APIFormat.text(row["name"]), "scope": APIFormat.text(row["scope"]),
                    "token": .string(AccessToken.masked(prefix: AccessToken.apiPrefix, hint: row["token_hint"]?.stringValue)),
                    "created_at": APIFormat.timestamp(row["create_date"]),
                    "last_used_at": APIFormat.timestamp(row["last_used_at"]),
                    "expires_at": APIFormat.timestamp(row["expires_at"]),
                ]
            })
    }

    /// The masked connection token of a hub or tunnel row (`token_hint` read).
    /// `{items, total, page, per_page}`: the hubs or tunnels (`model`) of the path's workspace,
    /// newest first — a count and one search_read.
    static func list(
        _ model: String, fields: [String], _ request: PaaSRequest, item: (JSONObject) -> JSONObject
    ) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id")
        let page = reader.pagination()
        try reader.finish()
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let domain = Domain.leaf("workspace_id", .equal, JSONValue(workspace.ids[0]))
        let records = try request.model(model)
        let total = try await records.searchCount(domain)
        let rows = try await records.searchRead(domain, fields: fields, offset: page.offset, limit: page.perPage, order: "id desc")
        return .ok(page.list(rows.map { .object(item($0)) }, total: total))
    }

    static func maskedToken(_ row: JSONObject) -> JSONValue {
        .string(AccessToken.masked(hint: row["token_hint"]?.stringValue))
    }
}
