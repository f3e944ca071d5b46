import Foundation
import HTTPTypes
import JSONRPC
import Logging
import PaaS
import PostgresDriver
import ServiceLifecycle
import Testing
import TestSupport

/// The lifecycle worker over a real database: deploy → running, stop, restart, failures, retries,
/// two workers sharing one queue, and the service's graceful shutdown. Waits poll with a deadline.
@Suite("PaaS: deployment worker")
struct DeploymentWorkerTests {
    static let logger = Logger(label: "test.worker")

    static func fixture(_ label: String) async throws -> PaaSFixture {
        try await PaaSFixture.make(label) {
            $0.paas.deploymentDelay = .milliseconds(30)
            $0.paas.workerPollInterval = .milliseconds(20)
        }
    }

    static func worker(_ fixture: PaaSFixture, _ id: String = "w1", client: PostgresClient? = nil, batch: Int = 20) -> DeploymentWorker {
        DeploymentWorker(
            database: client ?? fixture.app.client, configuration: fixture.app.configuration.paas, instanceID: id, batchSize: batch,
            logger: logger)
    }

    /// Runs the worker until `condition` holds; fails after 15 s.
    static func runUntil(
        _ worker: DeploymentWorker, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            try await worker.runOnce()
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not reached before the deadline", sourceLocation: sourceLocation)
    }

