import JSONRPC
import WebAPI

/// `POST /teams {name}`: a user founds a team of their own, on the free plan with no credits, as
/// its owner; it becomes their current team from the next request on (``TeamFounding``). The
/// teams one belongs to are listed by `GET /user/teams` (``CurrentTeamRoutes``).
///
/// Any logged-in internal user may call it, members of other teams and users of no team alike; it
/// needs no membership. The name is trimmed and required (at most 128 characters); nothing else
/// is accepted, so a client can set neither plan nor credits. A "created team" activity is
/// recorded in the new team.
enum TeamRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.post, "/teams", create)]
    }

    @Sendable static func create(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let name = reader.string("name", required: true, maxLength: TeamFounding.maximumNameLength)
        try reader.finish()
        guard let name else { throw AppError.validation([]) }
        let uid = try request.uid
        let team: TeamFounding.Team
        do {
            team = try await TeamFounding.found(
                TeamFounding.Request(name: name, owner: uid), actor: uid, in: request.env.transaction,
                logger: request.call.logger)
        } catch let problem as TeamFounding.Problem {
            if problem.field == "owner" { throw AppError(.authInsufficientPermissions, "Only internal users can create teams.") }
            throw AppError.validation([FieldError(field: problem.field, message: problem.message)])
        }
        return .created([
            "id": JSONValue(team.id),
            "name": .string(team.name),
            "plan": .string(team.plan),
            "credits_balance": team.credits.json,
            "role": "owner",
            "current": true,
            "message": "Team created successfully",
        ])
    }
}
