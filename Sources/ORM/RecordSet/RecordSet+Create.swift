import JSONRPC
import PostgresDriver

extension RecordSet {
    /// Creates one record per values object (Odoo's `create`): defaults (declared, or
    /// `default_<field>` in the context) fill missing fields, required fields are checked, x2many
    /// commands are applied, and the new records must satisfy the create record rules.
    public func create(_ valuesList: [JSONObject]) async throws -> RecordSet {
        try await env.checkAccess(.create, on: model)
        var created: [Int64] = []
        for values in valuesList {
            try checkSystemOnly(values.keys)
            created.append(try await insert(try await createLinkedRecords(try await withDefaults(values))))
        }
        let records = browse(created)
        try await records.recomputeStored(changed: nil)
        try await records.checkRules(.create)
        return records
    }

    /// The values with defaults added for the fields the client did not give.
    func withDefaults(_ values: JSONObject) async throws -> JSONObject {
        var complete = values
        for field in model.fieldsInOrder where complete[field.name] == nil {
            if let value = try await defaultValue(of: field) { complete[field.name] = value }
        }
        return complete
    }

    /// A field's default: the context's `default_<field>`, the declared value, or the declared
    /// function's value for the caller.
    func defaultValue(of field: FieldDefinition) async throws -> JSONValue? {
        if let contextDefault = env.context["default_" + field.name] { return contextDefault }
        if let value = field.defaultValue { return value }
        return try await field.defaultFunction?(env)
    }

    private func insert(_ values: JSONObject) async throws -> Int64 {
        var columns: [String] = []
        var binds: [PostgresBind] = []
        var x2many: [(FieldDefinition, JSONValue)] = []
        for (name, value) in values {
            let field = try self.field(name)
            if Self.magicFields.contains(name) { continue }
            try await env.checkFieldAccess(field, of: model, for: .write)
            if field.type.isX2Many {
                x2many.append((field, value))
                continue
            }
            guard field.column != nil else { continue }
            columns.append(name)
            binds.append(try await FieldValueWriter.bind(value, for: field, model: model, registry: env.registry))
        }
        for field in model.fieldsInOrder where field.required && field.column != nil && !Self.magicFields.contains(field.name) {
            if FieldValueWriter.isEmpty(values[field.name]) {
                throw ORMError.validation(
                    "Missing required value for the field '\(field.string)' (\(field.name)) on model '\(model.name)'.")
            }
        }
        var writer = SQLWriter()
        writer.append("INSERT INTO ")
        writer.identifier(model.table)
        writer.append(" (")
        for column in columns {
            writer.identifier(column)
            writer.append(", ")
        }
        writer.append("create_uid, write_uid, create_date, write_date) VALUES (")
        for bind in binds {
            writer.bind(bind)
            writer.append(", ")
        }
        writer.bind(env.uid)
        writer.append(", ")
        writer.bind(env.uid)
        writer.append(", now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') RETURNING id")
        let id = try await runMapped(writer.query)[0].decode(Int64.self, at: 0)
        for (field, commands) in x2many {
            try await browse([id]).applyX2ManyCommands(field, commands)
        }
        return id
    }

    /// Throws AccessError when a user (not `sudo`) gives a value for a ``FieldDefinition/isSystemOnly`` field.
    func checkSystemOnly(_ names: some Sequence<String>) throws {
        if env.isSuperuser { return }
        for name in names {
            guard let field = model.field(name), field.isSystemOnly else { continue }
            throw ORMError.access(
                "The field '\(field.name)' on \(model.description) (\(model.name)) records is set by the server only.")
        }
    }

    /// Fields the ORM maintains itself; client values for them are ignored.
    static let magicFields: Set<String> = ["id", "display_name", "create_uid", "create_date", "write_uid", "write_date"]

    /// Throws Odoo's AccessError unless every record satisfies the operation's record rules.
    func checkRules(_ operation: AccessOperation) async throws {
        if env.isSuperuser || ids.isEmpty { return }
        let rule = try await env.ruleDomain(operation, on: model)
        if rule == .all { return }
        var writer = SQLWriter()
        writer.append("SELECT count(*)")
        writer.from(model.table, as: alias)
        writer.append(" WHERE ")
        writer.column(alias, "id", in: uniqueIDs)
        writer.append(" AND ")
        try compiler().compile(rule, model: model, alias: alias, into: &writer)
        let allowed = try await readMapped(writer.query)[0].decode(Int.self, at: 0)
        if allowed != uniqueIDs.count {
            throw ORMError.access(
                "Due to security restrictions, you are not allowed to \(operation.verb) '\(model.description)' (\(model.name)) records.")
        }
    }
}
