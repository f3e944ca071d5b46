/// One column value of one row, as PostgreSQL sent it (text format), valid while its result lives.
public struct PostgresCell {
    /// The column type.
    public let type: PostgresDataType
    /// The raw text bytes, or `nil` for SQL NULL.
    public let bytes: UnsafeBufferPointer<UInt8>?
    /// The column name, for error messages.
    public let columnName: String

    /// Whether the value is SQL NULL.
    public var isNull: Bool { bytes == nil }

    /// The value as text (`nil` for NULL).
    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    func decodingError(_ target: Any.Type) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "cannot decode column \(columnName) (\(type)) as \(target)\(isNull ? ": value is NULL" : "")")
    }

    func requireBytes(_ target: Any.Type) throws -> UnsafeBufferPointer<UInt8> {
        guard let bytes else { throw decodingError(target) }
        return bytes
    }
}

/// A Swift type that can be decoded from a PostgreSQL column value.
public protocol PostgresDecodable {
    /// Decodes the value; throws a ``PostgresError`` with code `.decoding` when it does not fit.
    static func decode(from cell: PostgresCell) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Wrapped? {
        cell.isNull ? nil : try Wrapped.decode(from: cell)
    }
}

extension String: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> String {
        String(decoding: try cell.requireBytes(String.self), as: UTF8.self)
    }
}

extension Bool: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Bool {
        let bytes = try cell.requireBytes(Bool.self)
        guard bytes.count == 1 else { throw cell.decodingError(Bool.self) }
        switch bytes[0] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw cell.decodingError(Bool.self)
        }
    }
}

/// Parses a decimal integer from ASCII bytes without allocating.
func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !bytes.isEmpty else { return nil }
    var index = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") {
        negative = true
        index = 1
    }
    guard index < bytes.count else { return nil }
    var value: Int64 = 0
    while index < bytes.count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = negative
            ? times10.subtractingReportingOverflow(Int64(digit)) : times10.addingReportingOverflow(Int64(digit))
        if o1 || o2 { return nil }
        value = next
        index += 1
    }
    return value
}

extension Int64: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int64 {
        guard let value = parseInteger(try cell.requireBytes(Int64.self)) else { throw cell.decodingError(Int64.self) }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int {
        guard let value = parseInteger(try cell.requireBytes(Int.self)) else { throw cell.decodingError(Int.self) }
        return Int(value)
    }
}

extension Int32: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int32 {
        guard let value = parseInteger(try cell.requireBytes(Int32.self)), let narrow = Int32(exactly: value) else {
            throw cell.decodingError(Int32.self)
        }
        return narrow
    }
}

extension Double: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Double {
        let text = String(decoding: try cell.requireBytes(Double.self), as: UTF8.self)
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw cell.decodingError(Double.self) }
            return value
        }
    }
}

/// The contents of a `bytea` column.
extension PostgresBytes: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> PostgresBytes {
        let bytes = try cell.requireBytes(PostgresBytes.self)
        // Text format of bytea is hex: \x0a1b…
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0
        else { throw cell.decodingError(PostgresBytes.self) }
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else {
                throw cell.decodingError(PostgresBytes.self)
            }
            out.append(high << 4 | low)
            index += 2
        }
        return PostgresBytes(out)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Decodes a one-dimensional array column; elements are decoded from their text.
    public static func decode(from cell: PostgresCell) throws -> [Element] {
        let text = String(decoding: try cell.requireBytes([Element].self), as: UTF8.self)
        let elements = try PostgresArrayLiteral.decode(text)
        return try elements.map { element in
            guard let element else {
                return try Element.decode(from: PostgresCell(type: .text, bytes: nil, columnName: cell.columnName))
            }
            var copy = element
            return try copy.withUTF8 { buffer in
                try Element.decode(from: PostgresCell(type: .text, bytes: buffer, columnName: cell.columnName))
            }
        }
    }
}
