import JSONRPC

/// One RPC call's arguments, read with Odoo's signatures (positional or keyword, either way).
struct MethodCall {
    let records: RecordSet
    let args: [JSONValue]
    let kwargs: JSONObject
    let method: String

    /// The parameter at `position` (or named `name`); `nil` when absent or `null`.
    func argument(_ position: Int, _ name: String, alias: String? = nil) -> JSONValue? {
        if position < args.count, !args[position].isNull { return args[position] }
        if let value = kwargs[name], !value.isNull { return value }
        if let alias, let value = kwargs[alias], !value.isNull { return value }
        return nil
    }

    func required(_ position: Int, _ name: String) throws -> JSONValue {
        guard let value = argument(position, name) else {
            throw ORMError.type("\(method)() missing 1 required positional argument: '\(name)'")
        }
        return value
    }

    func domain(_ position: Int, _ name: String = "domain", alias: String? = nil) throws -> Domain {
        guard let value = argument(position, name, alias: alias) else { return .all }
        return try Domain(json: value)
    }

    func integer(_ position: Int, _ name: String) throws -> Int? {
        guard let value = argument(position, name) else { return nil }
        if value == .bool(false) { return nil }
        guard let integer = value.intValue else { throw ORMError.type("'\(name)' must be an integer") }
        return integer
    }

    func string(_ position: Int, _ name: String) throws -> String? {
        guard let value = argument(position, name) else { return nil }
        if value == .bool(false) { return nil }
        guard let string = value.stringValue else { throw ORMError.type("'\(name)' must be a string") }
        return string
    }

