import JSONRPC
import PostgresDriver

/// An exact amount of money in cents. Amounts cross the API as JSON number literals with two
/// decimals (`500.00`) and the database as NUMERIC; no floating point anywhere.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in cents.
    public var cents: Int64

    /// Zero.
    public static let zero = Money(cents: 0)

    /// An amount in cents.
    public init(cents: Int64) { self.cents = cents }

    /// Parses an exact decimal text (`"12"`, `"12.5"`, `"-0.25"`); more than two decimals, an
    /// exponent or an overflow is `nil`.
    public init?(text: String) {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit),
            parts[0].count <= 15
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 2, let units = Int64(parts[0]) else { return nil }
        let cents = units * 100 + (Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0)
        self.cents = negative ? -cents : cents
    }

    /// A JSON number, exactly.
    public init?(_ number: JSONNumber) { self.init(text: number.literal) }

    /// A NUMERIC value, exactly.
    public init?(_ numeric: PostgresNumeric) { self.init(text: numeric.text) }

    /// `"12.50"`.
    public var description: String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = String(magnitude % 100)
        return "\(sign)\(magnitude / 100).\(fraction.count == 1 ? "0" + fraction : fraction)"
    }

    /// The JSON number `12.50`.
    public var json: JSONValue { .number(JSONNumber(literal: description)!) }

    /// The NUMERIC bind.
    public var numeric: PostgresNumeric { PostgresNumeric(description)! }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
