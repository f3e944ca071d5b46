import JSONRPC
import PostgresDriver
import WebAPI

/// `POST /billing/add-funds {amount, payment_method_id}` (owner), with an optional
/// `Idempotency-Key` header (see ``IdempotencyKeys``).
///
/// `amount` is a number with at most two decimals, from 0.01 to ``maximum``; `payment_method_id`
/// a card of the team (another team's or an unknown id is `NOT_FOUND`). The card is charged through
/// the gateway with the team's row locked (``CreditLedger``): on success the balance grows, a
/// `topup` transaction and a paid invoice are written and an activity is recorded; a declined card
/// is `BILLING_PAYMENT_FAILED` (422) and nothing changes.
enum AddFundsRoute {
    /// The largest top-up.
    static let maximum = Money(cents: 10_000_00)

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.post, "/billing/add-funds", addFunds)]
    }

    @Sendable static func addFunds(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let amount = reader.money("amount", required: true, minimum: Money(cents: 1), maximum: maximum)
        let method = reader.string("payment_method_id", required: true, maxLength: 64)
        let key = IdempotencyKeys.key(in: request.call.headers, reader: &reader)
        try reader.finish()
        let member = try await BillingRoutes.manager(request, to: "add funds")
        let db = try request.db
        let uid = try request.uid
        var claimed: Int64?
        if let key {
            let fingerprint = "POST /billing/add-funds amount=\(amount!) payment_method_id=\(method!)"
            switch try await IdempotencyKeys.claim(key, team: member.teamID, user: uid, fingerprint: fingerprint, on: db) {
            case .replay(let answer): return answer
            case .claimed(let id): claimed = id
            }
        }
        guard let card = try await StoredCard.find(method!, team: member.teamID, on: db) else {
            throw AppError(.notFound, "Payment method not found")
        }
        let ledger = CreditLedger(db: db, gateway: request.configuration.paymentGateway, logger: request.call.logger)
        let topUp: CreditLedger.TopUp
        do {
            topUp = try await ledger.topUp(team: member.teamID, amount: amount!, card: card, kind: .topup, user: uid)
        } catch let error as PaymentGatewayError {
            request.call.logger.notice(
                "top-up declined", metadata: ["team": "\(member.teamID)", "payment_method": "\(card.reference)", "code": "\(error.code)"])
            throw AppError(payment: error)
        }
        let result = AppResult.ok([
            "transaction_id": .string(topUp.transaction),
            "new_balance": topUp.balance.json,
            "status": "success",
            "invoice_id": .string(topUp.invoice.reference),
            "message": "Funds added successfully",
        ])
        if let claimed { try await IdempotencyKeys.complete(claimed, with: result, on: db) }
        return result
    }
}
