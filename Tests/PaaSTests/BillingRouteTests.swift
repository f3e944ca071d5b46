import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport

/// `GET /billing/overview`, `GET /billing/usage`, `GET /billing/invoices` and
/// `PUT /billing/auto-reload` over both transports: the seed's fields, exact amounts, date
/// validation, roles (owners and admins read, owners change, users and guests never) and tenancy.
@Suite("PaaS: billing overview, usage, invoices, auto-reload")
struct BillingRouteTests {
    @Test(arguments: Transport.allCases) func overviewShowsBalanceUsageProjectionAndDefaultCard(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-overview")
        let team = try await fixture.demoTeam()
        // This month's usage: exactly 0.10 + 0.20; a line of last month and one of the rival are left out.
        try await fixture.app.client.query(
            """
            INSERT INTO woow_usage_line (team_id, date, service, description, amount)
            VALUES (\(team), (now() AT TIME ZONE 'UTC')::date, 'Odoo', 'a', 0.10),
                   (\(team), (now() AT TIME ZONE 'UTC')::date, 'Odoo', 'b', 0.20),
                   (\(try await fixture.rivalTeam()), (now() AT TIME ZONE 'UTC')::date, 'Odoo', 'c', 9.00)
            """)
        try await fixture.test { api in
            for login in ["admin", "manager"] {
                let session = try await api.login(login)
                let data = try await api.call(.get, "/billing/overview", session: session, via: via).expectSuccess()
                #expect(
                    data.objectValue?.keys.sorted()
                        == ["auto_reload", "credits_balance", "current_usage", "default_payment_method", "estimated_total"])
                #expect(literal(data["credits_balance"]) == "500.00")
                #expect(literal(data["current_usage"]) == "0.30")
                // The projection adds the running apps' cost until the month ends: never less than the usage.
                let estimated = try #require(Money(text: literal(data["estimated_total"]) ?? ""))
                #expect(estimated >= Money(cents: 30))
                #expect(data["auto_reload"]?["enabled"] == false)
                #expect(literal(data["auto_reload"]?["threshold"]) == "50.00")
                #expect(literal(data["auto_reload"]?["amount"]) == "100.00")
                let card = try #require(data["default_payment_method"]?.objectValue)
                #expect(card["type"] == "visa")
                #expect(card["last_four"] == "4242")
                #expect(card["is_default"] == true)
                #expect(card["expiry"]?.stringValue?.hasPrefix("12/") == true)
                #expect(card["id"]?.stringValue?.hasPrefix("pm_") == true)
            }
            // The rival has no card: null.
            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/billing/overview", session: rival, via: via).expectSuccess()
            #expect(theirs["default_payment_method"] == .null)
            #expect(literal(theirs["current_usage"]) == "9.00")
            #expect(literal(theirs["credits_balance"]) == "100.00")
        }
    }

    @Test(arguments: Transport.allCases) func usersAndGuestsSeeNoBillingAndAdminsChangeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-roles")
        let team = try await fixture.demoTeam()
        let card = try await fixture.card("4242", team: team)
        let before = try await fixture.scalar(
            "SELECT row_to_json(t)::text FROM woow_team t WHERE id = \(team)", as: String.self)
        try await fixture.test { api in
            for login in ["member", "guest"] {
                let session = try await api.login(login)
                for path in ["/billing/overview", "/billing/usage", "/billing/invoices", "/billing/payment-methods"] {
                    try await api.call(.get, path, session: session, via: via)
                        .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                }
            }
            for login in ["manager", "member", "guest"] {
                let session = try await api.login(login)
                try await api.call(.put, "/billing/auto-reload", ["enabled": false], session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                try await api.call(.post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(card)], session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                try await api.call(
                    .post, "/billing/payment-methods",
                    ["card_number": "4242424242424242", "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], session: session, via: via
                ).expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                try await api.call(.put, "/billing/payment-methods/\(card)/default", session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                try await api.call(.delete, "/billing/payment-methods/\(card)", session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            // No session at all.
            try await api.call(.get, "/billing/overview", session: nil, via: via).expectSessionExpired()
            #expect(try await fixture.scalar("SELECT row_to_json(t)::text FROM woow_team t WHERE id = \(team)", as: String.self) == before)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_payment_method WHERE team_id = \(team)", as: Int.self) == 2)
        }
    }

    @Test(arguments: Transport.allCases) func usageListsAnInclusiveRangeWithAnExactTotal(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-usage")
        let team = try await fixture.demoTeam()
        let production = try await fixture.workspace("Production")
        try await fixture.app.client.query(
            """
            INSERT INTO woow_usage_line (team_id, workspace_id, date, service, description, amount)
            VALUES (\(team), \(production), '2025-03-01', 'Odoo', 'first day', 0.10),
                   (\(team), \(production), '2025-03-15', 'PostgreSQL', 'middle', 0.20),
                   (\(team), NULL, '2025-03-31', 'n8n', 'last day', 1.05),
                   (\(team), NULL, '2025-02-28', 'n8n', 'before', 7.00),
                   (\(team), NULL, '2025-04-01', 'n8n', 'after', 8.00),
                   (\(try await fixture.rivalTeam()), NULL, '2025-03-10', 'Odoo', 'rival', 9.00)
            """)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let data = try await api.call(
                .get, "/billing/usage", ["start_date": "2025-03-01", "end_date": "2025-03-31"], session: admin, via: via
            ).expectSuccess()
            let items = try #require(data["items"]?.arrayValue)
            #expect(items.map { $0["description"]?.stringValue } == ["first day", "middle", "last day"])
            #expect(items[0] == ["date": "2025-03-01", "service": "Odoo", "workspace": "Production", "amount": .number(JSONNumber(literal: "0.10")!), "description": "first day"])
            #expect(items[2]["workspace"] == "")
            #expect(literal(data["total"]) == "1.35")
            #expect(data["start_date"] == "2025-03-01")
            #expect(data["end_date"] == "2025-03-31")

            let one = try await api.call(
                .get, "/billing/usage", ["start_date": "2025-03-31", "end_date": "2025-03-31"], session: admin, via: via
            ).expectSuccess()
            #expect(one["items"]?.arrayValue?.count == 1)
            #expect(literal(one["total"]) == "1.05")
            // Without dates: this month so far.
            let current = try await api.call(.get, "/billing/usage", session: admin, via: via).expectSuccess()
            #expect(current["items"]?.arrayValue?.isEmpty == true)
            #expect(literal(current["total"]) == "0.00")

            for (params, field) in [
                (["start_date": "2025-02-30"], "start_date"), (["start_date": "03/01/2025"], "start_date"),
                (["end_date": "2025-13-01"], "end_date"), (["start_date": "2025-03-02", "end_date": "2025-03-01"], "end_date"),
                (["start_date": "2020-01-01", "end_date": "2025-01-01"], "end_date"), (["team_id": "2"], "team_id"),
            ] as [(JSONValue, String)] {
                let answer = try await api.call(.get, "/billing/usage", params, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == [field], "\(params)")
            }
        }
    }

    @Test(arguments: Transport.allCases) func invoicesArePagedNewestFirstWithTheirDownloadURL(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-invoices")
        let team = try await fixture.demoTeam()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let first = try await api.call(.get, "/billing/invoices", ["per_page": 2], session: admin, via: via).expectSuccess()
            #expect(first["total"] == 3)
            #expect(first["page"] == 1)
            #expect(first["per_page"] == 2)
            let items = try #require(first["items"]?.arrayValue)
            #expect(items.count == 2)
            #expect(items[0].objectValue?.keys.sorted() == ["amount", "date", "download_url", "id", "invoice_number", "status"])
            let id = try #require(items[0]["id"]?.stringValue)
            #expect(id.hasPrefix("ivc_"))
            #expect(items[0]["download_url"]?.stringValue == "/paas/api/v1/billing/invoices/\(id)/download")
            #expect(items[0]["status"] == "paid")
            #expect(literal(items[0]["amount"]) == "150.00")
            #expect(items[0]["invoice_number"]?.stringValue?.hasPrefix("INV-") == true)
            let dates = items.compactMap { $0["date"]?.stringValue }
            #expect(dates == dates.sorted(by: >))
            let second = try await api.call(.get, "/billing/invoices", ["per_page": 2, "page": 2], session: admin, via: via).expectSuccess()
            #expect(second["items"]?.arrayValue?.count == 1)
            // Another team sees none of them.
            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/billing/invoices", session: rival, via: via).expectSuccess()
            #expect(theirs["total"] == 0)
            try await api.call(.get, "/billing/invoices", ["per_page": 0], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_invoice WHERE team_id = \(team)", as: Int.self) == 3)
            // The demo ledger adds up to the balance: top-ups minus usage, and the last balance_after.
            let ledger = try await fixture.app.client.query(
                """
                SELECT sum(CASE WHEN type = 'usage' THEN -amount ELSE amount END)::text,
                       (SELECT balance_after::text FROM woow_transaction WHERE team_id = \(team) ORDER BY create_date DESC, id DESC LIMIT 1),
                       (SELECT sum(amount)::text FROM woow_usage_line WHERE team_id = \(team)),
                       sum(amount) FILTER (WHERE type = 'usage')::text
                FROM woow_transaction WHERE team_id = \(team)
                """)[0]
            #expect(try ledger.decode(String.self, at: 0) == "500.00")
            #expect(try ledger.decode(String.self, at: 1) == "500.00")
            #expect(try ledger.decode(String.self, at: 2) == ledger.decode(String.self, at: 3))
        }
    }

    @Test(arguments: Transport.allCases) func autoReloadIsValidatedStoredAndRecorded(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-auto-reload")
        let team = try await fixture.demoTeam()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let data = try await api.call(
                .put, "/billing/auto-reload", ["enabled": true, "threshold": 20.5, "amount": 75], session: admin, via: via
            ).expectSuccess()
            #expect(data == ["message": "Auto-reload settings updated"])
            let overview = try await api.call(.get, "/billing/overview", session: admin, via: via).expectSuccess()
            #expect(overview["auto_reload"]?["enabled"] == true)
            #expect(literal(overview["auto_reload"]?["threshold"]) == "20.50")
            #expect(literal(overview["auto_reload"]?["amount"]) == "75.00")
            // Off, keeping the amounts.
            try await api.call(.put, "/billing/auto-reload", ["enabled": false], session: admin, via: via).expectSuccess()
            let row = try await fixture.app.client.query(
                "SELECT auto_reload_enabled, auto_reload_threshold::text, auto_reload_amount::text FROM woow_team WHERE id = \(team)")[0]
            #expect(try row.decode(Bool.self, at: 0) == false)
            #expect(try row.decode(String.self, at: 1) == "20.50")
            #expect(try row.decode(String.self, at: 2) == "75.00")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action LIKE '%auto-reload'", as: Int.self) == 2)

            for (params, field) in [
                (["threshold": 5], "enabled"), (["enabled": true, "threshold": -1], "threshold"),
                (["enabled": true, "amount": 0], "amount"), (["enabled": true, "amount": 10.001], "amount"),
                (["enabled": true, "amount": "ten"], "amount"), (["enabled": "maybe"], "enabled"),
                (["enabled": true, "amount": 100_000], "amount"), (["enabled": true, "credits": 5], "credits"),
            ] as [(JSONValue, String)] {
                let answer = try await api.call(.put, "/billing/auto-reload", params, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == [field], "\(params)")
            }
            // The rival has no card: auto-reload cannot be turned on.
            let rival = try await api.login("rival")
            try await api.call(.put, "/billing/auto-reload", ["enabled": true, "threshold": 10, "amount": 50], session: rival, via: via)
                .expect(code: "CONFLICT", status: .conflict)
        }
    }
}
