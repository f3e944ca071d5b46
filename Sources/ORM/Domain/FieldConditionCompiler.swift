import JSONRPC
import PostgresDriver

/// Compiles one leaf on one field of the model (no dotted path left).
struct FieldConditionCompiler {
    let compiler: DomainCompiler
    let field: FieldDefinition
    let model: ModelDefinition
    let alias: String
    /// The leaf as Python prints it, for error messages.
    let leaf: LeafText

    func compile(_ op: DomainOperator, _ value: JSONValue, into w: inout SQLWriter) throws {
        if field.type.isX2Many { return try compileX2Many(op, value, into: &w) }
        switch op {
        case .equalIfSet:
            if value.isFalsy { return w.append("TRUE") }
            try compile(.equal, value, into: &w)
        case .equal, .notEqual:
            let positive = op == .equal
            if value.isFalsy {
                return positive ? writeIsNotSet(into: &w) : writeIsSet(into: &w)
            }
            if case .array = value { return try compile(positive ? .in : .notIn, value, into: &w) }
            if case .many2one = field.type, case .string = value {
                return try compileNameSearch(positive ? .equal : .notEqual, value, into: &w)
            }
            let bind = try FieldValueBinder.bind(value, for: field, leaf: leaf)
            if positive {
                column(&w)
                w.append(" = ")
                w.bind(bind)
            } else {
                w.append("(")
                column(&w)
                w.append(" IS NULL OR ")
                column(&w)
                w.append(" != ")
                w.bind(bind)
                w.append(")")
            }
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            if value.isFalsy { return w.append("FALSE") }
            let bind = try FieldValueBinder.bind(value, for: field, leaf: leaf)
            column(&w)
            w.append(" \(op.rawValue) ")
            w.bind(bind)
        case .in, .notIn:
            try compileIn(positive: op == .in, value, into: &w)
        case .like, .notLike, .ilike, .notIlike, .equalLike, .equalIlike:
            try compileLike(op, value, into: &w)
        case .childOf, .parentOf:
            try compileHierarchy(childOf: op == .childOf, value, into: &w)
        case .any, .notAny:
            guard case .many2one = field.type else {
                throw ORMError.value("Invalid leaf \(leaf): 'any' needs a relational field")
            }
            let subdomain = try Domain(json: value)
            try compiler.compileRelated(field, subdomain, negated: op == .notAny, model: model, alias: alias, into: &w)
        }
    }

    private func column(_ w: inout SQLWriter) { w.column(alias, field.name) }

    /// "Not set" as Odoo 18 reads `= False`: NULL, or the type's empty value.
    private func writeIsNotSet(into w: inout SQLWriter) {
        guard let falsy = field.type.falsyLiteral else {
            column(&w)
            return w.append(" IS NULL")
        }
        w.append("(")
        column(&w)
        w.append(" IS NULL OR ")
        column(&w)
        w.append(" = \(falsy))")
    }

    private func writeIsSet(into w: inout SQLWriter) {
        guard let falsy = field.type.falsyLiteral else {
            column(&w)
            return w.append(" IS NOT NULL")
        }
        w.append("(")
        column(&w)
        w.append(" IS NOT NULL AND ")
        column(&w)
        w.append(" != \(falsy))")
    }

    private func compileIn(positive: Bool, _ value: JSONValue, into w: inout SQLWriter) throws {
        let items: [JSONValue]
        switch value {
        case .array(let array): items = array
        default: items = [value]  // Odoo accepts a single value and wraps it.
        }
        if case .many2one = field.type, items.contains(where: { $0.stringValue != nil }) {
            throw ORMError.value("Invalid leaf \(leaf): a many2one compared with 'in' takes ids")
        }
        let includesFalsy = items.contains { $0.isFalsy } && field.type != .boolean
        let values = try items.filter { !$0.isFalsy || field.type == .boolean }.map {
            try FieldValueBinder.text($0, for: field, leaf: leaf)
        }
        if values.isEmpty {
            if includesFalsy { return positive ? writeIsNotSet(into: &w) : writeIsSet(into: &w) }
            return w.append(positive ? "FALSE" : "TRUE")
        }
        if positive {
            if includesFalsy { w.append("(") }
            column(&w)
            w.append(" = ANY(")
            w.bind(values, cast: field.type.arrayCast)
            w.append(")")
            if includesFalsy {
                w.append(" OR ")
                writeIsNotSet(into: &w)
                w.append(")")
            }
        } else {
            w.append("(")
            if includesFalsy {
                writeIsSet(into: &w)
                w.append(" AND ")
            } else {
                column(&w)
                w.append(" IS NULL OR ")
            }
            w.append("NOT (")
            column(&w)
            w.append(" = ANY(")
            w.bind(values, cast: field.type.arrayCast)
            w.append(")))")
        }
    }

