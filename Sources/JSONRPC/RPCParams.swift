/// The `params` member of a JSON-RPC 2.0 request: by position or by name.
public enum RPCParams: Sendable, Hashable {
    /// Parameters given as a JSON array.
    case positional([JSONValue])
    /// Parameters given as a JSON object.
    case named(JSONObject)

    /// The parameter at `index` for positional params, or the member `name` for
    /// named params; `nil` when absent.
    public func value(at index: Int, named name: String) -> JSONValue? {
        switch self {
        case .positional(let values):
            // Not a ternary: `cond ? values[index] : nil` would turn `nil` into `JSONValue.null`.
            guard values.indices.contains(index) else { return nil }
            return values[index]
        case .named(let object):
            return object[name]
        }
    }

    /// The number of parameters supplied.
    public var count: Int {
        switch self {
        case .positional(let values): return values.count
        case .named(let object): return object.count
        }
    }

    /// The params as a JSON value (an array or an object).
    public var json: JSONValue {
        switch self {
        case .positional(let values): return .array(values)
        case .named(let object): return .object(object)
        }
    }
}
