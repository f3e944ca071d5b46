import JSONRPC

extension RecordSet {
    /// Odoo 17/18's `web_read(specification)`: the records shaped by a specification such as
    /// `{"name": {}, "partner_id": {"fields": {"display_name": {}}}, "child_ids": {"fields": {"name": {}}}}`.
    ///
    /// Plain fields read as in `read`; a many2one without a sub-specification is its id (or
    /// `false`), with one it is an object of the requested fields plus `id`; an x2many without one
    /// is its ids, with one a list of such objects (`limit` and `order` honoured). Nested reads
    /// are batched per field, so the statement count does not grow with the number of records.
    public func webRead(_ specification: JSONObject) async throws -> [JSONObject] {
        let names = specification.keys.filter { $0 != "id" }
        let rows = try await read(fields: names, load: "_classic_write")
        var nested: [String: [Int64: JSONObject]] = [:]
        for name in names {
            let field = try self.field(name)
            guard let comodelName = field.type.comodel, let sub = specification[name]?.objectValue,
                let subFields = sub["fields"]?.objectValue
            else { continue }
            var ids: [Int64] = []
            for row in rows {
                if let id = row[name]?.int64Value { ids.append(id) }
                if let list = row[name]?.arrayValue { ids += list.compactMap(\.int64Value) }
            }
            nested[name] = try await env.model(comodelName).browse(ids).nestedWebRead(subFields)
        }
        return rows.map { row in
            var out = JSONObject()
            out.append("id", row["id"]!)
            for name in names {
                let value = row[name] ?? false
                guard let byID = nested[name] else {
                    out.append(name, value)
                    continue
                }
                if let list = value.arrayValue {
                    var objects = list.compactMap { $0.int64Value.flatMap { byID[$0] } }.map(JSONValue.object)
                    if let limit = specification[name]?["limit"]?.intValue { objects = Array(objects.prefix(limit)) }
                    out.append(name, .array(objects))
                } else if let id = value.int64Value, let object = byID[id] {
                    out.append(name, .object(object))
                } else {
                    out.append(name, false)
                }
            }
            return out
        }
    }

    /// The objects of a nested specification, by id, read with the caller's rights: like Odoo,
    /// only `display_name` is read as the server (a many2one's name is shown even when its record
    /// is not readable); a record the caller may not read gives `{id, display_name}` alone.
    private func nestedWebRead(_ specification: JSONObject) async throws -> [Int64: JSONObject] {
        let ids = uniqueIDs
        if ids.isEmpty { return [:] }
        var rest = specification
        rest["display_name"] = nil
        // The fields are checked even when no record turns out readable.
        for name in rest.keys where name != "id" { try await env.checkReadAccess(try field(name), of: model) }
        var read: [Int64: JSONObject] = [:]
        if !rest.isEmpty {
            var context = env.context
            context["active_test"] = false  // an archived record is still shown where it is referenced
            let readable = try await with(env: env.with(context: context))
                .search(.leaf("id", .in, .array(ids.map { .number(JSONNumber($0)) })))
            for object in try await readable.webRead(rest) {
                if let id = object["id"]?.int64Value { read[id] = object }
            }
        }
        let names = specification.contains(key: "display_name") ? try await sudo().displayNames() : [:]
        var byID: [Int64: JSONObject] = [:]
        for id in ids {
            var object: JSONObject = ["id": .number(JSONNumber(id))]
            for key in specification.keys where key != "id" {
                if key == "display_name" {
                    if let name = names[id]?.1 { object.append(key, .string(name)) }
                } else if let value = read[id]?[key] {
                    object.append(key, value)
                }
            }
            byID[id] = object
        }
        return byID
    }

    /// Odoo 17/18's `web_search_read`: `{"length": total, "records": [...]}` for a page of the
    /// matching records shaped by `specification`. `length` is the number of all matching records
    /// (capped at `countLimit` when given).
    public func webSearchRead(
        _ domain: Domain, specification: JSONObject, offset: Int = 0, limit: Int? = nil, order: String? = nil,
        countLimit: Int? = nil
    ) async throws -> JSONObject {
        let found = try await search(domain, offset: offset, limit: limit, order: order)
        let records = try await found.webRead(specification)
        var length = offset + found.ids.count
        if let limit, found.ids.count >= limit || offset > 0 {
            length = try await searchCount(domain, limit: countLimit)
        }
        return ["length": .number(JSONNumber(length)), "records": .array(records.map(JSONValue.object))]
    }
}
