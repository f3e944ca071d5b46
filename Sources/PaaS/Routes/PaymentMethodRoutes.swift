import Foundation
import JSONRPC
import PostgresDriver
import WebAPI

/// `/billing/payment-methods`: list (owner, admin), add, make default, delete (owner).
///
/// A card is added through the ``PaymentGateway`` (the number and CVC go to the gateway and
/// nowhere else: not the database, not the logs, not an error message); only its brand, last four
/// digits, expiry and the gateway's token are stored. The team's first card becomes its default;
/// `set_as_default` makes a later one the default. At most one default per team (a partial unique
/// index; the team's row is locked while the default moves).
///
/// Deleting the default card makes the most recently added remaining card the default. Deleting
/// the team's last card is refused (`CONFLICT`) while auto-reload is on.
enum PaymentMethodRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/billing/payment-methods", access: .connection, listRoute),
            builder.route(.post, "/billing/payment-methods", add),
            builder.route(.put, "/billing/payment-methods/{payment_method_id}/default", makeDefault),
            builder.route(.delete, "/billing/payment-methods/{payment_method_id}", remove),
        ]
    }

    /// `{id, type, last_four, expiry ("MM/YYYY"), is_default}` of each card of the team, oldest first.
    static func list(team: Int64, on db: PostgresConnection) async throws -> [JSONValue] {
        try await db.query(
            """
            SELECT reference, brand, last_four, exp_month, exp_year, is_default FROM woow_payment_method
            WHERE team_id = \(team) ORDER BY id
            """
        ).rows.map { row in
            [
                "id": .string(try row.decode(String.self, at: 0)),
                "type": .string(try row.decode(String.self, at: 1)),
                "last_four": .string(try row.decode(String.self, at: 2)),
                "expiry": .string(String(format: "%02d/%04d", try row.decode(Int.self, at: 3), try row.decode(Int.self, at: 4))),
                "is_default": .bool(try row.decode(Bool.self, at: 5)),
            ]
        }
    }

    @Sendable static func listRoute(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        let member = try await BillingRoutes.reader(request)
        return .ok(["items": .array(try await list(team: member.teamID, on: request.db))])
    }

    /// `{card_number, expiry_month, expiry_year, cvc, set_as_default}` → 201 `{id, type, last_four,
    /// message}`. The expiry may be numbers or strings; a two-digit year means 20YY.
    @Sendable static func add(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let number = reader.secret("card_number", maxLength: 32)
        let month = reader.integer("expiry_month", required: true, range: 1...12)
        let year = reader.integer("expiry_year", required: true, range: 0...9999).map { $0 < 100 ? 2000 + $0 : $0 }
        let cvc = reader.secret("cvc", maxLength: 4)
        let makeDefault = reader.boolean("set_as_default") ?? false
        if let year, year < 2000 { reader.fail("expiry_year", "must be a year such as 2030 or 30") }
        try reader.finish()
        let member = try await BillingRoutes.manager(request, to: "add payment methods")
        let card: CardToken
        do {
            card = try await request.configuration.paymentGateway.tokenize(
                CardDetails(number: number!, expMonth: month!, expYear: year!, cvc: cvc!), today: Date())
        } catch {
            throw AppError(payment: error)
        }
        let db = try request.db
        let uid = try request.uid
        _ = try await CreditLedger(db: db, gateway: request.configuration.paymentGateway, logger: request.call.logger)
            .lock(team: member.teamID)
        let isFirst = try await db.query("SELECT 1 FROM woow_payment_method WHERE team_id = \(member.teamID) LIMIT 1").isEmpty
        let isDefault = makeDefault || isFirst
        if isDefault {
            try await db.query("UPDATE woow_payment_method SET is_default = false WHERE team_id = \(member.teamID) AND is_default")
        }
        let reference = BillingID.paymentMethod()
        let id = try await db.query(
            """
            INSERT INTO woow_payment_method (reference, team_id, brand, last_four, exp_month, exp_year, is_default, gateway,
                                             gateway_token, create_uid, write_uid)
            VALUES (\(reference), \(member.teamID), \(card.brand.rawValue), \(card.lastFour), \(card.expMonth), \(card.expYear),
                    \(isDefault), \(request.configuration.paymentGateway.name), \(card.token), \(uid), \(uid))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await request.record(
            "added payment method", target: "\(card.brand.label) •••• \(card.lastFour)", model: "woow.payment.method", id: id,
            team: member.teamID)
        return .created([
            "id": .string(reference), "type": .string(card.brand.rawValue), "last_four": .string(card.lastFour),
            "expiry": .string(String(format: "%02d/%04d", card.expMonth, card.expYear)), "is_default": .bool(isDefault),
            "message": "Payment method added successfully",
        ])
    }

    /// The team's card named by the path (`NOT_FOUND` otherwise), with the team's row locked.
    static func target(_ request: PaaSRequest, team: Int64) async throws -> StoredCard {
        let db = try request.db
        _ = try await CreditLedger(db: db, gateway: request.configuration.paymentGateway, logger: request.call.logger)
            .lock(team: team)
        guard let reference = request.call.pathParameters["payment_method_id"],
            let card = try await StoredCard.find(reference, team: team, on: db)
        else { throw AppError(.notFound, "Payment method not found") }
        return card
    }

    @Sendable static func makeDefault(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("payment_method_id")
        try reader.finish()
        let member = try await BillingRoutes.manager(request, to: "change payment methods")
        let card = try await target(request, team: member.teamID)
        let db = try request.db
        try await db.query(
            "UPDATE woow_payment_method SET is_default = false WHERE team_id = \(member.teamID) AND is_default AND id <> \(card.id)")
        try await db.query(
            """
            UPDATE woow_payment_method SET is_default = true, write_uid = \(try request.uid), write_date = now() AT TIME ZONE 'UTC'
            WHERE id = \(card.id)
            """)
        try await request.record(
            "set default payment method", target: card.label, model: "woow.payment.method", id: card.id, team: member.teamID)
        return .ok(["message": "Default payment method updated"])
    }

    @Sendable static func remove(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("payment_method_id")
        try reader.finish()
        let member = try await BillingRoutes.manager(request, to: "delete payment methods")
        let card = try await target(request, team: member.teamID)
        let db = try request.db
        let state = try await db.query(
            """
            SELECT auto_reload_enabled, (SELECT count(*) FROM woow_payment_method WHERE team_id = t.id)
            FROM woow_team t WHERE t.id = \(member.teamID)
            """)[0]
        if try state.decode(Bool.self, at: 0), try state.decode(Int.self, at: 1) <= 1 {
            throw AppError(.conflict, "This is the last payment method and auto-reload is on; turn auto-reload off first.")
        }
        let wasDefault = try await db.query(
            "DELETE FROM woow_payment_method WHERE id = \(card.id) RETURNING is_default")[0].decode(Bool.self, at: 0)
        if wasDefault {
            try await db.query(
                """
                UPDATE woow_payment_method SET is_default = true, write_date = now() AT TIME ZONE 'UTC'
                WHERE id = (SELECT max(id) FROM woow_payment_method WHERE team_id = \(member.teamID))
                """)
        }
        try await request.record(
            "deleted payment method", target: card.label, model: "woow.payment.method", id: card.id, team: member.teamID)
        return .ok(["message": "Payment method deleted"])
    }
}

extension ParamReader {
    /// A secret string (card number, CVC): required, a string, never echoed in an error message.
    mutating func secret(_ name: String, maxLength: Int) -> String? {
        guard let value = raw(name) else {
            fail(name, "is required")
            return nil
        }
        guard let text = value.stringValue else {
            fail(name, "must be a string")
            return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            fail(name, "is required")
            return nil
        }
        guard trimmed.count <= maxLength else {
            fail(name, "is too long")
            return nil
        }
        return trimmed
    }
}