    private func compileLike(_ op: DomainOperator, _ value: JSONValue, into w: inout SQLWriter) throws {
        if case .many2one = field.type { return try compileNameSearch(op, value, into: &w) }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number.literal
        case .bool(false), .null:
            // `ilike False` matches records where the field is not set, like Odoo's `=` False.
            return op.isNegative ? writeIsSet(into: &w) : writeIsNotSet(into: &w)
        default: throw ORMError.value("Invalid leaf \(leaf): the value must be a string")
        }
        let pattern = (op == .equalLike || op == .equalIlike) ? text : "%" + text + "%"
        let sqlOperator = (op == .ilike || op == .notIlike || op == .equalIlike) ? "ILIKE" : "LIKE"
        if op.isNegative {
            w.append("(")
            column(&w)
            w.append(" IS NULL OR ")
            column(&w)
            w.append("::text NOT \(sqlOperator) ")
            w.bind(pattern)
            w.append(")")
        } else {
            column(&w)
            w.append("::text \(sqlOperator) ")
            w.bind(pattern)
        }
    }

    /// A many2one compared with a name: search the comodel's record name.
    private func compileNameSearch(_ op: DomainOperator, _ value: JSONValue, into w: inout SQLWriter) throws {
        let comodel = try compiler.registry.model(field.type.comodel!)
        guard let recName = comodel.recName else {
            throw ORMError.value("Invalid leaf \(leaf): \(comodel.name) has no name to search")
        }
        let negative = op.isNegative
        let positiveOp = negative ? op.negation! : op
        let subdomain = Domain.condition(DomainCondition(path: [recName], op: positiveOp, value: value))
        try compiler.compileRelated(field, subdomain, negated: negative, model: model, alias: alias, into: &w)
    }

    private func compileX2Many(_ op: DomainOperator, _ value: JSONValue, into w: inout SQLWriter) throws {
        switch op {
        case .any, .notAny:
            try compiler.compileRelated(field, try Domain(json: value), negated: op == .notAny, model: model, alias: alias, into: &w)
        case .equal, .in, .notEqual, .notIn:
            let positive = op == .equal || op == .in
            if value.isFalsy || value == .array([]) {
                // "has no related records" / "has some".
                return try compiler.compileRelated(field, .all, negated: positive, model: model, alias: alias, into: &w)
            }
            if case .string = value {
                let comodel = try compiler.registry.model(field.type.comodel!)
                guard let recName = comodel.recName else { throw ORMError.value("Invalid leaf \(leaf)") }
                let sub = Domain.condition(DomainCondition(path: [recName], op: .equal, value: value))
                return try compiler.compileRelated(field, sub, negated: !positive, model: model, alias: alias, into: &w)
            }
            let sub = Domain.condition(DomainCondition(path: ["id"], op: .in, value: value))
            try compiler.compileRelated(field, sub, negated: !positive, model: model, alias: alias, into: &w)
        case .like, .ilike, .notLike, .notIlike, .equalLike, .equalIlike:
            let comodel = try compiler.registry.model(field.type.comodel!)
            guard let recName = comodel.recName else { throw ORMError.value("Invalid leaf \(leaf)") }
            let negative = op.isNegative
            let sub = Domain.condition(DomainCondition(path: [recName], op: negative ? op.negation! : op, value: value))
            try compiler.compileRelated(field, sub, negated: negative, model: model, alias: alias, into: &w)
        default:
            throw ORMError.value("Invalid leaf \(leaf): operator \(op.rawValue) does not apply to \(field.type.name) fields")
        }
    }

    /// `child_of` / `parent_of`: the records in the hierarchy under (or above) the given ones.
    private func compileHierarchy(childOf: Bool, _ value: JSONValue, into w: inout SQLWriter) throws {
        let hierarchy: ModelDefinition
        if field.name == "id" {
            hierarchy = model
        } else if case .many2one(let comodel, _) = field.type {
            hierarchy = try compiler.registry.model(comodel)
        } else {
            throw ORMError.value("Invalid leaf \(leaf): child_of and parent_of need the id or a many2one")
        }
        guard let parent = hierarchy.parentName else {
            throw ORMError.value("Invalid leaf \(leaf): \(hierarchy.name) is not a hierarchy")
        }
        let items: [JSONValue] = value.arrayValue ?? [value]
        let ids = try items.filter { !$0.isFalsy }.map { item -> String in
            guard let id = item.int64Value else { throw ORMError.value("Invalid leaf \(leaf): ids must be integers") }
            return String(id)
        }
        if ids.isEmpty { return w.append("FALSE") }
        let rule = try compiler.subqueryFilter(hierarchy)
        if rule != .all {
            return try compileReadableHierarchy(childOf: childOf, hierarchy, parent: parent, ids: ids, rule: rule, into: &w)
        }
        let h = w.newAlias(for: "hierarchy")
        let step = w.newAlias(for: hierarchy.table)
        let table = PostgresQuery.quoteIdentifier(hierarchy.table)
        column(&w)
        w.append(" IN (WITH RECURSIVE ")
        w.identifier(h)
        w.append("(id) AS (SELECT id FROM \(table) WHERE id = ANY(")
        w.bind(ids, cast: "int8[]")
        w.append(") UNION SELECT ")
        if childOf {
            w.column(step, "id")
            w.append(" FROM \(table) AS ")
            w.identifier(step)
            w.append(" JOIN ")
            w.identifier(h)
            w.append(" ON ")
            w.column(step, parent)
            w.append(" = ")
            w.column(h, "id")
        } else {
            w.column(step, parent)
            w.append(" FROM \(table) AS ")
            w.identifier(step)
            w.append(" JOIN ")
            w.identifier(h)
            w.append(" ON ")
            w.column(step, "id")
            w.append(" = ")
            w.column(h, "id")
            w.append(" WHERE ")
            w.column(step, parent)
            w.append(" IS NOT NULL")
        }
        w.append(") SELECT id FROM ")
        w.identifier(h)
        w.append(")")
    }
}

