import Foundation
import JSONRPC
import ORM
import PostgresDriver
import WebAPI
import WoowCrypto

/// The custom domain of an app: `PUT`, `GET` and `DELETE /workspaces/{workspace_id}/apps/{app_id}/domain`.
///
/// `PUT {domain, ssl_enabled}` validates the host name (``Hostname``), refuses a domain another app
/// already uses (`CONFLICT`), and answers the TXT record that proves ownership:
/// `_woow-challenge.<domain> TXT "woow-verify=<token>"`. The token is random and kept when the
/// same domain is saved again (so a record already published stays valid); a new domain gets a
/// new token. The domain's `status` and `ssl_status` are `pending` until verified. `ssl_enabled`
/// defaults to `true`. Guests may read the domain but not change it.
enum CustomDomainRoutes {
    static let path = "/workspaces/{workspace_id}/apps/{app_id}/domain"
    static let fields = ["name", "custom_domain", "domain_token", "domain_status", "domain_ssl_status", "domain_ssl_enabled"]

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.put, path, put),
            builder.route(.get, path, access: .connection, get),
            builder.route(.delete, path, delete),
        ]
    }

    /// `_woow-challenge.<domain> TXT "woow-verify=<token>"`.
    static func verificationRecord(domain: String, token: String) -> String {
        "_woow-challenge.\(domain) TXT \"woow-verify=\(token)\""
    }

    /// `{domain, verification_record, ssl_status, status}` of a stored domain.
    static func answer(_ row: JSONObject) -> JSONObject {
        let domain = row["custom_domain"]?.stringValue ?? ""
        return [
            "domain": .string(domain),
            "verification_record": .string(verificationRecord(domain: domain, token: row["domain_token"]?.stringValue ?? "")),
            "ssl_status": .string(row["domain_ssl_status"]?.stringValue ?? "pending"),
            "status": .string(row["domain_status"]?.stringValue ?? "pending"),
        ]
    }

    @Sendable static func put(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        let input = reader.string("domain", required: true, maxLength: 253)
        let sslEnabled = reader.boolean("ssl_enabled") ?? true
        var domain: String?
        if let input {
            switch Hostname.validate(input, platformDomain: request.configuration.publicDomain) {
            case .success(let name): domain = name
            case .failure(let problem): reader.fail("domain", problem.message)
            }
        }
        try reader.finish()

        let (_, app, row) = try await CloudAppRoutes.visibleApp(request, fields: fields)
        let member = try await request.membership()
        try member.require(.user, to: "configure app domains")
        let appID = app.ids[0]
        try await request.env.transaction.query("SELECT id FROM woow_cloud_app WHERE id = \(appID) FOR UPDATE")
        let taken = try await request.env.transaction.query(
            "SELECT 1 FROM woow_cloud_app WHERE custom_domain = \(domain!) AND id <> \(appID)")
        if !taken.isEmpty { throw AppError(.conflict, "The domain \(domain!) is already used by another app") }

        let same = row["custom_domain"]?.stringValue == domain
        let token = same ? (row["domain_token"]?.stringValue ?? SecureRandom.hex(byteCount: 16)) : SecureRandom.hex(byteCount: 16)
        // The caller's write rule first; the domain fields themselves are server-only.
        try await app.write([:])
        var values: JSONObject = [
            "custom_domain": .string(domain!), "domain_token": .string(token), "domain_ssl_enabled": .bool(sslEnabled),
        ]
        if !same || row["domain_status"]?.stringValue == nil {
            values["domain_status"] = "pending"
            values["domain_ssl_status"] = "pending"
        }
        do {
            try await app.sudo().write(values)
        } catch let error as ORMError where error.message.localizedCaseInsensitiveContains("unique") {
            throw AppError(.conflict, "The domain \(domain!) is already used by another app")
        }
        try await request.record(
            "configured domain", target: "\(row["name"]?.stringValue ?? "") → \(domain!)", model: "woow.cloud.app", id: appID,
            team: member.teamID)
        let stored = try await app.read(fields: fields)[0]
        var data = answer(stored)
        data["message"] = "Domain configuration saved"
        return .ok(.object(data))
    }

    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        try reader.finish()
        let (_, _, row) = try await CloudAppRoutes.visibleApp(request, fields: fields)
        guard row["custom_domain"]?.stringValue != nil else {
            throw AppError(.notFound, "This app has no custom domain")
        }
        return .ok(.object(answer(row)))
    }

    @Sendable static func delete(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "app_id")
        try reader.finish()
        let (_, app, row) = try await CloudAppRoutes.visibleApp(request, fields: fields)
        let member = try await request.membership()
        try member.require(.user, to: "configure app domains")
        guard let domain = row["custom_domain"]?.stringValue else {
            throw AppError(.notFound, "This app has no custom domain")
        }
        try await app.write([:])
        try await app.sudo().write([
            "custom_domain": false, "domain_token": false, "domain_status": false, "domain_ssl_status": false,
            "domain_ssl_enabled": false,
        ])
        try await request.record(
            "removed domain", target: "\(row["name"]?.stringValue ?? "") → \(domain)", model: "woow.cloud.app",
            id: app.ids[0], team: member.teamID)
        return .ok(["message": "Domain removed"])
    }
}
