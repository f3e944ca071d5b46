import JSONRPC
import PostgresDriver

extension RecordSet {
    /// The values of a related field for the records, as `read` answers them, one statement per
    /// hop whatever the number of records. Related fields are read as superuser, as in Odoo.
    func relatedValues(_ path: [String]) async throws -> [Int64: JSONValue] {
        let records = sudo()
        guard path.count > 1 else {
            let rows = try await records.read(fields: path)
            return Dictionary(uniqueKeysWithValues: rows.compactMap { row in row["id"]?.int64Value.map { ($0, row[path[0]] ?? false) } })
        }
        let hop = try field(path[0])
        guard case .many2one(let comodelName, _) = hop.type else {
            throw ORMError.value("Related path \(path.joined(separator: ".")) on \(model.name) must go through many2one fields")
        }
        let links = try await records.read(fields: [path[0]], load: "_classic_write")
        var targetOf: [Int64: Int64] = [:]
        for row in links {
            if let id = row["id"]?.int64Value, let target = row[path[0]]?.int64Value { targetOf[id] = target }
        }
        let comodel = try env.model(comodelName).browse(Array(Set(targetOf.values)))
        let values = try await comodel.relatedValues(Array(path.dropFirst()))
        var out: [Int64: JSONValue] = [:]
        for id in uniqueIDs { out[id] = targetOf[id].flatMap { values[$0] } ?? false }
        return out
    }

    /// Writes related fields through to the related records (paths of two steps).
    func writeRelated(_ values: [(FieldDefinition, JSONValue)]) async throws {
        var byHop: [String: JSONObject] = [:]
        for (field, value) in values {
            guard let path = field.related, path.count == 2 else {
                throw ORMError.validation("The field \(field.name) on \(model.name) cannot be written")
            }
            byHop[path[0], default: [:]][path[1]] = value
        }
        for (hop, hopValues) in byHop {
            guard case .many2one(let comodelName, _) = try field(hop).type else { continue }
            let links = try await sudo().read(fields: [hop], load: "_classic_write")
            let targets = links.compactMap { $0[hop]?.int64Value }
            try await env.model(comodelName).browse(targets).sudo().write(hopValues)
        }
    }

    /// For create: related values whose link is not given create the linked record first, as
    /// Odoo's delegation does (a user created with a `name` gets its partner).
    func createLinkedRecords(_ values: JSONObject) async throws -> JSONObject {
        var completed = values
        var pending: [String: JSONObject] = [:]
        for (name, value) in values {
            guard let field = model.field(name), let path = field.related, path.count == 2 else { continue }
            completed[name] = nil
            if values[path[0]] == nil || values[path[0]] == .bool(false) {
                pending[path[0], default: [:]][path[1]] = value
            }
        }
        for (hop, hopValues) in pending {
            guard case .many2one(let comodelName, _) = try field(hop).type else { continue }
            let created = try await env.model(comodelName).sudo().create([hopValues])
            completed[hop] = .number(JSONNumber(created.ids[0]))
        }
        return completed
    }

    /// Recomputes stored computed fields of the records (after create, or a write touching a dependency).
    func recomputeStored(changed: Set<String>?) async throws {
        for field in model.fieldsInOrder where field.column != nil {
            guard let compute = field.compute else { continue }
            if let changed, changed.isDisjoint(with: compute.depends) { continue }
            let values = try await compute.function(self)
            for (id, value) in values {
                var writer = SQLWriter()
                writer.append("UPDATE ")
                writer.identifier(model.table)
                writer.append(" SET ")
                writer.identifier(field.name)
                writer.append(" = ")
                writer.bind(try FieldValueWriter.bind(value, for: field, model: model))
                writer.append(" WHERE id = ")
                writer.bind(id)
                try await runMapped(writer.query)
            }
        }
    }
}
