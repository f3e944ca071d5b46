import Foundation
import HTTPTypes
import JSONRPC
import PaaS
import Testing
import TestSupport

/// `/billing/payment-methods` over both transports, and the test gateway's card checks: only brand,
/// last four and expiry are stored, never the number or the CVC.
@Suite("PaaS: payment methods")
struct PaymentMethodRouteTests {
    @Test(arguments: Transport.allCases) func addListDefaultAndDelete(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-cards")
        let team = try await fixture.demoTeam()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let added = try await api.call(
                .post, "/billing/payment-methods",
                ["card_number": "3782 822463 10005", "expiry_month": "07", "expiry_year": "2031", "cvc": "1234", "set_as_default": true],
                session: admin, via: via
            ).expectSuccess(.created)
            let amex = try #require(added["id"]?.stringValue)
            #expect(amex.hasPrefix("pm_") && amex.count == 27)
            #expect(added["type"] == "amex")
            #expect(added["last_four"] == "0005")
            #expect(added["message"] == "Payment method added successfully")
            #expect(added["is_default"] == true)

            // A Mastercard of the 2-series, as numbers, with a two-digit year; not the default.
            let mastercard = try await api.call(
                .post, "/billing/payment-methods",
                ["card_number": "2223003122003222", "expiry_month": 1, "expiry_year": 39, "cvc": "999"], session: admin, via: via
            ).expectSuccess(.created)
            #expect(mastercard["type"] == "mastercard")
            #expect(mastercard["is_default"] == false)

            let manager = try await api.login("manager")
            let list = try await api.call(.get, "/billing/payment-methods", session: manager, via: via).expectSuccess()
            let items = try #require(list["items"]?.arrayValue)
            #expect(items.map { $0["last_four"]?.stringValue } == ["4242", "4444", "0005", "3222"])
            #expect(items.map { $0["is_default"] } == [false, false, true, false])
            #expect(items[2] == ["id": .string(amex), "type": "amex", "last_four": "0005", "expiry": "07/2031", "is_default": true])
            #expect(items[3]["expiry"] == "01/2039")

            // Default moves to the Mastercard; exactly one default.
            let mc = try #require(mastercard["id"]?.stringValue)
            try await api.call(.put, "/billing/payment-methods/\(mc)/default", session: admin, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT reference FROM woow_payment_method WHERE team_id = \(team) AND is_default", as: String.self) == mc)
            // Deleting the default promotes the newest remaining card.
            let deleted = try await api.call(.delete, "/billing/payment-methods/\(mc)", session: admin, via: via).expectSuccess()
            #expect(deleted == ["message": "Payment method deleted"])
            #expect(try await fixture.scalar("SELECT reference FROM woow_payment_method WHERE team_id = \(team) AND is_default", as: String.self) == amex)
            try await api.call(.delete, "/billing/payment-methods/\(mc)", session: admin, via: via).expect(code: "NOT_FOUND", status: .notFound)
            let actions = try await fixture.app.client.query(
                "SELECT action, target FROM woow_activity WHERE res_model = 'woow.payment.method' ORDER BY id").rows
                .map { "\(try $0.decode(String.self, at: 0)): \(try $0.decode(String.self, at: 1))" }
            #expect(actions == [
                "added payment method: American Express •••• 0005", "added payment method: Mastercard •••• 3222",
                "set default payment method: Mastercard •••• 3222", "deleted payment method: Mastercard •••• 3222",
            ])
            // No number and no CVC anywhere in the database.
            let dump = try await fixture.scalar(
                """
                SELECT (SELECT coalesce(string_agg(row_to_json(p)::text, ''), '') FROM woow_payment_method p)
                    || (SELECT coalesce(string_agg(row_to_json(a)::text, ''), '') FROM woow_activity a)
                """, as: String.self)
            for secret in ["378282246310005", "2223003122003222"] {
                #expect(!dump.contains(secret), "\(secret) stored")
            }
        }
    }

    @Test(arguments: Transport.allCases) func invalidCardsAreRefusedWithoutEchoingTheNumber(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("billing-card-checks")
        let team = try await fixture.demoTeam()
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let cases: [(JSONValue, String)] = [
                (["card_number": "4242424242424241", "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "card_number"),  // Luhn
                (["card_number": "6011111111111117", "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "card_number"),  // Discover
                (["card_number": "4242-4242-abcd-4242", "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "card_number"),
                (["card_number": "4242424242424242", "expiry_month": "13", "expiry_year": "2040", "cvc": "123"], "expiry_month"),
                (["card_number": "4242424242424242", "expiry_month": "01", "expiry_year": "2020", "cvc": "123"], "expiry_year"),
                (["card_number": "4242424242424242", "expiry_month": "12", "expiry_year": "2040", "cvc": "1234"], "cvc"),
                (["card_number": "378282246310005", "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "cvc"),
                (["expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "card_number"),
                (["card_number": 4242424242424242, "expiry_month": "12", "expiry_year": "2040", "cvc": "123"], "card_number"),
                (["card_number": "4242424242424242", "expiry_month": "12", "expiry_year": "2040", "cvc": "123", "brand": "visa"], "brand"),
            ]
            for (params, field) in cases {
                let answer = try await api.call(.post, "/billing/payment-methods", params, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == [field], "\(params)")
                #expect(!answer.text.contains("424242424242"))
                #expect(!answer.text.contains("37828224631"))
            }
            // A card expiring this month is still valid.
            let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            try await api.call(
                .post, "/billing/payment-methods",
                ["card_number": "5555555555554444", "expiry_month": JSONValue(now.month!), "expiry_year": JSONValue(now.year!), "cvc": "321"],
                session: admin, via: via
            ).expectSuccess(.created)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_payment_method WHERE team_id = \(team)", as: Int.self) == 3)
        }
    }

    @Test func theLastCardCannotGoWhileAutoReloadIsOnAndOtherTeamsCardsAreNotFound() async throws {
        let fixture = try await PaaSFixture.make("billing-card-last")
        let rivalTeam = try await fixture.rivalTeam()
        let rivalCard = try await fixture.insertCard("4242424242424242", team: rivalTeam, isDefault: true)
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        let mastercard = try await fixture.card("4444", team: team)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            for transport in Transport.allCases {
                try await api.call(.put, "/billing/payment-methods/\(rivalCard)/default", session: admin, via: transport)
                    .expect(code: "NOT_FOUND", status: .notFound)
                try await api.call(.delete, "/billing/payment-methods/\(rivalCard)", session: admin, via: transport)
                    .expect(code: "NOT_FOUND", status: .notFound)
                try await api.call(.delete, "/billing/payment-methods/pm_nope", session: admin, via: transport)
                    .expect(code: "NOT_FOUND", status: .notFound)
            }
            try await api.call(.put, "/billing/auto-reload", ["enabled": true, "threshold": 10, "amount": 20], session: admin, via: .rest)
                .expectSuccess()
            try await api.call(.delete, "/billing/payment-methods/\(mastercard)", session: admin, via: .rest).expectSuccess()
            try await api.call(.delete, "/billing/payment-methods/\(visa)", session: admin, via: .rest)
                .expect(code: "CONFLICT", status: .conflict)
            try await api.call(.put, "/billing/auto-reload", ["enabled": false], session: admin, via: .rest).expectSuccess()
            try await api.call(.delete, "/billing/payment-methods/\(visa)", session: admin, via: .jsonRPC).expectSuccess()
            let list = try await api.call(.get, "/billing/payment-methods", session: admin, via: .rest).expectSuccess()
            #expect(list["items"] == [])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_payment_method WHERE team_id = \(rivalTeam) AND is_default", as: Int.self) == 1)
        }
    }

    @Test func theTestGatewayChecksLuhnBrandsAndItsPublishedNumbers() async throws {
        #expect(CardBrand.passesLuhn("4242424242424242"))
        #expect(!CardBrand.passesLuhn("4242424242424243"))
        #expect(CardBrand(number: "4242424242424242") == .visa)
        #expect(CardBrand(number: "5555555555554444") == .mastercard)
        #expect(CardBrand(number: "2720990000000007") == .mastercard)
        #expect(CardBrand(number: "2721000000000004") == nil)
        #expect(CardBrand(number: "378282246310005") == .amex)
        #expect(CardBrand(number: "3782822463100050") == nil)
        #expect(CardBrand(number: "6011111111111117") == nil)
        let gateway = TestPaymentGateway()
        func token(_ number: String, cvc: String = "123") async throws -> String {
            try await gateway.tokenize(CardDetails(number: number, expMonth: 12, expYear: 2040, cvc: cvc), today: Date()).token
        }
        func charge(_ token: String) async -> Result<ChargeReceipt, PaymentGatewayError> {
            do throws(PaymentGatewayError) {
                return .success(try await gateway.charge(
                    PaymentCharge(amount: Money(cents: 1000), currency: "USD", token: token, reference: "txn_x", description: "t")))
            } catch { return .failure(error) }
        }
        for number in ["4242424242424242", "5555555555554444"] {
            #expect(try await charge(token(number)).get().gatewayReference.hasPrefix("ch_test_"))
        }
        #expect(try await charge(token("378282246310005", cvc: "1234")).get().gatewayReference.hasPrefix("ch_test_"))
        guard case .failure(.declined(let code, _)) = await charge(try await token("4000000000000002")) else {
            Issue.record("4000000000000002 was not declined")
            return
        }
        #expect(code == "card_declined")
        guard case .failure(.declined(let funds, _)) = await charge(try await token("4000000000009995")) else {
            Issue.record("4000000000009995 was not declined")
            return
        }
        #expect(funds == "insufficient_funds")
        #expect("\(CardDetails(number: "4242424242424242", expMonth: 1, expYear: 2040, cvc: "123"))" == "card ••••")
        #expect(MeteringRate.charge(monthlyPrice: Money(cents: 2900), hours: 1, remainder: 0) == (Money(cents: 4), 20))
        #expect(MeteringRate.charge(monthlyPrice: Money(cents: 2900), hours: 719, remainder: 20).amount == Money(cents: 2896))
    }
}
