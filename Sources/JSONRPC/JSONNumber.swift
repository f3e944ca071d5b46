/// A JSON number, stored as its exact literal text.
///
/// Keeping the text (rather than converting to `Double` or `Int64`) means that
/// integers beyond 2^53 and beyond the range of `Int64`, and decimals such as
/// `-0.5e-3`, round-trip digit for digit.
///
/// Equality and hashing compare the literal text, so `1`, `1.0` and `1e0` are
/// three *different* numbers. This is deliberate: a JSON-RPC server must echo a
/// request id exactly as it was sent.
public struct JSONNumber: Sendable, Hashable {
    /// The exact RFC 8259 literal text of the number, for example `"-12.5e3"`.
    public let literal: String

    /// Creates a number from text already known to match the RFC 8259 grammar.
    init(uncheckedLiteral literal: String) {
        self.literal = literal
    }

    /// Creates a number from an integer.
    public init(_ v: Int) {
        self.literal = String(v)
    }

    /// Creates a number from a 64-bit integer.
    public init(_ v: Int64) {
        self.literal = String(v)
    }

    /// Creates a number from a finite `Double`, using the shortest text that
    /// parses back to the same value (integral values keep a `.0`, e.g. `"2.0"`;
    /// very large or small magnitudes use an exponent, e.g. `"1e+20"`).
    ///
    /// - Precondition: `v.isFinite`. JSON has no representation for NaN or
    ///   infinities; passing one is a programmer error.
    public init(_ v: Double) {
        precondition(v.isFinite, "JSONNumber: JSON cannot represent a non-finite Double (\(v))")
        self.literal = v.description
    }

    /// Creates a number from literal text, or returns `nil` when the text does not
    /// match the RFC 8259 number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    /// Leading `+`, leading zeros, `NaN`, `Infinity` and surrounding whitespace are rejected.
    public init?(literal: String) {
        var text = literal
        let valid = text.withUTF8 { buffer in
            JSONNumber.scanLiteral(UnsafeRawBufferPointer(buffer)) == buffer.count && !buffer.isEmpty
        }
        guard valid else { return nil }
        self.literal = text
    }

    /// Whether the literal denotes an integer as written: it has no fraction part
    /// and no negative exponent (`12`, `-0`, `1e3` are integers; `1.0`, `1e-1` are not).
    /// This says nothing about range; see ``int64Value``.
    public var isInteger: Bool {
        Components(literal)?.isIntegral ?? false
    }

    /// The exact value as an `Int64`, or `nil` when the literal has a fraction part
    /// (even `1.0`), a negative exponent, or a value outside the `Int64` range.
    /// Non-negative exponents are applied exactly (`1e3` → 1000).
    public var int64Value: Int64? {
        guard let parts = Components(literal), parts.isIntegral else { return nil }
        return parts.exactInt64()
    }

    /// The exact value as an `Int`, under the same rules as ``int64Value``.
    public var intValue: Int? {
        guard let v = int64Value else { return nil }
        return Int(exactly: v)
    }

    /// The nearest `Double` (may lose precision; magnitudes beyond the `Double`
    /// range become ±infinity, tiny ones become ±0).
    public var doubleValue: Double {
        Double(literal) ?? .nan
    }

    /// Returns the number of leading bytes of `bytes` that form a valid number
    /// literal, or `-1` when the bytes do not start with one. A leading zero followed
    /// by a digit is reported as `-2` so parsers can give a precise message.
    static func scanLiteral(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        var i = 0
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { return -1 }
        let first = bytes[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(bytes[i]) { return -2 }
        } else if isDigit(first) {
            i += 1
            while i < n && isDigit(bytes[i]) { i += 1 }
        } else {
            return -1
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n && isDigit(bytes[i]) else { return -1 }
            while i < n && isDigit(bytes[i]) { i += 1 }
        }
        if i < n && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n && isDigit(bytes[i]) else { return -1 }
            while i < n && isDigit(bytes[i]) { i += 1 }
        }
        return i
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}

extension JSONNumber {
    /// The pieces of a validated literal needed for exact integer conversion.
    private struct Components {
        var negative = false
        var integerDigits: Substring.UTF8View
        var hasFraction = false
        var exponentNegative = false
        /// The exponent, saturated at 10 000 (anything larger is out of range anyway).
        var exponent = 0

        init?(_ literal: String) {
            let utf8 = literal.utf8
            var i = utf8.startIndex
            if i != utf8.endIndex && utf8[i] == UInt8(ascii: "-") {
                negative = true
                i = utf8.index(after: i)
            }
            let digitsStart = i
            while i != utf8.endIndex && JSONNumber.isDigit(utf8[i]) { i = utf8.index(after: i) }
            integerDigits = literal[digitsStart..<i].utf8
            guard !integerDigits.isEmpty else { return nil }
            if i != utf8.endIndex && utf8[i] == UInt8(ascii: ".") {
                hasFraction = true
                return
            }
            guard i != utf8.endIndex else { return }
            i = utf8.index(after: i)  // 'e' or 'E'
            if i != utf8.endIndex && (utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+")) {
                exponentNegative = utf8[i] == UInt8(ascii: "-")
                i = utf8.index(after: i)
            }
            while i != utf8.endIndex {
                exponent = min(exponent * 10 + Int(utf8[i] &- UInt8(ascii: "0")), 10_000)
                i = utf8.index(after: i)
            }
        }

        var isIntegral: Bool { !hasFraction && (!exponentNegative || exponent == 0) }

        func exactInt64() -> Int64? {
            // Accumulate as a negative number so Int64.min is representable.
            var value: Int64 = 0
            for d in integerDigits {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int64(d &- UInt8(ascii: "0")))
                guard !o1 && !o2 else { return nil }
                value = s
            }
            if value != 0 && !exponentNegative {
                for _ in 0..<exponent {
                    let (m, o) = value.multipliedReportingOverflow(by: 10)
                    guard !o else { return nil }
                    value = m
                }
            }
            if negative { return value }
            return value == .min ? nil : -value
        }
    }
}
