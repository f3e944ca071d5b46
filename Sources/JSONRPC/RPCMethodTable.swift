/// A registry of JSON-RPC method handlers.
///
/// `Context` is whatever per-request state the transport supplies (for example
/// the HTTP session); it is passed to every handler.
public struct RPCMethodTable<Context: Sendable>: Sendable {
    /// A method implementation. It receives the request's params (`nil` when absent)
    /// and the context, and returns the result. Throw ``RPCError`` to send a
    /// specific error; any other error is mapped by the dispatcher (by default to
    /// "Internal error" without exposing its text).
    public typealias Handler = @Sendable (RPCParams?, Context) async throws -> JSONValue

    private var handlers: [String: Handler] = [:]

    /// Creates an empty table.
    public init() {}

    /// Registers `handler` for `name`, replacing any previous handler.
    ///
    /// - Precondition: `name` does not start with `"rpc."`. The JSON-RPC 2.0 spec
    ///   reserves those names for rpc-internal methods, so registering one is a
    ///   programmer error and traps with `preconditionFailure`.
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        if name.hasPrefix("rpc.") {
            preconditionFailure(
                "RPCMethodTable: method names beginning with \"rpc.\" are reserved by JSON-RPC 2.0 (\(name))")
        }
        handlers[name] = handler
    }

    /// The handler for `name`, or `nil` when none is registered. Reserved `rpc.*`
    /// names always return `nil`.
    public func handler(for name: String) -> Handler? {
        if name.hasPrefix("rpc.") { return nil }
        return handlers[name]
    }

    /// The registered method names, sorted.
    public var methodNames: [String] { handlers.keys.sorted() }
}
