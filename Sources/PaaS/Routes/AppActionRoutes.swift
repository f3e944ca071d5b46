import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `POST /workspaces/{workspace_id}/apps/{app_id}/actions {action}`: start, stop, restart or
/// delete an app, following ``AppLifecycle``.
///
/// The app's row is locked (`SELECT … FOR UPDATE`) before its status is read, so two concurrent
/// actions on one app serialize and the second one sees the first one's result (a second `stop`
/// gets "App is already stopped"). Guests get `AUTH_INSUFFICIENT_PERMISSIONS`; the change is also
/// checked against the ORM's write / unlink record rules in the caller's environment. Every
/// action records an activity.
enum AppActionRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.post, "/workspaces/{workspace_id}/apps/{app_id}/actions", act)]
    }

    /// The activity recorded per action.
    static let activity: [AppLifecycle.Action: String] = [
        .start: "started app", .stop: "stopped app", .restart: "restarted app", .delete: "deleted app",
    ]

    @Sendable static func act(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        let actionName = reader.string("action", required: true, maxLength: 16, allowed: AppLifecycle.Action.allCases.map(\.rawValue))
        try reader.finish()
        let action = AppLifecycle.Action(rawValue: actionName!)!

        let (_, app, row) = try await visibleApp(request)
        let member = try await request.membership()
        try member.require(.user, to: "\(action.rawValue) apps")
        let appID = app.ids[0]
        let db = try request.db
        let status = try await request.env.transaction.query(
            "SELECT status FROM woow_cloud_app WHERE id = \(appID) FOR UPDATE")[0].decode(String.self, at: 0)
        let transition = try AppLifecycle.transition(action, from: status)
        let name = row["name"]?.stringValue ?? ""

        switch transition.status {
        case nil:
            try await DeploymentJob.cancel(app: appID, on: db)
            try await request.record(activity[action]!, target: name, model: "woow.cloud.app", id: appID, team: member.teamID)
            // Deleted as the caller: the ORM's unlink rule applies; volumes go with the app.
            try await app.unlink()
        case let newStatus?:
            // An empty write as the caller checks the ORM's write rule (and stamps write_uid);
            // the lifecycle fields themselves are server-only.
            try await app.write([:])
            try await DeploymentJob.cancel(app: appID, on: db)
            var values: JSONObject = ["status": .string(newStatus), "status_message": false]
            if newStatus != "running" { values["started_at"] = false }
            try await app.sudo().write(values)
            if let job = transition.job {
                try await DeploymentJob.enqueue(
                    job, app: appID, team: member.teamID, delay: request.configuration.deploymentDelay, on: db)
            }
            try await request.record(activity[action]!, target: name, model: "woow.cloud.app", id: appID, team: member.teamID)
        }
        return .ok(["message": .string("App \(action.rawValue) completed successfully")])
    }

    static func visibleApp(_ request: PaaSRequest) async throws -> (Int64, RecordSet, JSONObject) {
        try await CloudAppRoutes.visibleApp(request, fields: ["name"])
    }
}
