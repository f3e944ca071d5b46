import JSONRPC
import PostgresDriver

extension RecordSet {
    /// Applies Odoo's x2many command triples to one record: `(0,0,vals)` create, `(1,id,vals)`
    /// update, `(2,id)` delete, `(3,id)` unlink, `(4,id)` link, `(5,)` unlink all, `(6,0,ids)`
    /// replace. A plain list of ids means replace.
    func applyX2ManyCommands(_ field: FieldDefinition, _ value: JSONValue) async throws {
        guard let record = ids.first else { return }
        guard case .array(let items) = value else {
            throw ORMError.validation("Wrong value for \(model.name).\(field.name): x2many values are command lists")
        }
        let comodel = try env.model(field.type.comodel!)
        if !items.isEmpty, items.allSatisfy({ $0.int64Value != nil }) {
            return try await replace(field, record: record, with: items.compactMap(\.int64Value), comodel: comodel)
        }
        for item in items {
            guard case .array(let command) = item, let code = command.first?.intValue else {
                throw ORMError.validation("Wrong value for \(model.name).\(field.name): \(PythonRepr.of(item))")
            }
            let target = command.count > 1 ? command[1].int64Value : nil
            let values = command.count > 2 ? command[2].objectValue : nil
            switch code {
            case 0:
                var vals = values ?? [:]
                if case .one2many(_, let inverse) = field.type { vals[inverse] = .number(JSONNumber(record)) }
                let created = try await comodel.create([vals])
                if case .many2many = field.type { try await link(field, record: record, targets: created.ids) }
            case 1:
                guard let target, let values else { throw malformed(item, field) }
                try await comodel.browse([target]).write(values)
            case 2:
                guard let target else { throw malformed(item, field) }
                try await comodel.browse([target]).unlink()
            case 3:
                guard let target else { throw malformed(item, field) }
                try await unlinkRelation(field, record: record, targets: [target], comodel: comodel)
            case 4:
                guard let target else { throw malformed(item, field) }
                try await link(field, record: record, targets: [target], comodel: comodel)
            case 5:
                try await unlinkRelation(field, record: record, targets: nil, comodel: comodel)
            case 6:
                guard command.count > 2, case .array(let targets) = command[2] else { throw malformed(item, field) }
                try await replace(field, record: record, with: targets.compactMap(\.int64Value), comodel: comodel)
            default:
                throw malformed(item, field)
            }
        }
    }

    private func malformed(_ item: JSONValue, _ field: FieldDefinition) -> ORMError {
        ORMError.validation("Wrong value for \(model.name).\(field.name): \(PythonRepr.of(item))")
    }

    private func replace(_ field: FieldDefinition, record: Int64, with targets: [Int64], comodel: RecordSet) async throws {
        try await unlinkRelation(field, record: record, targets: nil, comodel: comodel, keeping: targets)
        try await link(field, record: record, targets: targets, comodel: comodel)
    }

    private func link(_ field: FieldDefinition, record: Int64, targets: [Int64], comodel: RecordSet? = nil) async throws {
        if targets.isEmpty { return }
        switch field.type {
        case .one2many(_, let inverse):
            try await (comodel ?? env.model(field.type.comodel!)).browse(targets).write([inverse: .number(JSONNumber(record))])
        case .many2many(_, let relation, let column1, let column2):
            if let comodel { try await comodel.browse(targets).checkExistence() }
            var writer = SQLWriter()
            writer.append("INSERT INTO ")
            writer.identifier(relation)
            writer.append(" (")
            writer.identifier(column1)
            writer.append(", ")
            writer.identifier(column2)
            writer.append(") SELECT ")
            writer.bind(record)
            writer.append(", unnest(")
            writer.bind(targets, cast: "int8[]")
            writer.append(") ON CONFLICT DO NOTHING")
            try await runMapped(writer.query)
        default:
            break
        }
    }

    /// Removes links (all of them when `targets` is nil), except those in `keeping`.
    private func unlinkRelation(
        _ field: FieldDefinition, record: Int64, targets: [Int64]?, comodel: RecordSet, keeping: [Int64] = []
    ) async throws {
        switch field.type {
        case .one2many(_, let inverse):
            let domain: Domain = .leaf(inverse, .equal, .number(JSONNumber(record)))
                && (targets.map { Domain.leaf("id", .in, .array($0.map { .number(JSONNumber($0)) })) } ?? .all)
                && (keeping.isEmpty ? .all : .leaf("id", .notIn, .array(keeping.map { .number(JSONNumber($0)) })))
            let linked = try await comodel.with(env: comodel.env.with(context: ["active_test": false])).search(domain)
            let inverseField = comodel.model.field(inverse)
            if inverseField?.required == true {
                try await linked.unlink()
            } else {
                try await linked.write([inverse: false])
            }
        case .many2many(_, let relation, let column1, let column2):
            var writer = SQLWriter()
            writer.append("DELETE FROM ")
            writer.identifier(relation)
            writer.append(" WHERE ")
            writer.identifier(column1)
            writer.append(" = ")
            writer.bind(record)
            if let targets {
                writer.append(" AND ")
                writer.identifier(column2)
                writer.append(" = ANY(")
                writer.bind(targets, cast: "int8[]")
                writer.append(")")
            }
            if !keeping.isEmpty {
                writer.append(" AND NOT (")
                writer.identifier(column2)
                writer.append(" = ANY(")
                writer.bind(keeping, cast: "int8[]")
                writer.append("))")
            }
            try await runMapped(writer.query)
        default:
            break
        }
    }
}
