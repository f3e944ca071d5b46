import JSONRPC
import PostgresDriver

extension RecordSet {
    /// Reads fields of the records, as Odoo's `read`: one object per record, in the order of the
    /// ids, with `id` first; many2one as `[id, display_name]` (or the id with `load: "_classic_write"`),
    /// x2many as id lists, empty values as `false` (numbers as `0`), write-only fields as `""`.
    ///
    /// The number of statements does not depend on the number of records: one for the columns
    /// (many2one display names joined in), one per x2many field, one per related or computed field.
    public func read(fields names: [String]? = nil, load: String = "_classic_read") async throws -> [JSONObject] {
        try await env.checkAccess(.read, on: model)
        let plan = try await readPlan(names, load: load)  // checks the fields, even with no record
        let ids = uniqueIDs
        if ids.isEmpty { return [] }
        var writer = SQLWriter()
        plan.writeSelect(into: &writer, cache: env.registry.sqlFragments)
        writer.append(" WHERE ")
        writer.column(alias, "id", in: ids)
        writer.append(" AND ")
        try compiler().compile(try await env.ruleDomain(.read, on: model), model: model, alias: alias, into: &writer)
        let rows = try plan.decode(try await readMapped(writer.query)).rows
        if rows.count != ids.count { try await reportUnreadable(ids.filter { rows[$0] == nil }) }
        return try await assemble(plan, rows: rows, ids: ids)
    }

    /// Odoo's `search_read` in one statement: the search's filter, order and page with the read's
    /// columns (and many2one display names), instead of a search followed by a read.
    public func searchRead(
        _ domain: Domain, fields names: [String]? = nil, offset: Int = 0, limit: Int? = nil, order: String? = nil,
        load: String = "_classic_read"
    ) async throws -> [JSONObject] {
        let (plan, result) = try await searchReadStatement(
            domain, fields: names, offset: offset, limit: limit, order: order, load: load)
        if plan.isFlat { return try FlatRowWriter(plan).objects(result) }
        return try await assembleSearchRead(plan, result)
    }

    /// ``searchRead(_:fields:offset:limit:order:load:)`` as the JSON array an RPC answers: when
    /// every field is a column, written straight from the rows into bytes (``JSONValue/encoded(_:)``),
    /// without building the objects; else the assembled objects.
    public func searchReadJSON(
        _ domain: Domain, fields names: [String]? = nil, offset: Int = 0, limit: Int? = nil, order: String? = nil,
        load: String = "_classic_read"
    ) async throws -> JSONValue {
        let (plan, result) = try await searchReadStatement(
            domain, fields: names, offset: offset, limit: limit, order: order, load: load)
        if plan.isFlat { return .encoded(try FlatRowWriter(plan).encoded(result)) }
        return .array(try await assembleSearchRead(plan, result).map(JSONValue.object))
    }

    /// Runs the one search_read statement.
    private func searchReadStatement(
        _ domain: Domain, fields names: [String]?, offset: Int, limit: Int?, order: String?, load: String
    ) async throws -> (ReadPlan, PostgresResult) {
        try await env.checkAccess(.read, on: model)
        let plan = try await readPlan(names, load: load)
        var writer = SQLWriter()
        plan.writeSelect(into: &writer, cache: env.registry.sqlFragments)
        writer.append(" WHERE ")
        try await writeWhere(domain, operation: .read, into: &writer)
        try await writePage(order: order, offset: offset, limit: limit, into: &writer)
        return (plan, try await readMapped(writer.query))
    }

    /// The objects of a plan that is not flat (x2many, related or computed fields).
    private func assembleSearchRead(_ plan: ReadPlan, _ result: PostgresResult) async throws -> [JSONObject] {
        let (rows, ids) = try plan.decode(result)
        if ids.isEmpty { return [] }
        return try await browse(ids).assemble(plan, rows: rows, ids: ids)
    }

    /// Which fields a read returns and how their columns are selected.
    func readPlan(_ names: [String]?, load: String) async throws -> ReadPlan {
        let explicit = names?.isEmpty == false
        var fields: [FieldDefinition] = []
        for name in (explicit ? names! : model.fieldsInOrder.map(\.name)) where name != "id" {
            let field = try self.field(name)
            if explicit {
                try await env.checkReadAccess(field, of: model)
            } else if try await !env.mayRead(field, of: model) {
                continue  // all fields: the ones the caller may not read are left out, as Odoo does
            }
            fields.append(field)
        }
        var nameJoins: [ReadPlan.NameJoin] = []
        if load != "_classic_write" {
            for field in fields where field.column != nil {
                guard case .many2one(let comodelName, _) = field.type else { continue }
                nameJoins.append(ReadPlan.NameJoin(field: field, comodel: try env.registry.model(comodelName)))
            }
        }
        return ReadPlan(model: model, alias: alias, fields: fields, nameJoins: nameJoins)
    }

