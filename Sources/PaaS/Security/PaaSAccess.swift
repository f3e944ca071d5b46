import ORM

/// The PaaS roles as ORM access rights and record rules, so that `/web/dataset/call_kw` obeys
/// exactly what the `/paas/api/v1` routes obey.
///
/// Everything is scoped to the caller's **current team** (`woow_current_member` in schema.sql):
///
/// | model | read | create / write / delete |
/// |---|---|---|
/// | `woow.team` | the teams the user belongs to | create: system administrators (any team); write, delete: nobody through RPC |
/// | `woow.team.member` | the current team's | create: system administrators (in any team); write, delete: nobody through RPC (the team routes check the role, then act as the server) |
/// | `woow.team.invitation` | the current team's | nobody through RPC |
/// | `woow.workspace` | owner/admin: the team's; user/guest: the workspaces granted to them | owner/admin of the current team |
/// | `woow.cloud.app`, `woow.volume` | in the readable workspaces | owner/admin, and users in their granted workspaces (not guests) |
/// | `woow.hub`, `woow.tunnel` and their children | see ``HubAccess`` | |
/// | `woow.activity` | the current team's | server code only |
/// | `woow.app.template` | everybody | system administrators |
/// | `woow.payment.method`, `woow.transaction`, `woow.invoice`, `woow.invoice.line`, `woow.usage.line` | owners and admins of the current team (the gateway token: system administrators only) | server code only (the billing routes and the metering worker) |
///
/// System administrators (`base.group_system`) have no rule bypass: tenancy holds for them too
/// when they read, write or delete; only server code running `sudo` crosses teams. What they may
/// do beyond their teams is onboard customers: create a team and its members (a team they found
/// is not theirs, so the team and member rules do not restrict `create`).
enum PaaSAccess {
    static let everything = Set(AccessOperation.allCases)
    static let changes: Set<AccessOperation> = [.create, .write, .unlink]
    /// Every operation but `create`, which only system administrators have on teams and members.
    static let readWriteUnlink: Set<AccessOperation> = [.read, .write, .unlink]

    static func register(into builder: inout RegistryBuilder) {
        declareVariables(into: &builder)
        let user = BaseModule.Group.user
        let system = BaseModule.Group.system
        builder.grant(ModelAccess("access_woow_team_user", model: "woow.team", group: user, [.read]))
        builder.grant(ModelAccess("access_woow_team_member_user", model: "woow.team.member", group: user, [.read]))
        builder.grant(ModelAccess("access_woow_team_invitation_user", model: "woow.team.invitation", group: user, [.read]))
        builder.grant(ModelAccess("access_woow_team_system", model: "woow.team", group: system, [.create]))
        builder.grant(ModelAccess("access_woow_team_member_system", model: "woow.team.member", group: system, [.create]))
        builder.grant(ModelAccess("access_woow_workspace_user", model: "woow.workspace", group: user, everything))
        builder.grant(ModelAccess("access_woow_cloud_app_user", model: "woow.cloud.app", group: user, everything))
        builder.grant(ModelAccess("access_woow_volume_user", model: "woow.volume", group: user, [.read]))
        builder.grant(ModelAccess("access_woow_activity_user", model: "woow.activity", group: user, [.read]))
        builder.grant(ModelAccess("access_woow_app_template_all", model: "woow.app.template", group: nil, [.read]))
        builder.grant(ModelAccess("access_woow_app_template_system", model: "woow.app.template", group: system, everything))

        builder.restrict(
            RecordRule(
                "woow_team_member_rule", model: "woow.team", domain: .init([["id", "in", ["var": "woow_member_team_ids"]]]),
                operations: readWriteUnlink))
        builder.restrict(
            RecordRule(
                "woow_team_member_team_rule", model: "woow.team.member",
                domain: .init([["team_id", "in", ["var": "woow_current_team_ids"]]]), operations: readWriteUnlink))
        builder.restrict(
            RecordRule(
                "woow_team_invitation_team_rule", model: "woow.team.invitation",
                domain: .init([["team_id", "in", ["var": "woow_current_team_ids"]]])))
        builder.restrict(
            RecordRule(
                "woow_workspace_read_rule", model: "woow.workspace",
                domain: .init([["id", "in", ["var": "woow_readable_workspace_ids"]]]), operations: [.read]))
        builder.restrict(
            RecordRule(
                "woow_workspace_manage_rule", model: "woow.workspace",
                domain: .init([["team_id", "in", ["var": "woow_managed_team_ids"]]]), operations: changes))
        builder.restrict(
            RecordRule(
                "woow_cloud_app_read_rule", model: "woow.cloud.app",
                domain: .init([["workspace_id", "in", ["var": "woow_readable_workspace_ids"]]]), operations: [.read]))
        builder.restrict(
            RecordRule(
                "woow_cloud_app_operate_rule", model: "woow.cloud.app",
                domain: .init([["workspace_id", "in", ["var": "woow_operable_workspace_ids"]]]), operations: changes))
        builder.restrict(
            RecordRule(
                "woow_volume_read_rule", model: "woow.volume",
                domain: .init([
                    "|", "|", ["app_id.workspace_id", "in", ["var": "woow_readable_workspace_ids"]],
                    ["hub_id.workspace_id", "in", ["var": "woow_readable_workspace_ids"]],
                    ["tunnel_id.workspace_id", "in", ["var": "woow_readable_workspace_ids"]],
                ])))
        HubAccess.register(into: &builder)
        builder.restrict(
            RecordRule(
                "woow_activity_team_rule", model: "woow.activity",
                domain: .init([["team_id", "in", ["var": "woow_current_team_ids"]]])))
        registerBilling(into: &builder)
        PeopleAccess.register(into: &builder)
    }

