/// One statement parameter as sent to the server: SQL NULL, text, or binary bytes (used for `bytea`).
public enum PostgresBind: Sendable, Hashable {
    case null
    case text(String)
    case binary([UInt8])
}

/// A Swift value that can travel to PostgreSQL as a statement parameter.
///
/// Values are always sent as parameters (`$1`, `$2`, …), never spliced into SQL text.
public protocol PostgresBindable: Sendable {
    /// The wire form of the value.
    var postgresBind: PostgresBind { get }
}

extension String: PostgresBindable {
    public var postgresBind: PostgresBind { .text(self) }
}
extension Substring: PostgresBindable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}
extension Int: PostgresBindable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}
extension Int64: PostgresBindable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}
extension Int32: PostgresBindable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}
extension Bool: PostgresBindable {
    public var postgresBind: PostgresBind { .text(self ? "t" : "f") }
}
extension Double: PostgresBindable {
    public var postgresBind: PostgresBind {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity") }
        return .text("\(self)")
    }
}
extension Array: PostgresBindable where Element: PostgresArrayElement {
    /// Arrays travel as PostgreSQL array literals (`{1,2,3}`, `{"a","b\"c"}`); cast in SQL when needed (`$1::int8[]`).
    public var postgresBind: PostgresBind { .text(PostgresArrayLiteral.encode(self.map { $0.arrayElementText })) }
}
extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresBind: PostgresBind {
        switch self {
        case .none: return .null
        case .some(let value): return value.postgresBind
        }
    }
}
extension PostgresBind: PostgresBindable {
    public var postgresBind: PostgresBind { self }
}

/// Raw bytes for a `bytea` parameter (sent in binary format).
public struct PostgresBytes: PostgresBindable, Hashable {
    /// The bytes.
    public var bytes: [UInt8]
    /// Wraps bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var postgresBind: PostgresBind { .binary(bytes) }
}

/// A value that can be an element of an array parameter.
public protocol PostgresArrayElement: Sendable {
    /// The element's text inside an array literal (`nil` for NULL).
    var arrayElementText: String? { get }
}
extension Int: PostgresArrayElement { public var arrayElementText: String? { String(self) } }
extension Int64: PostgresArrayElement { public var arrayElementText: String? { String(self) } }
extension String: PostgresArrayElement { public var arrayElementText: String? { self } }
extension Bool: PostgresArrayElement { public var arrayElementText: String? { self ? "t" : "f" } }
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public var arrayElementText: String? { self?.arrayElementText }
}
