import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `/team/members`: list the current team's members (pending invitees included), change a
/// member's role and workspace access, remove a member.
///
/// Role rules: any member may list; owners and admins manage members; only an owner
/// may make someone an owner or change or remove an owner; the team always keeps at least one
/// owner (`CONFLICT`). Members are not writable through RPC (`PaaSAccess`): these routes check the
/// role, then write with SQL in the request's transaction, after locking the team's row so that
/// concurrent changes cannot remove the last owner or overfill the plan.
enum TeamMemberRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/team/members", access: .connection, list),
            builder.route(.put, "/team/members/{member_id}", update),
            builder.route(.delete, "/team/members/{member_id}", remove),
        ]
    }

    /// `{id, name, email, avatar_url, role, status, workspace_access}` per member. A pending
    /// invitee has its e-mail as name; `workspace_access` names the workspaces the member can use
    /// (every workspace of the team for owners and admins, the granted ones otherwise).
    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let page = reader.pagination()
        let role = reader.string("role", allowed: TeamRole.allCases.map(\.rawValue))
        let status = reader.string("status", allowed: PaaSValues.memberStatuses)
        try reader.finish()
        let member = try await request.membership()
        let db = try request.db
        let total = try await db.query(
            """
            SELECT count(*) FROM woow_team_member
            WHERE team_id = \(member.teamID) AND (\(role.postgresBind)::varchar IS NULL OR role = \(role.postgresBind))
              AND (\(status.postgresBind)::varchar IS NULL OR status = \(status.postgresBind))
            """)[0].decode(Int.self, at: 0)
        let rows = try await db.query(
            """
            SELECT m.id, coalesce(p.name, m.email), coalesce(p.email, u.login, m.email), u.id,
                   coalesce(u.avatar_version, 0), m.role, m.status,
                   array(SELECT w.name FROM woow_workspace w
                         WHERE w.team_id = m.team_id
                           AND (m.role IN ('owner', 'admin') OR EXISTS (
                                SELECT 1 FROM woow_team_member_workspace_rel r
                                WHERE r.member_id = m.id AND r.workspace_id = w.id))
                         ORDER BY w.name, w.id)
            FROM woow_team_member m
            LEFT JOIN res_users u ON u.id = m.user_id
            LEFT JOIN res_partner p ON p.id = u.partner_id
            WHERE m.team_id = \(member.teamID) AND (\(role.postgresBind)::varchar IS NULL OR m.role = \(role.postgresBind))
              AND (\(status.postgresBind)::varchar IS NULL OR m.status = \(status.postgresBind))
            ORDER BY m.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """)
        var items: [JSONValue] = []
        for row in rows.rows {
            let uid = try row.decode(Int64?.self, at: 3)
            items.append([
                "id": JSONValue(try row.decode(Int64.self, at: 0)),
                "name": .string(try row.decode(String.self, at: 1)),
                "email": .string(try row.decode(String.self, at: 2)),
                "avatar_url": uid.map { AvatarURL.for(user: $0, version: (try? row.decode(Int.self, at: 4)) ?? 0) } ?? .null,
                "role": .string(try row.decode(String.self, at: 5)),
                "status": .string(try row.decode(String.self, at: 6)),
                "workspace_access": .array(try row.decode([String].self, at: 7).map(JSONValue.string)),
            ])
        }
        return .ok(page.list(items, total: total))
    }

    /// One requested change of workspace access.
    struct AccessChange {
        let workspaceID: Int64
        let enabled: Bool
    }

    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let role = reader.string("role", allowed: TeamRole.allCases.map(\.rawValue)).flatMap(TeamRole.init(rawValue:))
        var changes: [AccessChange] = []
        for (index, entry) in (reader.array("workspace_access") ?? []).enumerated() {
            let prefix = "workspace_access[\(index)]"
            guard let object = entry.objectValue else {
                reader.fail(prefix, "must be an object with workspace_id and enabled")
                continue
            }
            var item = ParamReader(object)
            let workspace = item.id("workspace_id", required: true)
            let enabled = item.boolean("enabled", required: true)
            do { try item.finish() } catch let error as AppError {
                for detail in error.details { reader.fail("\(prefix).\(detail.field)", detail.message) }
            }
            if let workspace, let enabled { changes.append(AccessChange(workspaceID: workspace, enabled: enabled)) }
        }
        try reader.finish()
        let member = try await request.membership()
        try member.require(.admin, to: "change team members")
        let transaction = request.env.transaction
        try await lockTeam(member.teamID, in: transaction)
        let target = try await find(request, team: member.teamID)
        if let role, role != target.role {
            if role == .owner || target.role == .owner {
                try member.require(.owner, to: "make or unmake team owners")
            }
            if target.status == "pending", role == .owner {
                throw AppError(.conflict, "An invitee cannot be made owner before accepting the invitation.")
            }
            if target.role == .owner, try await ownerCount(member.teamID, in: transaction) <= 1 {
                throw AppError(.conflict, "A team always keeps at least one owner; make another member owner first.")
            }
        }
        let unknown = try await foreignWorkspaces(changes.map(\.workspaceID), team: member.teamID, in: transaction)
        if !unknown.isEmpty {
            throw AppError.validation(
                changes.enumerated().filter { unknown.contains($0.element.workspaceID) }.map {
                    FieldError(field: "workspace_access[\($0.offset)].workspace_id", message: "is not a workspace of your team")
                })
        }
        if let role, role != target.role {
            try await transaction.query(
                """
                UPDATE woow_team_member SET role = \(role.rawValue), write_uid = \(try request.uid),
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(target.id)
                """)
            if target.status == "pending" {
                try await transaction.query(
                    "UPDATE woow_team_invitation SET role = \(role.rawValue) WHERE member_id = \(target.id) AND status = 'pending'")
            }
        }
        let granted = changes.filter(\.enabled).map(\.workspaceID)
        let revoked = changes.filter { !$0.enabled }.map(\.workspaceID)
        if !granted.isEmpty {
            try await transaction.query(
                """
                INSERT INTO woow_team_member_workspace_rel (member_id, workspace_id)
                SELECT \(target.id), unnest(\(granted)::int8[]) ON CONFLICT DO NOTHING
                """)
        }
        if !revoked.isEmpty {
            try await transaction.query(
                """
                DELETE FROM woow_team_member_workspace_rel
                WHERE member_id = \(target.id) AND workspace_id = ANY(\(revoked)::int8[])
                """)
        }
        try await request.record(
            "updated member", target: target.name, model: "woow.team.member", id: target.id, team: member.teamID)
        return .ok(["message": "Member updated successfully"])
    }

    @Sendable static func remove(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let member = try await request.membership()
        try member.require(.admin, to: "remove team members")
        let transaction = request.env.transaction
        try await lockTeam(member.teamID, in: transaction)
        let target = try await find(request, team: member.teamID)
        if target.role == .owner {
            try member.require(.owner, to: "remove a team owner")
            if try await ownerCount(member.teamID, in: transaction) <= 1 {
                throw AppError(.conflict, "A team always keeps at least one owner; the last owner cannot be removed.")
            }
        }
        if target.status == "pending" {
            try await transaction.query(
                """
                UPDATE woow_team_invitation SET status = 'cancelled', write_uid = \(try request.uid),
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE member_id = \(target.id) AND status = 'pending'
                """)
        }
        try await transaction.query("DELETE FROM woow_team_member WHERE id = \(target.id)")
        if let user = target.userID {
            try await transaction.query(
                "UPDATE res_users SET current_team_id = NULL WHERE id = \(user) AND current_team_id = \(member.teamID)")
        }
        try await request.record(
            "removed member", target: target.name, model: "woow.team.member", id: target.id, team: member.teamID)
        return .ok(["message": "Member removed"])
    }

    /// A member row of the caller's team.
    struct Target {
        let id: Int64
        let userID: Int64?
        let role: TeamRole
        let status: String
        let name: String
    }

    /// The member of the path in `team` (locked), else `NOT_FOUND`: another team's ids look
    /// exactly like ids that do not exist.
    static func find(_ request: PaaSRequest, team: Int64) async throws -> Target {
        let id = try request.pathID("member_id", notFound: .notFound, "Member not found")
        guard
            let row = try await request.env.transaction.query(
                """
                SELECT m.id, m.user_id, m.role, m.status, coalesce(p.name, m.email, '')
                FROM woow_team_member m
                LEFT JOIN res_users u ON u.id = m.user_id
                LEFT JOIN res_partner p ON p.id = u.partner_id
                WHERE m.id = \(id) AND m.team_id = \(team)
                FOR UPDATE OF m
                """
            ).first,
            let role = TeamRole(rawValue: try row.decode(String.self, at: 2))
        else { throw AppError(.notFound, "Member not found") }
        return Target(
            id: try row.decode(Int64.self, at: 0), userID: try row.decode(Int64?.self, at: 1), role: role,
            status: try row.decode(String.self, at: 3), name: try row.decode(String.self, at: 4))
    }

    /// Locks the team's row: member changes of one team run one at a time.
    static func lockTeam(_ team: Int64, in transaction: ORMTransaction) async throws {
        try await transaction.query("SELECT 1 FROM woow_team WHERE id = \(team) FOR UPDATE")
    }

    /// Owners of the team who have an account (pending invitees are never owners).
    static func ownerCount(_ team: Int64, in transaction: ORMTransaction) async throws -> Int {
        try await transaction.query(
            "SELECT count(*) FROM woow_team_member WHERE team_id = \(team) AND role = 'owner' AND user_id IS NOT NULL"
        )[0].decode(Int.self, at: 0)
    }

    /// The ids among `ids` that are not workspaces of `team`.
    static func foreignWorkspaces(_ ids: [Int64], team: Int64, in transaction: ORMTransaction) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await transaction.query(
            "SELECT id FROM woow_workspace WHERE team_id = \(team) AND id = ANY(\(ids)::int8[])")
        let known = Set(try rows.rows.map { try $0.decode(Int64.self, at: 0) })
        return Set(ids).subtracting(known)
    }
}
