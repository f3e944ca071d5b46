/// Compact JSON serialisation.
///
/// Output has no insignificant whitespace, object members appear in stored order,
/// numbers are written from their literal text, and non-ASCII characters are kept
/// as raw UTF-8. Only `"`, `\` and control characters are escaped (`\n`, `\t`,
/// `\r`, `\b`, `\f`, otherwise `\u00XX`); runs of bytes that need no escaping are
/// copied in bulk.
extension JSONValue {
    /// Returns the compact UTF-8 serialisation of this value.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        write(into: &buffer)
        return buffer
    }

    /// Appends the compact UTF-8 serialisation of this value to `buffer`.
    public func write(into buffer: inout [UInt8]) {
        switch self {
        case .null:
            JSONWriter.appendStatic("null", to: &buffer)
        case .bool(let b):
            JSONWriter.appendStatic(b ? "true" : "false", to: &buffer)
        case .number(let n):
            var literal = n.literal
            literal.withUTF8 { buffer.append(contentsOf: $0) }
        case .string(let s):
            JSONWriter.writeString(s, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                element.write(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in object {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                value.write(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        case .encoded(let encoded):
            buffer.append(contentsOf: encoded.bytes)
        }
    }

    /// The compact serialisation as a `String`.
    public var jsonString: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value (same as ``jsonString``).
    public var description: String { jsonString }
}

/// The serialiser's byte-level pieces, shared with the writers that build an ``EncodedJSON``
/// straight from their source (they must produce exactly what ``JSONValue/write(into:)`` would).
public enum JSONWriter {
    /// Appends the bytes of a static ASCII string.
    @inline(__always)
    public static func appendStatic(_ s: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Writes `s` as a quoted, escaped JSON string.
    public static func writeString(_ s: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        // withUTF8 also serves small (inline) strings, from the stack, without allocating.
        var text = s
        text.withUTF8 { writeEscaped($0, into: &buffer) }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes the escaped form of already-valid UTF-8 bytes, copying clean runs in bulk.
    public static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if runStart < i {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            }
            appendEscape(for: b, into: &buffer)
            i += 1
            runStart = i
        }
        if runStart < n {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private static func appendEscape(for b: UInt8, into buffer: inout [UInt8]) {
        let short: UInt8
        switch b {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x09: short = UInt8(ascii: "t")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        default:
            let hex = hexDigits.utf8Start
            appendStatic("\\u00", to: &buffer)
            buffer.append(hex[Int(b >> 4)])
            buffer.append(hex[Int(b & 0x0F)])
            return
        }
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(short)
    }
}
