/// String lexing for ``JSONParser``: UTF-8 validation, escapes and surrogate pairs.
extension JSONParserState {
    /// Parses the string whose opening quote is at `pos`, leaving `pos` after the
    /// closing quote.
    ///
    /// Fast path: a string without escapes is validated in place and turned into a
    /// `String` with a single copy.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = pos + 1
        var i = start
        while true {
            guard i < count else { throw failure(.syntax, "Unterminated string starting at", at: pos) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                try checkStringLength(i - start, at: pos)
                pos = i + 1
                return String(decoding: UnsafeBufferPointer(start: bytes + start, count: i - start), as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                return try parseEscapedString(start: start, firstEscape: i)
            } else if b < 0x20 {
                throw failure(.syntax, "Invalid control character at", at: i)
            } else if b < 0x80 {
                i += 1
            } else {
                i = try validateUTF8Sequence(at: i)
            }
        }
    }

    /// Slow path for strings containing escapes: decodes into `scratch`.
    private mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: firstEscape - start))
        var i = firstEscape
        var runStart = i
        while true {
            guard i < count else { throw failure(.syntax, "Unterminated string starting at", at: pos) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + runStart, count: i - runStart))
                try checkStringLength(scratch.count, at: pos)
                pos = i + 1
                return String(decoding: scratch, as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + runStart, count: i - runStart))
                i = try decodeEscape(at: i)
                runStart = i
            } else if b < 0x20 {
                throw failure(.syntax, "Invalid control character at", at: i)
            } else if b < 0x80 {
                i += 1
            } else {
                i = try validateUTF8Sequence(at: i)
            }
        }
    }

    private func checkStringLength(_ length: Int, at offset: Int) throws(JSONParseError) {
        if length > limits.maxStringLength {
            throw failure(.syntax, "String exceeds maximum length of \(limits.maxStringLength) bytes", at: offset)
        }
    }

    /// Decodes the escape whose backslash is at `i`, appending its UTF-8 to
    /// `scratch`; returns the index just past the escape.
    private mutating func decodeEscape(at i: Int) throws(JSONParseError) -> Int {
        guard i + 1 < count else { throw failure(.syntax, "Unterminated string starting at", at: pos) }
        let replacement: UInt8
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): replacement = 0x22
        case UInt8(ascii: "\\"): replacement = 0x5C
        case UInt8(ascii: "/"): replacement = 0x2F
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            return try decodeUnicodeEscape(at: i)
        default:
            throw failure(.syntax, "Invalid \\escape", at: i)
        }
        scratch.append(replacement)
        return i + 2
    }

    /// Decodes `\uXXXX` (and a following low surrogate escape when the first is a
    /// high surrogate) starting at the backslash at `i`.
    private mutating func decodeUnicodeEscape(at i: Int) throws(JSONParseError) -> Int {
        guard let unit = hex4(at: i + 2) else { throw failure(.syntax, "Invalid \\uXXXX escape", at: i) }
        var scalar = UInt32(unit)
        var next = i + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard next + 1 < count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                let low = hex4(at: next + 2), (0xDC00...0xDFFF).contains(low)
            else {
                throw failure(.syntax, "Lone surrogate in \\uXXXX escape", at: i)
            }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            throw failure(.syntax, "Lone surrogate in \\uXXXX escape", at: i)
        default:
            break
        }
        appendUTF8(scalar)
        return next
    }

    /// Reads four hex digits at `i`, or returns `nil`.
    private func hex4(at i: Int) -> UInt16? {
        guard i + 4 <= count else { return nil }
        var value: UInt16 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Appends the UTF-8 encoding of a valid scalar value to `scratch`.
    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Validates the multi-byte UTF-8 sequence whose lead byte (≥ 0x80) is at `i`
    /// and returns the index after it. Rejects overlong forms, surrogates and
    /// values above U+10FFFF (RFC 3629).
    private func validateUTF8Sequence(at i: Int) throws(JSONParseError) -> Int {
        let lead = bytes[i]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw failure(.invalidUTF8, "Invalid UTF-8 byte in string", at: i)
        }
        guard i + length <= count else { throw failure(.invalidUTF8, "Truncated UTF-8 sequence in string", at: i) }
        let second = bytes[i + 1]
        guard second >= secondLow && second <= secondHigh else {
            throw failure(.invalidUTF8, "Invalid UTF-8 sequence in string", at: i)
        }
        var k = 2
        while k < length {
            guard bytes[i + k] & 0xC0 == 0x80 else {
                throw failure(.invalidUTF8, "Invalid UTF-8 sequence in string", at: i)
            }
            k += 1
        }
        return i + length
    }
}
