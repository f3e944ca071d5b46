import PostgresDriver
import JSONRPC

/// How the application API writes values: timestamps in ISO 8601 UTC (`2026-01-22T10:00:00Z`),
/// Odoo's `false` for empty values turned into `null` or `""` as the API's types expect.
public enum APIFormat {
    /// `"2026-01-22 10:00:00"` (the ORM's UTC datetime) → `"2026-01-22T10:00:00Z"`; `false` → `null`.
    public static func timestamp(_ value: JSONValue?) -> JSONValue {
        // `YYYY-MM-DD HH:MM:SS` (ASCII) → `YYYY-MM-DDTHH:MM:SSZ`, by bytes (no Character walk).
        guard let utf8 = value?.stringValue?.utf8, utf8.count >= 19 else { return .null }
        var out = ""
        out.reserveCapacity(20)
        out += Substring(utf8.prefix(10))
        out += "T"
        out += Substring(utf8.dropFirst(11).prefix(8))
        out += "Z"
        return .string(out)
    }

    /// A string field: Odoo's `false` → `""`.
    public static func text(_ value: JSONValue?) -> JSONValue {
        value?.stringValue.map(JSONValue.string) ?? ""
    }

    /// A nullable string: Odoo's `false` → `null`.
    public static func optionalText(_ value: JSONValue?) -> JSONValue {
        value?.stringValue.map(JSONValue.string) ?? .null
    }

    /// A many2one `[id, name]` → its id, or `null`.
    public static func many2oneID(_ value: JSONValue?) -> Int64? {
        value?.arrayValue?.first?.int64Value ?? value?.int64Value
    }

    /// A URL slug: lower-case letters, digits and dashes (`"My CRM!"` → `"my-crm"`).
    public static func slug(_ name: String, maxLength: Int = 32) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        let clipped = String(out.prefix(maxLength))
        return clipped.isEmpty ? "app" : clipped
    }
}

extension APIFormat {
    /// An exact amount as a JSON number with two decimals (`500.00`, `0.00`), never through
    /// floating point; `nil` is `0.00`. A value with more decimals than cents (not a column of
    /// money) keeps its literal rather than be rounded.
    public static func money(_ value: PostgresNumeric?) -> JSONValue {
        guard let value else { return Money.zero.json }
        if let amount = Money(value) { return amount.json }
        return JSONNumber(literal: value.text).map(JSONValue.number) ?? Money.zero.json
    }

    /// An ORM monetary / numeric value (an exact JSON number) with two decimals, or `0.00`.
    public static func money(_ value: JSONValue?) -> JSONValue {
        guard case .number(let number) = value else { return Money.zero.json }
        return Money(number)?.json ?? .number(number)
    }
}
