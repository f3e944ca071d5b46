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
/// It is a login attempt for the invited e-mail: rate-limited per (client address, that e-mail)
/// with the other login paths (an unknown token counts as an attempt naming no login).
///
/// The account's login is the invited e-mail. When no user has that login, one is created with
/// `name` and `password` (group `base.group_user`); when one exists, `password` must be that
/// account's password (else `AUTH_INVALID_CREDENTIALS`; `name` is then ignored) and the
/// membership is attached to it. That check runs on its own, under the failed-login throttle, so
/// a wrong password counts as a failed login although the request fails. Then, in one
/// transaction with the invitation locked and checked again: the pending member becomes `active`
/// with the user, the invitation `accepted`, the team becomes the user's current team, and a
/// "joined team" activity is recorded.
enum InvitationAcceptRoute {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(
                .post, "/team/invite/accept", auth: .public, access: .connection, rateLimit: .authentication,
                attemptedLogin: invitedEmail, accept)
        ]
    }

    /// The password rule of invitations: at least 8 characters, not only digits (and at most
    /// 1024, which bounds the hashing work). Returns the problem, or nil.
    static func passwordProblem(_ password: String) -> String? {
        if password.count < 8 { return "must be at least 8 characters" }
        if password.count > 1024 { return "must be at most 1024 characters" }
        if password.allSatisfy(\.isNumber) { return "must not be only digits" }
        return nil
    }

    /// The login an acceptance tries: the e-mail its token was sent to (`nil` for an unknown token).
    @Sendable static func invitedEmail(_ call: AppCall) async throws -> String? {
        guard let token = call.params["token"]?.stringValue, (1...256).contains(token.count) else { return nil }
        return try await call.db.query(
            "SELECT email FROM woow_team_invitation WHERE token_hash = \(InvitationToken.hash(token))"
        ).first?.decode(String.self, at: 0)
    }

    /// A pending, unexpired invitation found by its token.
    struct Invitation {
        let id: Int64
        let teamID: Int64
        let memberID: Int64
        let email: String
        let teamName: String
    }

    /// The invitation of `token`, locked with `FOR UPDATE` when `locking`; 404 / 409 otherwise.
    static func invitation(token: String, locking: Bool, _ request: PaaSRequest) async throws -> Invitation {
        guard
            let row = try await request.env.transaction.query(
                """
                SELECT i.id, i.team_id, i.member_id, i.email, i.status, i.expires_at < (now() AT TIME ZONE 'UTC'), t.name
                FROM woow_team_invitation i JOIN woow_team t ON t.id = i.team_id
                WHERE i.token_hash = \(InvitationToken.hash(token))
                \(unescaped: locking ? "FOR UPDATE OF i" : "")
                """
            ).first,
            try row.decode(String.self, at: 4) == "pending", let memberID = try row.decode(Int64?.self, at: 2)
        else { throw AppError(.notFound, "Invitation not found") }
        if try row.decode(Bool.self, at: 5) {
            throw AppError(.conflict, "Invitation expired")
        }
        return Invitation(
            id: try row.decode(Int64.self, at: 0), teamID: try row.decode(Int64.self, at: 1), memberID: memberID,
            email: try row.decode(String.self, at: 3), teamName: try row.decode(String.self, at: 6))
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

        let db = try request.db
        let found = try await invitation(token: token, locking: false, request)
        // An existing account proves its password outside the transaction: a failure is counted.
        var existing: (uid: Int64, login: String)?
        if let row = try await db.query(
            "SELECT id, login FROM res_users WHERE lower(login) = lower(\(found.email)) ORDER BY id LIMIT 1"
        ).first {
            let login = try row.decode(String.self, at: 1)
            do {
                let uid = try await request.call.services.authenticator.authenticate(
                    login: login, password: password, remoteAddress: request.call.remoteAddress, on: db)
                existing = (uid, login)
            } catch let error as AuthenticationError {
                if error.reason == .cooldown { throw AppError(.rateLimited, error.message) }
                throw AppError(
                    .authInvalidCredentials,
                    "An account with this e-mail already exists; enter its password to join the team.")
            }
        }
        return try await db.transaction {
            let invitation = try await invitation(token: token, locking: true, request)
            guard invitation.id == found.id, invitation.memberID == found.memberID else {
                throw AppError(.notFound, "Invitation not found")
            }
            let (uid, login) = try await accountJoining(invitation, existing: existing, name: name, password: password, request)
            try await join(invitation, uid: uid, request)
            return .ok([
                "message": "Invitation accepted", "login": .string(login),
                "team": ["id": JSONValue(invitation.teamID), "name": .string(invitation.teamName)],
            ])
        }
    }

    /// The account that joins: the existing one (not yet a member), or a new one for the e-mail.
    static func accountJoining(
        _ invitation: Invitation, existing: (uid: Int64, login: String)?, name: String, password: String,
        _ request: PaaSRequest
    ) async throws -> (uid: Int64, login: String) {
        let transaction = request.env.transaction
        if let existing {
            let already = try await transaction.query(
                "SELECT 1 FROM woow_team_member WHERE team_id = \(invitation.teamID) AND user_id = \(existing.uid)")
            if !already.isEmpty { throw AppError(.conflict, "You are already a member of this team.") }
            return existing
        }
        do {
            let uid = try await request.call.services.accounts.createUser(
                login: invitation.email, name: name, email: invitation.email, password: password,
                groups: [UserAccounts.GroupID.user], on: try request.db)
            return (uid, invitation.email)
        } catch let error as UserAccountError {
            throw AppError(.conflict, error.description)
        }
    }

    /// Activates the membership, accepts the invitation, makes the team current, records the activity.
    static func join(_ invitation: Invitation, uid: Int64, _ request: PaaSRequest) async throws {
        let transaction = request.env.transaction
        try await transaction.query(
            """
            UPDATE woow_team_member SET user_id = \(uid), status = 'active', write_uid = \(uid),
                   write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(invitation.memberID)
            """)
        try await transaction.query(
            """
            UPDATE woow_team_invitation SET status = 'accepted', accepted_at = now() AT TIME ZONE 'UTC',
                   write_uid = \(uid), write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(invitation.id)
            """)
        try await transaction.query("UPDATE res_users SET current_team_id = \(invitation.teamID) WHERE id = \(uid)")
        try await ActivityLog.record(
            "joined team", target: invitation.teamName, model: "woow.team.member", id: invitation.memberID,
            team: invitation.teamID, user: uid, in: transaction, logger: request.call.logger)
    }
}
