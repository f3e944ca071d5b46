import Foundation
import PaaS
import PostgresDriver

extension DemoData {
    /// Billing of the demo team: a default Visa test card (4242, tokenized by the built-in test
    /// gateway) and a Mastercard, three paid top-ups with their invoices, daily usage lines of the
    /// running apps over the previous month (this month's come from the metering service), and
    /// the matching ledger, ending at the team's balance of 500.00.
    func seedBilling(team: Int64, owner: Int64, on db: PostgresConnection) async throws {
        let gateway = TestPaymentGateway()
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 3
        var cards: [Int64] = []
        for (number, cvc, isDefault) in [("4242424242424242", "123", true), ("5555555555554444", "456", false)] {
            let token = try await gateway.tokenize(CardDetails(number: number, expMonth: 12, expYear: year, cvc: cvc), today: Date())
            cards.append(
                try await db.query(
                    """
                    INSERT INTO woow_payment_method (reference, team_id, brand, last_four, exp_month, exp_year, is_default, gateway,
                                                     gateway_token, create_uid, write_uid)
                    VALUES (\(BillingID.paymentMethod()), \(team), \(token.brand.rawValue), \(token.lastFour), \(token.expMonth),
                            \(token.expYear), \(isDefault), \(gateway.name), \(token.token), \(owner), \(owner))
                    RETURNING id
                    """)[0].decode(Int64.self, at: 0))
        }
        // One line per running app and day of the previous month's last three weeks (from the
        // day the app was deployed).
        let usage = try await db.query(
            """
            WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS first_day),
            lines AS (
                INSERT INTO woow_usage_line (team_id, workspace_id, app_id, date, service, description, amount, create_uid, write_uid)
                SELECT \(team), a.workspace_id, a.id, d::date, tp.name, a.name || ' (' || tp.name || ') running time, prorated hourly',
                       round(tp.monthly_price * 24 / 720, 2), \(owner), \(owner)
                FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id
                JOIN woow_app_template tp ON tp.id = a.template_id
                CROSS JOIN month
                CROSS JOIN generate_series(month.first_day - interval '21 days', month.first_day - interval '1 day', interval '1 day') AS d
                WHERE w.team_id = \(team) AND a.status = 'running' AND tp.monthly_price > 0 AND d >= a.create_date::date
                RETURNING amount)
            SELECT coalesce(sum(amount), 0)::text FROM lines
            """)[0].decode(String.self, at: 0)
        let used = Money(text: usage) ?? .zero
        // The ledger: top-up, top-up, last month's usage, top-up → 500.00.
        let steps: [(type: String, amount: Money, age: String, card: Int64?)] = [
            ("topup", Money(cents: 200_00) + used, "35 days", cards[0]),
            ("topup", Money(cents: 150_00), "25 days", cards[1]),
            ("usage", used, "0 days", nil),
            ("topup", Money(cents: 150_00), "1 hour", cards[0]),
        ]
        var balance = Money.zero
        for step in steps where step.amount > .zero {
            balance = step.type == "usage" ? balance - step.amount : balance + step.amount
            // The usage entry is dated the end of the previous month (2 h before it ends, so always
            // before the last top-up); the others `age` ago.
            let invoice: Int64? =
                step.type == "usage"
                ? nil
                : try await db.query(
                    """
                    WITH at AS (SELECT (now() AT TIME ZONE 'UTC') - \(step.age)::interval AS ts),
                    seq AS (
                        INSERT INTO woow_invoice_sequence (year, last_number)
                        SELECT extract(year FROM ts)::int, 1 FROM at
                        ON CONFLICT (year) DO UPDATE SET last_number = woow_invoice_sequence.last_number + 1
                        RETURNING year, last_number),
                    invoice AS (
                        INSERT INTO woow_invoice (reference, invoice_number, team_id, date, amount, status, create_uid, write_uid, create_date)
                        SELECT \(BillingID.invoice()), 'INV-' || seq.year || '-' || lpad(seq.last_number::text, 6, '0'), \(team),
                               at.ts::date, \(step.amount.numeric), 'paid', \(owner), \(owner), at.ts
                        FROM seq, at RETURNING id)
                    INSERT INTO woow_invoice_line (invoice_id, sequence, description, amount, create_uid, write_uid)
                    SELECT invoice.id, 10, \("Credits top-up — " + (step.card == cards[0] ? "Visa •••• 4242" : "Mastercard •••• 4444")),
                           \(step.amount.numeric), \(owner), \(owner)
                    FROM invoice RETURNING invoice_id
                    """)[0].decode(Int64.self, at: 0)
            try await db.query(
                """
                INSERT INTO woow_transaction (reference, team_id, type, amount, balance_after, description, payment_method_id,
                                              invoice_id, gateway_reference, user_id, create_uid, write_uid, create_date)
                VALUES (\(BillingID.transaction()), \(team), \(step.type), \(step.amount.numeric), \(balance.numeric),
                        \(step.type == "usage" ? "Metered usage of last month" : "Credits top-up"), \(step.card), \(invoice),
                        \(step.type == "usage" ? nil : "ch_test_demo"), \(step.type == "usage" ? nil : owner), \(owner), \(owner),
                        CASE WHEN \(step.type) = 'usage' THEN date_trunc('month', now() AT TIME ZONE 'UTC') - interval '2 hours'
                             ELSE (now() AT TIME ZONE 'UTC') - \(step.age)::interval END)
                """)
        }
        try await db.query(
            """
            UPDATE woow_team SET credits_balance = \(balance.numeric), auto_reload_enabled = false,
                   auto_reload_threshold = 50, auto_reload_amount = 100
            WHERE id = \(team)
            """)
    }
}
