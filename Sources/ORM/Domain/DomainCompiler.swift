import JSONRPC
import PostgresDriver

/// Compiles a ``Domain`` on a model into a parameterised SQL condition, with Odoo 18's semantics.
///
/// - `!` is pushed down by negating operators (`=` ↔ `!=`, `in` ↔ `not in`, `like` ↔ `not like`, …),
///   so negations keep Odoo's treatment of NULL;
/// - `('f', '=', False)` means "not set": `IS NULL`, plus `= ''` for text, `= 0` for numbers and
///   `= FALSE` for booleans; `!=`, `not in`, `not like` also match NULL;
/// - dotted paths go through relational fields as `any` subqueries (negative operators become
///   `not any` with the positive operator, as in Odoo 17+);
/// - a many2one compared with a string searches the comodel's record name.
///
/// Values always travel as binds; lists as one typed array bind (`= ANY($1::int8[])`), so the SQL
/// text — and the prepared statement — does not depend on how many values there are.
public struct DomainCompiler: Sendable {
    let registry: ModelRegistry
    /// A domain AND-ed into every subquery on a comodel (record rules), given that comodel.
    let subqueryFilter: @Sendable (ModelDefinition) throws -> Domain

    /// Creates a compiler over a registry.
    public init(registry: ModelRegistry, subqueryFilter: @escaping @Sendable (ModelDefinition) throws -> Domain = { _ in .all }) {
        self.registry = registry
        self.subqueryFilter = subqueryFilter
    }

    /// Writes the SQL condition for `domain` on `model`, whose table is aliased `alias`.
    public func compile(_ domain: Domain, model: ModelDefinition, alias: String, into writer: inout SQLWriter) throws {
        switch domain {
        case .constant(let value):
            writer.append(value ? "TRUE" : "FALSE")
        case .and(let parts), .or(let parts):
            let isAnd: Bool = { if case .and = domain { return true } else { return false } }()
            guard !parts.isEmpty else {
                writer.append(isAnd ? "TRUE" : "FALSE")
                return
            }
            if parts.count == 1 { return try compile(parts[0], model: model, alias: alias, into: &writer) }
            writer.append("(")
            for (index, part) in parts.enumerated() {
                if index > 0 { writer.append(isAnd ? " AND " : " OR ") }
                try compile(part, model: model, alias: alias, into: &writer)
            }
            writer.append(")")
        case .not(let inner):
            if let pushed = Self.negate(inner) { return try compile(pushed, model: model, alias: alias, into: &writer) }
            writer.append("(NOT ")
            try compile(inner, model: model, alias: alias, into: &writer)
            writer.append(")")
        case .condition(let condition):
            try compileCondition(condition, model: model, alias: alias, into: &writer)
        }
    }

    /// The negation of a domain pushed one level down, when it can be expressed without `NOT`.
    static func negate(_ domain: Domain) -> Domain? {
        switch domain {
        case .constant(let value): return .constant(!value)
        case .not(let inner): return inner
        case .and(let parts): return .or(parts.map { negate($0) ?? .not($0) })
        case .or(let parts): return .and(parts.map { negate($0) ?? .not($0) })
        case .condition(let condition):
            guard let negated = condition.op.negation else { return nil }
            return .condition(DomainCondition(path: condition.path, op: negated, value: condition.value))
        }
    }

    private func compileCondition(
        _ condition: DomainCondition, model: ModelDefinition, alias: String, into writer: inout SQLWriter
    ) throws {
        let leaf = LeafText(condition: condition)
        guard let field = model.field(condition.path[0]) else {
            throw ORMError.value("Invalid field \(model.name).\(condition.path[0]) in leaf \(leaf)")
        }
        if let related = field.related {
            // A related field is searched along its path.
            let rewritten = DomainCondition(path: related + condition.path.dropFirst(), op: condition.op, value: condition.value)
            return try compileCondition(rewritten, model: model, alias: alias, into: &writer)
        }
        guard field.store || field.name == "display_name" else {
            throw ORMError.value("Non-stored field \(model.name).\(field.name) cannot be searched in leaf \(leaf)")
        }
        if field.name == "display_name" {
            // display_name is the record name: search it through `rec_name`.
            guard let recName = model.recName else { throw ORMError.value("Invalid field \(model.name).display_name in leaf \(leaf)") }
            let rewritten = DomainCondition(path: [recName] + condition.path.dropFirst(), op: condition.op, value: condition.value)
            return try compileCondition(rewritten, model: model, alias: alias, into: &writer)
        }
        if condition.path.count > 1 {
            guard field.type.comodel != nil else {
                throw ORMError.value("Invalid field \(model.name).\(condition.path[0]) in leaf \(leaf)")
            }
            let rest = Array(condition.path.dropFirst())
            let negative = condition.op.isNegative && condition.op != .notAny
            let inner = Domain.condition(
                DomainCondition(path: rest, op: negative ? condition.op.negation! : condition.op, value: condition.value))
            return try compileRelated(field, inner, negated: negative, model: model, alias: alias, into: &writer)
        }
        try FieldConditionCompiler(compiler: self, field: field, model: model, alias: alias, leaf: leaf)
            .compile(condition.op, condition.value, into: &writer)
    }

