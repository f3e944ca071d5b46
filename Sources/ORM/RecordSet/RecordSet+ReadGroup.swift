import JSONRPC
import PostgresDriver

extension RecordSet {
    /// Odoo's `read_group`: the matching records grouped by `groupBy` (`"field"` or
    /// `"date_field:day|week|month|quarter|year"`), with a count and the requested aggregates
    /// (`"amount:sum"`, `"total:sum(amount)"`, or a numeric field name for its sum).
    ///
    /// Each group has its values (many2one as `[id, name]`, dates as Odoo's labels such as
    /// `"January 2024"` plus `__range`), `<field>_count` (lazy) or `__count`, `__domain` selecting
    /// the group's records, and with `lazy` the remaining group-bys in `__context.group_by`.
    public func readGroup(
        _ domain: Domain, fields: [String], groupBy: [String], offset: Int = 0, limit: Int? = nil, orderBy: String? = nil,
        lazy: Bool = true
    ) async throws -> [JSONObject] {
        try await env.checkAccess(.read, on: model)
        let groups = try (lazy ? Array(groupBy.prefix(1)) : groupBy).map { try GroupSpec($0, model: model) }
        let aggregates = try fields.compactMap { try AggregateSpec($0, model: model) }
            .filter { spec in !groups.contains { $0.field.name == spec.field.name } }
        for field in groups.map(\.field) + aggregates.map(\.field) {
            try await env.checkFieldAccess(field, of: model, for: .group)
        }

        var writer = SQLWriter()
        writer.append("SELECT ")
        for (index, group) in groups.enumerated() {
            writer.append(group.valueExpression(alias: alias) + " AS \"g\(index)\", ")
            writer.append(group.labelExpression(alias: alias) + " AS \"l\(index)\", ")
        }
        writer.append("count(*)")
        for aggregate in aggregates { writer.append(", " + aggregate.expression(alias: alias)) }
        writer.from(model.table, as: alias)
        writer.append(" WHERE ")
        try await writeWhere(domain, operation: .read, into: &writer)
        if !groups.isEmpty {
            writer.append(" GROUP BY " + groups.indices.map { "\"g\($0)\", \"l\($0)\"" }.joined(separator: ", "))
            writer.append(" ORDER BY " + (try groupOrder(orderBy, groups: groups, aggregates: aggregates)))
        }
        writer.page(limit: limit, offset: offset)
        let result = try await readMapped(writer.query)

        // Display names of the many2one group values, one statement per comodel.
        var names: [Int: [Int64: (Int64, String)]] = [:]
        for (index, group) in groups.enumerated() {
            guard case .many2one(let comodel, _) = group.field.type else { continue }
            let ids = try result.rows.compactMap { try $0.decode(Int64?.self, at: index * 2) }
            names[index] = try await env.model(comodel).browse(ids).sudo().displayNames()
        }
        let countColumn = groups.count * 2
        return try result.rows.map { row in
            var out = JSONObject()
            var groupDomain = domain
            for (index, group) in groups.enumerated() {
                let (value, condition, range) = try group.read(row: row, at: index * 2, names: names[index])
                out.append(group.spec, value)
                groupDomain = groupDomain && condition
                if let range { out.append("__range", .object(JSONObject([(group.spec, range)]))) }
            }
            let count = JSONValue.number(JSONNumber(try row.decode(Int64.self, at: countColumn)))
            out.append(lazy && !groups.isEmpty ? "\(groups[0].field.name)_count" : "__count", count)
            for (index, aggregate) in aggregates.enumerated() {
                out.append(aggregate.alias, try aggregate.read(row: row, at: countColumn + 1 + index))
            }
            out.append("__domain", groupDomain.json)
            if lazy, groupBy.count > 1 { out.append("__context", ["group_by": .array(groupBy.dropFirst().map { .string($0) })]) }
            return out
        }
    }

