import ORM

/// The Smart Home Connect and Security Access models: `woow.hub` (a Home Assistant OS or Woow Hub
/// OS hub), `woow.tunnel` (a podman / docker / VM tunnel agent), their shared children
/// `woow.proxy.target`, `woow.api.token`, and the hub's `woow.backup` / `woow.hub.restore`.
///
/// Token hashes (`token_hash`) are ``FieldDefinition/isSecret``: no `read`, `search`, `order`,
/// `read_group` or `write` through the ORM reaches them; only the routes' SQL sets and compares
/// them. Everything
/// that moves through the application's actions or the worker (status, URLs, the workspace, the
/// masked hint, backup states) is ``FieldDefinition/isSystemOnly``.
enum HubModels {
    static let hubTypes = ["haos", "woow-hub-os"]
    static let tunnelTypes = ["podman", "docker", "vm"]
    static let connectionStatuses = ["online", "offline"]
    static let jobStatuses = ["pending", "in_progress", "completed", "failed"]

    static let hub = ModelDefinition(
        name: "woow.hub", description: "Smart Home Hub", order: "id desc", recName: "name",
        fields: [
            .char("name", string: "Name", required: true),
            .many2one("workspace_id", "woow.workspace", string: "Workspace", required: true, index: true, ondelete: .restrict)
                .systemOnly(),
            .selection("type", options(hubTypes, labels: ["haos": "Home Assistant OS", "woow-hub-os": "Woow Hub OS"]), string: "Type", required: true)
                .systemOnly(),
            .selection("status", PaaSValues.options(connectionStatuses), string: "Status", defaultValue: "offline").systemOnly(),
            .char("public_url", string: "Public URL").systemOnly(),
            .char("volume_size", string: "Volume Size").systemOnly(),
            .datetime("last_backup", string: "Last Backup").systemOnly(),
            .char("token_hash", string: "Token Hash").secret(),
            .char("token_hint", string: "Token (last characters)").systemOnly(),
            .one2many("proxy_target_ids", "woow.proxy.target", inverse: "hub_id", string: "Proxy Targets"),
            .one2many("volume_ids", "woow.volume", inverse: "hub_id", string: "Volumes"),
            .one2many("api_token_ids", "woow.api.token", inverse: "hub_id", string: "API Tokens"),
            .one2many("backup_ids", "woow.backup", inverse: "hub_id", string: "Backups"),
        ])

    static let tunnel = ModelDefinition(
        name: "woow.tunnel", description: "Secure Tunnel", order: "id desc", recName: "name",
        fields: [
            .char("name", string: "Name", required: true),
            .many2one("workspace_id", "woow.workspace", string: "Workspace", required: true, index: true, ondelete: .restrict)
                .systemOnly(),
            .selection("type", options(tunnelTypes, labels: ["vm": "VM"]), string: "Type", required: true).systemOnly(),
            .selection("status", PaaSValues.options(connectionStatuses), string: "Status", defaultValue: "offline").systemOnly(),
            .char("public_url", string: "Public URL").systemOnly(),
            .char("token_hash", string: "Token Hash").secret(),
            .char("token_hint", string: "Token (last characters)").systemOnly(),
            .one2many("proxy_target_ids", "woow.proxy.target", inverse: "tunnel_id", string: "Proxy Targets"),
            .one2many("volume_ids", "woow.volume", inverse: "tunnel_id", string: "Volumes"),
            .one2many("api_token_ids", "woow.api.token", inverse: "tunnel_id", string: "API Tokens"),
        ])

    static let proxyTarget = ModelDefinition(
        name: "woow.proxy.target", description: "Proxy Target", order: "sequence, id", recName: "host",
        fields: [
            .many2one("hub_id", "woow.hub", string: "Hub", index: true, ondelete: .cascade).systemOnly(),
            .many2one("tunnel_id", "woow.tunnel", string: "Tunnel", index: true, ondelete: .cascade).systemOnly(),
            .integer("sequence", string: "Sequence", defaultValue: 0),
            .char("host", string: "Host", required: true),
            .integer("port", string: "Port", required: true),
            .char("path", string: "Path", defaultValue: "/"),
            .selection("protocol", PaaSValues.options(ProxyTargets.protocols), string: "Protocol", required: true),
        ])

    static let apiToken = ModelDefinition(
        name: "woow.api.token", description: "API Token", order: "id", recName: "name",
        fields: [
            .many2one("hub_id", "woow.hub", string: "Hub", index: true, ondelete: .cascade).systemOnly(),
            .many2one("tunnel_id", "woow.tunnel", string: "Tunnel", index: true, ondelete: .cascade).systemOnly(),
            .char("name", string: "Name", required: true),
            .selection("scope", options(["read", "read_write"], labels: ["read_write": "Read and write"]), string: "Scope", defaultValue: "read"),
            .char("token_hash", string: "Token Hash").secret(),
            .char("token_hint", string: "Token (last characters)").systemOnly(),
            .datetime("last_used_at", string: "Last Used").systemOnly(),
            .datetime("expires_at", string: "Expires").systemOnly(),
        ])

    static let backup = ModelDefinition(
        name: "woow.backup", description: "Hub Backup", order: "id desc", recName: "reference",
        fields: [
            .char("reference", string: "Backup ID", required: true, index: true).systemOnly(),
            .many2one("hub_id", "woow.hub", string: "Hub", required: true, index: true, ondelete: .cascade).systemOnly(),
            .selection("status", PaaSValues.options(jobStatuses), string: "Status", defaultValue: "pending").systemOnly(),
            .integer("size_mb", string: "Size (MB)").systemOnly(),
            .datetime("started_at", string: "Started").systemOnly(),
            .datetime("completed_at", string: "Completed").systemOnly(),
        ])

    static let restore = ModelDefinition(
        name: "woow.hub.restore", description: "Hub Restore", order: "id desc",
        fields: [
            .many2one("hub_id", "woow.hub", string: "Hub", required: true, index: true, ondelete: .cascade).systemOnly(),
            .many2one("backup_id", "woow.backup", string: "Backup", required: true, ondelete: .cascade).systemOnly(),
            .selection("status", PaaSValues.options(jobStatuses), string: "Status", defaultValue: "pending").systemOnly(),
            .datetime("started_at", string: "Started").systemOnly(),
            .datetime("completed_at", string: "Completed").systemOnly(),
        ])

    /// Every model of this file, for registration.
    static let all = [hub, tunnel, proxyTarget, apiToken, backup, restore]

    /// Selection options with capitalised labels, some of them given.
    static func options(_ values: [String], labels: [String: String]) -> [SelectionOption] {
        values.map { value in SelectionOption(value, labels[value] ?? (value.prefix(1).uppercased() + value.dropFirst())) }
    }
}
