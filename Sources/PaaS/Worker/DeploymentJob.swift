import PostgresDriver

/// The deployment jobs of the worker queue (`woow_job`): queueing and cancelling, always inside
/// the caller's transaction so a job exists exactly when the action that asked for it committed.
public enum DeploymentJob {
    /// A new app is deployed.
    public static let deploy = "app.deploy"
    /// A stopped (or failed) app is started again.
    public static let start = "app.start"
    /// A running app is restarted.
    public static let restart = "app.restart"
    /// Every kind the worker knows.
    public static let kinds: Set<String> = [deploy, start, restart]

    /// Queues `kind` for `app`, due after `delay`.
    public static func enqueue(
        _ kind: String, app: Int64, team: Int64, delay: Duration, on db: PostgresConnection
    ) async throws {
        try await db.query(
            """
            INSERT INTO woow_job (kind, res_id, team_id, run_after)
            VALUES (\(kind), \(app), \(team), now() + \(milliseconds(delay))::float8 * interval '1 millisecond')
            """)
    }

    /// Cancels the app's queued jobs; returns how many. A job a worker is processing right now is
    /// locked and skipped: the worker then sees the app's new status (or its absence) and does nothing.
    @discardableResult
    public static func cancel(app: Int64, on db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            UPDATE woow_job SET state = 'cancelled', done_at = now()
            WHERE id IN (
                SELECT id FROM woow_job
                WHERE res_id = \(app) AND kind LIKE 'app.%' AND state = 'queued'
                FOR UPDATE SKIP LOCKED)
            RETURNING id
            """
        ).rows.count
    }

    /// A duration in whole milliseconds (never negative).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
