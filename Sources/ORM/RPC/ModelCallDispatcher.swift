import JSONRPC

/// Calls a model method the way Odoo's `call_kw` does: model-level methods take `args` as their
/// positional parameters; record methods take the ids as `args[0]`; `create` takes one values
/// object (→ an id) or a list (→ a list of ids). Methods whose names start with `_` are refused.
public struct ModelCallDispatcher: Sendable {
    /// Creates the dispatcher.
    public init() {}

    /// The generic methods that only read: before their first statement they compute nothing but
    /// SQL (access rights and rules, the statement itself), and models cannot override them (the
    /// generic methods are dispatched before a model's own).
    public static let readMethods: Set<String> = [
        "search", "search_count", "search_read", "read", "exists", "name_search", "fields_get", "web_search_read",
        "web_read", "read_group", "check_access_rights", "has_access", "check_access", "copy_data",
    ]

    /// Runs `method` of `modelName` with the client's `args` and `kwargs` in `env`.
    public func call(
        env: ORMEnvironment, model modelName: String, method: String, args: [JSONValue], kwargs: JSONObject
    ) async throws -> JSONValue {
        if method.hasPrefix("_") || method == "init" {
            throw ORMError.access("Private methods (such as \(method)) cannot be called remotely.")
        }
        let records = try env.model(modelName)
        let call = MethodCall(records: records, args: args, kwargs: kwargs, method: method)
        switch method {
        case "search": return try await call.search()
        case "search_count": return try await call.searchCount()
        case "search_read": return try await call.searchRead()
        case "read": return try await call.read()
        case "create": return try await call.create()
        case "write": return try await call.write()
        case "unlink": return try await call.unlink()
        case "exists": return try await call.exists()
        case "copy": return try await call.copy()
        case "copy_data": return try await call.copyData()
        case "name_search": return try await call.nameSearch()
        case "fields_get": return try await call.fieldsGet()
        case "web_search_read": return try await call.webSearchRead()
        case "web_read": return try await call.webRead()
        case "read_group": return try await call.readGroup()
        case "default_get": return try await call.defaultGet()
        case "check_access_rights": return try await call.checkAccessRights()
        case "has_access", "check_access": return try await call.hasAccess(raising: method == "check_access")
        default:
            guard let custom = env.registry.method(method, of: modelName) else {
                throw ORMError(.attributeError, "The method '\(method)' does not exist on the model '\(modelName)'")
            }
            switch custom.binding {
            case .model:
                return try await custom.body(records, args, kwargs)
            case .records:
                let ids = try MethodCall.ids(args.first)
                return try await custom.body(records.browse(ids), Array(args.dropFirst()), kwargs)
            }
        }
    }
}
