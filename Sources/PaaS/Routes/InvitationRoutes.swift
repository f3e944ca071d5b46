import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `POST /team/invite`, `POST /team/invite/{invitation_id}/resend`, `DELETE /team/invite/{invitation_id}`.
///
/// An invitation is two rows written together: a pending `woow.team.member` (no user yet, the
/// invitee's e-mail, the invited role and workspace access — listed in `/team/members` and
/// counted against the plan's member limit) and a `woow.team.invitation` (public id `inv_…`,
/// the SHA-256 of a random token, an expiry of `invitationLifetime`, a send count). The e-mail
/// with the accept link goes to the outbox in the same transaction. Resending makes a new token
/// (the old link stops working) and a new expiry; cancelling marks the invitation `cancelled`
/// and deletes the pending member. Owners and admins only; another team's invitation ids are
/// `NOT_FOUND`.
enum InvitationRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.post, "/team/invite", invite),
            builder.route(.post, "/team/invite/{invitation_id}/resend", resend),
            builder.route(.delete, "/team/invite/{invitation_id}", cancel),
        ]
    }

    @Sendable static func invite(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let email = reader.string("email", required: true, maxLength: 254)?.lowercased()
        if let email, !EmailSyntax.isValid(email) { reader.fail("email", "is not a valid e-mail address") }
        var role: String?
        if let given = reader.string("role", required: true, maxLength: 32) {
            if given == TeamRole.owner.rawValue {
                reader.fail("role", "owner cannot be invited; invite an admin and make them owner once they joined")
            } else if PaaSValues.invitableRoles.contains(given) {
                role = given
            } else {
                reader.fail("role", "must be one of: \(PaaSValues.invitableRoles.joined(separator: ", "))")
            }
        }
        var workspaceIDs: [Int64] = []
        for (index, value) in (reader.array("workspace_ids", maxCount: 500) ?? []).enumerated() {
            if let id = value.int64Value, id > 0 {
                if !workspaceIDs.contains(id) { workspaceIDs.append(id) }
            } else {
                reader.fail("workspace_ids[\(index)]", "must be a workspace id")
            }
        }
        try reader.finish()
        guard let email, let role else { throw AppError.validation([]) }
        let member = try await request.membership()
        try member.require(.admin, to: "invite members")
        let transaction = request.env.transaction
        let foreign = try await TeamMemberRoutes.foreignWorkspaces(workspaceIDs, team: member.teamID, in: transaction)
        if !foreign.isEmpty {
            let ids = (request.call.params["workspace_ids"]?.arrayValue ?? []).map(\.int64Value)
            throw AppError.validation(
                ids.enumerated().filter { $0.element.map(foreign.contains) == true }.map {
                    FieldError(field: "workspace_ids[\($0.offset)]", message: "is not a workspace of your team")
                })
        }
        try await TeamMemberRoutes.lockTeam(member.teamID, in: transaction)
        let existing = try await transaction.query(
            """
            SELECT m.status FROM woow_team_member m
            LEFT JOIN res_users u ON u.id = m.user_id
            LEFT JOIN res_partner p ON p.id = u.partner_id
            WHERE m.team_id = \(member.teamID)
              AND (lower(m.email) = \(email) OR lower(u.login) = \(email) OR lower(p.email) = \(email))
            LIMIT 1
            """)
        if let status = try existing.first?.decode(String.self, at: 0) {
            throw AppError(
                .conflict,
                status == "pending"
                    ? "\(email) has already been invited; resend the invitation instead."
                    : "\(email) is already a member of the team.")
        }
        try await PlanGate(request: request, member: member).check(.members)
        let uid = try request.uid
        let memberID = try await transaction.query(
            """
            INSERT INTO woow_team_member (team_id, user_id, email, role, status, create_uid, write_uid)
            VALUES (\(member.teamID), NULL, \(email), \(role), 'pending', \(uid), \(uid)) RETURNING id
            """)[0].decode(Int64.self, at: 0)
        if !workspaceIDs.isEmpty {
            try await transaction.query(
                """
                INSERT INTO woow_team_member_workspace_rel (member_id, workspace_id)
                SELECT \(memberID), unnest(\(workspaceIDs)::int8[])
                """)
        }
        let token = InvitationToken.generate()
        let reference = InvitationToken.reference()
        let seconds = Int64(request.configuration.invitationLifetime.components.seconds)
        let inserted = try await transaction.query(
            """
            INSERT INTO woow_team_invitation
                (reference, team_id, member_id, email, role, status, token_hash, expires_at, send_count, last_sent_at,
                 invited_by, create_uid, write_uid)
            VALUES (\(reference), \(member.teamID), \(memberID), \(email), \(role), 'pending', \(token.hash),
                    (now() AT TIME ZONE 'UTC') + make_interval(secs => \(seconds)), 1, now() AT TIME ZONE 'UTC',
                    \(uid), \(uid), \(uid))
            RETURNING id, to_char(expires_at, 'YYYY-MM-DD HH24:MI')
            """)[0]
        try await sendMail(
            request, member: member, email: email, role: role, token: token,
            expiresAt: try inserted.decode(String.self, at: 1), reminder: false)
        try await request.record(
            "invited member", target: email, model: "woow.team.invitation", id: try inserted.decode(Int64.self, at: 0),
            team: member.teamID)
        return .created(["invitation_id": .string(reference), "status": "sent", "message": "Invitation sent successfully"])
    }

    @Sendable static func resend(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("invitation_id")
        try reader.finish()
        let member = try await request.membership()
        try member.require(.admin, to: "resend invitations")
        let invitation = try await find(request, team: member.teamID)
        let token = InvitationToken.generate()
        let seconds = Int64(request.configuration.invitationLifetime.components.seconds)
        let expires = try await request.env.transaction.query(
            """
            UPDATE woow_team_invitation
            SET token_hash = \(token.hash), expires_at = (now() AT TIME ZONE 'UTC') + make_interval(secs => \(seconds)),
                send_count = send_count + 1, last_sent_at = now() AT TIME ZONE 'UTC', write_uid = \(try request.uid),
                write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(invitation.id)
            RETURNING to_char(expires_at, 'YYYY-MM-DD HH24:MI')
            """)[0].decode(String.self, at: 0)
        try await sendMail(
            request, member: member, email: invitation.email, role: invitation.role, token: token, expiresAt: expires,
            reminder: true)
        try await request.record(
            "resent invitation", target: invitation.email, model: "woow.team.invitation", id: invitation.id,
            team: member.teamID)
        return .ok(["message": "Invitation resent"])
    }

    @Sendable static func cancel(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("invitation_id")
        try reader.finish()
        let member = try await request.membership()
        try member.require(.admin, to: "cancel invitations")
        let invitation = try await find(request, team: member.teamID)
        let transaction = request.env.transaction
        try await transaction.query(
            """
            UPDATE woow_team_invitation SET status = 'cancelled', member_id = NULL, write_uid = \(try request.uid),
                   write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(invitation.id)
            """)
        if let pending = invitation.memberID {
            try await transaction.query(
                "DELETE FROM woow_team_member WHERE id = \(pending) AND user_id IS NULL AND status = 'pending'")
        }
        try await request.record(
            "cancelled invitation", target: invitation.email, model: "woow.team.invitation", id: invitation.id,
            team: member.teamID)
        return .ok(["message": "Invitation cancelled"])
    }

    /// A pending invitation of the caller's team.
    struct Invitation {
        let id: Int64
        let email: String
        let role: String
        let memberID: Int64?
    }

    /// The pending invitation of the path in `team` (locked), else `NOT_FOUND`: accepted,
    /// cancelled and other teams' invitations cannot be resent or cancelled.
    static func find(_ request: PaaSRequest, team: Int64) async throws -> Invitation {
        guard let reference = request.call.pathParameters["invitation_id"], reference.count <= 64,
            let row = try await request.env.transaction.query(
                """
                SELECT id, email, role, member_id FROM woow_team_invitation
                WHERE reference = \(reference) AND team_id = \(team) AND status = 'pending'
                FOR UPDATE
                """
            ).first
        else { throw AppError(.notFound, "Invitation not found") }
        return Invitation(
            id: try row.decode(Int64.self, at: 0), email: try row.decode(String.self, at: 1),
            role: try row.decode(String.self, at: 2), memberID: try row.decode(Int64?.self, at: 3))
    }

    /// Puts the invitation e-mail in the outbox (same transaction).
    static func sendMail(
        _ request: PaaSRequest, member: Membership, email: String, role: String, token: InvitationToken,
        expiresAt: String, reminder: Bool
    ) async throws {
        let uid = try request.uid
        let inviter =
            try await request.env.transaction.query(
                "SELECT p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = \(uid)"
            ).first?.decode(String.self, at: 0) ?? "A team administrator"
        let message = InvitationMail.message(
            to: email, team: member.teamName, role: role, inviter: inviter,
            link: InvitationMail.acceptLink(frontendURL: request.configuration.frontendURL, token: token.value),
            expiresAt: expiresAt, reminder: reminder)
        try await MailOutbox.enqueue(
            message, team: member.teamID, user: uid, smtp: request.configuration.smtp, in: request.env.transaction,
            logger: request.call.logger)
    }
}
