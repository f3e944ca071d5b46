import JSONRPC
import PostgresDriver

extension RecordSet {
    /// `display_name` of each record (one statement), by id.
    public func displayNames() async throws -> [Int64: (Int64, String)] {
        if ids.isEmpty { return [:] }
        var writer = SQLWriter()
        writer.append("SELECT ")
        writer.column(alias, "id")
        writer.append(", " + model.displayNameExpression(alias: alias))
        writer.from(model.table, as: alias)
        writer.append(" WHERE ")
        writer.column(alias, "id", in: uniqueIDs)
        var names: [Int64: (Int64, String)] = [:]
        for row in try await readMapped(writer.query).rows {
            let id = try row.decode(Int64.self, at: 0)
            names[id] = (id, try row.decode(String.self, at: 1))
        }
        return names
    }

    /// Odoo's `name_search`: `[[id, display_name], …]` of records whose name matches.
    public func nameSearch(name: String = "", domain: Domain = .all, operator op: DomainOperator = .ilike, limit: Int? = 100)
        async throws -> [JSONValue]
    {
        var filter = domain
        if !name.isEmpty || op != .ilike {
            guard let recName = model.recName else {
                throw ORMError.value("Model \(model.name) has no name field to search")
            }
            filter = filter && .leaf(recName, op, .string(name))
        }
        let found = try await search(filter, limit: limit)
        let names = try await found.displayNames()
        return found.ids.compactMap { id in
            names[id].map { .array([.number(JSONNumber($0.0)), .string($0.1)]) }
        }
    }
}
