import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// One call to a PaaS route: the ``AppCall`` plus the ORM environment of the session's user
/// (record rules apply to everything read or written through it) and the module configuration.
public struct PaaSRequest: Sendable {
    /// The application call (params, session, connection, logger).
    public let call: AppCall
    /// The user's ORM environment inside the request's transaction (nil for anonymous calls).
    public let env: ORMEnvironment
    /// The module configuration.
    public let configuration: PaaSConfiguration

    init(call: AppCall, registry: ModelRegistry, configuration: PaaSConfiguration) throws {
        self.call = call
        self.configuration = configuration
        let uid = call.session?.uid ?? 0
        env = ORMEnvironment(registry: registry, transaction: ORMTransaction(connection: try call.db), uid: uid)
        if let groups = call.session?.groups { env.assumeGroups(groups) }
    }

    /// The session user's id.
    public var uid: Int64 { get throws { try call.uid } }

    /// The request's database connection (raw SQL runs inside the same transaction).
    public var db: PostgresConnection { get throws { try call.db } }

    /// A value captured from the path, as a record id; a malformed id is NOT_FOUND (`code`).
    public func pathID(_ name: String, notFound code: AppErrorCode = .notFound, _ message: String = "Not found") throws -> Int64 {
        guard let text = call.pathParameters[name], let id = Int64(text), id > 0 else {
            throw AppError(code, message)
        }
        return id
    }

    /// The caller's membership in their current team; a user without a team gets
    /// `AUTH_INSUFFICIENT_PERMISSIONS`.
    public func membership() async throws -> Membership {
        let uid = try self.uid
        let rows = try await env.transaction.query(
            """
            SELECT m.member_id, m.team_id, t.name, t.plan, m.role
            FROM woow_current_member(\(uid)) AS m JOIN woow_team AS t ON t.id = m.team_id
            """)
        guard let row = rows.first, let role = TeamRole(rawValue: try row.decode(String.self, at: 4)) else {
            throw AppError(.authInsufficientPermissions, "You are not a member of any team.")
        }
        return Membership(
            memberID: try row.decode(Int64.self, at: 0), teamID: try row.decode(Int64.self, at: 1),
            teamName: try row.decode(String.self, at: 2), plan: try row.decode(String.self, at: 3), role: role)
    }

    /// A recordset of `model` in the user's environment.
    public func model(_ name: String) throws -> RecordSet { try env.model(name) }

    /// Records an activity of the caller's team (see ``ActivityLog``).
    public func record(_ action: String, target: String, model: String? = nil, id: Int64? = nil, team: Int64) async throws {
        try await ActivityLog.record(
            action, target: target, model: model, id: id, team: team, user: try uid, in: env.transaction,
            logger: call.logger)
    }
}
