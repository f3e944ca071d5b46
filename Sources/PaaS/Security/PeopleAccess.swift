import JSONRPC
import ORM

/// Tenancy of people: a PaaS customer sees the users and contacts of the teams they belong to (and
/// their own), nothing of other customers — the way Odoo keeps portal users to their own records,
/// while Odoo's internal users see every user and contact. System administrators keep the global
/// view.
///
/// | model | a team member (`base.group_user`) | a system administrator (`base.group_system`) |
/// |---|---|---|
/// | `res.users` | the users of the teams they are an active member of, and themselves | every user |
/// | `res.partner` | reads the contacts of those teams (`team_id`) and those users' own contacts; changes the teams' contacts and their own | every contact |
///
/// The rules hold for every operation and every path (`search`, `read`, dotted paths and
/// subqueries on these models, `read_group`, x2many reads). A contact created through RPC belongs
/// to the creator's current team unless another of their teams is given.
enum PeopleAccess {
    static func register(into builder: inout RegistryBuilder) {
        builder.extend(
            "res.partner",
            with: [
                .many2one("team_id", "woow.team", string: "Team", index: true, ondelete: .setNull)
                    .defaulting { env in
                        try await env.ruleVariable("woow_current_team_ids").first.map { .number(JSONNumber($0)) }
                    }
            ])
        builder.declare(
            RuleVariable(
                name: "woow_visible_user_ids",
                sql: """
                    SELECT coalesce(array_agg(DISTINCT other.user_id) FILTER (WHERE other.user_id IS NOT NULL), '{}') || $1::int8
                    FROM woow_team_member AS mine JOIN woow_team_member AS other ON other.team_id = mine.team_id
                    WHERE mine.user_id = $1 AND mine.status IN ('active', 'offline')
                    """))
        builder.declare(
            RuleVariable(
                name: "woow_visible_user_partner_ids",
                sql: """
                    SELECT coalesce(array_agg(u.partner_id), '{}') FROM res_users AS u
                    WHERE u.id = $1 OR u.id IN (
                        SELECT other.user_id
                        FROM woow_team_member AS mine JOIN woow_team_member AS other ON other.team_id = mine.team_id
                        WHERE mine.user_id = $1 AND mine.status IN ('active', 'offline'))
                    """))
        let user = BaseModule.Group.user
        let system = BaseModule.Group.system
        builder.restrict(
            RecordRule(
                "res_users_team_rule", model: "res.users", groups: [user],
                domain: .init([["id", "in", ["var": "woow_visible_user_ids"]]])))
        builder.restrict(RecordRule("res_users_system_rule", model: "res.users", groups: [system], domain: .everything))
        builder.restrict(
            RecordRule(
                "res_partner_team_read_rule", model: "res.partner", groups: [user],
                domain: .init([
                    "|", ["team_id", "in", ["var": "woow_member_team_ids"]],
                    ["id", "in", ["var": "woow_visible_user_partner_ids"]],
                ]),
                operations: [.read]))
        builder.restrict(
            RecordRule(
                "res_partner_team_change_rule", model: "res.partner", groups: [user],
                domain: .init(["|", ["team_id", "in", ["var": "woow_member_team_ids"]], ["id", "=", ["user": "partner_id"]]]),
                operations: [.create, .write, .unlink]))
        builder.restrict(RecordRule("res_partner_system_rule", model: "res.partner", groups: [system], domain: .everything))
    }
}
