/// A JSON value as defined by RFC 8259.
///
/// Numbers keep their exact literal text (see ``JSONNumber``) and objects keep
/// their member order (see ``JSONObject``). Values can be written with Swift
/// literals:
///
/// ```swift
/// let v: JSONValue = ["jsonrpc": "2.0", "result": [1, 2.5, true, nil]]
/// ```
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered members.
    case object(JSONObject)
    /// A value already serialised by one of the server's writers; it compares, hashes and reads as
    /// the value it encodes (see ``EncodedJSON``).
    case encoded(EncodedJSON)

    /// The value itself, with ``encoded(_:)`` parsed into its tree.
    public var resolved: JSONValue {
        if case .encoded(let encoded) = self { return encoded.value }
        return self
    }
}

extension JSONValue: Hashable {
    /// Values are equal when they encode the same JSON (``encoded(_:)`` compares as its value).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.encoded(let encoded), _): return encoded.value == rhs
        case (_, .encoded(let encoded)): return lhs == encoded.value
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let n): hasher.combine(2); hasher.combine(n)
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        case .encoded(let encoded): encoded.value.hash(into: &hasher)
        }
    }
}

// MARK: - Convenience initialisers

extension JSONValue {
    /// Creates a number value from an integer.
    public init(_ int: Int) { self = .number(JSONNumber(int)) }

    /// Creates a number value from a 64-bit integer (record ids).
    public init(_ int: Int64) { self = .number(JSONNumber(int)) }

    /// Creates a string value.
    public init(_ s: String) { self = .string(s) }

    /// Creates a number value from a finite `Double` (see `JSONNumber.init(_: Double)`; non-finite values are a programmer error).
    public init(_ d: Double) { self = .number(JSONNumber(d)) }

    /// Creates a boolean value.
    public init(_ b: Bool) { self = .bool(b) }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    /// Creates `null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates a boolean value from `true` / `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates a number value from an integer literal.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates a number value from a floating-point literal.
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates a string value from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates an array value from an array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates an object value from a dictionary literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The string, if this is a string value.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .encoded(let e): return e.value.stringValue
        default: return nil
        }
    }

    /// The boolean, if this is a boolean value.
    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .encoded(let e): return e.value.boolValue
        default: return nil
        }
    }

    /// The number, if this is a number value.
    public var numberValue: JSONNumber? {
        switch self {
        case .number(let n): return n
        case .encoded(let e): return e.value.numberValue
        default: return nil
        }
    }

    /// The integer, if this is a number that is an exact integer fitting in `Int`
    /// (see ``JSONNumber/intValue``).
    public var intValue: Int? { numberValue?.intValue }

    /// The integer, if this is a number that is an exact integer fitting in `Int64`.
    public var int64Value: Int64? { numberValue?.int64Value }

    /// The nearest `Double`, if this is a number value.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The elements, if this is an array value.
    public var arrayValue: [JSONValue]? {
        switch self {
        case .array(let a): return a
        case .encoded(let e): return e.value.arrayValue
        default: return nil
        }
    }

    /// The object, if this is an object value.
    public var objectValue: JSONObject? {
        switch self {
        case .object(let o): return o
        case .encoded(let e): return e.value.objectValue
        default: return nil
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        switch self {
        case .null: return true
        case .encoded(let e): return e.value.isNull
        default: return false
        }
    }

    /// The member named `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, if this is an array and the index is in range.
    public subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}