    private func groupOrder(_ orderBy: String?, groups: [GroupSpec], aggregates: [AggregateSpec]) throws -> String {
        guard let orderBy, !orderBy.isEmpty else { return groups.indices.map { "\"g\($0)\"" }.joined(separator: ", ") }
        var terms: [String] = []
        for part in orderBy.split(separator: ",") {
            let words = part.split(separator: " ").map(String.init)
            guard let name = words.first else { continue }
            let direction = words.count > 1 && words[1].lowercased() == "desc" ? " DESC" : ""
            if let index = groups.firstIndex(where: { $0.spec == name || $0.field.name == name }) {
                terms.append("\"g\(index)\"\(direction)")
            } else if name == "__count" || name.hasSuffix("_count") {
                terms.append("count(*)\(direction)")
            } else if aggregates.contains(where: { $0.alias == name }) {
                terms.append("\(PostgresQuery.quoteIdentifier(name))\(direction)")
            } else {
                throw ORMError.value("Invalid order \(PythonRepr.quote(orderBy)) for read_group")
            }
        }
        return terms.joined(separator: ", ")
    }
}

/// One `groupby` entry.
struct GroupSpec {
    let spec: String
    let field: FieldDefinition
    let granularity: String?

    init(_ spec: String, model: ModelDefinition) throws {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        guard let field = model.field(parts[0]), field.column != nil, field.type != .binary else {
            throw ORMError.value("Invalid field \(PythonRepr.quote(parts[0])) on model \(PythonRepr.quote(model.name))")
        }
        let granularity = parts.count > 1 ? parts[1] : nil
        if let granularity {
            guard field.type == .date || field.type == .datetime,
                ["day", "week", "month", "quarter", "year"].contains(granularity)
            else { throw ORMError.value("Invalid granularity \(PythonRepr.quote(granularity)) for \(field.name)") }
        }
        self.spec = spec
        self.field = field
        self.granularity = (field.type == .date || field.type == .datetime) ? (granularity ?? "month") : nil
    }

    private func column(_ alias: String) -> String {
        PostgresQuery.quoteIdentifier(alias) + "." + PostgresQuery.quoteIdentifier(field.name)
    }

    /// The grouped value: the column, or the first day of the period.
    func valueExpression(alias: String) -> String {
        guard let granularity else { return column(alias) }
        return "to_char(date_trunc('\(granularity)', \(column(alias))), 'YYYY-MM-DD')"
    }

    /// Odoo's label of a date period (`01 Jan 2024`, `W01 2024`, `January 2024`, `Q1 2024`, `2024`).
    func labelExpression(alias: String) -> String {
        guard let granularity else { return "NULL::text" }
        let start = "date_trunc('\(granularity)', \(column(alias)))"
        switch granularity {
        case "day": return "to_char(\(start), 'DD Mon YYYY')"
        case "week": return "'W' || to_char(\(start), 'IW IYYY')"
        case "quarter": return "'Q' || to_char(\(start), 'Q YYYY')"
        case "year": return "to_char(\(start), 'YYYY')"
        default: return "to_char(\(start), 'FMMonth YYYY')"
        }
    }

    /// The group's value for the answer, the condition selecting its records, and the date range.
    func read(row: PostgresRow, at index: Int, names: [Int64: (Int64, String)]?) throws -> (JSONValue, Domain, JSONValue?) {
        if row.isNull(at: index) { return (false, .leaf(field.name, .equal, false), nil) }
        if let granularity {
            let start = try row.decode(String.self, at: index)
            let end = Self.periodEnd(start, granularity: granularity)
            let condition = Domain.leaf(field.name, .greaterOrEqual, .string(start)) && .leaf(field.name, .less, .string(end))
            return (.string(try row.decode(String.self, at: index + 1)), condition, ["from": .string(start), "to": .string(end)])
        }
        let value = try FieldColumnCodec.decode(field, row: row, at: index)
        if case .many2one = field.type, let id = value.int64Value {
            let name = names?[id]?.1 ?? ""
            return ([.number(JSONNumber(id)), .string(name)], .leaf(field.name, .equal, value), nil)
        }
        return (value, .leaf(field.name, .equal, value), nil)
    }

