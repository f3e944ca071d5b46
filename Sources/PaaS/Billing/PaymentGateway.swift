import Foundation

/// A card as the user typed it. It lives only in memory for the time of one request: it is handed
/// to the ``PaymentGateway`` and never written to the database, a log or an error message (its
/// `description` is redacted).
public struct CardDetails: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The digits of the card number (spaces and dashes removed).
    public let number: String
    /// The expiry month, 1…12.
    public let expMonth: Int
    /// The expiry year, four digits.
    public let expYear: Int
    /// The security code.
    public let cvc: String

    /// A card; `number` may contain spaces or dashes, which are removed.
    public init(number: String, expMonth: Int, expYear: Int, cvc: String) {
        self.number = number.filter { $0 != " " && $0 != "-" }
        self.expMonth = expMonth
        self.expYear = expYear
        self.cvc = cvc
    }

    public var description: String { "card ••••" }
    public var debugDescription: String { description }
}

/// What a gateway keeps for a card: its brand, last four digits, expiry and an opaque token that
/// later charges use. This is all the database stores.
public struct CardToken: Sendable, Hashable {
    /// `visa`, `mastercard` or `amex`.
    public let brand: CardBrand
    /// The last four digits.
    public let lastFour: String
    /// The expiry month.
    public let expMonth: Int
    /// The expiry year.
    public let expYear: Int
    /// The gateway's reference to the card (not a secret number; useless without the gateway account).
    public let token: String

    /// What a gateway answers for a card.
    public init(brand: CardBrand, lastFour: String, expMonth: Int, expYear: Int, token: String) {
        self.brand = brand
        self.lastFour = lastFour
        self.expMonth = expMonth
        self.expYear = expYear
        self.token = token
    }
}

/// A charge to make on a tokenized card.
public struct PaymentCharge: Sendable, Hashable {
    /// The amount.
    public let amount: Money
    /// ISO currency code.
    public let currency: String
    /// The card's token.
    public let token: String
    /// Our transaction reference (`txn_…`): the gateway's idempotency key, so a transaction retried
    /// by the database layer never charges the card twice at a real gateway.
    public let reference: String
    /// Shown on the statement.
    public let description: String

    /// A charge.
    public init(amount: Money, currency: String, token: String, reference: String, description: String) {
        self.amount = amount
        self.currency = currency
        self.token = token
        self.reference = reference
        self.description = description
    }
}

/// A charge the gateway accepted.
public struct ChargeReceipt: Sendable, Hashable {
    /// The gateway's id of the charge.
    public let gatewayReference: String

    /// A receipt.
    public init(gatewayReference: String) { self.gatewayReference = gatewayReference }
}

/// Why a gateway refused a card or a charge.
public enum PaymentGatewayError: Error, Sendable, Hashable {
    /// The card data is wrong (`field` is the request field: `card_number`, `expiry_month`,
    /// `expiry_year`, `cvc`). The message never repeats the number.
    case invalidCard(field: String, message: String)
    /// The charge was declined (`card_declined`, `insufficient_funds`, …).
    case declined(code: String, message: String)
    /// The gateway could not be reached or failed.
    case unavailable(message: String)
}

/// A payment provider: tokenizes cards and charges them. The server ships ``TestPaymentGateway``;
/// a real provider (Stripe, Adyen…) implements the same two calls.
public protocol PaymentGateway: Sendable {
    /// The name stored with each card (`test`).
    var name: String { get }
    /// Validates a card and returns what may be stored about it.
    func tokenize(_ card: CardDetails, today: Date) async throws(PaymentGatewayError) -> CardToken
    /// Charges a tokenized card. Called with the team's row locked, inside the transaction that
    /// records the charge; `charge.reference` makes a retried call idempotent at the provider.
    func charge(_ charge: PaymentCharge) async throws(PaymentGatewayError) -> ChargeReceipt
}
