import JSONRPC

/// A search domain as a tree: Odoo's `[('name', 'ilike', 'ab'), '|', …]` once parsed.
public indirect enum Domain: Sendable, Hashable {
    /// Matches every record (`true`) or none (`false`).
    case constant(Bool)
    /// Negation.
    case not(Domain)
    /// All of the parts.
    case and([Domain])
    /// Any of the parts.
    case or([Domain])
    /// One leaf: a field path, an operator and a value.
    case condition(DomainCondition)

    /// Matches every record.
    public static let all = Domain.constant(true)

    /// Both domains.
    public static func && (lhs: Domain, rhs: Domain) -> Domain {
        switch (lhs, rhs) {
        case (.constant(true), let other), (let other, .constant(true)): return other
        case (.and(let a), .and(let b)): return .and(a + b)
        case (.and(let a), let other): return .and(a + [other])
        case (let other, .and(let b)): return .and([other] + b)
        default: return .and([lhs, rhs])
        }
    }

    /// Either domain.
    public static func || (lhs: Domain, rhs: Domain) -> Domain {
        switch (lhs, rhs) {
        case (.constant(false), let other), (let other, .constant(false)): return other
        default: return .or([lhs, rhs])
        }
    }

    /// A leaf.
    public static func leaf(_ path: String, _ op: DomainOperator, _ value: JSONValue) -> Domain {
        .condition(DomainCondition(path: path, op: op, value: value))
    }

    /// Whether any leaf names the field `name` at its first path step.
    public func mentions(field name: String) -> Bool {
        switch self {
        case .constant: return false
        case .not(let inner): return inner.mentions(field: name)
        case .and(let parts), .or(let parts): return parts.contains { $0.mentions(field: name) }
        case .condition(let condition): return condition.path.first == name
        }
    }
}

/// One leaf of a domain.
public struct DomainCondition: Sendable, Hashable {
    /// The dotted path, split (`partner_id.name` → `["partner_id", "name"]`).
    public let path: [String]
    /// The operator.
    public let op: DomainOperator
    /// The value as the client sent it.
    public let value: JSONValue

    /// Creates a leaf from a dotted path.
    public init(path: String, op: DomainOperator, value: JSONValue) {
        self.path = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.op = op
        self.value = value
    }

    init(path: [String], op: DomainOperator, value: JSONValue) {
        self.path = path
        self.op = op
        self.value = value
    }
}

/// The domain operators of Odoo 17/18.
public enum DomainOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case equalIfSet = "=?"
    case `in` = "in"
    case notIn = "not in"
    case like = "like"
    case notLike = "not like"
    case ilike = "ilike"
    case notIlike = "not ilike"
    case equalLike = "=like"
    case equalIlike = "=ilike"
    case childOf = "child_of"
    case parentOf = "parent_of"
    case any = "any"
    case notAny = "not any"

    /// Parses an operator; `<>` is accepted for `!=`, and case is ignored as Odoo does.
    public init?(text: String) {
        let lowered = text.lowercased()
        if lowered == "<>" {
            self = .notEqual
            return
        }
        self.init(rawValue: lowered)
    }

    /// The operator that selects exactly the other records (used to push `!` down), if there is one.
    var negation: DomainOperator? {
        switch self {
        case .equal: return .notEqual
        case .notEqual: return .equal
        case .less: return .greaterOrEqual
        case .greaterOrEqual: return .less
        case .greater: return .lessOrEqual
        case .lessOrEqual: return .greater
        case .in: return .notIn
        case .notIn: return .in
        case .like: return .notLike
        case .notLike: return .like
        case .ilike: return .notIlike
        case .notIlike: return .ilike
        case .any: return .notAny
        case .notAny: return .any
        case .equalIfSet, .equalLike, .equalIlike, .childOf, .parentOf: return nil
        }
    }

    /// Whether the operator is one of Odoo's negative operators.
    var isNegative: Bool { self == .notEqual || self == .notIn || self == .notLike || self == .notIlike || self == .notAny }
}
