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
            let comodel = try env.model(comodelName)
            let target = field.type.isX2Many ? comodel.browse(ids) : comodel.browse(ids).sudo()
            var byID: [Int64: JSONObject] = [:]
            for object in try await target.webRead(subFields) { if let id = object["id"]?.int64Value { byID[id] = object } }
            nested[name] = byID
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
