import Foundation
import WoowCrypto

/// The built-in payment gateway: real card checks, no money moves. It checks the number (digits,
/// 12–19 of them, the Luhn checksum, a supported brand by its leading digits), the expiry (a real
/// month, not in the past, at most 20 years ahead) and the CVC length for the brand, and behaves
/// like a provider's test mode for the published test numbers:
///
/// | number | brand | charges |
/// |---|---|---|
/// | 4242 4242 4242 4242 | visa | succeed |
/// | 5555 5555 5555 4444 | mastercard | succeed |
/// | 2223 0031 2200 3222 | mastercard (2-series) | succeed |
/// | 3782 822463 10005 | amex | succeed |
/// | 4000 0000 0000 0002 | visa | declined, `card_declined` |
/// | 4000 0000 0000 9995 | visa | declined, `insufficient_funds` |
/// | 4000 0000 0000 0069 | visa | declined, `expired_card` |
///
/// Any other valid number of a supported brand is accepted and its charges succeed. The outcome is
/// carried in the card's token (`tok_test_<outcome>_<random>`), so it survives restarts and works
/// across server instances; the number itself is never kept.
public struct TestPaymentGateway: PaymentGateway {
    /// Numbers whose charges are declined, with the decline code.
    public static let declines: [String: String] = [
        "4000000000000002": "card_declined",
        "4000000000009995": "insufficient_funds",
        "4000000000000069": "expired_card",
    ]

    public var name: String { "test" }

    /// Creates the gateway.
    public init() {}

    public func tokenize(_ card: CardDetails, today: Date) async throws(PaymentGatewayError) -> CardToken {
        let digits = card.number
        guard digits.allSatisfy(\.isASCIIDigit), (12...19).contains(digits.count) else {
            throw .invalidCard(field: "card_number", message: "must be 12 to 19 digits")
        }
        guard CardBrand.passesLuhn(digits) else {
            throw .invalidCard(field: "card_number", message: "is not a valid card number")
        }
        guard let brand = CardBrand(number: digits) else {
            throw .invalidCard(field: "card_number", message: "is not a supported card (visa, mastercard, amex)")
        }
        guard (1...12).contains(card.expMonth) else {
            throw .invalidCard(field: "expiry_month", message: "must be between 1 and 12")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = calendar.dateComponents([.year, .month], from: today)
        let (year, month) = (now.year!, now.month!)
        guard card.expYear <= year + 20 else {
            throw .invalidCard(field: "expiry_year", message: "must be at most 20 years ahead")
        }
        guard (card.expYear, card.expMonth) >= (year, month) else {
            throw .invalidCard(field: card.expYear < year ? "expiry_year" : "expiry_month", message: "the card has expired")
        }
        guard card.cvc.count == brand.cvcLength, card.cvc.allSatisfy(\.isASCIIDigit) else {
            throw .invalidCard(field: "cvc", message: "must be \(brand.cvcLength) digits for \(brand.label)")
        }
        let outcome = Self.declines[digits] ?? "ok"
        return CardToken(
            brand: brand, lastFour: String(digits.suffix(4)), expMonth: card.expMonth, expYear: card.expYear,
            token: "tok_test_\(outcome)_\(SecureRandom.hex(byteCount: 8))")
    }

    public func charge(_ charge: PaymentCharge) async throws(PaymentGatewayError) -> ChargeReceipt {
        guard charge.amount > .zero else { throw .declined(code: "invalid_amount", message: "The amount must be positive.") }
        let parts = charge.token.split(separator: "_")
        guard parts.count >= 4, parts[0] == "tok", parts[1] == "test" else {
            throw .declined(code: "invalid_token", message: "The card is not known to the test gateway.")
        }
        let outcome = parts[2..<(parts.count - 1)].joined(separator: "_")
        switch outcome {
        case "ok":
            return ChargeReceipt(gatewayReference: "ch_test_" + SecureRandom.hex(byteCount: 12))
        case "insufficient_funds":
            throw .declined(code: outcome, message: "Your card has insufficient funds.")
        case "expired_card":
            throw .declined(code: outcome, message: "Your card has expired.")
        default:
            throw .declined(code: outcome, message: "Your card was declined.")
        }
    }
}
