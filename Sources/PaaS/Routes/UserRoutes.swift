import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /paas/api/v1/user/me`: the logged-in user with the plan, credits and role of their
/// current team.
enum UserRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.get, "/user/me", access: .connection, me)]
    }

    /// The current team is the user's `current_team_id` when they are a member of it, else the
    /// first team they belong to (`woow_current_member`).
    @Sendable static func me(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let uid = try request.uid
        guard
            let row = try await request.db.query(
                """
                SELECT u.id, p.name, coalesce(p.email, u.login), coalesce(t.plan, u.plan), t.credits_balance, m.role,
                       u.avatar_version
                FROM res_users u
                JOIN res_partner p ON p.id = u.partner_id
                LEFT JOIN woow_current_member(u.id) m ON true
                LEFT JOIN woow_team t ON t.id = m.team_id
                WHERE u.id = \(uid)
                """
            ).first
        else { throw AppError(.notFound, "User not found") }
        let credits = try row.decode(PostgresNumeric?.self, at: 4)
        return .ok([
            "id": JSONValue(try row.decode(Int64.self, at: 0)),
            "name": .string(try row.decode(String.self, at: 1)),
            "email": .string(try row.decode(String.self, at: 2)),
            "avatar_url": AvatarURL.for(user: uid, version: try row.decode(Int.self, at: 6)),
            "plan": .string(try row.decode(String.self, at: 3)),
            "credits_balance": APIFormat.money(credits),
            "role": try row.decode(String?.self, at: 5).map(JSONValue.string) ?? nil,
        ])
    }
}

/// Where a user's avatar is served (`null` when the user has none).
enum AvatarURL {
    static let prefix = "/paas/api/v1/users/"

    static func `for`(user: Int64, version: Int) -> JSONValue {
        version > 0 ? .string("\(prefix)\(user)/avatar?v=\(version)") : .null
    }
}
