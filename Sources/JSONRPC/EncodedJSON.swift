/// One JSON value already serialised, compactly, by one of the server's own writers: a large answer
/// (a page of records) is written straight from its source into bytes instead of being built as a
/// tree of ``JSONValue``s first, and the serialiser splices the bytes in as they are.
///
/// It stands for the value its bytes parse to: ``JSONValue``'s equality, hashing and accessors see
/// that value, so a caller cannot tell `.encoded` from the tree it replaces except by cost (reading
/// it back parses it).
public struct EncodedJSON: Sendable {
    /// The compact UTF-8 serialisation: exactly one complete JSON value.
    public let bytes: [UInt8]

    /// Wraps bytes that a writer of this server produced with ``JSONWriter``. They are not checked
    /// here: invalid bytes would reach the client as they are (tests parse what each writer makes).
    public init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Serialises `value` (for callers that must answer the same way when there is no fast path).
    public init(_ value: JSONValue) {
        bytes = value.serialized()
    }

    /// The value the bytes stand for (parsed on every call). Bytes that do not parse are a bug in
    /// their writer: debug builds (the tests) stop on it, a release server reads them as `null`
    /// rather than crash.
    public var value: JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            assertionFailure("EncodedJSON holds invalid JSON: \(error)")
            return .null
        }
    }
}