    func strings(_ position: Int, _ name: String) throws -> [String]? {
        guard let value = argument(position, name) else { return nil }
        if value == .bool(false) { return nil }
        if let single = value.stringValue { return [single] }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw ORMError.type("'\(name)' must be a list of field names")
        }
        return items.compactMap(\.stringValue)
    }

    /// Ids as Odoo accepts them for record methods: a list of ints or a single int.
    static func ids(_ value: JSONValue?) throws -> [Int64] {
        guard let value else { throw ORMError.type("missing the record ids (args[0])") }
        if let single = value.int64Value { return [single] }
        guard let items = value.arrayValue else { throw ORMError.type("the record ids must be a list of integers") }
        return try items.map { item in
            guard let id = item.int64Value else { throw ORMError.type("the record ids must be a list of integers") }
            return id
        }
    }

    var recordIDs: [Int64] { get throws { try Self.ids(args.first ?? kwargs["ids"]) } }

    /// Arguments after the ids, for record methods.
    var recordCall: MethodCall {
        MethodCall(records: records, args: Array(args.dropFirst()), kwargs: kwargs, method: method)
    }

    static func idList(_ records: RecordSet) -> JSONValue { .array(records.ids.map { .number(JSONNumber($0)) }) }

    // MARK: The standard methods

    func search() async throws -> JSONValue {
        let found = try await records.search(
            try domain(0), offset: try integer(1, "offset") ?? 0, limit: try integer(2, "limit"),
            order: try string(3, "order"))
        return Self.idList(found)
    }

    func searchCount() async throws -> JSONValue {
        .number(JSONNumber(try await records.searchCount(try domain(0), limit: try integer(1, "limit"))))
    }

    func searchRead() async throws -> JSONValue {
        try await records.searchReadJSON(
            try domain(0), fields: try strings(1, "fields"), offset: try integer(2, "offset") ?? 0,
            limit: try integer(3, "limit"), order: try string(4, "order"), load: try string(5, "load") ?? "_classic_read")
    }

    func read() async throws -> JSONValue {
        let rest = recordCall
        let rows = try await records.browse(try recordIDs).read(
            fields: try rest.strings(0, "fields"), load: try rest.string(1, "load") ?? "_classic_read")
        return .array(rows.map(JSONValue.object))
    }

    func create() async throws -> JSONValue {
        let value = try required(0, "vals_list")
        switch value {
        case .object(let values):
            return .number(JSONNumber(try await records.create([values]).ids[0]))
        case .array(let list):
            let valuesList = try list.map { item -> JSONObject in
                guard let object = item.objectValue else { throw ORMError.type("create() takes a dict or a list of dicts") }
                return object
            }
            return Self.idList(try await records.create(valuesList))
        default:
            throw ORMError.type("create() takes a dict or a list of dicts")
        }
    }

    func write() async throws -> JSONValue {
        guard let values = try recordCall.required(0, "vals").objectValue else {
            throw ORMError.type("write() takes a dict of values")
        }
        try await records.browse(try recordIDs).write(values)
        return true
    }

    func unlink() async throws -> JSONValue {
        try await records.browse(try recordIDs).unlink()
        return true
    }

    func exists() async throws -> JSONValue {
        Self.idList(try await records.browse(try recordIDs).exists())
    }

    func copy() async throws -> JSONValue {
        let overrides = recordCall.argument(0, "default")?.objectValue ?? [:]
        return Self.idList(try await records.browse(try recordIDs).copy(overrides: overrides))
    }

    func copyData() async throws -> JSONValue {
        let overrides = recordCall.argument(0, "default")?.objectValue ?? [:]
        return .array(try await records.browse(try recordIDs).copyData(overrides: overrides).map(JSONValue.object))
    }

    func nameSearch() async throws -> JSONValue {
        let opText = try string(2, "operator") ?? "ilike"
        guard let op = DomainOperator(text: opText) else { throw ORMError.value("Invalid operator \(PythonRepr.quote(opText))") }
        let limit = argument(3, "limit") == .bool(false) ? nil : (try integer(3, "limit") ?? 100)
        return .array(
            try await records.nameSearch(
                name: try string(0, "name") ?? "", domain: try domain(1, "domain", alias: "args"), operator: op,
                limit: limit))
    }

    func fieldsGet() async throws -> JSONValue {
        // Clients send `{}` for "no attribute filter" too (aio-odoorpc's `fields_get([], {})`).
        let attributes = argument(1, "attributes")?.objectValue?.isEmpty == true ? nil : try strings(1, "attributes")
        return .object(try await records.fieldsGet(fields: try strings(0, "allfields"), attributes: attributes))
    }

    func specification(_ position: Int) throws -> JSONObject {
        guard let spec = try required(position, "specification").objectValue else {
            throw ORMError.type("'specification' must be a dict of fields")
        }
        return spec
    }

    func webSearchRead() async throws -> JSONValue {
        .object(
            try await records.webSearchRead(
                try domain(0), specification: try specification(1), offset: try integer(2, "offset") ?? 0,
                limit: try integer(3, "limit"), order: try string(4, "order"), countLimit: try integer(5, "count_limit")))
    }

    func webRead() async throws -> JSONValue {
        let rows = try await records.browse(try recordIDs).webRead(try recordCall.specification(0))
        return .array(rows.map(JSONValue.object))
    }

    func readGroup() async throws -> JSONValue {
        guard let fields = try strings(1, "fields"), let groupBy = try strings(2, "groupby") else {
            throw ORMError.type("read_group() missing required positional arguments: 'fields' and 'groupby'")
        }
        let groups = try await records.readGroup(
            try domain(0), fields: fields, groupBy: groupBy, offset: try integer(3, "offset") ?? 0,
            limit: try integer(4, "limit"), orderBy: try string(5, "orderby"), lazy: argument(6, "lazy")?.boolValue ?? true)
        return .array(groups.map(JSONValue.object))
    }

    func defaultGet() async throws -> JSONValue {
        guard let fields = try strings(0, "fields_list") else {
            throw ORMError.type("default_get() missing 1 required positional argument: 'fields_list'")
        }
        return .object(try await records.defaultGet(fields: fields))
    }

    func checkAccessRights() async throws -> JSONValue {
        guard let name = try string(0, "operation"), let operation = AccessOperation(rawValue: name) else {
            throw ORMError.value("Invalid access mode")
        }
        let raise = argument(1, "raise_exception")?.boolValue ?? true
        do {
            try await records.env.checkAccess(operation, on: records.model)
            return true
        } catch let error as ORMError where !raise && error.kind == .accessError {
            return false
        }
    }

    func hasAccess(raising: Bool) async throws -> JSONValue {
        let rest = recordCall
        guard let name = try rest.string(0, "operation"), let operation = AccessOperation(rawValue: name) else {
            throw ORMError.value("Invalid access mode")
        }
        let target = records.browse(try recordIDs)
        do {
            try await target.env.checkAccess(operation, on: target.model)
            try await target.checkRules(operation)
            return raising ? .null : true
        } catch let error as ORMError where !raising && error.kind == .accessError {
            return false
        }
    }
}
