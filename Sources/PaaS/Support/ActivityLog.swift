import Logging
import ORM
import PostgresDriver

/// Records what happened in a team (`woow.activity`): shown on the dashboard, and written to the
/// system log (`activity` at info level with team, user, action and target).
public enum ActivityLog {
    /// Inserts one activity in the caller's transaction (it commits or rolls back with the action).
    public static func record(
        _ action: String, target: String, model: String?, id: Int64?, team: Int64, user: Int64?,
        in transaction: ORMTransaction, logger: Logger
    ) async throws {
        try await transaction.query(
            """
            INSERT INTO woow_activity (team_id, user_id, action, target, res_model, res_id, create_uid, write_uid)
            VALUES (\(team), \(user), \(action), \(target), \(model), \(id), \(user), \(user))
            """)
        logger.info(
            "activity",
            metadata: [
                "team": "\(team)", "user": "\(user.map(String.init) ?? "system")", "action": "\(action)",
                "target": "\(target)",
            ])
    }
}
