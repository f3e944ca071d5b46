/// A strict RFC 8259 JSON parser working directly on UTF-8 bytes.
///
/// Rules enforced:
/// - exactly one top-level value, with only whitespace (space, tab, CR, LF) around it;
/// - no trailing commas, comments, `NaN`/`Infinity`, leading zeros or leading `+`;
/// - strings must be valid UTF-8 without raw control characters (< 0x20), with full
///   escape support; `\uXXXX` surrogate pairs are combined and a lone surrogate is an error;
/// - a member name repeated within one object is an error of kind `.duplicateKey`;
/// - nesting deeper than ``Limits/maxDepth`` fails immediately with `.depthLimit`.
///
/// Recursion depth is bounded by `maxDepth`, so keep that limit modest (the default
/// of 128 is safe on any thread stack).
public struct JSONParser {
    /// Resource limits applied while parsing.
    public struct Limits: Sendable {
        /// Maximum nesting depth of arrays and objects (the top-level container is depth 1).
        public var maxDepth: Int
        /// Maximum length of a single string (or member name) in encoded UTF-8 bytes.
        /// Exceeding it is reported as a `.syntax` error.
        public var maxStringLength: Int

        /// Creates limits; the defaults are a depth of 128 and unlimited string length.
        public init(maxDepth: Int = 128, maxStringLength: Int = .max) {
            self.maxDepth = maxDepth
            self.maxStringLength = maxStringLength
        }
    }

    /// Parses one JSON text from raw UTF-8 bytes.
    ///
    /// The buffer is only read during the call.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: Limits = .init()
    ) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONParseError(kind: .empty, offset: 0, message: "Expecting value: line 1 column 1 (char 0)")
        }
        var state = JSONParserState(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, limits: limits)
        return try state.parseDocument()
    }

    /// Parses one JSON text from a byte array.
    public static func parse(_ bytes: [UInt8], limits: Limits = .init()) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) -> JSONValue in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    /// Parses one JSON text from a string (using its UTF-8 encoding).
    public static func parse(_ text: String, limits: Limits = .init()) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(UnsafeRawBufferPointer(buffer), limits: limits)
            }
        }
        return try result.get()
    }
}

/// The mutable cursor of one parse. Byte access is unchecked; every read is
/// guarded by an explicit `pos < count` test.
struct JSONParserState {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let limits: JSONParser.Limits
    var pos = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(bytes: UnsafePointer<UInt8>, count: Int, limits: JSONParser.Limits) {
        self.bytes = bytes
        self.count = count
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard pos < count else { throw failure(.empty, "Expecting value", at: pos) }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard pos == count else { throw failure(.syntax, "Extra data", at: pos) }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    /// Parses the value starting at `pos` (which must not be whitespace).
    /// `depth` is the nesting depth of the enclosing container (0 at top level).
    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard pos < count else { throw failure(.syntax, "Expecting value", at: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"):
            try expectKeyword("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectKeyword("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectKeyword("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw failure(.syntax, "Expecting value", at: pos)
        }
    }

    mutating func expectKeyword(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard count - pos >= n else { throw failure(.syntax, "Expecting value", at: pos) }
        let w = word.utf8Start
        for i in 0..<n where bytes[pos + i] != w[i] {
            throw failure(.syntax, "Expecting value", at: pos)
        }
        pos += n
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = pos
        let n = JSONNumber.scanLiteral(UnsafeRawBufferPointer(start: bytes + start, count: count - start))
        if n == -2 { throw failure(.syntax, "Leading zeros are not allowed", at: start) }
        if n < 0 {
            let bareMinus = bytes[start] == UInt8(ascii: "-")
                && (start + 1 == count || !JSONNumber.isDigit(bytes[start + 1]))
            throw failure(.syntax, bareMinus ? "Expecting value" : "Invalid number", at: start)
        }
        pos = start + n
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: n), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: text)
    }

    mutating func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > limits.maxDepth {
            throw failure(.depthLimit, "Maximum nesting depth of \(limits.maxDepth) exceeded", at: pos)
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        pos += 1  // '['
        skipWhitespace()
        var elements: [JSONValue] = []
        if pos < count && bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < count else { throw failure(.syntax, "Expecting ',' delimiter", at: pos) }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                let comma = pos
                pos += 1
                skipWhitespace()
                if pos < count && bytes[pos] == UInt8(ascii: "]") {
                    throw failure(.syntax, "Illegal trailing comma before end of array", at: comma)
                }
            case UInt8(ascii: "]"):
                pos += 1
                return .array(elements)
            default:
                throw failure(.syntax, "Expecting ',' delimiter", at: pos)
            }
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        pos += 1  // '{'
        skipWhitespace()
        var object = JSONObject()
        if pos < count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return .object(object)
        }
        while true {
            guard pos < count, bytes[pos] == UInt8(ascii: "\"") else {
                throw failure(.syntax, "Expecting property name enclosed in double quotes", at: pos)
            }
            let keyOffset = pos
            let key = try parseString()
            if object.contains(key: key) {
                throw failure(.duplicateKey, "Duplicate key \(Self.quoted(key))", at: keyOffset)
            }
            skipWhitespace()
            guard pos < count, bytes[pos] == UInt8(ascii: ":") else {
                throw failure(.syntax, "Expecting ':' delimiter", at: pos)
            }
            pos += 1
            skipWhitespace()
            object.append(key, try parseValue(depth: depth))
            skipWhitespace()
            guard pos < count else { throw failure(.syntax, "Expecting ',' delimiter", at: pos) }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                let comma = pos
                pos += 1
                skipWhitespace()
                if pos < count && bytes[pos] == UInt8(ascii: "}") {
                    throw failure(.syntax, "Illegal trailing comma before end of object", at: comma)
                }
            case UInt8(ascii: "}"):
                pos += 1
                return .object(object)
            default:
                throw failure(.syntax, "Expecting ',' delimiter", at: pos)
            }
        }
    }

    /// A short, quoted rendering of a member name for error messages.
    static func quoted(_ key: String) -> String {
        let limit = 64
        if key.utf8.count <= limit { return JSONValue.string(key).jsonString }
        return JSONValue.string(String(key.prefix(limit)) + "…").jsonString
    }

    /// Builds an error with a Python-style position suffix.
    func failure(_ kind: JSONParseError.Kind, _ what: String, at offset: Int) -> JSONParseError {
        var line = 1
        var lineStart = 0
        let end = min(offset, count)
        var i = 0
        while i < end {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        let column = offset - lineStart + 1
        return JSONParseError(
            kind: kind, offset: offset, message: "\(what): line \(line) column \(column) (char \(offset))")
    }
}
