import Foundation
import Logging
import ORM
import PostgresDriver
import ServiceLifecycle

/// The background worker of the simulated deployments: a `Service` that, every poll interval,
/// claims the due jobs of `woow_job` and moves their apps from `deploying` to `running` (or `error`),
/// and hub backups and restores one step further (``HubBackupJob``).
///
/// Jobs are claimed inside one transaction with
/// `SELECT … WHERE state = 'queued' AND run_after <= now() … FOR UPDATE SKIP LOCKED`, processed in
/// that same transaction and marked `done` (with `done_by`, this instance, and `done_at`); several
/// server instances can run the worker on one database and no job is processed twice. Each job
/// runs in a savepoint: a failing job is rolled back alone, its `attempts` grow, `last_error` is
/// kept and it is retried later (backoff `attempts × 5 s`), becoming `failed` after
/// ``maxAttempts``. The worker never stops on a bad job, and stops between batches on graceful
/// shutdown.
///
/// ```swift
/// let worker = DeploymentWorker(database: client, configuration: configuration.paas, logger: logger)
/// // add `worker` to the ServiceGroup, or in tests:
/// let processed = try await worker.runOnce()
/// ```
public struct DeploymentWorker: Service {
    /// Attempts before a job is `failed`.
    public static let maxAttempts = 5

    let database: PostgresClient
    let configuration: PaaSConfiguration
    let logger: Logger
    /// Written to `done_by` on the jobs this instance processed.
    public let instanceID: String
    /// Jobs claimed per transaction.
    public let batchSize: Int

    /// Creates a worker over a pool; `instanceID` defaults to host name, process id and a random suffix.
    public init(
        database: PostgresClient, configuration: PaaSConfiguration, instanceID: String? = nil, batchSize: Int = 20,
        logger: Logger
    ) {
        self.database = database
        self.configuration = configuration
        self.instanceID =
            instanceID
            ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...UInt16.max))"
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Polls until graceful shutdown; a full batch is followed at once by the next one.
    public func run() async throws {
        logger.info("deployment worker started", metadata: ["worker": "\(instanceID)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var processed = 0
            do {
                processed = try await runOnce()
            } catch {
                logger.warning("deployment worker batch failed", metadata: ["worker": "\(instanceID)", "error": "\(error)"])
            }
            if processed >= batchSize { continue }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.workerPollInterval) }
        }
        logger.info("deployment worker stopped", metadata: ["worker": "\(instanceID)"])
    }

    /// Claims and processes one batch of due jobs in one transaction; returns how many were
    /// handled (done, or failed and rescheduled).
    @discardableResult
    public func runOnce() async throws -> Int {
        let instanceID = instanceID
        let batchSize = batchSize
        let logger = logger
        let backupStepDelay = configuration.backupStepDelay
        return try await database.withTransaction { db in
            let jobs = try await db.query(
                """
                SELECT id, kind, res_id, attempts FROM woow_job
                WHERE state = 'queued' AND run_after <= now()
                ORDER BY run_after, id LIMIT \(batchSize)
                FOR UPDATE SKIP LOCKED
                """
            ).rows.map { row in
                Job(id: try row.decode(Int64.self, at: 0), kind: try row.decode(String.self, at: 1),
                    appID: try row.decode(Int64.self, at: 2), attempts: try row.decode(Int.self, at: 3))
            }
            for job in jobs {
                try await db.execute(script: "SAVEPOINT woow_job")
                do {
                    try await Self.process(job, on: db, backupStepDelay: backupStepDelay, logger: logger)
                    try await db.execute(script: "RELEASE SAVEPOINT woow_job")
                    try await db.query(
                        """
                        UPDATE woow_job SET state = 'done', attempts = attempts + 1, done_by = \(instanceID), done_at = now()
                        WHERE id = \(job.id)
                        """)
                } catch {
                    try await db.execute(script: "ROLLBACK TO SAVEPOINT woow_job")
                    let message = String(describing: error).prefix(500)
                    let failed = job.attempts + 1 >= Self.maxAttempts
                    try await db.query(
                        """
                        UPDATE woow_job SET attempts = attempts + 1, last_error = \(String(message)),
                               state = \(failed ? "failed" : "queued"),
                               run_after = now() + (attempts + 1) * interval '5 seconds',
                               done_by = \(failed ? instanceID : nil), done_at = CASE WHEN \(failed) THEN now() END
                        WHERE id = \(job.id)
                        """)
                    if failed, HubBackupJob.kinds.contains(job.kind) {
                        try await HubBackupJob.markFailed(kind: job.kind, id: job.appID, on: db)
                    }
                    logger.warning(
                        "deployment job failed",
                        metadata: [
                            "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts + 1)", "final": "\(failed)",
                            "error": "\(message)",
                        ])
                }
            }
            return jobs.count
        }
    }

    /// A claimed job.
    struct Job: Sendable {
        let id: Int64
        let kind: String
        let appID: Int64
        let attempts: Int
    }

    /// Moves the job's app out of `deploying`; an app that is gone or no longer deploying (stopped
    /// or deleted meanwhile) leaves nothing to do. Hub backup and restore jobs go to ``HubBackupJob``.
    static func process(_ job: Job, on db: PostgresConnection, backupStepDelay: Duration, logger: Logger) async throws {
        if HubBackupJob.kinds.contains(job.kind) {
            return try await HubBackupJob.process(kind: job.kind, id: job.appID, stepDelay: backupStepDelay, on: db, logger: logger)
        }
        guard DeploymentJob.kinds.contains(job.kind) else {
            throw WorkerError(message: "unknown job kind '\(job.kind)'")
        }
        let rows = try await db.query(
            """
            SELECT a.status, a.name, w.team_id, t.name, t.active, t.monthly_price, team.credits_balance
            FROM woow_cloud_app a
            JOIN woow_workspace w ON w.id = a.workspace_id
            JOIN woow_team team ON team.id = w.team_id
            JOIN woow_app_template t ON t.id = a.template_id
            WHERE a.id = \(job.appID)
            FOR UPDATE OF a
            """)
        guard let row = rows.first, try row.decode(String.self, at: 0) == "deploying" else { return }
        let name = try row.decode(String.self, at: 1)
        let team = try row.decode(Int64.self, at: 2)
        let templateName = try row.decode(String.self, at: 3)
        let active = try row.decode(Bool.self, at: 4)
        let price = Money(try row.decode(PostgresNumeric.self, at: 5)) ?? .zero
        let balance = Money(try row.decode(PostgresNumeric.self, at: 6)) ?? .zero
        let failure: String?
        if !active {
            failure = "The template \(templateName) has been withdrawn from the marketplace"
        } else if price > .zero, balance <= .zero {
            failure = "The team has no credits left; add funds and start the app again"
        } else {
            failure = nil
        }
        if let failure {
            try await db.query(
                """
                UPDATE woow_cloud_app SET status = 'error', status_message = \(failure), started_at = NULL,
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(job.appID)
                """)
        } else {
            try await db.query(
                """
                UPDATE woow_cloud_app SET status = 'running', status_message = NULL, started_at = now() AT TIME ZONE 'UTC',
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(job.appID)
                """)
        }
        try await ActivityLog.record(
            failure == nil ? "app running" : "app deployment failed", target: name, model: "woow.cloud.app", id: job.appID,
            team: team, user: nil, in: ORMTransaction(connection: db), logger: logger)
    }

    /// A job the worker cannot process.
    struct WorkerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
