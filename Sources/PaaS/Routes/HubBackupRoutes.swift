import Foundation
import JSONRPC
import ORM
import PostgresDriver
import WebAPI
import WoowCrypto

/// `POST …/hubs/{hub_id}/backup` and `POST …/hubs/{hub_id}/restore {backup_id}`.
///
/// A backup starts `pending` (public id `bk_` + 24 hex digits) with a `hub.backup` job; the worker
/// moves it to `in_progress`, then `completed`, and sets the hub's `last_backup` (``HubBackupJob``).
/// A restore takes a **completed** backup **of the same hub** and runs the same way as a
/// `hub.restore` job. The hub's row is locked first, so two requests on one hub serialize: while
/// a backup or a restore of the hub is pending or in progress, another one is `CONFLICT` (a
/// partial unique index guards the same rule in the database). Restore answers: unknown backup id
/// (or one the caller may not see) 404 `NOT_FOUND`; another hub's backup 400 `VALIDATION_ERROR`
/// on `backup_id`; a backup not completed 409 `CONFLICT`. Guests get
/// `AUTH_INSUFFICIENT_PERMISSIONS`. Both record an activity.
enum HubBackupRoutes {
    /// How many backups the hub's detail lists.
    static let recentCount = 10

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.post, "/workspaces/{workspace_id}/hubs/{hub_id}/backup", backup),
            builder.route(.post, "/workspaces/{workspace_id}/hubs/{hub_id}/restore", restore),
        ]
    }

    /// A new public backup id.
    static func reference() -> String { "bk_" + SecureRandom.hex(byteCount: 12) }

    @Sendable static func backup(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "hub_id")
        try reader.finish()
        let (hub, name, member) = try await lockedHub(request, action: "back up hubs")
        try await refuseWhileBusy(hub: hub, request)
        let uid = try request.uid
        let db = try request.db
        let reference = reference()
        let backupID = try await db.query(
            """
            INSERT INTO woow_backup (reference, hub_id, status, create_uid, write_uid)
            VALUES (\(reference), \(hub), 'pending', \(uid), \(uid)) RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await HubBackupJob.enqueue(
            HubBackupJob.backup, id: backupID, team: member.teamID, delay: request.configuration.backupStepDelay, on: db)
        try await request.record("started hub backup", target: name, model: "woow.hub", id: hub, team: member.teamID)
        return .ok(["backup_id": .string(reference), "status": "pending", "message": "Backup started"])
    }

    @Sendable static func restore(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "hub_id")
        let reference = reader.string("backup_id", required: true, maxLength: 64)
        try reader.finish()
        let (hub, name, member) = try await lockedHub(request, action: "restore hubs")
        // Through the ORM as the caller: a backup of a hub the caller may not see is unknown.
        let found = try await request.model("woow.backup").search(.leaf("reference", .equal, .string(reference!)), limit: 1)
        guard !found.ids.isEmpty else { throw AppError(.notFound, "Backup not found") }
        let backup = try await found.read(fields: ["hub_id", "status"], load: "_classic_write")[0]
        guard backup["hub_id"]?.int64Value == hub else {
            throw AppError.validation([FieldError(field: "backup_id", message: "is a backup of another hub")])
        }
        let status = backup["status"]?.stringValue ?? ""
        guard status == "completed" else {
            throw AppError(.conflict, "Backup \(reference!) is \(status.replacingOccurrences(of: "_", with: " ")); only a completed backup can be restored")
        }
        try await refuseWhileBusy(hub: hub, request)
        let uid = try request.uid
        let db = try request.db
        let restoreID = try await db.query(
            """
            INSERT INTO woow_hub_restore (hub_id, backup_id, status, create_uid, write_uid)
            VALUES (\(hub), \(found.ids[0]), 'pending', \(uid), \(uid)) RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await HubBackupJob.enqueue(
            HubBackupJob.restore, id: restoreID, team: member.teamID, delay: request.configuration.backupStepDelay, on: db)
        try await request.record("started hub restore", target: "\(name) from \(reference!)", model: "woow.hub", id: hub, team: member.teamID)
        return .ok(["backup_id": .string(reference!), "status": "pending", "message": "Restore started"])
    }

    /// The visible hub of the path, its row locked after the role check; `(id, name, membership)`.
    static func lockedHub(_ request: PaaSRequest, action: String) async throws -> (Int64, String, Membership) {
        let (_, hub, row) = try await ConnectionLookup.visible(.hub, request, fields: ["name"])
        let member = try await request.membership()
        try member.require(.user, to: action)
        // The ORM's write rule as the caller (operable workspaces), then the row lock.
        try await hub.write([:])
        _ = try await request.env.transaction.query("SELECT id FROM woow_hub WHERE id = \(hub.ids[0]) FOR UPDATE")
        return (hub.ids[0], row["name"]?.stringValue ?? "", member)
    }

    /// `CONFLICT` while a backup or a restore of the hub is pending or in progress.
    static func refuseWhileBusy(hub: Int64, _ request: PaaSRequest) async throws {
        let row = try await request.env.transaction.query(
            """
            SELECT (SELECT reference FROM woow_backup WHERE hub_id = \(hub) AND status IN ('pending', 'in_progress') LIMIT 1),
                   EXISTS (SELECT 1 FROM woow_hub_restore WHERE hub_id = \(hub) AND status IN ('pending', 'in_progress'))
            """)[0]
        if let running = try row.decode(String?.self, at: 0) {
            throw AppError(.conflict, "Backup \(running) of this hub is still running; wait until it completes")
        }
        if try row.decode(Bool.self, at: 1) {
            throw AppError(.conflict, "A restore of this hub is still running; wait until it completes")
        }
    }

    /// `[{backup_id, status, size_mb, created_at, completed_at}]`, newest first.
    static func recentBackups(of hub: Int64, _ request: PaaSRequest) async throws -> JSONValue {
        let found = try await request.model("woow.backup").search(
            .leaf("hub_id", .equal, JSONValue(hub)), limit: recentCount, order: "id desc")
        let rows = found.ids.isEmpty ? [] : try await found.read(fields: ["reference", "status", "size_mb", "create_date", "completed_at"])
        return .array(
            rows.map { row in
                [
                    "backup_id": APIFormat.text(row["reference"]), "status": APIFormat.text(row["status"]),
                    "size_mb": row["status"] == "completed" ? (row["size_mb"] ?? .null) : .null,
                    "created_at": APIFormat.timestamp(row["create_date"]),
                    "completed_at": APIFormat.timestamp(row["completed_at"]),
                ]
            })
    }
}
