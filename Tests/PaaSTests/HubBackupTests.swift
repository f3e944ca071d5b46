import HTTPTypes
import JSONRPC
import Logging
import PaaS
import Testing
import TestSupport

/// `POST …/hubs/{hub_id}/backup` and `…/restore`: the backup state machine through the worker's
/// `runOnce()`, restore's refusals, roles and tenants, over both transports.
@Suite("PaaS: hub backups and restores")
struct HubBackupTests {
    static func fixture(_ label: String) async throws -> PaaSFixture {
        try await PaaSFixture.make(label) {
            $0.paas.backupStepDelay = .milliseconds(30)
            $0.paas.workerPollInterval = .milliseconds(20)
        }
    }

    static func worker(_ fixture: PaaSFixture) -> DeploymentWorker {
        DeploymentWorker(
            database: fixture.app.client, configuration: fixture.app.configuration.paas, instanceID: "hub-worker",
            logger: Logger(label: "test.hub-worker"))
    }

    static func backupStatus(_ fixture: PaaSFixture, _ reference: String) async throws -> String {
        try await fixture.scalar("SELECT status FROM woow_backup WHERE reference = \(reference)", as: String.self)
    }

    static func restoreStatus(_ fixture: PaaSFixture, _ reference: String) async throws -> String {
        try await fixture.scalar(
            """
            SELECT r.status FROM woow_hub_restore r JOIN woow_backup b ON b.id = r.backup_id
            WHERE b.reference = \(reference) ORDER BY r.id DESC LIMIT 1
            """, as: String.self)
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

    @Test(arguments: Transport.allCases) func backupThenRestoreThroughTheWorker(_ via: Transport) async throws {
        let fixture = try await Self.fixture("hub-backups")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.hubID("Living Room HAOS")
        let worker = Self.worker(fixture)
        let lastBackupBefore = try await fixture.scalar("SELECT last_backup::text FROM woow_hub WHERE id = \(hub)", as: String.self)
        try await fixture.test { api in
            let member = try await api.login("member")
            let path = "/workspaces/\(smartHome)/hubs/\(hub)"
            let started = try await api.call(.post, "\(path)/backup", session: member, via: via).expectSuccess()
            #expect(started["status"] == "pending")
            #expect(started["message"] == "Backup started")
            let reference = try #require(started["backup_id"]?.stringValue)
            #expect(reference.hasPrefix("bk_") && reference.count == 27)
            #expect(try await Self.backupStatus(fixture, reference) == "pending")
            #expect(try await fixture.lastActivity() == "started hub backup:Living Room HAOS")
            // One backup of a hub at a time.
            let twice = try await api.call(.post, "\(path)/backup", session: member, via: via)
            twice.expect(code: "CONFLICT", status: .conflict)
            // Not yet completed: it cannot be restored.
            let early = try await api.call(.post, "\(path)/restore", ["backup_id": .string(reference)], session: member, via: via)
            early.expect(code: "CONFLICT", status: .conflict)

            try await Self.runUntil(worker) { try await Self.backupStatus(fixture, reference) == "in_progress" }
            #expect(try await fixture.scalar("SELECT started_at IS NOT NULL FROM woow_backup WHERE reference = \(reference)", as: Bool.self))
            #expect(try await fixture.scalar("SELECT last_backup::text FROM woow_hub WHERE id = \(hub)", as: String.self) == lastBackupBefore)
            let detail = try await api.call(.get, path, session: member, via: via).expectSuccess()
            #expect(detail["backups"]?[0]?["backup_id"] == .string(reference))
            #expect(detail["backups"]?[0]?["status"] == "in_progress")
            #expect(detail["backups"]?[0]?["size_mb"] == .null)

            try await Self.runUntil(worker) { try await Self.backupStatus(fixture, reference) == "completed" }
            let row = try await fixture.app.client.query(
                """
                SELECT b.completed_at = h.last_backup, b.size_mb > 0, h.last_backup::text <> \(lastBackupBefore)
                FROM woow_backup b JOIN woow_hub h ON h.id = b.hub_id WHERE b.reference = \(reference)
                """)[0]
            #expect(try row.decode(Bool.self, at: 0))
            #expect(try row.decode(Bool.self, at: 1))
            #expect(try row.decode(Bool.self, at: 2))
            #expect(try await fixture.lastActivity() == "hub backup completed:Living Room HAOS (\(reference))")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_job WHERE kind = 'hub.backup' AND state = 'done'", as: Int.self) == 2)
            let done = try await api.call(.get, path, session: member, via: via).expectSuccess()
            #expect(done["backups"]?[0]?["status"] == "completed")
            #expect((done["backups"]?[0]?["size_mb"]?.intValue ?? 0) > 0)
            #expect(done["last_backup"] != detail["last_backup"])

            let restoring = try await api.call(.post, "\(path)/restore", ["backup_id": .string(reference)], session: member, via: via)
                .expectSuccess()
            #expect(restoring["message"] == "Restore started")
            #expect(restoring["status"] == "pending")
            #expect(try await fixture.lastActivity() == "started hub restore:Living Room HAOS from \(reference)")
            try await api.call(.post, "\(path)/restore", ["backup_id": .string(reference)], session: member, via: via)
                .expect(code: "CONFLICT", status: .conflict)
            try await api.call(.post, "\(path)/backup", session: member, via: via).expect(code: "CONFLICT", status: .conflict)
            try await Self.runUntil(worker) { try await Self.restoreStatus(fixture, reference) == "in_progress" }
            try await Self.runUntil(worker) { try await Self.restoreStatus(fixture, reference) == "completed" }
            #expect(try await fixture.lastActivity() == "hub restored:Living Room HAOS (\(reference))")
            // Once done, both may start again.
            try await api.call(.post, "\(path)/backup", session: member, via: via).expectSuccess()
        }
    }

    @Test func aBackupWhoseJobFailsForGoodBecomesFailedAndNoLongerBlocksTheHub() async throws {
        let fixture = try await Self.fixture("hub-backup-fails")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.hubID("Living Room HAOS")
        let worker = Self.worker(fixture)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let path = "/workspaces/\(smartHome)/hubs/\(hub)/backup"
            let started = try await api.call(.post, path, session: admin, via: .rest).expectSuccess()
            let reference = try #require(started["backup_id"]?.stringValue)
            // The step cannot be written (a real database error); the job's last attempt fails.
            let db = fixture.app.client
            try await db.query("ALTER TABLE woow_backup ADD CONSTRAINT test_no_progress CHECK (status <> 'in_progress')")
            try await db.query("UPDATE woow_job SET attempts = \(DeploymentWorker.maxAttempts - 1), run_after = now() WHERE kind = 'hub.backup'")
            try await Task.sleep(for: .milliseconds(40))
            #expect(try await worker.runOnce() == 1)
            #expect(try await fixture.scalar("SELECT state FROM woow_job WHERE kind = 'hub.backup'", as: String.self) == "failed")
            #expect(try await Self.backupStatus(fixture, reference) == "failed")
            try await db.query("ALTER TABLE woow_backup DROP CONSTRAINT test_no_progress")
            let again = try await api.call(.post, path, session: admin, via: .rest).expectSuccess()
            #expect(again["backup_id"] != started["backup_id"])
        }
    }

