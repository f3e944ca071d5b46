/// A JSON-RPC 2.0 error object; also a Swift `Error` that method handlers can
/// throw to send exactly this error to the client.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code (the spec reserves -32768…-32000).
    public var code: Int
    /// A short description of the error.
    public var message: String
    /// Optional additional information, sent as the `data` member.
    public var data: JSONValue?

    /// Creates an error object.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// -32700 "Parse error": the body is not valid JSON.
    public static let parseError = RPCError(code: -32700, message: "Parse error")

    /// -32600 "Invalid Request": the JSON is not a valid request object.
    public static let invalidRequest = RPCError(code: -32600, message: "Invalid Request")

    /// -32601 "Method not found".
    public static let methodNotFound = RPCError(code: -32601, message: "Method not found")

    /// -32602 "Invalid params".
    public static let invalidParams = RPCError(code: -32602, message: "Invalid params")

    /// -32602 "Invalid params" with `detail` as the `data` member.
    public static func invalidParams(_ detail: String) -> RPCError {
        RPCError(code: -32602, message: "Invalid params", data: .string(detail))
    }

    /// -32603 "Internal error".
    public static let internalError = RPCError(code: -32603, message: "Internal error")

    /// The error object: `{"code":…,"message":…}` plus `"data"` when present.
    public var json: JSONValue {
        var object = JSONObject()
        object.reserveCapacity(3)
        object.append("code", JSONValue(code))
        object.append("message", .string(message))
        if let data { object.append("data", data) }
        return .object(object)
    }

    /// A compact rendering of the error object.
    public var description: String { json.jsonString }
}
