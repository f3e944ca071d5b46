import ORM

/// `woow.team`, `woow.team.member` and `woow.team.invitation`: the tenant, its members and roles,
/// and the invitations that bring new members in. Balances, plans, roles and statuses are
/// ``FieldDefinition/isSystemOnly``: they change through the application's routes, never by a
/// client's `write`.
enum TeamModels {
    static let team = ModelDefinition(
        name: "woow.team", description: "Team", order: "name, id", recName: "name",
        fields: [
            .char("name", string: "Team Name", required: true),
            .selection("plan", PaaSValues.options(PaaSValues.plans), string: "Plan", defaultValue: "free").systemOnly(),
            .monetary("credits_balance", string: "Credits", defaultValue: 0).systemOnly(),
            .boolean("auto_reload_enabled", string: "Auto-reload", defaultValue: false).systemOnly(),
            .monetary("auto_reload_threshold", string: "Auto-reload Threshold", defaultValue: 0).systemOnly(),
            .monetary("auto_reload_amount", string: "Auto-reload Amount", defaultValue: 0).systemOnly(),
            .one2many("member_ids", "woow.team.member", inverse: "team_id", string: "Members"),
            .one2many("workspace_ids", "woow.workspace", inverse: "team_id", string: "Workspaces"),
        ])

    static let member = ModelDefinition(
        name: "woow.team.member", description: "Team Member", order: "id",
        displayNameSQL: { alias in
            """
            coalesce((SELECT p."name" FROM "res_users" AS u JOIN "res_partner" AS p ON p."id" = u."partner_id"
                      WHERE u."id" = "\(alias)"."user_id"), "\(alias)"."email")
            """
        },
        fields: [
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .many2one("user_id", "res.users", string: "User", index: true, ondelete: .cascade).systemOnly(),
            .char("email", string: "Invited E-mail").systemOnly(),
            .selection("role", PaaSValues.options(PaaSValues.roles), string: "Role", required: true, defaultValue: "user")
                .systemOnly(),
            .selection(
                "status", PaaSValues.options(PaaSValues.memberStatuses), string: "Status", required: true,
                defaultValue: "active"
            ).systemOnly(),
            .many2many(
                "workspace_ids", "woow.workspace", relation: "woow_team_member_workspace_rel", column1: "member_id",
                column2: "workspace_id", string: "Workspace Access"),
        ])

    static let invitation = ModelDefinition(
        name: "woow.team.invitation", description: "Team Invitation", order: "id desc", recName: "email",
        fields: [
            .char("reference", string: "Invitation ID", required: true, index: true).systemOnly(),
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .many2one("member_id", "woow.team.member", string: "Pending Member", ondelete: .setNull).systemOnly(),
            .char("email", string: "E-mail", required: true).systemOnly(),
            .selection("role", PaaSValues.options(PaaSValues.invitableRoles), string: "Role", required: true).systemOnly(),
            .selection(
                "status",
                PaaSValues.options(["pending", "accepted", "cancelled", "expired"]), string: "Status",
                defaultValue: "pending"
            ).systemOnly(),
            .char("token_hash", string: "Token Hash").secret(),
            .datetime("expires_at", string: "Expires On").systemOnly(),
            .integer("send_count", string: "Times Sent", defaultValue: 1).systemOnly(),
            .datetime("last_sent_at", string: "Last Sent On").systemOnly(),
            .datetime("accepted_at", string: "Accepted On").systemOnly(),
            .many2one("invited_by", "res.users", string: "Invited By", ondelete: .setNull).systemOnly(),
        ])
}
