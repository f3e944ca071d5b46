import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /settings/notifications` and `PUT /settings/notifications`: the caller's five notification
/// preferences (columns of `res_users`). A PUT sets any non-empty subset; each value must be a JSON
/// boolean (`"true"`, `1` or `null` are refused), and an unknown name is refused.
enum NotificationRoutes {
    /// The preferences, in answer order (also the `res_users` column names).
    static let names = ["email_alerts", "push_notifications", "billing_alerts", "security_alerts", "weekly_report"]

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/settings/notifications", access: .connection, get),
            builder.route(.put, "/settings/notifications", update),
        ]
    }

    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        guard
            let row = try await request.db.query(
                """
                SELECT email_alerts, push_notifications, billing_alerts, security_alerts, weekly_report
                FROM res_users WHERE id = \(try request.uid)
                """
            ).first
        else { throw AppError(.notFound, "User not found") }
        var data = JSONObject()
        for (index, name) in names.enumerated() { data.append(name, .bool(try row.decode(Bool.self, at: index))) }
        return .ok(.object(data))
    }

    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        var values: [String: Bool] = [:]
        for name in names where reader.has(name) {
            if case .bool(let flag)? = reader.raw(name) {
                values[name] = flag
            } else {
                reader.fail(name, "must be true or false")
            }
        }
        if request.call.params.isEmpty { reader.fail(names[0], "give at least one of: \(names.joined(separator: ", "))") }
        try reader.finish()
        let uid = try request.uid
        let updated = try await request.db.query(
            """
            UPDATE res_users SET
                email_alerts = coalesce(\(values["email_alerts"]), email_alerts),
                push_notifications = coalesce(\(values["push_notifications"]), push_notifications),
                billing_alerts = coalesce(\(values["billing_alerts"]), billing_alerts),
                security_alerts = coalesce(\(values["security_alerts"]), security_alerts),
                weekly_report = coalesce(\(values["weekly_report"]), weekly_report),
                write_date = now() AT TIME ZONE 'UTC'
            FROM res_partner p WHERE res_users.id = \(uid) AND p.id = res_users.partner_id
            RETURNING p.name
            """)
        guard let row = updated.first else { throw AppError(.notFound, "User not found") }
        try await SettingsActivity.record(
            "updated notification settings", request: request, target: try row.decode(String.self, at: 0))
        return .ok(["message": "Notification settings updated"])
    }
}
