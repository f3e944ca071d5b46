import Identity
import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `POST /team/invite/accept {token, name, password}` (**public**: the invitee has no session).
///
/// The body is validated first (`VALIDATION_ERROR` with details, whatever the token), then the
/// invitation is found by the SHA-256 of the token:
/// - unknown, cancelled or already accepted → 404 `NOT_FOUND` "Invitation not found";
/// - past its `expires_at` → 409 `CONFLICT` "Invitation expired" (an admin can resend it).
///
/// The account's login is the invited e-mail. When no user has that login, one is created with
/// `name` and `password` (group `base.group_user`); when one exists, `password` must be that
/// account's password (else `AUTH_INVALID_CREDENTIALS`; `name` is then ignored) and the
/// membership is attached to it. The pending member becomes `active` with the user, the
/// invitation `accepted`, the team becomes the user's current team, and a "joined team" activity
/// is recorded — all in the request's transaction.
enum InvitationAcceptRoute {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.post, "/team/invite/accept", auth: .public, rateLimit: .authentication, accept)]
    }

    /// The password rule of invitations: at least 8 characters, not only digits (and at most
    /// 1024, which bounds the hashing work). Returns the problem, or nil.
    static func passwordProblem(_ password: String) -> String? {
        if password.count < 8 { return "must be at least 8 characters" }
        if password.count > 1024 { return "must be at most 1024 characters" }
        if password.allSatisfy(\.isNumber) { return "must not be only digits" }
        return nil
    }

    @Sendable static func accept(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let token = reader.string("token", required: true, maxLength: 256)
        let name = reader.string("name", required: true, maxLength: 128)
        var password: String?
        switch reader.raw("password") {
        case nil: reader.fail("password", "is required")
        case .string(let text)?:
            if let problem = passwordProblem(text) { reader.fail("password", problem) } else { password = text }
        default: reader.fail("password", "must be a string")
        }
        try reader.finish()
        guard let token, let name, let password else { throw AppError.validation([]) }

        let transaction = request.env.transaction
        guard
            let row = try await transaction.query(
                """
                SELECT i.id, i.team_id, i.member_id, i.email, i.status, i.expires_at < (now() AT TIME ZONE 'UTC'), t.name
                FROM woow_team_invitation i JOIN woow_team t ON t.id = i.team_id
                WHERE i.token_hash = \(InvitationToken.hash(token))
                FOR UPDATE OF i
                """
            ).first,
            try row.decode(String.self, at: 4) == "pending", let memberID = try row.decode(Int64?.self, at: 2)
        else { throw AppError(.notFound, "Invitation not found") }
        if try row.decode(Bool.self, at: 5) {
            throw AppError(.conflict, "Invitation expired")
        }
        let invitationID = try row.decode(Int64.self, at: 0)
        let teamID = try row.decode(Int64.self, at: 1)
        let email = try row.decode(String.self, at: 3)
        let teamName = try row.decode(String.self, at: 6)
        let db = try request.db

        let uid: Int64
        let login: String
        if let existing = try await transaction.query(
            "SELECT id, login FROM res_users WHERE lower(login) = lower(\(email)) ORDER BY id LIMIT 1"
        ).first {
            login = try existing.decode(String.self, at: 1)
            do {
                uid = try await request.call.services.authenticator.authenticate(
                    login: login, password: password, remoteAddress: request.call.remoteAddress, on: db)
            } catch let error as AuthenticationError {
                if error.reason == .cooldown { throw AppError(.rateLimited, error.message) }
                throw AppError(
                    .authInvalidCredentials,
                    "An account with this e-mail already exists; enter its password to join the team.")
            }
            let already = try await transaction.query(
                "SELECT 1 FROM woow_team_member WHERE team_id = \(teamID) AND user_id = \(uid)")
            if !already.isEmpty { throw AppError(.conflict, "You are already a member of this team.") }
        } else {
            login = email
            do {
                uid = try await request.call.services.accounts.createUser(
                    login: email, name: name, email: email, password: password, groups: [UserAccounts.GroupID.user], on: db)
            } catch let error as UserAccountError {
                throw AppError(.conflict, error.description)
            }
        }
        try await transaction.query(
            """
            UPDATE woow_team_member SET user_id = \(uid), status = 'active', write_uid = \(uid),
                   write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(memberID)
            """)
        try await transaction.query(
            """
            UPDATE woow_team_invitation SET status = 'accepted', accepted_at = now() AT TIME ZONE 'UTC',
                   write_uid = \(uid), write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(invitationID)
            """)
        try await transaction.query("UPDATE res_users SET current_team_id = \(teamID) WHERE id = \(uid)")
        try await ActivityLog.record(
            "joined team", target: teamName, model: "woow.team.member", id: memberID, team: teamID, user: uid,
            in: transaction, logger: request.call.logger)
        return .ok([
            "message": "Invitation accepted", "login": .string(login),
            "team": ["id": JSONValue(teamID), "name": .string(teamName)],
        ])
    }
}
