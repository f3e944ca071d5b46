import Logging
import ORM
import PostgresDriver
import WebAPI

/// The one way a team's credits change. Every operation first locks the team's row
/// (`SELECT … FROM woow_team WHERE id = $1 FOR UPDATE`), so top-ups, charges and auto-reloads of
/// one team run one after the other and none is lost; each writes a `woow_transaction` row with
/// the balance after it, in the caller's transaction.
///
/// - ``topUp(team:amount:card:kind:user:)`` charges a card through the ``PaymentGateway`` and adds
///   the amount, issuing a paid invoice. A declined card throws ``PaymentGatewayError`` before
///   anything is written.
/// - ``debit(team:amount:description:policy:user:)`` removes credits. `.refuse` refuses an amount
///   the balance cannot cover (`BILLING_INSUFFICIENT_CREDITS`, nothing changes); `.takeWhatIsLeft`
///   (metering) charges what is left and reports the shortfall as exhaustion.
/// - **Auto-reload**: when auto-reload is on and a debit leaves the balance under the threshold (or
///   at zero) — or finds it too low to cover the debit, in which case the reload comes first — the
///   default card is charged the reload amount, at most once per debit; the next debit, waiting on
///   the row lock, sees the reloaded balance, so concurrent debits crossing the threshold reload
///   once. A declined reload is recorded as an activity ("auto-reload failed") and the debit stands.
public struct CreditLedger: Sendable {
    /// The connection of the caller's transaction.
    public let db: PostgresConnection
    /// The payment gateway.
    public let gateway: any PaymentGateway
    /// For activities and warnings (never card data).
    public let logger: Logger

    /// A ledger over the caller's transaction.
    public init(db: PostgresConnection, gateway: any PaymentGateway, logger: Logger) {
        self.db = db
        self.gateway = gateway
        self.logger = logger
    }

    /// A team's balance and auto-reload settings, read under its row lock.
    public struct LockedTeam: Sendable, Hashable {
        public let id: Int64
        public let balance: Money
        public let autoReload: AutoReload
    }

    /// Auto-reload settings of a team.
    public struct AutoReload: Sendable, Hashable {
        public let enabled: Bool
        public let threshold: Money
        public let amount: Money
    }

    /// Where a top-up comes from.
    public enum TopUpKind: String, Sendable {
        case topup
        case autoReload = "auto_reload"
    }

    /// A completed top-up.
    public struct TopUp: Sendable, Hashable {
        public let transaction: String
        public let invoice: InvoiceIssuer.Issued
        public let balance: Money
    }

    /// What a debit did.
    public struct Debit: Sendable, Hashable {
        /// What was taken (less than asked only with `.takeWhatIsLeft`).
        public let charged: Money
        /// The balance at the end (after any auto-reload).
        public let balance: Money
        /// The balance could not cover the amount.
        public let exhausted: Bool
        /// The auto-reload it triggered, if any.
        public let reload: TopUp?
    }

    /// What to do with a debit the balance cannot cover.
    public enum DebitPolicy: Sendable {
        /// Refuse it with `BILLING_INSUFFICIENT_CREDITS`; nothing changes.
        case refuse
        /// Take what is left (metering) and report exhaustion.
        case takeWhatIsLeft
    }

    /// Locks the team's row and reads its balance.
    public func lock(team: Int64) async throws -> LockedTeam {
        guard
            let row = try await db.query(
                """
                SELECT credits_balance, auto_reload_enabled, auto_reload_threshold, auto_reload_amount
                FROM woow_team WHERE id = \(team) FOR UPDATE
                """
            ).first
        else { throw AppError(.notFound, "Team not found") }
        return LockedTeam(
            id: team, balance: try Self.money(row, 0),
            autoReload: AutoReload(
                enabled: try row.decode(Bool.self, at: 1), threshold: try Self.money(row, 2), amount: try Self.money(row, 3)))
    }

