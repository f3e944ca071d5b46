import HTTPTypes
import JSONRPC
import PaaS
import PostgresDriver
import Testing
import TestSupport

/// `POST /billing/add-funds` over both transports: the charge, its transaction, paid invoice and
/// activity; declined cards; validation; `Idempotency-Key` replay and conflict.
@Suite("PaaS: add funds")
struct AddFundsRouteTests {
    static func key(_ value: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: value] }

    @Test(arguments: Transport.allCases) func aTopUpChargesTheCardAndIssuesAPaidInvoice(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-add-funds")
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let data = try await api.call(
                .post, "/billing/add-funds", ["amount": 25.5, "payment_method_id": .string(visa)], session: admin, via: via
            ).expectSuccess()
            #expect(data.objectValue?.keys.sorted() == ["invoice_id", "message", "new_balance", "status", "transaction_id"])
            #expect(literal(data["new_balance"]) == "525.50")
            #expect(data["status"] == "success")
            #expect(data["message"] == "Funds added successfully")
            let transaction = try #require(data["transaction_id"]?.stringValue)
            #expect(transaction.hasPrefix("txn_"))
            #expect(try await fixture.balance(team) == "525.50")
            let row = try await fixture.app.client.query(
                """
                SELECT t.type, t.amount::text, t.balance_after::text, t.status, i.status, i.amount::text, i.invoice_number,
                       (SELECT string_agg(description || '=' || amount::text, ';') FROM woow_invoice_line WHERE invoice_id = i.id),
                       i.reference
                FROM woow_transaction t JOIN woow_invoice i ON i.id = t.invoice_id WHERE t.reference = \(transaction)
                """)[0]
            #expect(try row.decode(String.self, at: 0) == "topup")
            #expect(try row.decode(String.self, at: 1) == "25.50")
            #expect(try row.decode(String.self, at: 2) == "525.50")
            #expect(try row.decode(String.self, at: 3) == "succeeded")
            #expect(try row.decode(String.self, at: 4) == "paid")
            #expect(try row.decode(String.self, at: 5) == "25.50")
            #expect(try row.decode(String.self, at: 6).hasPrefix("INV-"))
            #expect(try row.decode(String.self, at: 7) == "Credits top-up — Visa •••• 4242=25.50")
            #expect(try row.decode(String.self, at: 8) == data["invoice_id"]?.stringValue)
            let activity = try await fixture.app.client.query(
                "SELECT action, target FROM woow_activity WHERE team_id = \(team) ORDER BY id DESC LIMIT 1")[0]
            #expect(try activity.decode(String.self, at: 0) == "added funds")
            #expect(try activity.decode(String.self, at: 1) == "25.50 USD (Visa •••• 4242)")
            // Listed first among the invoices.
            let invoices = try await api.call(.get, "/billing/invoices", session: admin, via: via).expectSuccess()
            #expect(invoices["items"]?[0]?["id"] == data["invoice_id"])
            #expect(invoices["total"] == 4)
            // Invoice numbers are unique and sequential.
            let numbers = try await fixture.app.client.query("SELECT invoice_number FROM woow_invoice ORDER BY id").rows
                .map { try $0.decode(String.self, at: 0) }
            #expect(Set(numbers).count == numbers.count)
        }
    }

    @Test(arguments: Transport.allCases) func declinedCardsChangeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-declined")
        let team = try await fixture.demoTeam()
        let declined = try await fixture.insertCard("4000000000000002", team: team)
        let broke = try await fixture.insertCard("4000000000009995", team: team)
        let counts = "SELECT (SELECT count(*) FROM woow_transaction) + (SELECT count(*) FROM woow_invoice) + (SELECT count(*) FROM woow_activity)"
        let before = try await fixture.scalar(PostgresQuery(stringLiteral: counts), as: Int.self)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let answer = try await api.call(
                .post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(declined)], session: admin, via: via,
                headers: Self.key("declined-1"))
            answer.expect(code: "BILLING_PAYMENT_FAILED", status: .unprocessableContent)
            #expect(answer.envelope?["error"]?.stringValue?.contains("card_declined") == true)
            let funds = try await api.call(
                .post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(broke)], session: admin, via: via)
            funds.expect(code: "BILLING_PAYMENT_FAILED", status: .unprocessableContent)
            #expect(funds.envelope?["error"]?.stringValue?.contains("insufficient_funds") == true)
            #expect(!funds.text.contains("4000000000009995"))
            #expect(try await fixture.balance(team) == "500.00")
            #expect(try await fixture.scalar(PostgresQuery(stringLiteral: counts), as: Int.self) == before)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_idempotency_key", as: Int.self) == 0)
        }
    }

    @Test(arguments: Transport.allCases) func amountsAndCardsAreValidated(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-add-funds-checks")
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        let rivalCard = try await fixture.insertCard("5555555555554444", team: try await fixture.rivalTeam(), isDefault: true)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let cases: [(JSONValue, String)] = [
                (["amount": 0, "payment_method_id": .string(visa)], "amount"),
                (["amount": -5, "payment_method_id": .string(visa)], "amount"),
                (["amount": 10.005, "payment_method_id": .string(visa)], "amount"),
                (["amount": 1e9, "payment_method_id": .string(visa)], "amount"),
                (["amount": 10_000.01, "payment_method_id": .string(visa)], "amount"),
                (["amount": true, "payment_method_id": .string(visa)], "amount"),
                (["payment_method_id": .string(visa)], "amount"),
                (["amount": 10], "payment_method_id"),
                (["amount": 10, "payment_method_id": .string(visa), "team_id": 1], "team_id"),
            ]
            for (params, field) in cases {
                let answer = try await api.call(.post, "/billing/add-funds", params, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == [field], "\(params)")
            }
            try await api.call(.post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(rivalCard)], session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, "/billing/add-funds", ["amount": 10, "payment_method_id": "pm_unknown"], session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            let badKey = try await api.call(
                .post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(visa)], session: admin, via: via,
                headers: Self.key(String(repeating: "k", count: 300)))
            badKey.expect(code: "VALIDATION_ERROR", status: .badRequest)
            // The largest top-up is accepted.
            let top = try await api.call(.post, "/billing/add-funds", ["amount": 10_000, "payment_method_id": .string(visa)], session: admin, via: via)
            #expect(literal(top.expectSuccess()["new_balance"]) == "10500.00")
            #expect(try await fixture.balance(try await fixture.rivalTeam()) == "100.00")
        }
    }

    @Test(arguments: Transport.allCases) func theSameKeyReplaysAndChargesOnceAnotherBodyConflicts(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-idempotency")
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        let mastercard = try await fixture.card("4444", team: team)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let body: JSONValue = ["amount": 10, "payment_method_id": .string(visa)]
            let first = try await api.call(.post, "/billing/add-funds", body, session: admin, via: via, headers: Self.key("order-42"))
                .expectSuccess()
            let again = try await api.call(.post, "/billing/add-funds", body, session: admin, via: via, headers: Self.key("order-42"))
                .expectSuccess()
            #expect(again == first)
            // The same amount written differently is the same request.
            let same = try await api.call(
                .post, "/billing/add-funds", ["amount": 10.00, "payment_method_id": .string(visa)], session: admin, via: via,
                headers: Self.key("order-42"))
            #expect(same.expectSuccess()["transaction_id"] == first["transaction_id"])
            #expect(try await fixture.balance(team) == "510.00")
            for other in [
                ["amount": 11, "payment_method_id": .string(visa)], ["amount": 10, "payment_method_id": .string(mastercard)],
            ] as [JSONValue] {
                try await api.call(.post, "/billing/add-funds", other, session: admin, via: via, headers: Self.key("order-42"))
                    .expect(code: "CONFLICT", status: .conflict)
            }
            // Another key is another top-up.
            let next = try await api.call(.post, "/billing/add-funds", body, session: admin, via: via, headers: Self.key("order-43"))
                .expectSuccess()
            #expect(next["transaction_id"] != first["transaction_id"])
            #expect(literal(next["new_balance"]) == "520.00")
            #expect(try await fixture.balance(team) == "520.00")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'topup' AND create_date > now() - interval '1 hour' AND amount = 10", as: Int.self) == 2)
        }
    }

    @Test func concurrentRetriesWithOneKeyChargeOnce() async throws {
        let fixture = try await PaaSFixture.make("billing-idempotency-race") { $0.databasePoolSize = 10 }
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let answers = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await api.call(
                            .post, "/billing/add-funds", ["amount": 7, "payment_method_id": .string(visa)], session: admin,
                            via: index % 2 == 0 ? .rest : .jsonRPC, headers: Self.key("same-key")
                        ).expectSuccess()
                    }
                }
                return try await group.reduce(into: [JSONValue]()) { $0.append($1) }
            }
            #expect(Set(answers.compactMap { $0["transaction_id"]?.stringValue }).count == 1)
            #expect(Set(answers.compactMap { literal($0["new_balance"]) }) == ["507.00"])
            #expect(try await fixture.balance(team) == "507.00")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND amount = 7", as: Int.self) == 1)
        }
    }
}
