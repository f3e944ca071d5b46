/// A card brand, detected from the number's leading digits (IIN ranges), with the checks that
/// depend on it.
///
/// | brand | starts with | length | CVC |
/// |---|---|---|---|
/// | `visa` | 4 | 13, 16 or 19 | 3 |
/// | `mastercard` | 51–55, 2221–2720 | 16 | 3 |
/// | `amex` | 34, 37 | 15 | 4 |
public enum CardBrand: String, Sendable, CaseIterable {
    case visa, mastercard, amex

    /// The brand of a number of digits, or `nil` when no supported brand matches (prefix and length).
    public init?(number digits: String) {
        guard digits.allSatisfy(\.isASCIIDigit) else { return nil }
        let two = Int(digits.prefix(2)) ?? -1
        let four = Int(digits.prefix(4)) ?? -1
        if digits.hasPrefix("4"), [13, 16, 19].contains(digits.count) {
            self = .visa
        } else if ((51...55).contains(two) || (2221...2720).contains(four)), digits.count == 16 {
            self = .mastercard
        } else if two == 34 || two == 37, digits.count == 15 {
            self = .amex
        } else {
            return nil
        }
    }

    /// Digits in the security code.
    public var cvcLength: Int { self == .amex ? 4 : 3 }

    /// `Visa`, `Mastercard`, `American Express`.
    public var label: String {
        switch self {
        case .visa: return "Visa"
        case .mastercard: return "Mastercard"
        case .amex: return "American Express"
        }
    }

    /// The Luhn (mod 10) check of a string of digits.
    public static func passesLuhn(_ digits: String) -> Bool {
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return false }
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            var digit = Int(String(character))!
            if offset % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }
}