    /// `field any subdomain` (or `not any`): records whose related records match.
    func compileRelated(
        _ field: FieldDefinition, _ subdomain: Domain, negated: Bool, model: ModelDefinition, alias: String,
        into writer: inout SQLWriter
    ) throws {
        guard let comodelName = field.type.comodel else {
            throw ORMError.value("Invalid field \(model.name).\(field.name): 'any' needs a relational field")
        }
        let comodel = try registry.model(comodelName)
        let sub = writer.newAlias(for: comodel.table)
        let filtered = Filtered(subdomain: subdomain, rule: try subqueryFilter(comodel))
        switch field.type {
        case .many2one:
            if negated {
                writer.append("(")
                writer.column(alias, field.name)
                writer.append(" IS NULL OR ")
                writer.column(alias, field.name)
                writer.append(" NOT IN (")
            } else {
                writer.column(alias, field.name)
                writer.append(" IN (")
            }
            writer.append("SELECT ")
            writer.column(sub, "id")
            writer.from(comodel.table, as: sub)
            writer.append(" WHERE ")
            try compile(filtered, model: comodel, alias: sub, into: &writer)
            writer.append(negated ? "))" : ")")
        case .one2many(_, let inverse):
            writer.column(alias, "id")
            writer.append(negated ? " NOT IN (SELECT " : " IN (SELECT ")
            writer.column(sub, inverse)
            writer.from(comodel.table, as: sub)
            writer.append(" WHERE ")
            writer.column(sub, inverse)
            writer.append(" IS NOT NULL")
            if !filtered.isAll {
                writer.append(" AND ")
                try compile(filtered, model: comodel, alias: sub, into: &writer)
            }
            writer.append(")")
        case .many2many(_, let relation, let column1, let column2):
            let rel = writer.newAlias(for: relation)
            writer.append(negated ? "NOT EXISTS (SELECT 1 FROM " : "EXISTS (SELECT 1 FROM ")
            writer.identifier(relation)
            writer.append(" AS ")
            writer.identifier(rel)
            writer.append(" WHERE ")
            writer.column(rel, column1)
            writer.append(" = ")
            writer.column(alias, "id")
            writer.append(" AND ")
            writer.column(rel, column2)
            writer.append(" IN (SELECT ")
            writer.column(sub, "id")
            writer.from(comodel.table, as: sub)
            writer.append(" WHERE ")
            try compile(filtered, model: comodel, alias: sub, into: &writer)
            writer.append("))")
        default:
            throw ORMError.value("Invalid field \(model.name).\(field.name): 'any' needs a relational field")
        }
    }
}

extension DomainCompiler {
    /// A client's subdomain on a comodel with the read rule its subquery must also satisfy.
    struct Filtered {
        let subdomain: Domain
        let rule: Domain

        var isAll: Bool { subdomain == .all && rule == .all }
    }

    /// Writes a subquery's condition: the subdomain with this compiler, AND its comodel's rule with
    /// a compiler that filters nothing (a rule is trusted; filtering its own subqueries could loop).
    func compile(_ filtered: Filtered, model: ModelDefinition, alias: String, into writer: inout SQLWriter) throws {
        if filtered.rule == .all { return try compile(filtered.subdomain, model: model, alias: alias, into: &writer) }
        let plain = DomainCompiler(registry: registry)
        if filtered.subdomain == .all { return try plain.compile(filtered.rule, model: model, alias: alias, into: &writer) }
        writer.append("(")
        try compile(filtered.subdomain, model: model, alias: alias, into: &writer)
        writer.append(" AND ")
        try plain.compile(filtered.rule, model: model, alias: alias, into: &writer)
        writer.append(")")
    }
}

/// A leaf as Python prints it (`('name', 'ilike', 'x')`), for error messages: formatted only when
/// a message is actually made, not for every condition compiled.
struct LeafText: CustomStringConvertible, Sendable {
    let condition: DomainCondition

    var description: String {
        PythonRepr.tuple([.string(condition.path.joined(separator: ".")), .string(condition.op.rawValue), condition.value])
    }
}
