import JSONRPC

/// A public model method callable over RPC (`call_kw`, `execute_kw`), beyond the standard ORM ones.
public struct ModelMethod: Sendable {
    /// Whether `args[0]` is the record ids (record method) or not (`@api.model`).
    public enum Binding: Sendable {
        case model
        case records
    }

    /// The method name.
    public let name: String
    /// How the first argument is read.
    public let binding: Binding
    /// The implementation: the records (empty for model methods), the remaining positional
    /// arguments and the keyword arguments.
    public let body: @Sendable (RecordSet, [JSONValue], JSONObject) async throws -> JSONValue

    /// Declares a method.
    public init(
        _ name: String, binding: Binding,
        body: @escaping @Sendable (RecordSet, [JSONValue], JSONObject) async throws -> JSONValue
    ) {
        self.name = name
        self.binding = binding
        self.body = body
    }
}
