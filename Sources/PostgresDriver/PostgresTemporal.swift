import Foundation

/// A calendar date (`date` column), with no time zone.
public struct PostgresDate: Sendable, Hashable, Comparable, CustomStringConvertible, PostgresBindable {
    public var year: Int
    public var month: Int
    public var day: Int

    /// A date from its parts (not validated beyond what the server checks on insert).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD`, as Odoo serialises dates.
    public var description: String {
        var text = ""
        appendDate(year: year, month: month, day: day, to: &text)
        return text
    }

    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var postgresBind: PostgresBind { .text(description) }
}

extension PostgresDate: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> PostgresDate {
        guard let text = cell.text, let date = PostgresDate(text) else { throw cell.decodingError(PostgresDate.self) }
        return date
    }
}

extension Date: PostgresDecodable, PostgresBindable {
    /// Decodes `timestamp` (taken as UTC) and `timestamptz` (the session time zone is UTC) columns.
    public static func decode(from cell: PostgresCell) throws -> Date {
        guard let text = cell.text, let date = PostgresTimestamp.parse(text) else { throw cell.decodingError(Date.self) }
        return date
    }

    /// Sent as an ISO 8601 UTC timestamp with microseconds.
    public var postgresBind: PostgresBind { .text(PostgresTimestamp.format(self, fractional: true) + "+00") }
}

/// Conversions between timestamps and PostgreSQL's ISO text form.
public enum PostgresTimestamp {
    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]`; a missing offset means UTC.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for i in start..<(start + length) {
                let digit = Int(bytes[i]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard index + 3 <= bytes.count, let hours = number(index + 1, 2) else { return nil }
            var minutes = 0
            if index + 6 <= bytes.count, bytes[index + 3] == UInt8(ascii: ":"), let m = number(index + 4, 2) {
                minutes = m
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats as `YYYY-MM-DD HH:MM:SS` in UTC (Odoo's datetime wire form), optionally with microseconds.
    public static func format(_ date: Date, fractional: Bool = false) -> String {
        let total = date.timeIntervalSince1970
        var seconds = Int(total.rounded(.down))
        var micros = Int(((total - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let days = Int((Double(seconds) / 86400).rounded(.down))
        let secondOfDay = seconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        var text = ""
        text.reserveCapacity(26)
        appendDate(year: y, month: m, day: d, to: &text)
        text.append(" ")
        appendPadded(secondOfDay / 3600, width: 2, to: &text)
        text.append(":")
        appendPadded(secondOfDay % 3600 / 60, width: 2, to: &text)
        text.append(":")
        appendPadded(secondOfDay % 60, width: 2, to: &text)
        if fractional {
            text.append(".")
            appendPadded(micros, width: 6, to: &text)
        }
        return text
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The (year, month, day) of a day count since 1970-01-01.
    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// Appends `YYYY-MM-DD`.
func appendDate(year: Int, month: Int, day: Int, to text: inout String) {
    appendPadded(year, width: 4, to: &text)
    text.append("-")
    appendPadded(month, width: 2, to: &text)
    text.append("-")
    appendPadded(day, width: 2, to: &text)
}

/// Appends `value` in decimal, left-padded with zeros to `width` digits (`%0*d` without Foundation).
func appendPadded(_ value: Int, width: Int, to text: inout String) {
    if value < 0 {
        text.append("-")
        appendPadded(-value, width: width - 1, to: &text)
        return
    }
    let digits = String(value)
    if digits.utf8.count < width { text.append(String(repeating: "0", count: width - digits.utf8.count)) }
    text.append(digits)
}
