import Logging
import ORM
import PostgresDriver

/// The hub backup and restore jobs of the worker queue (`woow_job`, `res_id` = the backup's or
/// the restore's row id), processed by ``DeploymentWorker`` inside its claiming transaction.
///
/// Each operation takes two steps, each due after ``PaaSConfiguration/backupStepDelay``:
///
/// | kind | row status | becomes | and |
/// |---|---|---|---|
/// | `hub.backup` | `pending` | `in_progress` (`started_at`) | queues the next `hub.backup` step |
/// | `hub.backup` | `in_progress` | `completed` (`completed_at`, `size_mb`) | sets the hub's `last_backup`; activity "hub backup completed" |
/// | `hub.restore` | `pending` | `in_progress` | queues the next `hub.restore` step |
/// | `hub.restore` | `in_progress` | `completed` | activity "hub restored" |
///
/// A row in any other status (or gone with its hub) leaves nothing to do. When a step's job fails
/// for the last time (``DeploymentWorker/maxAttempts``), the row becomes `failed` (``markFailed``). The size of a backup is
/// simulated from the hub's volumes: a deterministic share of their size, so it is plausible and
/// stable.
public enum HubBackupJob {
    /// Backs up a hub.
    public static let backup = "hub.backup"
    /// Restores a hub from a backup.
    public static let restore = "hub.restore"
    /// The kinds this file processes.
    public static let kinds: Set<String> = [backup, restore]

    /// Queues a step of `kind` for row `id`, due after `delay`.
    public static func enqueue(_ kind: String, id: Int64, team: Int64, delay: Duration, on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO woow_job (kind, res_id, team_id, run_after)
            VALUES (\(kind), \(id), \(team), now() + \(DeploymentJob.milliseconds(delay))::float8 * interval '1 millisecond')
            """)
    }

    /// After the job's last failed attempt: the backup or restore becomes `failed`, so it no
    /// longer blocks the hub's next backup or restore.
    static func markFailed(kind: String, id: Int64, on db: PostgresConnection) async throws {
        if kind == backup {
            try await db.query(
                """
                UPDATE woow_backup SET status = 'failed', write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(id) AND status IN ('pending', 'in_progress')
                """)
        } else {
            try await db.query(
                """
                UPDATE woow_hub_restore SET status = 'failed', write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(id) AND status IN ('pending', 'in_progress')
                """)
        }
    }

    /// Advances the backup or restore `id` by one step.
    static func process(kind: String, id: Int64, stepDelay: Duration, on db: PostgresConnection, logger: Logger) async throws {
        let rows = try await db.query(
            kind == backup
                ? """
                SELECT r.status, r.hub_id, h.name, w.team_id, r.reference
                FROM woow_backup r JOIN woow_hub h ON h.id = r.hub_id JOIN woow_workspace w ON w.id = h.workspace_id
                WHERE r.id = \(id) FOR UPDATE OF r
                """
                : """
                SELECT r.status, r.hub_id, h.name, w.team_id, b.reference
                FROM woow_hub_restore r JOIN woow_backup b ON b.id = r.backup_id
                JOIN woow_hub h ON h.id = r.hub_id JOIN woow_workspace w ON w.id = h.workspace_id
                WHERE r.id = \(id) FOR UPDATE OF r
                """)
        guard let row = rows.first else { return }
        let status = try row.decode(String.self, at: 0)
        let hub = try row.decode(Int64.self, at: 1)
        let hubName = try row.decode(String.self, at: 2)
        let team = try row.decode(Int64.self, at: 3)
        let reference = try row.decode(String.self, at: 4)
        switch status {
        case "pending":
            if kind == backup {
                try await db.query(
                    """
                    UPDATE woow_backup SET status = 'in_progress', started_at = now() AT TIME ZONE 'UTC',
                           write_date = now() AT TIME ZONE 'UTC' WHERE id = \(id)
                    """)
            } else {
                try await db.query(
                    """
                    UPDATE woow_hub_restore SET status = 'in_progress', started_at = now() AT TIME ZONE 'UTC',
                           write_date = now() AT TIME ZONE 'UTC' WHERE id = \(id)
                    """)
            }
            try await enqueue(kind, id: id, team: team, delay: stepDelay, on: db)
        case "in_progress":
            let action: String
            if kind == backup {
                try await db.query(
                    """
                    UPDATE woow_backup SET status = 'completed', completed_at = now() AT TIME ZONE 'UTC',
                           size_mb = (SELECT greatest(1, coalesce(sum(size_gb), 1) * 1024 * (5 + \(id) % 11) / 100)
                                      FROM woow_volume WHERE hub_id = \(hub)),
                           write_date = now() AT TIME ZONE 'UTC'
                    WHERE id = \(id)
                    """)
                try await db.query(
                    "UPDATE woow_hub SET last_backup = now() AT TIME ZONE 'UTC', write_date = now() AT TIME ZONE 'UTC' WHERE id = \(hub)")
                action = "hub backup completed"
            } else {
                try await db.query(
                    """
                    UPDATE woow_hub_restore SET status = 'completed', completed_at = now() AT TIME ZONE 'UTC',
                           write_date = now() AT TIME ZONE 'UTC' WHERE id = \(id)
                    """)
                action = "hub restored"
            }
            try await ActivityLog.record(
                action, target: "\(hubName) (\(reference))", model: "woow.hub", id: hub, team: team, user: nil,
                in: ORMTransaction(connection: db), logger: logger)
        default:
            return
        }
    }
}
