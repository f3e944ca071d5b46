import JSONRPC

extension RecordSet {
    /// Odoo's `fields_get`: each field's attributes (`type`, `string`, `required`, `readonly`,
    /// `store`, `relation`, `selection`, …), restricted to `fields` and `attributes` when given
    /// (an empty list means all, as in Odoo). Fields the caller may not read are not described.
    public func fieldsGet(fields names: [String]? = nil, attributes: [String]? = nil) async throws -> JSONObject {
        try await env.checkAccess(.read, on: model)
        var out = JSONObject()
        let wanted = names.flatMap { $0.isEmpty ? nil : Set($0) }
        for field in model.fieldsInOrder where wanted?.contains(field.name) ?? true {
            if try await !env.mayRead(field, of: model) { continue }
            var description = Self.describe(field)
            if let attributes {
                description = JSONObject(description.filter { attributes.contains($0.key) }.map { ($0.key, $0.value) })
            }
            out.append(field.name, .object(description))
        }
        return out
    }

    /// A field's `fields_get` attributes. A write-only field (a password) is described as Odoo
    /// describes its computed password: not stored, not searchable, sortable or groupable.
    static func describe(_ field: FieldDefinition) -> JSONObject {
        let stored = field.store && !field.writeOnly
        var description = JSONObject()
        description.append("type", .string(field.type.name))
        description.append("string", .string(field.string))
        description.append("help", field.help.map(JSONValue.string) ?? false)
        description.append("required", .bool(field.required))
        description.append("readonly", .bool(field.readonly))
        description.append("store", .bool(stored))
        description.append("sortable", .bool(stored && field.column != nil))
        description.append("searchable", .bool(stored || field.name == "display_name"))
        description.append("groupable", .bool(stored && field.column != nil && field.type != .binary && field.type != .text))
        description.append("manual", false)
        description.append("depends", [])
        description.append("company_dependent", false)
        description.append("exportable", true)
        switch field.type {
        case .many2one(let comodel, _):
            description.append("relation", .string(comodel))
            description.append("domain", [])
            description.append("context", [:])
        case .one2many(let comodel, let inverse):
            description.append("relation", .string(comodel))
            description.append("relation_field", .string(inverse))
            description.append("domain", [])
            description.append("context", [:])
        case .many2many(let comodel, let relation, _, _):
            description.append("relation", .string(comodel))
            description.append("relation_table", .string(relation))
            description.append("domain", [])
            description.append("context", [:])
        case .selection(let options):
            description.append("selection", .array(options.map { [.string($0.value), .string($0.label)] }))
        case .integer, .float, .monetary:
            description.append("aggregator", "sum")
        default:
            break
        }
        return description
    }

    /// Odoo's `default_get`: the default of each requested field (context `default_<field>` first).
    public func defaultGet(fields names: [String]) async throws -> JSONObject {
        var out = JSONObject()
        for name in names {
            let field = try self.field(name)
            try await env.checkReadAccess(field, of: model)
            if let value = try await defaultValue(of: field) { out.append(field.name, value) }
        }
        return out
    }
}
