import Foundation
import Logging
import ORM
import PostgresDriver
import ServiceLifecycle

/// Charges running apps for their running time (docs/api/billing.md, "Metering"): a `Service`
/// that every ``PaaSConfiguration/meteringInterval`` meters each team with running apps.
///
/// For each app with `status = 'running'`, the running time since the later of its last metering
/// (`metered_until`) and its last start (`started_at`) is charged in **whole hours** at
/// ``MeteringRate`` (monthly price / 720 per hour, exact cents, the fraction carried), and
/// `metered_until` moves forward by those hours; the rest of an hour waits for the next pass. A
/// team's charges of one pass are one ledger debit (`.takeWhatIsLeft`, auto-reload first when the
/// balance is short) and one usage line per app and day (added to the day's line when there is
/// one). If the balance is then zero, the team's paid apps (running or deploying) are **stopped**
/// (queued jobs cancelled, status message "Stopped: no credits left"), each with an activity.
///
/// Each team is metered in its own transaction that locks the team's row and then the apps' rows
/// and reads `metered_until` under those locks, so two instances (or two passes) never charge the
/// same hour twice. The pass also deletes expired idempotency keys.
public struct MeteringService: Service {
    let database: PostgresClient
    let configuration: PaaSConfiguration
    let logger: Logger

