import JSONRPC
import PostgresDriver

extension RecordSet {
    /// Updates the records (Odoo's `write`): access rights, existence, write rules (before and
    /// after the change), type checks, required fields that may not be emptied, x2many commands;
    /// `write_uid` / `write_date` set.
    public func write(_ values: JSONObject) async throws {
        try await env.checkAccess(.write, on: model)
        try checkSystemOnly(values.keys)
        if ids.isEmpty { return }
        try await checkExistence()
        try await checkRules(.write)
        var writer = SQLWriter()
        writer.append("UPDATE ")
        writer.identifier(model.table)
        writer.append(" SET ")
        var x2many: [(FieldDefinition, JSONValue)] = []
        var related: [(FieldDefinition, JSONValue)] = []
        for (name, value) in values {
            let field = try self.field(name)
            if Self.magicFields.contains(name) { continue }
            try await env.checkFieldAccess(field, of: model, for: .write)
            if field.related != nil {
                related.append((field, value))
                continue
            }
            if field.type.isX2Many {
                x2many.append((field, value))
                continue
            }
            guard field.column != nil else { continue }
            if field.required, FieldValueWriter.isEmpty(value) {
                throw ORMError.validation(
                    "Missing required value for the field '\(field.string)' (\(field.name)) on model '\(model.name)'.")
            }
            writer.identifier(name)
            writer.append(" = ")
            writer.bind(try await FieldValueWriter.bind(value, for: field, model: model, registry: env.registry))
            writer.append(", ")
        }
        writer.append("write_uid = ")
        writer.bind(env.uid)
        writer.append(", write_date = now() AT TIME ZONE 'UTC' WHERE id = ANY(")
        writer.bind(uniqueIDs, cast: "int8[]")
        writer.append(")")
        try await runMapped(writer.query)
        for (field, commands) in x2many {
            for record in uniqueIDs { try await browse([record]).applyX2ManyCommands(field, commands) }
        }
        if !related.isEmpty { try await writeRelated(related) }
        try await recomputeStored(changed: Set(values.keys))
        // The records must still satisfy the write rules afterwards: a write cannot move a record
        // somewhere its writer could not write it (another team, say). The caller's transaction
        // rolls the change back with the error.
        try await checkRules(.write)
    }

    /// Deletes the records (Odoo's `unlink`); a record other records still require is refused
    /// with a readable error, and nothing is deleted.
    public func unlink() async throws {
        try await env.checkAccess(.unlink, on: model)
        if ids.isEmpty { return }
        try await checkExistence()
        try await checkRules(.unlink)
        var writer = SQLWriter()
        writer.append("DELETE FROM ")
        writer.identifier(model.table)
        writer.append(" WHERE id = ANY(")
        writer.bind(uniqueIDs, cast: "int8[]")
        writer.append(")")
        try await runMapped(writer.query)
    }

    /// The subset of the records that still exist (Odoo's `exists`), in order.
    public func exists() async throws -> RecordSet {
        if ids.isEmpty { return self }
        var writer = SQLWriter()
        writer.append("SELECT id FROM ")
        writer.identifier(model.table)
        writer.append(" WHERE id = ANY(")
        writer.bind(uniqueIDs, cast: "int8[]")
        writer.append(")")
        let found = Set(try await readMapped(writer.query).rows.map { try $0.decode(Int64.self, at: 0) })
        return browse(uniqueIDs.filter(found.contains))
    }

    /// Throws Odoo's MissingError when some records do not exist.
    func checkExistence() async throws {
        let existing = try await exists()
        guard existing.ids.count == uniqueIDs.count else {
            let missing = uniqueIDs.filter { !existing.ids.contains($0) }
            let idsText = missing.map(String.init).joined(separator: ", ")
            throw ORMError.missing(
                "Record does not exist or has been deleted.\n(Record: \(model.name)(\(idsText)\(missing.count == 1 ? "," : "")), User: \(env.uid))")
        }
    }

    /// Duplicates the records (Odoo 18's `copy`: a list of new ids), with `overrides` applied;
    /// fields declared `copy: false`, and fields the caller may not read, take their defaults.
    public func copy(overrides: JSONObject = [:]) async throws -> RecordSet {
        var copyable: [FieldDefinition] = []
        for field in model.fieldsInOrder
        where field.copy && !Self.magicFields.contains(field.name) && (field.column != nil || field.type.isX2Many)
            && !field.writeOnly && !field.type.isOne2many
        {
            if try await env.mayRead(field, of: model) { copyable.append(field) }
        }
        let originals = try await read(fields: copyable.map(\.name), load: "_classic_write")
        var valuesList: [JSONObject] = []
        for original in originals {
            var values = JSONObject()
            for field in copyable {
                guard var value = original[field.name] else { continue }
                if case .many2many = field.type { value = [[6, 0, value]] }
                values[field.name] = value
            }
            for (key, value) in overrides { values[key] = value }
            valuesList.append(values)
        }
        return try await create(valuesList)
    }
}