    @Test(arguments: Transport.allCases) func restoreTakesOnlyACompletedBackupOfTheSameHub(_ via: Transport) async throws {
        let fixture = try await Self.fixture("hub-restores")
        let smartHome = try await fixture.workspace("Smart Home")
        let hub = try await fixture.hubID("Living Room HAOS")
        let demoBackup = try await fixture.scalar("SELECT reference FROM woow_backup WHERE hub_id = \(hub)", as: String.self)
        let rivalHub = try await fixture.rivalHub()
        try await fixture.app.client.query(
            "INSERT INTO woow_backup (reference, hub_id, status) VALUES ('bk_rival', \(rivalHub), 'completed')")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let other = try await api.call(
                .post, "/workspaces/\(smartHome)/hubs", ["name": "Porch", "type": "woow-hub-os"], session: admin, via: via
            ).expectSuccess(.created)
            let porch = try #require(other["id"]?.int64Value)
            let porchPath = "/workspaces/\(smartHome)/hubs/\(porch)"
            func restore(_ params: JSONValue, _ target: String = porchPath) async throws -> APIAnswer {
                try await api.call(.post, "\(target)/restore", params, session: admin, via: via)
            }
            try await restore(["backup_id": "bk_nothing"]).expect(code: "NOT_FOUND", status: .notFound)
            // Another team's backup is unknown, not "another hub's".
            try await restore(["backup_id": "bk_rival"]).expect(code: "NOT_FOUND", status: .notFound)
            let foreign = try await restore(["backup_id": .string(demoBackup)])
            foreign.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(foreign.envelope?["details"]?[0]?["field"] == "backup_id")
            try await restore([:]).expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await restore(["backup_id": 12]).expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await restore(["backup_id": "bk_x", "force": true]).expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.post, "\(porchPath)/backup", ["full": true], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_hub_restore", as: Int.self) == 0)

            // Guests read hubs but neither back them up nor restore them.
            let guest = try await api.login("guest")
            let demoPath = "/workspaces/\(smartHome)/hubs/\(hub)"
            try await api.call(.post, "\(demoPath)/backup", session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.post, "\(demoPath)/restore", ["backup_id": .string(demoBackup)], session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            // The rival can neither reach our hub nor restore ours from its backup.
            let rival = try await api.login("rival")
            try await api.call(.post, "\(demoPath)/backup", session: rival, via: via).expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(
                .post, "/workspaces/\(fixture.rivalWorkspace)/hubs/\(rivalHub)/restore", ["backup_id": .string(demoBackup)],
                session: rival, via: via
            ).expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, "\(demoPath)/backup", session: nil, via: via).expectSessionExpired()
            try await api.call(.post, "\(demoPath)/restore", ["backup_id": "bk_x"], session: nil, via: via).expectSessionExpired()

            // The demo hub's own completed backup restores.
            try await restore(["backup_id": .string(demoBackup)], demoPath).expectSuccess()
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_backup WHERE status <> 'completed'", as: Int.self) == 0)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_hub_restore WHERE status = 'pending'", as: Int.self) == 1)
        }
    }
}
