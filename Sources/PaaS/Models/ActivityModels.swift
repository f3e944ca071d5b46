import ORM

/// `woow.activity`: the team's activity log (who did what to which target, when). Written by
/// the application only; members read their current team's entries.
enum ActivityModels {
    static let activity = ModelDefinition(
        name: "woow.activity", description: "Activity", order: "id desc", recName: "action",
        fields: [
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade),
            .many2one("user_id", "res.users", string: "User", ondelete: .setNull),
            .char("action", string: "Action", required: true),
            .char("target", string: "Target", required: true),
            .char("res_model", string: "Model"),
            .integer("res_id", string: "Record ID"),
        ])
}