    /// Charges `card` and adds `amount` to the team's credits: a transaction, a paid invoice and an
    /// activity. Throws ``PaymentGatewayError`` (nothing written) when the gateway refuses.
    public func topUp(team: Int64, amount: Money, card: StoredCard, kind: TopUpKind, user: Int64?) async throws -> TopUp {
        _ = try await lock(team: team)
        let reference = BillingID.transaction()
        let description =
            kind == .topup ? "Credits top-up — \(card.label)" : "Automatic credits reload — \(card.label)"
        let receipt = try await gateway.charge(
            PaymentCharge(amount: amount, currency: "USD", token: card.token, reference: reference, description: description))
        let balance = try Self.money(
            try await db.query(
                """
                UPDATE woow_team SET credits_balance = credits_balance + \(amount.numeric),
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(team) RETURNING credits_balance
                """)[0], 0)
        let invoice = try await InvoiceIssuer.issue(
            team: team, lines: [.init(description: description, amount: amount)], user: user, on: db)
        let id = try await db.query(
            """
            INSERT INTO woow_transaction (reference, team_id, type, amount, balance_after, description, payment_method_id,
                                          invoice_id, gateway_reference, user_id, create_uid, write_uid)
            VALUES (\(reference), \(team), \(kind.rawValue), \(amount.numeric), \(balance.numeric), \(description), \(card.id),
                    \(invoice.id), \(receipt.gatewayReference), \(user as Int64?), \(user as Int64?), \(user as Int64?))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await ActivityLog.record(
            kind == .topup ? "added funds" : "auto-reloaded credits", target: "\(amount) USD (\(card.label))",
            model: "woow.transaction", id: id, team: team, user: user, in: ORMTransaction(connection: db), logger: logger)
        return TopUp(transaction: reference, invoice: invoice, balance: balance)
    }

    /// Removes `amount` (positive) from the team's credits as a `usage` transaction, then
    /// auto-reloads if due.
    public func debit(team: Int64, amount: Money, description: String, policy: DebitPolicy, user: Int64? = nil) async throws
        -> Debit
    {
        precondition(amount > .zero, "a debit is positive")
        let locked = try await lock(team: team)
        var balance = locked.balance
        var reload: TopUp?
        var reloadTried = false
        if balance < amount, locked.autoReload.enabled {
            // Not enough: auto-reload before refusing or taking what is left.
            reloadTried = true
            reload = try await autoReloadIfDue(team: team, balance: balance, settings: locked.autoReload, force: true)
            balance = reload?.balance ?? balance
        }
        var charged = amount
        if balance < amount {
            switch policy {
            case .refuse:
                throw AppError(
                    .billingInsufficientCredits,
                    "Insufficient credits: \(amount) is needed and the balance is \(balance).")
            case .takeWhatIsLeft:
                charged = balance
            }
        }
        if charged > .zero {
            balance = try Self.money(
                try await db.query(
                    """
                    UPDATE woow_team SET credits_balance = credits_balance - \(charged.numeric),
                           write_date = now() AT TIME ZONE 'UTC'
                    WHERE id = \(team) RETURNING credits_balance
                    """)[0], 0)
            try await db.query(
                """
                INSERT INTO woow_transaction (reference, team_id, type, amount, balance_after, description, user_id,
                                              create_uid, write_uid)
                VALUES (\(BillingID.transaction()), \(team), 'usage', \(charged.numeric), \(balance.numeric), \(description),
                        \(user as Int64?), \(user as Int64?), \(user as Int64?))
                """)
        }
        if !reloadTried {
            reload = try await autoReloadIfDue(team: team, balance: balance, settings: locked.autoReload)
            balance = reload?.balance ?? balance
        }
        return Debit(charged: charged, balance: balance, exhausted: charged < amount, reload: reload)
    }

    /// Charges the default card the reload amount when auto-reload is on and `balance` is under the
    /// threshold or zero (or, with `force`, whenever it is on). At most one reload per debit. A
    /// decline (or no default card) is recorded as an activity and answered `nil`.
    func autoReloadIfDue(team: Int64, balance: Money, settings: AutoReload, force: Bool = false) async throws -> TopUp? {
        guard settings.enabled, settings.amount > .zero, force || balance < settings.threshold || balance == .zero else {
            return nil
        }
        let transaction = ORMTransaction(connection: db)
        guard let card = try await StoredCard.defaultCard(team: team, on: db) else {
            try await ActivityLog.record(
                "auto-reload skipped", target: "no default payment method", model: nil, id: nil, team: team, user: nil,
                in: transaction, logger: logger)
            return nil
        }
        do {
            return try await topUp(team: team, amount: settings.amount, card: card, kind: .autoReload, user: nil)
        } catch let error as PaymentGatewayError {
            logger.warning(
                "auto-reload charge failed", metadata: ["team": "\(team)", "payment_method": "\(card.reference)", "error": "\(error.code)"])
            try await ActivityLog.record(
                "auto-reload failed", target: "\(settings.amount) USD (\(card.label)): \(error.code)", model: "woow.payment.method",
                id: card.id, team: team, user: nil, in: transaction, logger: logger)
            return nil
        }
    }

    static func money(_ row: PostgresRow, _ column: Int) throws -> Money {
        guard let money = Money(try row.decode(PostgresNumeric.self, at: column)) else {
            throw AppError(.internalError, "An amount in the database is not exact cents.")
        }
        return money
    }
}

extension PaymentGatewayError {
    /// The decline code (`card_declined`), `invalid_card` or `gateway_unavailable`.
    public var code: String {
        switch self {
        case .invalidCard: return "invalid_card"
        case .declined(let code, _): return code
        case .unavailable: return "gateway_unavailable"
        }
    }
}

extension AppError {
    /// The envelope error for a refused payment: `BILLING_PAYMENT_FAILED` (422) naming the decline
    /// code; a card-data problem is a `VALIDATION_ERROR` on its field.
    public init(payment error: PaymentGatewayError) {
        switch error {
        case .invalidCard(let field, let message):
            self = AppError.validation([FieldError(field: field, message: message)])
        case .declined(let code, let message):
            self.init(.billingPaymentFailed, "Payment failed: \(message) (\(code))")
        case .unavailable(let message):
            self.init(.billingPaymentFailed, "Payment failed: the payment provider is unavailable (\(message)). Please retry.")
        }
    }
}