    @Test func deployThenStopRestartAndStartAgain() async throws {
        let fixture = try await Self.fixture("worker-life")
        let staging = try await fixture.workspace("Staging")
        let worker = Self.worker(fixture)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let created = try await api.call(
                .post, "/workspaces/\(staging)/apps", ["app_template_id": "n8n", "name": "Flows"], session: admin, via: .rest
            ).expectSuccess(.created)
            let id = try #require(created["id"]?.int64Value)
            try await Self.runUntil(worker) { try await fixture.status(ofApp: id) == "running" }
            let job = try await fixture.app.client.query(
                "SELECT state, done_by, done_at IS NOT NULL, attempts FROM woow_job WHERE res_id = \(id)")[0]
            #expect(try job.decode(String.self, at: 0) == "done")
            #expect(try job.decode(String.self, at: 1) == "w1")
            #expect(try job.decode(Bool.self, at: 2))
            #expect(try job.decode(Int.self, at: 3) == 1)
            #expect(try await fixture.scalar("SELECT started_at IS NOT NULL FROM woow_cloud_app WHERE id = \(id)", as: Bool.self))
            let detail = try await api.call(.get, "/workspaces/\(staging)/apps/\(id)", session: admin, via: .rest).expectSuccess()
            #expect(detail["status"] == "running")
            #expect((detail["metrics"]?["cpu"]?.intValue ?? 0) > 0)

            let path = "/workspaces/\(staging)/apps/\(id)/actions"
            try await api.call(.post, path, ["action": "stop"], session: admin, via: .rest).expectSuccess()
            #expect(try await fixture.status(ofApp: id) == "stopped")
            try await Task.sleep(for: .milliseconds(60))
            #expect(try await worker.runOnce() == 0)
            #expect(try await fixture.status(ofApp: id) == "stopped")

            try await api.call(.post, path, ["action": "start"], session: admin, via: .rest).expectSuccess()
            #expect(try await fixture.status(ofApp: id) == "deploying")
            try await Self.runUntil(worker) { try await fixture.status(ofApp: id) == "running" }

            try await api.call(.post, path, ["action": "restart"], session: admin, via: .rest).expectSuccess()
            #expect(try await fixture.status(ofApp: id) == "deploying")
            try await Self.runUntil(worker) { try await fixture.status(ofApp: id) == "running" }

            // Stopped while deploying: the job is cancelled and the app stays stopped.
            try await api.call(.post, path, ["action": "restart"], session: admin, via: .rest).expectSuccess()
            try await api.call(.post, path, ["action": "stop"], session: admin, via: .rest).expectSuccess()
            try await Task.sleep(for: .milliseconds(60))
            try await worker.runOnce()
            #expect(try await fixture.status(ofApp: id) == "stopped")

            let jobs = try await fixture.app.client.query("SELECT kind, state FROM woow_job WHERE res_id = \(id) ORDER BY id").rows
                .map { "\(try $0.decode(String.self, at: 0)):\(try $0.decode(String.self, at: 1))" }
            #expect(jobs == ["app.deploy:done", "app.start:done", "app.restart:done", "app.restart:cancelled"])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action = 'app running' AND res_id = \(id)", as: Int.self) == 3)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action = 'app running' AND user_id IS NULL", as: Int.self) == 3)
        }
    }

    @Test func aWithdrawnTemplateOrNoCreditsEndInError() async throws {
        let fixture = try await Self.fixture("worker-error")
        let staging = try await fixture.workspace("Staging")
        let worker = Self.worker(fixture)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let redis = try await api.call(
                .post, "/workspaces/\(staging)/apps", ["app_template_id": "redis", "name": "Cache"], session: admin, via: .rest
            ).expectSuccess(.created)["id"]?.int64Value
            try await fixture.app.client.query("UPDATE woow_app_template SET active = false WHERE code = 'redis'")
            let cache = try #require(redis)
            try await Self.runUntil(worker) { try await fixture.status(ofApp: cache) == "error" }
            let message = try await fixture.scalar("SELECT status_message FROM woow_cloud_app WHERE id = \(cache)", as: String.self)
            #expect(message.contains("withdrawn"))
            let detail = try await api.call(.get, "/workspaces/\(staging)/apps/\(cache)", session: admin, via: .rest).expectSuccess()
            #expect(detail["status"] == "error")
            #expect(detail["status_message"]?.stringValue == message)
            #expect(detail["template"]?["id"] == "redis")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action = 'app deployment failed' AND res_id = \(cache)", as: Int.self) == 1)

            let flows = try #require(
                try await api.call(
                    .post, "/workspaces/\(staging)/apps", ["app_template_id": "n8n", "name": "Flows"], session: admin, via: .rest
                ).expectSuccess(.created)["id"]?.int64Value)
            try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 0 WHERE name = 'WoowTech Demo'")
            try await Self.runUntil(worker) { try await fixture.status(ofApp: flows) == "error" }
            #expect(try await fixture.scalar("SELECT status_message FROM woow_cloud_app WHERE id = \(flows)", as: String.self).contains("credits"))
            // An app in error may be started again (and fails again while there are no credits).
            try await api.call(.post, "/workspaces/\(staging)/apps/\(flows)/actions", ["action": "start"], session: admin, via: .rest)
                .expectSuccess()
            #expect(try await fixture.status(ofApp: flows) == "deploying")
            try await fixture.app.client.query("UPDATE woow_team SET credits_balance = 100 WHERE name = 'WoowTech Demo'")
            try await Self.runUntil(worker) { try await fixture.status(ofApp: flows) == "running" }
        }
    }

    @Test func aBadJobIsRetriedThenFailedWithoutBlockingTheOthers() async throws {
        let fixture = try await Self.fixture("worker-retry")
        let hub = try await fixture.appID("Home Hub")
        try await fixture.app.client.query("UPDATE woow_cloud_app SET status = 'deploying' WHERE id = \(hub)")
        try await fixture.app.client.query(
            "INSERT INTO woow_job (kind, res_id, run_after) VALUES ('app.bogus', \(hub), now() - interval '1 second'), ('app.deploy', \(hub), now())")
        let worker = Self.worker(fixture)
        try await fixture.test { _ in
            #expect(try await worker.runOnce() == 2)
            #expect(try await fixture.status(ofApp: hub) == "running")
            let first = try await fixture.app.client.query(
                "SELECT state, attempts, last_error, run_after > now() FROM woow_job WHERE kind = 'app.bogus'")[0]
            #expect(try first.decode(String.self, at: 0) == "queued")
            #expect(try first.decode(Int.self, at: 1) == 1)
            #expect(try first.decode(String.self, at: 2).contains("unknown job kind"))
            #expect(try first.decode(Bool.self, at: 3))
            for attempt in 2...DeploymentWorker.maxAttempts {
                try await fixture.app.client.query("UPDATE woow_job SET run_after = now() - interval '1 second' WHERE kind = 'app.bogus'")
                #expect(try await worker.runOnce() == 1, "attempt \(attempt)")
            }
            let last = try await fixture.app.client.query("SELECT state, attempts, done_by FROM woow_job WHERE kind = 'app.bogus'")[0]
            #expect(try last.decode(String.self, at: 0) == "failed")
            #expect(try last.decode(Int.self, at: 1) == DeploymentWorker.maxAttempts)
            #expect(try last.decode(String.self, at: 2) == "w1")
            try await fixture.app.client.query("UPDATE woow_job SET run_after = now() - interval '1 second' WHERE kind = 'app.bogus'")
            #expect(try await worker.runOnce() == 0)
        }
    }

    @Test func twoWorkersOnTwoPoolsProcessEveryJobExactlyOnce() async throws {
        let fixture = try await Self.fixture("worker-two")
        let staging = try await fixture.workspace("Staging")
        let count = 50
        try await fixture.app.client.withTransaction { db in
            try await db.query(
                """
                WITH apps AS (
                    INSERT INTO woow_cloud_app (workspace_id, template_id, name, status, deployment_id)
                    SELECT \(staging), t.id, 'Bulk ' || n, 'deploying', 'dep_bulk_' || n
                    FROM generate_series(1, \(count)) AS n, woow_app_template t WHERE t.code = 'n8n'
                    RETURNING id
                )
                INSERT INTO woow_job (kind, res_id, team_id, run_after)
                SELECT 'app.deploy', apps.id, w.team_id, now() - interval '1 second'
                FROM apps, woow_workspace w WHERE w.id = \(staging)
                """)
        }
        let secondPool = fixture.app.database.makeClient(maximumConnections: 2)
        let workers = [Self.worker(fixture, "w1", batch: 3), Self.worker(fixture, "w2", client: secondPool, batch: 3)]
        try await fixture.test { _ in
            let processed = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in workers {
                    group.addTask {
                        var total = 0
                        let deadline = ContinuousClock.now + .seconds(30)
                        while ContinuousClock.now < deadline {
                            let n = try await worker.runOnce()
                            total += n
                            if n == 0, try await fixture.scalar("SELECT count(*) FROM woow_job WHERE state = 'queued'", as: Int.self) == 0 {
                                break
                            }
                        }
                        return total
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(processed.reduce(0, +) == count)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job WHERE state = 'done' AND attempts = 1 AND done_by IN ('w1', 'w2')", as: Int.self) == count)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_cloud_app WHERE name LIKE 'Bulk %' AND status = 'running'", as: Int.self) == count)
            // Each app got exactly one "app running" activity.
            let perApp = try await fixture.app.client.query(
                """
                SELECT a.id, count(x.id) FROM woow_cloud_app a
                LEFT JOIN woow_activity x ON x.res_id = a.id AND x.res_model = 'woow.cloud.app' AND x.action = 'app running'
                WHERE a.name LIKE 'Bulk %' GROUP BY a.id
                """
            ).rows.map { try $0.decode(Int.self, at: 1) }
            #expect(perApp.count == count)
            #expect(perApp.allSatisfy { $0 == 1 })
        }
        await secondPool.close()
    }

    @Test func theServiceProcessesJobsAndStopsOnGracefulShutdown() async throws {
        let fixture = try await Self.fixture("worker-service")
        let staging = try await fixture.workspace("Staging")
        let worker = Self.worker(fixture)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let group = ServiceGroup(services: [worker], logger: Self.logger)
            let running = Task { try await group.run() }
            let id = try #require(
                try await api.call(
                    .post, "/workspaces/\(staging)/apps", ["app_template_id": "n8n", "name": "Served"], session: admin, via: .rest
                ).expectSuccess(.created)["id"]?.int64Value)
            let deadline = ContinuousClock.now + .seconds(15)
            while try await fixture.status(ofApp: id) != "running", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await fixture.status(ofApp: id) == "running")
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