    /// A metering service over a pool.
    public init(database: PostgresClient, configuration: PaaSConfiguration, logger: Logger) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
    }

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        /// Teams charged.
        public var teams = 0
        /// The total charged.
        public var charged = Money.zero
        /// Apps stopped for lack of credits.
        public var stoppedApps = 0
    }

    /// Meters every interval until graceful shutdown.
    public func run() async throws {
        logger.info("metering service started", metadata: ["interval": "\(configuration.meteringInterval)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.warning("metering pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.meteringInterval) }
        }
        logger.info("metering service stopped")
    }

    /// One pass over every team with running time to charge; `now` (default: the database's clock)
    /// lets tests move time.
    @discardableResult
    public func runOnce(now: Date? = nil) async throws -> Report {
        try await database.withConnection { db in _ = try await IdempotencyKeys.expire(on: db) }
        let teams = try await database.query(
            """
            SELECT DISTINCT w.team_id FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id
            WHERE a.status = 'running' AND a.started_at IS NOT NULL
              AND greatest(coalesce(a.metered_until, a.started_at), a.started_at)
                  <= (coalesce(\(now)::timestamptz, now()) AT TIME ZONE 'UTC') - interval '1 hour'
            ORDER BY 1
            """
        ).rows.map { try $0.decode(Int64.self, at: 0) }
        var report = Report()
        for team in teams {
            do {
                let (charged, stopped) = try await database.withTransaction { db in try await meter(team: team, now: now, on: db) }
                if charged > .zero { report.teams += 1 }
                report.charged = report.charged + charged
                report.stoppedApps += stopped
            } catch {
                logger.warning("metering a team failed", metadata: ["team": "\(team)", "error": "\(error)"])
            }
        }
        return report
    }

    /// An app's charge in this pass.
    struct AppCharge {
        let id: Int64
        let workspaceID: Int64
        let service: String
        let description: String
        var amount: Money
    }

    /// Meters one team inside a transaction; returns what was charged and how many apps stopped.
    func meter(team: Int64, now: Date?, on db: PostgresConnection) async throws -> (Money, Int) {
        let ledger = CreditLedger(db: db, gateway: configuration.paymentGateway, logger: logger)
        _ = try await ledger.lock(team: team)
        let rows = try await db.query(
            """
            SELECT a.id, a.workspace_id, a.name, tp.name, tp.monthly_price, a.metering_remainder,
                   floor(extract(epoch FROM (coalesce(\(now)::timestamptz, now()) AT TIME ZONE 'UTC')
                         - greatest(coalesce(a.metered_until, a.started_at), a.started_at)) / 3600)::bigint
            FROM woow_cloud_app a
            JOIN woow_workspace w ON w.id = a.workspace_id
            JOIN woow_app_template tp ON tp.id = a.template_id
            WHERE w.team_id = \(team) AND a.status = 'running' AND a.started_at IS NOT NULL
            ORDER BY a.id
            FOR UPDATE OF a
            """)
        var charges: [AppCharge] = []
        var metered: (ids: [Int64], hours: [Int64], remainders: [Int64]) = ([], [], [])
        for row in rows.rows {
            let hours = try row.decode(Int64.self, at: 6)
            guard hours >= 1 else { continue }
            let price = try CreditLedger.money(row, 4)
            let (amount, remainder) = MeteringRate.charge(
                monthlyPrice: price, hours: hours, remainder: Int64(try row.decode(Int.self, at: 5)))
            let id = try row.decode(Int64.self, at: 0)
            metered.ids.append(id)
            metered.hours.append(hours)
            metered.remainders.append(remainder)
            if amount > .zero {
                let service = try row.decode(String.self, at: 3)
                charges.append(
                    AppCharge(
                        id: id, workspaceID: try row.decode(Int64.self, at: 1), service: service,
                        description: "\(try row.decode(String.self, at: 2)) (\(service)) running time, prorated hourly",
                        amount: amount))
            }
        }
        guard !metered.ids.isEmpty else { return (.zero, 0) }
        try await db.query(
            """
            UPDATE woow_cloud_app a
            SET metered_until = greatest(coalesce(a.metered_until, a.started_at), a.started_at) + i.hours * interval '1 hour',
                metering_remainder = i.remainder
            FROM unnest(\(metered.ids)::bigint[], \(metered.hours)::bigint[], \(metered.remainders)::bigint[]) AS i(id, hours, remainder)
            WHERE a.id = i.id
            """)
        let total = charges.reduce(Money.zero) { $0 + $1.amount }
        guard total > .zero else { return (.zero, 0) }
        let debit = try await ledger.debit(
            team: team, amount: total, description: "Metered usage of \(charges.count) app(s)", policy: .takeWhatIsLeft)
        // A short balance is spread over the apps in order: each line shows what was really charged.
        var left = debit.charged
        for index in charges.indices {
            let part = min(charges[index].amount, left)
            charges[index].amount = part
            left = left - part
        }
        try await recordUsage(charges.filter { $0.amount > .zero }, team: team, now: now, on: db)
        let stopped = debit.balance == .zero ? try await stopPaidApps(team: team, on: db) : 0
        return (debit.charged, stopped)
    }

    /// Adds each charge to its app's usage line of the day (UTC), creating the line if needed.
    func recordUsage(_ charges: [AppCharge], team: Int64, now: Date?, on db: PostgresConnection) async throws {
        guard !charges.isEmpty else { return }
        try await db.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(charges.map(\.id))::bigint[], \(charges.map(\.workspaceID))::bigint[],
                                     \(charges.map(\.service))::varchar[], \(charges.map(\.description))::varchar[],
                                     \(charges.map(\.amount.description))::numeric[])
                    AS i(app_id, workspace_id, service, description, amount)),
            day AS (SELECT (coalesce(\(now)::timestamptz, now()) AT TIME ZONE 'UTC')::date AS date),
            updated AS (
                UPDATE woow_usage_line l SET amount = l.amount + i.amount, write_date = now() AT TIME ZONE 'UTC'
                FROM input i, day
                WHERE l.team_id = \(team) AND l.app_id = i.app_id AND l.date = day.date
                RETURNING l.app_id)
            INSERT INTO woow_usage_line (team_id, workspace_id, app_id, date, service, description, amount)
            SELECT \(team), i.workspace_id, i.app_id, day.date, i.service, i.description, i.amount
            FROM input i, day WHERE i.app_id NOT IN (SELECT app_id FROM updated)
            """)
    }

    /// Stops the team's paid apps that are running or deploying; returns how many.
    func stopPaidApps(team: Int64, on db: PostgresConnection) async throws -> Int {
        let stopped = try await db.query(
            """
            UPDATE woow_cloud_app a
            SET status = 'stopped', started_at = NULL, status_message = 'Stopped: no credits left',
                write_date = now() AT TIME ZONE 'UTC'
            FROM woow_workspace w, woow_app_template tp
            WHERE w.id = a.workspace_id AND tp.id = a.template_id AND w.team_id = \(team)
              AND a.status IN ('running', 'deploying') AND tp.monthly_price > 0
            RETURNING a.id, a.name
            """)
        let transaction = ORMTransaction(connection: db)
        for row in stopped.rows {
            let id = try row.decode(Int64.self, at: 0)
            try await DeploymentJob.cancel(app: id, on: db)
            try await ActivityLog.record(
                "stopped app: no credits left", target: try row.decode(String.self, at: 1), model: "woow.cloud.app", id: id,
                team: team, user: nil, in: transaction, logger: logger)
        }
        if stopped.rowCount > 0 {
            logger.notice("apps stopped: no credits left", metadata: ["team": "\(team)", "apps": "\(stopped.rowCount)"])
        }
        return stopped.rowCount
    }
}
