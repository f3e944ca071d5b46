import Foundation
import JSONRPC
import ORM
import PostgresDriver
import WebAPI
import WoowCrypto

/// `POST /workspaces/{workspace_id}/apps`: deploys an app from a marketplace template.
///
/// Checks, in order: the body (`app_template_id` a template code, `name`, `config` an object of at
/// most 16 KB serialized; unknown fields refused); the workspace is visible (else
/// `WORKSPACE_NOT_FOUND`); the template exists and is active (else `VALIDATION_ERROR` on
/// `app_template_id`); the caller may deploy there (guests get `AUTH_INSUFFICIENT_PERMISSIONS`, and
/// the app is created in the caller's ORM environment so the record rules refuse it too); the
/// plan's cloud-service limit (`WORKSPACE_LIMIT_REACHED`, the team row locked); credits.
///
/// **Credits rule**: the team's `credits_balance` must cover at least one month of the template's
/// `monthly_price` (a free template always passes), else `BILLING_INSUFFICIENT_CREDITS` (422). The
/// balance is read under the team-row lock taken by the plan check, so it cannot change meanwhile.
///
/// Then the app is created (`deploying`, `deployment_id` `dep_<hex>`, `public_url`
/// `https://<slug>-<id>.<publicDomain>`) with one data volume sized from the template, an
/// `app.deploy` job is queued for the worker after `deploymentDelay`, and "deployed app" is recorded.
enum AppDeployment {
    /// Largest accepted `config`, serialized.
    static let maxConfigBytes = 16 * 1024

    @Sendable static func deploy(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id")
        let templateCode = reader.string("app_template_id", required: true, maxLength: 64)
        let name = reader.string("name", required: true, maxLength: 128)
        let config = reader.object("config") ?? [:]
        if JSONValue.object(config).serialized().count > maxConfigBytes {
            reader.fail("config", "must be at most 16 KB once serialized")
        }
        try reader.finish()

        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let workspaceID = workspace.ids[0]
        let templates = try await request.model("woow.app.template").search(
            .leaf("code", .equal, .string(templateCode!)), limit: 1)
        guard let templateID = templates.ids.first else {
            throw AppError.validation([FieldError(field: "app_template_id", message: "is not an available app template")])
        }
        let template = try await templates.read(fields: ["name", "monthly_price", "storage"])[0]

        let member = try await request.membership()
        try member.require(.user, to: "deploy apps")
        try await PlanGate(request: request, member: member).check(.cloudServices)
        try await checkCredits(request: request, team: member.teamID, template: template)

        // Apps are created only here (the template is a system-only field, so `call_kw` cannot
        // create one past the plan and credit checks); the caller must still pass the ORM's
        // rules on the new app: the empty write below checks access and the write rule
        // (operable workspaces) as the caller.
        let app = try await request.env.sudo().model("woow.cloud.app").create([
            [
                "name": .string(name!), "workspace_id": JSONValue(workspaceID), "template_id": JSONValue(templateID),
                "config": .object(config),
            ]
        ])
        let appID = app.ids[0]
        try await app.with(env: request.env).write([:])
        let deploymentID = "dep_" + SecureRandom.hex(byteCount: 12)
        let publicURL = "https://\(APIFormat.slug(name!))-\(appID).\(request.configuration.publicDomain)"
        try await app.sudo().write([
            "status": "deploying", "deployment_id": .string(deploymentID), "public_url": .string(publicURL),
        ])
        _ = try await request.env.sudo().model("woow.volume").create([
            [
                "app_id": JSONValue(appID), "name": "data", "mount_path": "/data",
                "size_gb": JSONValue(volumeSize(template["storage"]?.stringValue)),
            ]
        ])
        try await DeploymentJob.enqueue(
            DeploymentJob.deploy, app: appID, team: member.teamID, delay: request.configuration.deploymentDelay,
            on: try request.db)
        try await request.record("deployed app", target: name!, model: "woow.cloud.app", id: appID, team: member.teamID)
        return .created([
            "id": JSONValue(appID),
            "name": .string(name!),
            "status": "deploying",
            "public_url": .string(publicURL),
            "deployment_id": .string(deploymentID),
            "message": "App deployment started",
        ])
    }

    /// `BILLING_INSUFFICIENT_CREDITS` unless the balance covers one month of the template.
    static func checkCredits(request: PaaSRequest, team: Int64, template: JSONObject) async throws {
        guard let priceNumber = template["monthly_price"]?.numberValue, let price = Money(priceNumber) else {
            throw AppError(.internalError, "The template has no valid price.")
        }
        if price <= .zero { return }
        let numeric = try await request.env.transaction.query(
            "SELECT credits_balance FROM woow_team WHERE id = \(team)")[0].decode(PostgresNumeric.self, at: 0)
        guard let balance = Money(numeric) else { throw AppError(.internalError, "Unreadable credits balance.") }
        if balance < price {
            throw AppError(
                .billingInsufficientCredits,
                "Insufficient credits: deploying \(template["name"]?.stringValue ?? "this app") needs at least \(price) (one month); the balance is \(balance). Add funds first.")
        }
    }

    /// The data volume's size in GB from a template's storage (`"40 GB"`, `"512 MB"`, `"1 TB"`);
    /// at least 1, 10 when unknown.
    static func volumeSize(_ storage: String?) -> Int {
        guard let storage else { return 10 }
        let digits = storage.prefix { $0.isASCIIDigit }
        guard let amount = Int(digits), amount > 0 else { return 10 }
        let unit = storage.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        switch unit {
        case "MB", "M": return max(1, amount / 1024)
        case "TB", "T": return amount * 1024
        default: return amount
        }
    }
}
