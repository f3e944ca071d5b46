import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// Security Access: the secure tunnels of a workspace (list, create, detail, update, regenerate
/// the token) and their deployment scripts (``TunnelScriptRoute``).
///
/// Reading follows the workspace's visibility; creating, changing and regenerating need a role
/// that operates the workspace (guests get `AUTH_INSUFFICIENT_PERMISSIONS`). Creating counts
/// against the plan's `secure_tunnels` limit (422 `WORKSPACE_LIMIT_REACHED`, the team row locked,
/// the same count as the dashboard's). The token is shown in full only in the creation and
/// regeneration answers; regenerating replaces hash and hint in one statement, so the old token
/// stops matching at once, and marks the tunnel `offline` (its agent must reconnect with the new one).
enum TunnelRoutes {
    static let listFields = ["name", "type", "status", "public_url", "token_hint", "create_date"]

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/workspaces/{workspace_id}/tunnels", access: .connection, list),
            builder.route(.post, "/workspaces/{workspace_id}/tunnels", create),
            builder.route(.get, "/workspaces/{workspace_id}/tunnels/{tunnel_id}", access: .connection, get),
            builder.route(.put, "/workspaces/{workspace_id}/tunnels/{tunnel_id}", update),
            builder.route(.post, "/workspaces/{workspace_id}/tunnels/{tunnel_id}/regenerate-token", regenerate),
            builder.route(.get, "/workspaces/{workspace_id}/tunnels/{tunnel_id}/script", access: .connection, TunnelScriptRoute.script),
        ]
    }

    /// `{id, name, type, status, public_url, tunnel_token (masked), created_at}`.
    static func item(_ row: JSONObject) -> JSONObject {
        [
            "id": row["id"] ?? .null,
            "name": APIFormat.text(row["name"]),
            "type": APIFormat.text(row["type"]),
            "status": APIFormat.text(row["status"]),
            "public_url": APIFormat.text(row["public_url"]),
            "tunnel_token": ConnectionChildren.maskedToken(row),
            "created_at": APIFormat.timestamp(row["create_date"]),
        ]
    }

    /// `{items, total, page, per_page}`: the workspace's tunnels, newest first.
    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        try await ConnectionChildren.list("woow.tunnel", fields: listFields, request, item: item)
    }

    @Sendable static func create(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id")
        let name = reader.string("name", required: true, maxLength: 128)
        let type = reader.string("type", required: true, maxLength: 32, allowed: HubModels.tunnelTypes)
        let targets = ProxyTargets.read(&reader) ?? []
        try reader.finish()
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: "create tunnels")
        try await PlanGate(request: request, member: member).check(.secureTunnels)

        let uid = try request.uid
        let db = try request.db
        let token = AccessToken.generate()
        let id = try await db.query(
            """
            INSERT INTO woow_tunnel (workspace_id, name, type, status, token_hash, token_hint, create_uid, write_uid)
            VALUES (\(workspace.ids[0]), \(name!), \(type!), 'offline', \(token.hash), \(token.hint), \(uid), \(uid))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let publicURL = "https://\(APIFormat.slug(name!))-tunnel-\(id).\(request.configuration.publicDomain)"
        try await db.query("UPDATE woow_tunnel SET public_url = \(publicURL) WHERE id = \(id)")
        // Created as the server (token, plan check); the ORM's write rule still applies to the caller.
        try await request.model("woow.tunnel").browse([id]).write([:])
        try await ProxyTargets.replace(targets, of: .tunnel(id), uid: uid, on: db)
        try await request.record("created tunnel", target: name!, model: "woow.tunnel", id: id, team: member.teamID)
        return .created([
            "id": JSONValue(id),
            "name": .string(name!),
            "type": .string(type!),
            "status": "offline",
            "tunnel_token": .string(token.value),
            "public_url": .string(publicURL),
            "message": "Tunnel created successfully",
        ])
    }

    /// The tunnel with its proxy targets, masked token, volumes and API tokens.
    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "tunnel_id")
        try reader.finish()
        let (_, tunnel, row) = try await ConnectionLookup.visible(.tunnel, request, fields: listFields)
        let owner = ProxyTargets.Owner.tunnel(tunnel.ids[0])
        var data = item(row)
        data["proxy_targets"] = try await ConnectionChildren.proxyTargets(of: owner, request)
        data["volumes"] = try await ConnectionChildren.volumes(of: owner, request)
        data["api_tokens"] = try await ConnectionChildren.apiTokens(of: owner, request)
        return .ok(.object(data))
    }

    /// `proxy_targets` (the whole list, replaced atomically) and / or `name`.
    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "tunnel_id")
        let hasName = reader.has("name")
        let name = reader.string("name", required: hasName, maxLength: 128)
        let targets = ProxyTargets.read(&reader)
        try reader.finish()
        let (_, tunnel, row) = try await ConnectionLookup.visible(.tunnel, request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: "change tunnels")
        try await tunnel.write(name.map { ["name": .string($0)] } ?? [:])
        if let targets {
            try await ProxyTargets.replace(targets, of: .tunnel(tunnel.ids[0]), uid: try request.uid, on: try request.db)
        }
        let finalName = name ?? row["name"]?.stringValue ?? ""
        try await request.record("updated tunnel", target: finalName, model: "woow.tunnel", id: tunnel.ids[0], team: member.teamID)
        return .ok([
            "id": JSONValue(tunnel.ids[0]),
            "name": .string(finalName),
            "proxy_targets": try await ConnectionChildren.proxyTargets(of: .tunnel(tunnel.ids[0]), request),
            "message": "Tunnel updated successfully",
        ])
    }

    @Sendable static func regenerate(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "tunnel_id")
        try reader.finish()
        let (_, tunnel, row) = try await ConnectionLookup.visible(.tunnel, request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: "regenerate tunnel tokens")
        try await tunnel.write([:])
        let token = AccessToken.generate()
        let uid = try request.uid
        try await request.db.query(
            """
            UPDATE woow_tunnel SET token_hash = \(token.hash), token_hint = \(token.hint), status = 'offline',
                   write_uid = \(uid), write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(tunnel.ids[0])
            """)
        try await request.record(
            "regenerated tunnel token", target: row["name"]?.stringValue ?? "", model: "woow.tunnel", id: tunnel.ids[0],
            team: member.teamID)
        return .ok(["tunnel_token": .string(token.value), "message": "Token regenerated successfully"])
    }
}