    /// The records' objects in the order of `ids`, with x2many ids and derived fields added.
    func assemble(_ plan: ReadPlan, rows: [Int64: ReadPlan.Row], ids: [Int64]) async throws -> [JSONObject] {
        let fields = plan.fields
        let x2manyIDs = try await self.x2manyIDs(fields.filter { $0.type.isX2Many && $0.related == nil }, ids: ids)
        // Related and non-stored computed fields, one batch per field.
        var derived: [String: [Int64: JSONValue]] = [:]
        for field in fields where field.column == nil && !field.type.isX2Many && field.name != "display_name" {
            if let path = field.related {
                derived[field.name] = try await browse(ids).relatedValues(path)
            } else if let compute = field.compute {
                derived[field.name] = try await compute.function(browse(ids))
            }
        }
        return ids.map { id in
            let raw = rows[id]!
            var out = JSONObject()
            out.reserveCapacity(fields.count + 1)
            out.append("id", .number(JSONNumber(id)))
            for field in fields {
                let value: JSONValue
                if let values = derived[field.name] {
                    value = Self.readValue(values[id] ?? .null, type: field.type)
                } else if field.type.isX2Many {
                    value = .array((x2manyIDs[field.name]?[id] ?? []).map { .number(JSONNumber($0)) })
                } else if field.writeOnly {
                    value = ""
                } else if case .many2one = field.type, let target = raw.values[field.name]?.int64Value {
                    value = raw.names[field.name].map { .array([.number(JSONNumber(target)), .string($0)]) }
                        ?? .number(JSONNumber(target))
                } else {
                    value = Self.readValue(raw.values[field.name] ?? .null, type: field.type)
                }
                out.append(field.name, value)
            }
            return out
        }
    }

    /// The ids without duplicates, in order.
    var uniqueIDs: [Int64] {
        var seen = Set<Int64>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// Odoo's read form of a stored value: `false` for empty, `0` for empty numbers.
    static func readValue(_ value: JSONValue, type: FieldType) -> JSONValue {
        guard value.isNull else { return value }
        switch type {
        case .integer: return 0
        case .float, .monetary: return .number(JSONNumber(literal: "0.0")!)
        default: return false
        }
    }

    /// Records that could not be read: hidden by rules (AccessError) or gone (MissingError).
    func reportUnreadable(_ missing: [Int64]) async throws {
        var writer = SQLWriter()
        writer.append("SELECT count(*) FROM ")
        writer.identifier(model.table)
        writer.append(" WHERE id = ANY(")
        writer.bind(missing, cast: "int8[]")
        writer.append(")")
        let existing = try await env.transaction.read(writer.query)[0].decode(Int.self, at: 0)
        let idsText = missing.map(String.init).joined(separator: ", ")
        if existing > 0 {
            throw ORMError.access(
                "Due to security restrictions, you are not allowed to access '\(model.description)' (\(model.name)) records.\n\nRecords: \(model.name)(\(idsText)), User: \(env.uid)")
        }
        throw ORMError.missing(
            "Record does not exist or has been deleted.\n(Record: \(model.name)(\(idsText)\(missing.count == 1 ? "," : "")), User: \(env.uid))")
    }

    /// The ids of the related records of x2many fields, one statement per field: only the related
    /// records the caller may read (the comodel's read rules), as Odoo reads x2many fields.
    private func x2manyIDs(_ fields: [FieldDefinition], ids: [Int64]) async throws -> [String: [Int64: [Int64]]] {
        var out: [String: [Int64: [Int64]]] = [:]
        for field in fields {
            let comodel = try env.registry.model(field.type.comodel!)
            let rule = try await env.ruleDomain(.read, on: comodel)
            var writer = SQLWriter()
            let target = writer.newAlias(for: comodel.table)
            switch field.type {
            case .one2many(_, let inverse):
                writer.append("SELECT ")
                writer.column(target, inverse)
                writer.append(", ")
                writer.column(target, "id")
                writer.from(comodel.table, as: target)
                writer.append(" WHERE ")
                writer.column(target, inverse, in: ids)
            case .many2many(_, let relation, let column1, let column2):
                writer.append("SELECT rel.")
                writer.identifier(column1)
                writer.append(", rel.")
                writer.identifier(column2)
                writer.append(" FROM ")
                writer.identifier(relation)
                writer.append(" AS rel JOIN ")
                writer.identifier(comodel.table)
                writer.append(" AS ")
                writer.identifier(target)
                writer.append(" ON ")
                writer.column(target, "id")
                writer.append(" = rel.")
                writer.identifier(column2)
                writer.append(" WHERE rel.")
                writer.identifier(column1)
                writer.append(" = ANY(")
                writer.bind(ids, cast: "int8[]")
                writer.append(")")
            default:
                continue
            }
            if rule != .all {
                writer.append(" AND ")
                try compiler().compile(rule, model: comodel, alias: target, into: &writer)
            }
            try OrderClause(comodel.order, model: comodel).write(alias: target, into: &writer)
            var grouped: [Int64: [Int64]] = [:]
            for row in try await readMapped(writer.query).rows {
                grouped[try row.decode(Int64.self, at: 0), default: []].append(try row.decode(Int64.self, at: 1))
            }
            out[field.name] = grouped
        }
        return out
    }
}
