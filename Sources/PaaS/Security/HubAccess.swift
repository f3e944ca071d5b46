import JSONRPC
import ORM

/// Access rights and record rules of the hub and tunnel models, with the workspace rule variables
/// of ``PaaSAccess``:
///
/// | model | read | write | create / delete |
/// |---|---|---|---|
/// | `woow.hub`, `woow.tunnel` | in the readable workspaces | `name` only, in the operable workspaces (owner/admin; users in granted workspaces; never guests) | routes only |
/// | `woow.proxy.target`, `woow.api.token`, `woow.backup`, `woow.hub.restore` | their hub's or tunnel's workspace is readable | routes and worker only | routes and worker only |
///
/// Creation needs a token, a plan check (tunnels) and an activity, so it happens only in the
/// routes; proxy targets are changed only through `PUT`, which validates them. No field exposes
/// a token hash.
enum HubAccess {
    static func register(into builder: inout RegistryBuilder) {
        let user = BaseModule.Group.user
        let readable: JSONValue = ["var": "woow_readable_workspace_ids"]
        let operable: JSONValue = ["var": "woow_operable_workspace_ids"]
        for (model, table) in [("woow.hub", "hub"), ("woow.tunnel", "tunnel")] {
            builder.grant(ModelAccess("access_woow_\(table)_user", model: model, group: user, [.read, .write]))
            builder.restrict(
                RecordRule(
                    "woow_\(table)_read_rule", model: model, domain: .init([["workspace_id", "in", readable]]),
                    operations: [.read]))
            builder.restrict(
                RecordRule(
                    "woow_\(table)_operate_rule", model: model, domain: .init([["workspace_id", "in", operable]]),
                    operations: PaaSAccess.changes))
        }
        for (model, table) in [("woow.proxy.target", "proxy_target"), ("woow.api.token", "api_token")] {
            builder.grant(ModelAccess("access_woow_\(table)_user", model: model, group: user, [.read]))
            builder.restrict(
                RecordRule(
                    "woow_\(table)_read_rule", model: model,
                    domain: .init(["|", ["hub_id.workspace_id", "in", readable], ["tunnel_id.workspace_id", "in", readable]])))
        }
        for (model, table) in [("woow.backup", "backup"), ("woow.hub.restore", "hub_restore")] {
            builder.grant(ModelAccess("access_woow_\(table)_user", model: model, group: user, [.read]))
            builder.restrict(
                RecordRule("woow_\(table)_read_rule", model: model, domain: .init([["hub_id.workspace_id", "in", readable]])))
        }
    }
}
