import Foundation
import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// `/billing/*` (docs/api/billing.md): the overview and auto-reload here; usage and invoices in
/// ``BillingStatementRoutes``, cards in ``PaymentMethodRoutes``, top-ups in ``AddFundsRoute``.
///
/// Who may do what: owners and admins **read** billing (overview, usage, invoices, cards); only
/// owners **change** it (add funds, cards, auto-reload); users and guests get
/// `AUTH_INSUFFICIENT_PERMISSIONS` on every billing route. Everything is the caller's current team.
enum BillingRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/billing/overview", access: .connection, overview),
            builder.route(.put, "/billing/auto-reload", autoReload),
        ] + BillingStatementRoutes.routes(builder) + PaymentMethodRoutes.routes(builder) + AddFundsRoute.routes(builder)
    }

    /// The caller's membership when they may read billing (owner or admin).
    static func reader(_ request: PaaSRequest) async throws -> Membership {
        let member = try await request.membership()
        try member.require(.admin, to: "view billing")
        return member
    }

    /// The caller's membership when they may change billing (owner).
    static func manager(_ request: PaaSRequest, to action: String) async throws -> Membership {
        let member = try await request.membership()
        try member.require(.owner, to: action)
        return member
    }

    /// `{credits_balance, current_usage, estimated_total, auto_reload, default_payment_method}`.
    ///
    /// `current_usage` is this calendar month's usage lines (UTC); `estimated_total` adds what the
    /// apps running now will cost until the month ends if they keep running: the sum of their
    /// monthly prices × the whole hours left in the month / 720, rounded down to the cent as
    /// metering charges it.
    @Sendable static func overview(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let member = try await Self.reader(request)
        let row = try await request.db.query(
            """
            WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AS first_day)
            SELECT t.credits_balance, t.auto_reload_enabled, t.auto_reload_threshold, t.auto_reload_amount,
                   (SELECT coalesce(sum(l.amount), 0) FROM woow_usage_line l
                    WHERE l.team_id = t.id AND l.date >= month.first_day::date
                      AND l.date < (month.first_day + interval '1 month')::date),
                   (SELECT coalesce(sum(tp.monthly_price), 0) FROM woow_cloud_app a
                    JOIN woow_workspace w ON w.id = a.workspace_id JOIN woow_app_template tp ON tp.id = a.template_id
                    WHERE w.team_id = t.id AND a.status = 'running'),
                   floor(extract(epoch FROM (month.first_day + interval '1 month') - (now() AT TIME ZONE 'UTC')) / 3600)::bigint
            FROM woow_team t CROSS JOIN month WHERE t.id = \(member.teamID)
            """)[0]
        let usage = try CreditLedger.money(row, 4)
        let runningMonthly = try CreditLedger.money(row, 5)
        let hoursLeft = max(0, try row.decode(Int64.self, at: 6))
        let projected = Money(cents: runningMonthly.cents * hoursLeft / MeteringRate.hoursPerMonth)
        let card = try await PaymentMethodRoutes.list(team: member.teamID, on: request.db).first { $0["is_default"] == true }
        return .ok([
            "credits_balance": try CreditLedger.money(row, 0).json,
            "current_usage": usage.json,
            "estimated_total": (usage + projected).json,
            "auto_reload": [
                "enabled": .bool(try row.decode(Bool.self, at: 1)),
                "threshold": try CreditLedger.money(row, 2).json,
                "amount": try CreditLedger.money(row, 3).json,
            ],
            "default_payment_method": card ?? .null,
        ])
    }

    /// `PUT /billing/auto-reload {enabled, threshold, amount}` (owner). `enabled` is required;
    /// `threshold` (≥ 0) and `amount` (> 0, at most ``AddFundsRoute/maximum``) keep their current
    /// values when left out. Turning it on needs a default card (`CONFLICT` otherwise) and an amount.
    @Sendable static func autoReload(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let enabled = reader.boolean("enabled", required: true)
        let threshold = reader.money("threshold", minimum: .zero, maximum: AddFundsRoute.maximum)
        let amount = reader.money("amount", minimum: Money(cents: 1), maximum: AddFundsRoute.maximum)
        try reader.finish()
        let member = try await manager(request, to: "change auto-reload")
        let db = try request.db
        let ledger = CreditLedger(db: db, gateway: request.configuration.paymentGateway, logger: request.call.logger)
        let current = try await ledger.lock(team: member.teamID).autoReload
        let newThreshold = threshold ?? current.threshold
        let newAmount = amount ?? current.amount
        if enabled! {
            if newAmount <= .zero {
                throw AppError.validation([FieldError(field: "amount", message: "is required to turn auto-reload on")])
            }
            if try await StoredCard.defaultCard(team: member.teamID, on: db) == nil {
                throw AppError(.conflict, "Add a payment method before turning auto-reload on.")
            }
        }
        try await db.query(
            """
            UPDATE woow_team SET auto_reload_enabled = \(enabled!), auto_reload_threshold = \(newThreshold.numeric),
                   auto_reload_amount = \(newAmount.numeric), write_uid = \(try request.uid),
                   write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(member.teamID)
            """)
        try await request.record(
            enabled! ? "enabled auto-reload" : "disabled auto-reload",
            target: enabled! ? "\(newAmount) USD under \(newThreshold) USD" : member.teamName, model: "woow.team",
            id: member.teamID, team: member.teamID)
        return .ok(["message": "Auto-reload settings updated"])
    }
}

extension ParamReader {
    /// An exact amount: a JSON number (or its text) with at most two decimals, within the bounds.
    mutating func money(_ name: String, required: Bool = false, minimum: Money, maximum: Money) -> Money? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        let text: String?
        switch value {
        case .number(let number): text = number.literal
        case .string(let string): text = string.trimmingCharacters(in: .whitespaces)
        default: text = nil
        }
        guard let text else {
            fail(name, "must be a number")
            return nil
        }
        guard let money = Money(text: text) else {
            fail(name, "must be a number with at most two decimals")
            return nil
        }
        guard money >= minimum, money <= maximum else {
            fail(name, "must be between \(minimum) and \(maximum)")
            return nil
        }
        return money
    }
}
