import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /user/teams` and `PUT /user/current-team {team_id}`: the teams a user belongs to and the
/// one they work in.
///
/// A user works in one team at a time: `res_users.current_team_id` when the user is still an
/// active (or offline) member of it, else the team with the smallest id among theirs
/// (`woow_current_member` in schema.sql). Every `/paas/api/v1` route and every `call_kw` works in
/// that team, since the record rules read it through `woow_current_member`. Switching stores the
/// new `current_team_id`; it takes effect from the next request, for every session of the user.
/// Pending invitations are not teams one can switch to.
enum CurrentTeamRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/user/teams", access: .connection, list),
            builder.route(.put, "/user/current-team", switchTeam),
        ]
    }

    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let uid = try request.uid
        let rows = try await request.db.query(
            """
            SELECT t.id, t.name, m.role, t.plan, coalesce(t.id = c.team_id, false)
            FROM woow_team_member m
            JOIN woow_team t ON t.id = m.team_id
            LEFT JOIN woow_current_member(\(uid)) c ON true
            WHERE m.user_id = \(uid) AND m.status IN ('active', 'offline')
            ORDER BY t.id
            """)
        let items: [JSONValue] = try rows.rows.map { row in
            [
                "id": JSONValue(try row.decode(Int64.self, at: 0)),
                "name": .string(try row.decode(String.self, at: 1)),
                "role": .string(try row.decode(String.self, at: 2)),
                "plan": .string(try row.decode(String.self, at: 3)),
                "current": .bool(try row.decode(Bool.self, at: 4)),
            ]
        }
        return .ok(["items": .array(items)])
    }

    @Sendable static func switchTeam(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let teamID = reader.id("team_id", required: true)
        try reader.finish()
        let uid = try request.uid
        guard
            let row = try await request.db.query(
                """
                WITH target AS (
                    SELECT t.id, t.name, m.role FROM woow_team_member m JOIN woow_team t ON t.id = m.team_id
                    WHERE m.user_id = \(uid) AND m.team_id = \(teamID!) AND m.status IN ('active', 'offline')
                ), switched AS (
                    UPDATE res_users SET current_team_id = target.id, write_date = now() AT TIME ZONE 'UTC'
                    FROM target WHERE res_users.id = \(uid)
                    RETURNING res_users.id
                )
                SELECT target.id, target.name, target.role FROM target JOIN switched ON true
                """
            ).first
        else { throw AppError(.notFound, "Team not found") }
        return .ok([
            "message": "Current team switched",
            "team": ["id": JSONValue(try row.decode(Int64.self, at: 0)), "name": .string(try row.decode(String.self, at: 1))],
            "role": .string(try row.decode(String.self, at: 2)),
        ])
    }
}
