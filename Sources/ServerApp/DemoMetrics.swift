import PostgresDriver

extension DemoData {
    /// Gives the demo apps a month of status history, so their metrics have something to show:
    /// created 30 days ago and running since, except a two-hour maintenance stop of "ERP Database"
    /// three days ago, a day's outage of "Home Hub" last week, and "Lead Automation" stopped two
    /// days ago. `started_at` is left alone (it is when the current run began for metering).
    func seedAppHistory(team: Int64, on db: PostgresConnection) async throws {
        try await db.query(
            """
            WITH apps AS (
                UPDATE woow_cloud_app a SET create_date = a.create_date - \(Self.History.appsDeployed)::interval
                FROM woow_workspace w WHERE w.id = a.workspace_id AND w.team_id = \(team)
                RETURNING a.id, a.name, a.create_date
            ), cleared AS (
                DELETE FROM woow_app_status_change c USING apps WHERE c.app_id = apps.id
            )
            INSERT INTO woow_app_status_change (app_id, status, changed_at)
            SELECT apps.id, e.status, apps.create_date + e.after::interval
            FROM apps
            JOIN (VALUES (NULL, 'deploying', '0'), (NULL, 'running', '3 minutes'),
                         ('ERP Database', 'stopped', '27 days'), ('ERP Database', 'deploying', '27 days 2 hours'),
                         ('ERP Database', 'running', '27 days 2 hours 3 minutes'),
                         ('Home Hub', 'stopped', '21 days'), ('Home Hub', 'deploying', '22 days'),
                         ('Home Hub', 'running', '22 days 3 minutes'),
                         ('Lead Automation', 'stopped', '28 days')) AS e(name, status, after)
              ON e.name IS NULL OR e.name = apps.name
            ORDER BY apps.id, e.after::interval
            """)
    }
}
