/// The four operations access rights and record rules govern.
public enum AccessOperation: String, Sendable, Hashable, CaseIterable {
    case read, write, create, unlink
}

/// A model access right (Odoo's `ir.model.access`): members of `group` (everybody when `nil`)
/// may perform `operations` on `model`.
public struct ModelAccess: Sendable, Hashable {
    /// A stable name (`access_res_partner_user`).
    public let name: String
    /// The model.
    public let model: String
    /// The group's external id, or `nil` for every user.
    public let group: String?
    /// What it allows.
    public let operations: Set<AccessOperation>

    /// Declares an access right.
    public init(_ name: String, model: String, group: String?, _ operations: Set<AccessOperation>) {
        self.name = name
        self.model = model
        self.group = group
        self.operations = operations
    }
}

/// A record rule (Odoo's `ir.rule`): which records of `model` an operation may touch.
///
/// Global rules (no groups) are AND-ed together; group rules that apply to the user are OR-ed, and
/// that union is AND-ed with the global ones. The domain may refer to the user with values
/// `{"user": "id"}` or to module-provided variables with `{"var": "team_ids"}`.
public struct RecordRule: Sendable {
    /// A stable name.
    public let name: String
    /// The model.
    public let model: String
    /// Group external ids; empty makes the rule global.
    public let groups: [String]
    /// The domain, as JSON (resolved per user).
    public let domain: JSONDomainTemplate
    /// The operations it restricts.
    public let operations: Set<AccessOperation>

    /// Declares a rule.
    public init(
        _ name: String, model: String, groups: [String] = [], domain: JSONDomainTemplate,
        operations: Set<AccessOperation> = Set(AccessOperation.allCases)
    ) {
        self.name = name
        self.model = model
        self.groups = groups
        self.domain = domain
        self.operations = operations
    }

    /// Whether the rule is global.
    public var isGlobal: Bool { groups.isEmpty }
}

import JSONRPC

/// A domain in JSON with placeholders for user-dependent values.
public struct JSONDomainTemplate: Sendable, Hashable {
    /// The domain JSON.
    public let json: JSONValue
    /// Wraps domain JSON (`[["create_uid", "=", {"user": "id"}]]`).
    public init(_ json: JSONValue) { self.json = json }

    /// The empty domain: every record.
    public static let everything = JSONDomainTemplate([])

    /// Whether the domain is empty (it matches every record).
    var matchesEverything: Bool { json == [] }
}

/// A value record rules can refer to as `{"var": name}`: computed once per transaction with SQL
/// that receives the user id as `$1` and returns one `int8[]` column.
public struct RuleVariable: Sendable {
    /// The variable name.
    public let name: String
    /// The SQL (`SELECT coalesce(array_agg(team_id), '{}') FROM woow_team_member WHERE user_id = $1`).
    /// It must only read: it runs as a read-only statement (``ORMTransaction/read(_:)``).
    public let sql: String

    /// Declares a variable.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
