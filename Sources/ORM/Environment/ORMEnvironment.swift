import JSONRPC
import PostgresDriver

/// The ORM environment of one call: the registry, the user, the context and the transaction, as
/// Odoo's `env`. `env.model("res.partner")` gives an empty recordset of that model.
///
/// ```swift
/// let env = ORMEnvironment(registry: registry, transaction: ORMTransaction(connection: db), uid: uid)
/// let companies = try await env.model("res.partner").search(.leaf("is_company", .equal, true), limit: 20)
/// let rows = try await companies.read(fields: ["name", "parent_id"])
/// ```
public struct ORMEnvironment: Sendable {
    /// The frozen model registry.
    public let registry: ModelRegistry
    /// The transaction (connection, caches, statement counter).
    public let transaction: ORMTransaction
    /// The user the call runs as.
    public let uid: Int64
    /// The context (`lang`, `tz`, `active_test`, `default_*` …).
    public let context: JSONObject
    /// Whether access rights and record rules are bypassed (`sudo`); never set from a client.
    public let isSuperuser: Bool

    /// Creates an environment for a user.
    public init(
        registry: ModelRegistry, transaction: ORMTransaction, uid: Int64, context: JSONObject = [:],
        isSuperuser: Bool = false
    ) {
        self.registry = registry
        self.transaction = transaction
        self.uid = uid
        self.context = context
        self.isSuperuser = isSuperuser
    }

    /// An empty recordset of the model; unknown models are Odoo's not-found error.
    public func model(_ name: String) throws -> RecordSet {
        RecordSet(env: self, model: try registry.model(name), ids: [])
    }

    /// The same environment bypassing access rights and record rules (server-side code only).
    public func sudo(_ flag: Bool = true) -> ORMEnvironment {
        ORMEnvironment(registry: registry, transaction: transaction, uid: uid, context: context, isSuperuser: flag)
    }

    /// The same environment with another context.
    public func with(context: JSONObject) -> ORMEnvironment {
        ORMEnvironment(registry: registry, transaction: transaction, uid: uid, context: context, isSuperuser: isSuperuser)
    }

    /// Whether searches hide archived records (context `active_test`, default true).
    var activeTest: Bool { context["active_test"]?.boolValue ?? true }

    /// The user's groups (external ids), loaded once per transaction.
    public func groups() async throws -> Set<String> {
        if let cached = transaction.groupsByUser[uid] { return cached }
        let result = try await transaction.read(
            """
            SELECT coalesce(array_agg(g.xmlid) FILTER (WHERE g.xmlid IS NOT NULL), '{}')
            FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid WHERE r.uid = \(uid)
            """)
        let groups = Set(try result[0].decode([String].self, at: 0))
        transaction.groupsByUser[uid] = groups
        return groups
    }

    /// Seeds the group cache when the caller already knows them (the session lookup returns them).
    public func assumeGroups(_ groups: Set<String>) { transaction.groupsByUser[uid] = groups }

    /// Whether the user belongs to the group.
    public func hasGroup(_ xmlid: String) async throws -> Bool {
        if isSuperuser { return true }
        return try await groups().contains(xmlid)
    }
}
