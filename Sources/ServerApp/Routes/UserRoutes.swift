import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /paas/api/v1/user/me`: the logged-in user with the plan, credits and role of the current team.
public enum UserRoutes {
    /// The routes.
    public static var routes: [AppRoute] {
        [AppRoute(.get, "/user/me", auth: .user, access: .connection, handler: me)]
    }

    /// The current team is the user's `current_team_id`, else the first team they belong to.
    @Sendable static func me(_ call: AppCall) async throws -> AppResult {
        let uid = try call.uid
        guard
            let row = try await call.db.query(
                """
                SELECT u.id, p.name, coalesce(p.email, u.login), u.plan, t.credits_balance, m.role
                FROM res_users u
                JOIN res_partner p ON p.id = u.partner_id
                LEFT JOIN LATERAL (
                    SELECT team_id, role FROM woow_team_member
                    WHERE user_id = u.id AND status = 'active'
                    ORDER BY (team_id = u.current_team_id) DESC NULLS LAST, team_id
                    LIMIT 1
                ) m ON true
                LEFT JOIN woow_team t ON t.id = m.team_id
                WHERE u.id = \(uid)
                """
            ).first
        else { throw AppError(.notFound, "User not found") }
        let credits = try row.decode(PostgresNumeric?.self, at: 4)
        return .ok([
            "id": .number(JSONNumber(try row.decode(Int64.self, at: 0))),
            "name": .string(try row.decode(String.self, at: 1)),
            "email": .string(try row.decode(String.self, at: 2)),
            "avatar_url": nil,
            "plan": .string(try row.decode(String.self, at: 3)),
            "credits_balance": credits.map { JSONValue.number(JSONNumber(literal: $0.text)!) } ?? 0,
            "role": try row.decode(String?.self, at: 5).map(JSONValue.string) ?? nil,
        ])
    }
}
