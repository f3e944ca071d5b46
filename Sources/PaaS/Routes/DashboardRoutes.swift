import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `GET /dashboard/stats` and `GET /dashboard/activities`, for the caller's current team.
///
/// Stats (one statement, no transaction):
/// - `members.total` counts every member row of the team, pending invitations included (what the
///   plan's member limit counts); `active` the rows with status `active`; `pending_invites` the
///   rows with status `pending`.
/// - `billing.month_usage` is the exact sum of the team's `woow_usage_line.amount` dated in the
///   current calendar month (UTC); `credits_left` the team's credit balance; `next_bill_date` the
///   first day of next month (`YYYY-MM-DD`, UTC).
/// - `workspace` is the usage against the plan's limits (`limit` is `null` when unlimited), as
///   ``PlanGate`` counts it.
///
/// Activities go through the ORM (`woow.activity`, whose record rule limits them to the current
/// team), newest first, `limit` 10 by default (values above 100 are clamped to 100), `offset` 0;
/// their users are read in one statement for the whole page.
enum DashboardRoutes {
    static let defaultLimit = 10
    static let maxLimit = 100

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/dashboard/stats", access: .connection, stats),
            builder.route(.get, "/dashboard/activities", access: .connection, activities),
        ]
    }

    @Sendable static func stats(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let uid = try request.uid
        guard
            let row = try await request.db.query(
                """
                WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS first_day)
                SELECT t.plan, t.credits_balance,
                       members.total, members.active, members.pending,
                       (SELECT coalesce(sum(l.amount), 0) FROM woow_usage_line l
                        WHERE l.team_id = t.id AND l.date >= month.first_day
                          AND l.date < (month.first_day + interval '1 month')::date),
                       to_char(month.first_day + interval '1 month', 'YYYY-MM-DD'),
                       (SELECT count(*) FROM woow_workspace WHERE team_id = t.id),
                       (SELECT count(*) FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id
                        WHERE w.team_id = t.id),
                       (SELECT count(*) FROM woow_tunnel x JOIN woow_workspace w ON w.id = x.workspace_id
                        WHERE w.team_id = t.id)
                FROM woow_current_member(\(uid)) AS m
                JOIN woow_team t ON t.id = m.team_id
                CROSS JOIN month
                CROSS JOIN LATERAL (
                    SELECT count(*) AS total, count(*) FILTER (WHERE status = 'active') AS active,
                           count(*) FILTER (WHERE status = 'pending') AS pending
                    FROM woow_team_member WHERE team_id = t.id) AS members
                """
            ).first
        else { throw AppError(.authInsufficientPermissions, "You are not a member of any team.") }
        let limits = request.configuration.limits(for: try row.decode(String.self, at: 0))
        let usage = PlanGate.Usage(
            workspaces: try row.decode(Int.self, at: 7), cloudServices: try row.decode(Int.self, at: 8),
            secureTunnels: try row.decode(Int.self, at: 9), members: try row.decode(Int.self, at: 2))
        return .ok([
            "members": [
                "total": JSONValue(usage.members),
                "active": JSONValue(try row.decode(Int.self, at: 3)),
                "pending_invites": JSONValue(try row.decode(Int.self, at: 4)),
            ],
            "billing": [
                "month_usage": APIFormat.money(try row.decode(PostgresNumeric.self, at: 5)),
                "credits_left": APIFormat.money(try row.decode(PostgresNumeric.self, at: 1)),
                "next_bill_date": .string(try row.decode(String.self, at: 6)),
            ],
            "workspace": PlanGate.dashboard(usage, limits: limits),
        ])
    }

    @Sendable static func activities(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let limit = min(reader.integer("limit", range: 1...Int.max) ?? defaultLimit, maxLimit)
        let offset = reader.integer("offset", range: 0...Int(Int32.max)) ?? 0
        try reader.finish()
        _ = try await request.membership()
        let activities = try request.model("woow.activity")
        let total = try await activities.searchCount(.all)
        let page = try await activities.search(.all, offset: offset, limit: limit, order: "id desc")
        let rows = page.ids.isEmpty ? [] : try await page.read(fields: ["action", "target", "user_id", "create_date"])
        let users = try await self.users(rows.compactMap { APIFormat.many2oneID($0["user_id"]) }, request: request)
        let items: [JSONValue] = rows.map { row in
            [
                "id": row["id"] ?? .null,
                "action": APIFormat.text(row["action"]),
                "user": APIFormat.many2oneID(row["user_id"]).flatMap { users[$0] } ?? .null,
                "target": APIFormat.text(row["target"]),
                "timestamp": APIFormat.timestamp(row["create_date"]),
            ]
        }
        return .ok(["items": .array(items), "total": JSONValue(total)])
    }

    /// `{id, name, avatar_url}` of each user, in one statement.
    static func users(_ ids: [Int64], request: PaaSRequest) async throws -> [Int64: JSONValue] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var users: [Int64: JSONValue] = [:]
        for row in try await request.env.transaction.query(
            """
            SELECT u.id, p.name, u.avatar_version FROM res_users u JOIN res_partner p ON p.id = u.partner_id
            WHERE u.id = ANY(\(unique)::bigint[])
            """
        ).rows {
            let id = try row.decode(Int64.self, at: 0)
            users[id] = [
                "id": JSONValue(id), "name": .string(try row.decode(String.self, at: 1)),
                "avatar_url": AvatarURL.for(user: id, version: try row.decode(Int.self, at: 2)),
            ]
        }
        return users
    }
}
