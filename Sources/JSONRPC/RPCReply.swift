/// What a transport should send back for one JSON-RPC body.
public enum RPCReply: Sendable, Equatable {
    /// Nothing: the body contained only notifications (an HTTP server typically
    /// answers 204 No Content).
    case none
    /// A single response object (for a single request, or for a body-level error
    /// such as a parse error or an empty batch).
    case single(JSONValue)
    /// A batch answer: the responses to the non-notification members, in request
    /// order. Never empty (an all-notification batch yields ``none``).
    case batch([JSONValue])

    /// The serialised body, or `nil` for ``none``.
    public var body: [UInt8]? {
        switch self {
        case .none:
            return nil
        case .single(let value):
            return value.serialized()
        case .batch(let values):
            var buffer: [UInt8] = []
            buffer.reserveCapacity(64 * values.count + 2)
            buffer.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                value.write(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
            return buffer
        }
    }

    /// The response values in this reply: empty, one, or the batch members.
    public var responses: [JSONValue] {
        switch self {
        case .none: return []
        case .single(let value): return [value]
        case .batch(let values): return values
        }
    }
}
