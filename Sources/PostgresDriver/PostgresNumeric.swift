/// An exact `numeric` value, kept as its decimal text so no precision is lost (money is never a float).
public struct PostgresNumeric: Sendable, Hashable, CustomStringConvertible, PostgresBindable, PostgresDecodable {
    /// The decimal text as PostgreSQL prints it (`-12.50`, `NaN`).
    public let text: String

    /// Wraps decimal text; returns nil when it is not a plain decimal number.
    public init?(_ text: String) {
        var sawDigit = false
        var sawDot = false
        for (index, character) in text.enumerated() {
            switch character {
            case "-" where index == 0, "+" where index == 0: continue
            case "0"..."9": sawDigit = true
            case "." where !sawDot: sawDot = true
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        self.text = text
    }

    /// An exact value from integer minor units (`1250`, scale 2 → `12.50`).
    public init(minorUnits: Int64, scale: Int) {
        let negative = minorUnits < 0
        var digits = String(minorUnits.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        text = (negative ? "-" : "") + digits
    }

    /// The value in integer minor units at `scale` decimals, if it is exactly representable.
    public func minorUnits(scale: Int) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        } else if body.first == "+" {
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts[0].isEmpty ? "0" : String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count > scale, fraction.last == "0" { fraction.removeLast() }
        guard fraction.count <= scale else { return nil }
        fraction += String(repeating: "0", count: scale - fraction.count)
        guard let value = Int64(whole + fraction) else { return nil }
        return negative ? -value : value
    }

    public var description: String { text }
    public var postgresBind: PostgresBind { .text(text) }

    public static func decode(from cell: PostgresCell) throws -> PostgresNumeric {
        guard let text = cell.text, let value = PostgresNumeric(text) else {
            throw cell.decodingError(PostgresNumeric.self)
        }
        return value
    }
}

/// The text of a `json` / `jsonb` column, to be parsed by the layer that knows its JSON types.
public struct PostgresJSONText: Sendable, Hashable, PostgresDecodable, PostgresBindable {
    /// The JSON document.
    public let text: String
    /// Wraps JSON text (cast the placeholder in SQL: `$1::jsonb`).
    public init(_ text: String) { self.text = text }

    public static func decode(from cell: PostgresCell) throws -> PostgresJSONText {
        guard let text = cell.text else { throw cell.decodingError(PostgresJSONText.self) }
        return PostgresJSONText(text)
    }

    public var postgresBind: PostgresBind { .text(text) }
}
