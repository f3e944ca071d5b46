import ORM

/// A tenant-style test module shared by the ORM and RPC suites: notes belong to a team, users see
/// only their teams' notes (a global rule with a rule variable), plain users write or delete only
/// their own notes (a group rule), user managers any note of their teams (another group rule).
public enum TenantNotesModule {
    /// The tables, to run in a test database.
    public static let setupSQL = """
        CREATE TABLE note_team (id bigserial PRIMARY KEY, name varchar NOT NULL,
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        CREATE TABLE note_team_member (team_id bigint REFERENCES note_team(id), user_id bigint REFERENCES res_users(id));
        CREATE TABLE note_note (id bigserial PRIMARY KEY, name varchar NOT NULL, body text,
            team_id bigint REFERENCES note_team(id), owner_id bigint REFERENCES res_users(id),
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        """

    /// The base models plus the notes models, rights and rules (fast password hashing).
    public static func registry() throws -> ModelRegistry {
        var builder = RegistryBuilder()
        builder.passwordRounds = 1000
        BaseModule.register(into: &builder)
        builder.register(ModelDefinition(name: "note.team", description: "Team", fields: [.char("name", required: true)]))
        builder.register(
            ModelDefinition(
                name: "note.note", description: "Note", order: "id",
                fields: [
                    .char("name", required: true), .text("body"), .many2one("team_id", "note.team"),
                    .many2one("owner_id", "res.users"),
                ]))
        builder.declare(
            RuleVariable(
                name: "team_ids", sql: "SELECT coalesce(array_agg(team_id), '{}') FROM note_team_member WHERE user_id = $1"))
        builder.grant(ModelAccess("access_note_user", model: "note.note", group: BaseModule.Group.user, Set(AccessOperation.allCases)))
        builder.grant(ModelAccess("access_note_team_user", model: "note.team", group: BaseModule.Group.user, [.read]))
        builder.restrict(RecordRule("note_team_rule", model: "note.note", domain: .init([["team_id", "in", ["var": "team_ids"]]])))
        builder.restrict(
            RecordRule(
                "note_own_rule", model: "note.note", groups: [BaseModule.Group.user],
                domain: .init([["owner_id", "=", ["user": "id"]]]), operations: [.write, .unlink]))
        builder.restrict(
            RecordRule(
                "note_manager_rule", model: "note.note", groups: [BaseModule.Group.accessRights],
                domain: .init([[1, "=", 1]]), operations: [.write, .unlink]))
        builder.restrict(RecordRule("team_member_rule", model: "note.team", domain: .init([["id", "in", ["var": "team_ids"]]])))
        return try builder.build()
    }
}
