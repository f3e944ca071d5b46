import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// Smart Home Connect: the hubs of a workspace (list, connect, detail, update) and, in
/// ``HubBackupRoutes``, their backups and restores.
///
/// Everyone who sees the workspace reads its hubs; owners, admins and users operating the
/// workspace connect and change them (guests get `AUTH_INSUFFICIENT_PERMISSIONS`, and the ORM's
/// write rule refuses them too). A new hub gets its connection token, shown in full only in the
/// creation answer (``AccessToken``), its volumes (``HubSetup``) and a public URL
/// `https://<slug>-hub-<id>.<publicDomain>`. Hubs do not count toward the plan's secure-tunnel
/// limit (that limit counts `woow.tunnel` only, as the dashboard shows it).
enum HubRoutes {
    static let listFields = ["name", "type", "status", "public_url", "volume_size", "last_backup", "token_hint", "create_date"]

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/workspaces/{workspace_id}/hubs", access: .connection, list),
            builder.route(.post, "/workspaces/{workspace_id}/hubs", create),
            builder.route(.get, "/workspaces/{workspace_id}/hubs/{hub_id}", access: .connection, get),
            builder.route(.put, "/workspaces/{workspace_id}/hubs/{hub_id}", update),
        ] + HubBackupRoutes.routes(builder)
    }

    /// `CONFLICT` when the workspace still has hubs or tunnels (their rows restrict its deletion).
    static func refuseDeletingConnected(workspace: Int64, _ request: PaaSRequest) async throws {
        let row = try await request.env.transaction.query(
            """
            SELECT (SELECT count(*) FROM woow_hub WHERE workspace_id = \(workspace)),
                   (SELECT count(*) FROM woow_tunnel WHERE workspace_id = \(workspace))
            """)[0]
        let hubs = try row.decode(Int.self, at: 0)
        let tunnels = try row.decode(Int.self, at: 1)
        guard hubs + tunnels > 0 else { return }
        var parts: [String] = []
        if hubs > 0 { parts.append("\(hubs) hub\(hubs == 1 ? "" : "s")") }
        if tunnels > 0 { parts.append("\(tunnels) tunnel\(tunnels == 1 ? "" : "s")") }
        throw AppError(.conflict, "Workspace still has \(parts.joined(separator: " and ")); remove \(hubs + tunnels == 1 ? "it" : "them") first.")
    }

    /// `{id, name, type, status, public_url, volume_size, last_backup, tunnel_token (masked), created_at}`.
    static func item(_ row: JSONObject) -> JSONObject {
        [
            "id": row["id"] ?? .null,
            "name": APIFormat.text(row["name"]),
            "type": APIFormat.text(row["type"]),
            "status": APIFormat.text(row["status"]),
            "public_url": APIFormat.text(row["public_url"]),
            "volume_size": APIFormat.text(row["volume_size"]),
            "last_backup": APIFormat.timestamp(row["last_backup"]),
            "tunnel_token": ConnectionChildren.maskedToken(row),
            "created_at": APIFormat.timestamp(row["create_date"]),
        ]
    }

    /// `{items, total, page, per_page}`: the workspace's hubs, newest first.
    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        try await ConnectionChildren.list("woow.hub", fields: listFields, request, item: item)
    }

    @Sendable static func create(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id")
        let name = reader.string("name", required: true, maxLength: 128)
        let type = reader.string("type", required: true, maxLength: 32, allowed: HubModels.hubTypes)
        let targets = ProxyTargets.read(&reader) ?? []
        try reader.finish()
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: "connect hubs")

        let uid = try request.uid
        let db = try request.db
        let token = AccessToken.generate()
        let setup = HubSetup(type: type!)
        let id = try await db.query(
            """
            INSERT INTO woow_hub (workspace_id, name, type, status, volume_size, token_hash, token_hint, create_uid, write_uid)
            VALUES (\(workspace.ids[0]), \(name!), \(type!), 'offline', \(setup.volumeSize), \(token.hash), \(token.hint),
                    \(uid), \(uid))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let publicURL = "https://\(APIFormat.slug(name!))-hub-\(id).\(request.configuration.publicDomain)"
        try await db.query("UPDATE woow_hub SET public_url = \(publicURL) WHERE id = \(id)")
        // Created as the server (a token is needed); the caller must still pass the ORM's write
        // rule on the new hub (operable workspaces), as for an app.
        try await request.model("woow.hub").browse([id]).write([:])
        try await setup.createVolumes(hub: id, uid: uid, on: db)
        try await ProxyTargets.replace(targets, of: .hub(id), uid: uid, on: db)
        try await request.record("connected hub", target: name!, model: "woow.hub", id: id, team: member.teamID)
        return .created([
            "id": JSONValue(id),
            "name": .string(name!),
            "type": .string(type!),
            "status": "offline",
            "public_url": .string(publicURL),
            "tunnel_token": .string(token.value),
            "setup_instructions": .string(setup.instructions(publicURL: publicURL, publicDomain: request.configuration.publicDomain)),
            "message": "Hub created successfully",
        ])
    }

    /// The hub with its proxy targets, volumes, API tokens and latest backups.
    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "hub_id")
        try reader.finish()
        let (_, hub, row) = try await ConnectionLookup.visible(.hub, request, fields: listFields)
        let owner = ProxyTargets.Owner.hub(hub.ids[0])
        var data = item(row)
        data["proxy_targets"] = try await ConnectionChildren.proxyTargets(of: owner, request)
        data["volumes"] = try await ConnectionChildren.volumes(of: owner, request)
        data["api_tokens"] = try await ConnectionChildren.apiTokens(of: owner, request)
        data["backups"] = try await HubBackupRoutes.recentBackups(of: hub.ids[0], request)
        return .ok(.object(data))
    }

    /// `name` and / or `proxy_targets` (the whole list, replaced atomically).
    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "hub_id")
        let hasName = reader.has("name")
        let name = reader.string("name", required: hasName, maxLength: 128)
        let targets = ProxyTargets.read(&reader)
        try reader.finish()
        let (_, hub, row) = try await ConnectionLookup.visible(.hub, request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: "change hubs")
        // As the caller: the ORM's write rule applies even when only the targets change.
        try await hub.write(name.map { ["name": .string($0)] } ?? [:])
        if let targets { try await ProxyTargets.replace(targets, of: .hub(hub.ids[0]), uid: try request.uid, on: try request.db) }
        let finalName = name ?? row["name"]?.stringValue ?? ""
        try await request.record("updated hub", target: finalName, model: "woow.hub", id: hub.ids[0], team: member.teamID)
        return .ok([
            "id": JSONValue(hub.ids[0]),
            "name": .string(finalName),
            "proxy_targets": try await ConnectionChildren.proxyTargets(of: .hub(hub.ids[0]), request),
            "message": "Hub updated successfully",
        ])
    }
}
