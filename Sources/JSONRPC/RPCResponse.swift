/// A JSON-RPC 2.0 response: an id and either a result or an error, never both.
public struct RPCResponse: Sendable, Hashable {
    /// The id of the request being answered (`.null` when it could not be determined).
    public let id: RPCID
    /// The result on success, the error object on failure.
    public let outcome: Result<JSONValue, RPCError>

    /// Creates a response.
    public init(id: RPCID, outcome: Result<JSONValue, RPCError>) {
        self.id = id
        self.outcome = outcome
    }

    /// A successful response.
    public static func success(id: RPCID, result: JSONValue) -> RPCResponse {
        RPCResponse(id: id, outcome: .success(result))
    }

    /// An error response.
    public static func failure(id: RPCID, error: RPCError) -> RPCResponse {
        RPCResponse(id: id, outcome: .failure(error))
    }

    /// The response object, with members in the order `jsonrpc`, `id`, then
    /// `result` or `error`.
    public var json: JSONValue {
        var object = JSONObject()
        object.reserveCapacity(3)
        object.append("jsonrpc", "2.0")
        object.append("id", id.json)
        switch outcome {
        case .success(let result): object.append("result", result)
        case .failure(let error): object.append("error", error.json)
        }
        return .object(object)
    }
}