extension FieldConditionCompiler {
    /// `child_of` / `parent_of` walking only the records the caller may read (`rule`): the walk
    /// never goes through, nor answers, a record hidden from the caller.
    fileprivate func compileReadableHierarchy(
        childOf: Bool, _ hierarchy: ModelDefinition, parent: String, ids: [String], rule: Domain, into w: inout SQLWriter
    ) throws {
        let plain = DomainCompiler(registry: compiler.registry)
        let h = w.newAlias(for: "hierarchy")
        let start = w.newAlias(for: hierarchy.table)
        let step = w.newAlias(for: hierarchy.table)
        let reached = w.newAlias(for: hierarchy.table)
        w.column(alias, field.name)
        w.append(" IN (WITH RECURSIVE ")
        w.identifier(h)
        w.append("(id) AS (SELECT ")
        w.column(start, "id")
        w.from(hierarchy.table, as: start)
        w.append(" WHERE ")
        w.column(start, "id")
        w.append(" = ANY(")
        w.bind(ids, cast: "int8[]")
        w.append(") AND ")
        try plain.compile(rule, model: hierarchy, alias: start, into: &w)
        w.append(" UNION SELECT ")
        w.column(step, "id")
        w.from(hierarchy.table, as: step)
        w.append(" JOIN ")
        w.identifier(h)
        w.append(" ON ")
        if childOf {
            w.column(step, parent)
            w.append(" = ")
            w.column(h, "id")
        } else {
            // The step is the parent of a record already reached.
            w.column(step, "id")
            w.append(" = (SELECT ")
            w.column(reached, parent)
            w.append(" FROM ")
            w.identifier(hierarchy.table)
            w.append(" AS ")
            w.identifier(reached)
            w.append(" WHERE ")
            w.column(reached, "id")
            w.append(" = ")
            w.column(h, "id")
            w.append(")")
        }
        w.append(" WHERE ")
        try plain.compile(rule, model: hierarchy, alias: step, into: &w)
        w.append(") SELECT id FROM ")
        w.identifier(h)
        w.append(")")
    }
}

extension JSONValue {
    /// Odoo's falsy domain values: `False` and `None`.
    var isFalsy: Bool {
        switch self {
        case .null, .bool(false): return true
        default: return false
        }
    }
}

extension FieldType {
    /// The empty value that Odoo 18 treats like NULL in `= False` (text: `''`, numbers: `0`, booleans: `FALSE`).
    var falsyLiteral: String? {
        switch self {
        case .char, .text, .html, .selection: return "''"
        case .integer, .float, .monetary: return "0"
        case .boolean: return "FALSE"
        default: return nil
        }
    }
}