    /// Billing is read by the owners and admins of the current team, never written through RPC.
    static func registerBilling(into builder: inout RegistryBuilder) {
        let user = BaseModule.Group.user
        for model in ["woow.payment.method", "woow.transaction", "woow.invoice", "woow.invoice.line", "woow.usage.line"] {
            let key = model.replacingOccurrences(of: ".", with: "_")
            builder.grant(ModelAccess("access_\(key)_user", model: model, group: user, [.read]))
            let path = model == "woow.invoice.line" ? "invoice_id.team_id" : "team_id"
            builder.restrict(
                RecordRule("\(key)_billing_rule", model: model, domain: .init([[.string(path), "in", ["var": "woow_managed_team_ids"]]])))
        }
    }

    /// The rule variables, each one statement per transaction (`$1` is the user id).
    static func declareVariables(into builder: inout RegistryBuilder) {
        builder.declare(
            RuleVariable(
                name: "woow_member_team_ids",
                sql: """
                    SELECT coalesce(array_agg(team_id), '{}') FROM woow_team_member
                    WHERE user_id = $1 AND status IN ('active', 'offline')
                    """))
        builder.declare(
            RuleVariable(name: "woow_current_team_ids", sql: "SELECT coalesce(array_agg(team_id), '{}') FROM woow_current_member($1)"))
        builder.declare(
            RuleVariable(
                name: "woow_managed_team_ids",
                sql: "SELECT coalesce(array_agg(team_id), '{}') FROM woow_current_member($1) WHERE role IN ('owner', 'admin')"))
        builder.declare(
            RuleVariable(name: "woow_readable_workspace_ids", sql: workspaceSQL(roles: "'owner', 'admin'", granted: "'user', 'guest'")))
        builder.declare(
            RuleVariable(name: "woow_operable_workspace_ids", sql: workspaceSQL(roles: "'owner', 'admin'", granted: "'user'")))
    }

    /// Workspaces of the current team: all of them for `roles`, the granted ones for `granted`.
    static func workspaceSQL(roles: String, granted: String) -> String {
        """
        SELECT coalesce(array_agg(w.id), '{}')
        FROM woow_current_member($1) AS m JOIN woow_workspace AS w ON w.team_id = m.team_id
        WHERE m.role IN (\(roles))
           OR (m.role IN (\(granted)) AND EXISTS (
                SELECT 1 FROM woow_team_member_workspace_rel AS r
                WHERE r.member_id = m.member_id AND r.workspace_id = w.id))
        """
    }
}
