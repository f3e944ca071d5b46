/// A JSON-RPC 2.0 request id: a string, a number or `null`.
///
/// Numbers keep their exact literal text, so an id such as `9007199254740993` or
/// `1.0` is echoed back digit for digit.
public enum RPCID: Sendable, Hashable {
    /// A string id.
    case string(String)
    /// A numeric id, kept as its literal text.
    case number(JSONNumber)
    /// The `null` id (sent by clients, or used when the request's id is unknown).
    case null

    /// Creates an id from a JSON value, or returns `nil` when the value is not a
    /// string, number or `null`.
    public init?(json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .number(let n): self = .number(n)
        case .null: self = .null
        case .encoded(let encoded): self.init(json: encoded.value)
        case .bool, .array, .object: return nil
        }
    }

    /// Creates a numeric id from an integer.
    public init(_ int: Int) {
        self = .number(JSONNumber(int))
    }

    /// Creates a string id.
    public init(_ string: String) {
        self = .string(string)
    }

    /// The id as a JSON value.
    public var json: JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .null: return .null
        }
    }
}