    /// The first day after the period starting at `start` (`YYYY-MM-DD`).
    static func periodEnd(_ start: String, granularity: String) -> String {
        guard let date = PostgresDate(start) else { return start }
        var (y, m, d) = (date.year, date.month, date.day)
        switch granularity {
        case "day", "week":
            let days = PostgresTimestamp.daysFromCivil(year: y, month: m, day: d) + (granularity == "day" ? 1 : 7)
            (y, m, d) = PostgresTimestamp.civilFromDays(days)
        case "quarter":
            m += 3
        case "year":
            y += 1
        default:
            m += 1
        }
        if m > 12 {
            m -= 12
            y += 1
        }
        return PostgresDate(year: y, month: m, day: d).description
    }
}

/// One aggregate of `fields`: `name:agg(field)`, `field:agg`, or a numeric field (its sum).
struct AggregateSpec {
    let alias: String
    let field: FieldDefinition
    let function: String

    init?(_ spec: String, model: ModelDefinition) throws {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        var fieldName = parts[0]
        var function: String?
        if parts.count > 1 {
            let body = parts[1]
            if let open = body.firstIndex(of: "("), body.hasSuffix(")") {
                function = String(body[..<open])
                fieldName = String(body[body.index(after: open)..<body.index(before: body.endIndex)])
            } else {
                function = body
            }
        }
        if fieldName == "__count" || fieldName == "id" && function == nil { return nil }
        guard let field = model.field(fieldName), field.column != nil else {
            throw ORMError.value("Invalid field \(PythonRepr.quote(fieldName)) on model \(PythonRepr.quote(model.name))")
        }
        if function == nil {
            guard field.type.isNumeric else { return nil }  // Odoo ignores fields without an aggregator
            function = "sum"
        }
        let allowed = ["sum", "avg", "min", "max", "count", "count_distinct", "bool_and", "bool_or", "array_agg"]
        guard let function, allowed.contains(function) else {
            throw ORMError.value("Invalid aggregation function \(PythonRepr.quote(function ?? ""))")
        }
        self.alias = parts[0]
        self.field = field
        self.function = function
    }

    func expression(alias tableAlias: String) -> String {
        let column = PostgresQuery.quoteIdentifier(tableAlias) + "." + PostgresQuery.quoteIdentifier(field.name)
        switch function {
        case "count_distinct": return "count(DISTINCT \(column))"
        case "array_agg": return "array_agg(\(column))::text"
        case "count": return "count(\(column))"
        case "avg": return "avg(\(column))::text"
        default: return "\(function)(\(column))" + (field.type == .monetary ? "::text" : "")
        }
    }

    func read(row: PostgresRow, at index: Int) throws -> JSONValue {
        if row.isNull(at: index) { return function == "count" || function == "count_distinct" ? 0 : false }
        switch function {
        case "count", "count_distinct": return .number(JSONNumber(try row.decode(Int64.self, at: index)))
        case "bool_and", "bool_or": return .bool(try row.decode(Bool.self, at: index))
        case "avg":
            let text = try row.decode(String.self, at: index)
            return JSONNumber(literal: text).map(JSONValue.number) ?? .string(text)
        case "array_agg": return .string(try row.decode(String.self, at: index))
        default: return try FieldColumnCodec.decode(field, row: row, at: index)
        }
    }
}

extension Domain {
    /// The domain in Odoo's list form (for `__domain`); `[]` matches everything.
    public var json: JSONValue {
        if case .constant(true) = self { return [] }
        return .array(term)
    }

    /// The domain as exactly one prefix-notation term.
    private var term: [JSONValue] {
        switch self {
        case .constant(let value): return [[value ? 1 : 0, "=", 1]]
        case .condition(let condition):
            return [[.string(condition.path.joined(separator: ".")), .string(condition.op.rawValue), condition.value]]
        case .not(let inner): return ["!"] + inner.term
        case .and(let parts), .or(let parts):
            guard !parts.isEmpty else { return Domain.constant({ if case .and = self { return true } else { return false } }()).term }
            let op: JSONValue = { if case .and = self { return "&" } else { return "|" } }()
            return Array(repeating: op, count: parts.count - 1) + parts.flatMap(\.term)
        }
    }
}
