/// A validated JSON-RPC 2.0 request or notification.
public struct RPCRequest: Sendable {
    /// The method name.
    public let method: String
    /// The parameters, or `nil` when the `params` member was absent.
    public let params: RPCParams?
    /// The request id, or `nil` for a notification (no `id` member at all).
    /// An explicit `"id": null` is `.null`, which is a request, not a notification.
    public let id: RPCID?

    /// Creates a request (or a notification when `id` is `nil`).
    public init(method: String, params: RPCParams? = nil, id: RPCID? = nil) {
        self.method = method
        self.params = params
        self.id = id
    }

    /// Whether this is a notification, which must never be answered.
    public var isNotification: Bool { id == nil }

    /// The request as a JSON object, with members in the order jsonrpc, method,
    /// params, id.
    public var json: JSONValue {
        var object = JSONObject()
        object.reserveCapacity(4)
        object.append("jsonrpc", "2.0")
        object.append("method", .string(method))
        if let params { object.append("params", params.json) }
        if let id { object.append("id", id.json) }
        return .object(object)
    }

    /// Validates a JSON value as a request object.
    ///
    /// Rules: the value must be an object; `jsonrpc` must be exactly the string
    /// `"2.0"`; `method` must be a string; `params`, if present, must be an array or
    /// an object; `id`, if present, must be a string, number or `null`. Member names
    /// are case-sensitive and extra members are ignored.
    ///
    /// On failure the result carries the request's id when it could be read
    /// validly, so the "Invalid Request" answer can echo it (and uses `null`
    /// otherwise).
    public static func decode(_ value: JSONValue) -> Result<RPCRequest, RPCRequestDecodingFailure> {
        guard case .object(let object) = value else {
            return .failure(RPCRequestDecodingFailure(id: nil, reason: "The request is not a JSON object"))
        }
        var id: RPCID?
        var idIsValid = true
        if let rawID = object["id"] {
            id = RPCID(json: rawID)
            idIsValid = id != nil
        }
        func fail(_ reason: String) -> Result<RPCRequest, RPCRequestDecodingFailure> {
            .failure(RPCRequestDecodingFailure(id: id, reason: reason))
        }
        guard case .string("2.0")? = object["jsonrpc"] else {
            return fail("The \"jsonrpc\" member must be exactly the string \"2.0\"")
        }
        guard case .string(let method)? = object["method"] else {
            return fail("The \"method\" member must be a string")
        }
        let params: RPCParams?
        switch object["params"] {
        case nil: params = nil
        case .array(let values)?: params = .positional(values)
        case .object(let members)?: params = .named(members)
        default: return fail("The \"params\" member must be an array or an object")
        }
        guard idIsValid else { return fail("The \"id\" member must be a string, a number or null") }
        return .success(RPCRequest(method: method, params: params, id: id))
    }
}

/// Why a JSON value is not a valid JSON-RPC request; answered with
/// ``RPCError/invalidRequest``.
public struct RPCRequestDecodingFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request's id when it was present and valid; `nil` when absent or invalid
    /// (the answer then uses id `null`).
    public let id: RPCID?
    /// A human-readable explanation, for logs (not sent to the client).
    public let reason: String

    /// Creates a decoding failure.
    public init(id: RPCID?, reason: String) {
        self.id = id
        self.reason = reason
    }

    /// The error to send: always ``RPCError/invalidRequest``.
    public var error: RPCError { .invalidRequest }

    /// The id to answer with: ``id`` or `.null`.
    public var responseID: RPCID { id ?? .null }

    /// The ``reason``.
    public var description: String { reason }
}
