import HTTPTypes
import HummingbirdTesting
import JSONRPC
import PostgresDriver
import Testing
import TestSupport

/// `/web/dataset/call_kw` on the billing models obeys the billing routes: owners and admins read
/// their own team's records, users and guests none, nobody another team's; nobody creates, writes
/// or deletes them through RPC; the gateway token is for system administrators only.
@Suite("PaaS: billing over call_kw")
struct BillingRPCAccessTests {
    static func callKW(_ api: APIClient, session: String, model: String, _ method: String, _ args: JSONValue, kwargs: JSONValue = [:])
        async throws -> Result<JSONValue, CloudAppRPCAccessTests.RPCFailure>
    {
        let response = try await api.client.execute(
            uri: "/web/dataset/call_kw/\(model)/\(method)", method: .post, headers: .json(session: session),
            body: RPCBody.call(["model": .string(model), "method": .string(method), "args": args, "kwargs": kwargs], id: 3))
        let json = try response.json
        if let error = json["error"] {
            return .failure(CloudAppRPCAccessTests.RPCFailure(name: error["data"]?["name"]?.stringValue ?? "?"))
        }
        return .success(json["result"] ?? .null)
    }

    @Test func billingRecordsAreReadOnlyAndScopedToTheTeamsOwnersAndAdmins() async throws {
        let fixture = try await PaaSFixture.make("billing-callkw")
        let rivalTeam = try await fixture.rivalTeam()
        let rivalCard = try await fixture.insertCard("5555555555554444", team: rivalTeam, isDefault: true)
        let rivalCardID = try await fixture.scalar("SELECT id FROM woow_payment_method WHERE reference = \(rivalCard)", as: Int64.self)
        let demoInvoice = try await fixture.scalar("SELECT min(id) FROM woow_invoice", as: Int64.self)
        let models = ["woow.payment.method", "woow.transaction", "woow.invoice", "woow.invoice.line", "woow.usage.line"]
        try await fixture.test { api in
            let manager = try await api.login("manager")
            // Counts through the ORM equal the team's rows.
            for (model, table) in zip(models, ["woow_payment_method", "woow_transaction", "woow_invoice", "woow_invoice_line", "woow_usage_line"]) {
                let count = try await Self.callKW(api, session: manager, model: model, "search_count", [[]]).get()
                let expected = try await fixture.scalar(
                    model == "woow.invoice.line"
                        ? "SELECT count(*) FROM woow_invoice_line l JOIN woow_invoice i ON i.id = l.invoice_id JOIN woow_team t ON t.id = i.team_id WHERE t.name = 'WoowTech Demo'"
                        : PostgresQueryString.count(table), as: Int.self)
                #expect(count.intValue == expected, "\(model)")
                #expect(expected > 0, "\(model)")
            }
            let cards = try await Self.callKW(
                api, session: manager, model: "woow.payment.method", "search_read", [[]], kwargs: ["fields": ["brand", "last_four"]]).get()
            #expect(cards.arrayValue?.compactMap { $0["last_four"]?.stringValue }.sorted() == ["4242", "4444"])
            // The gateway token is not for team admins.
            let token = try await Self.callKW(
                api, session: manager, model: "woow.payment.method", "search_read", [[]], kwargs: ["fields": ["gateway_token"]])
            #expect(token == .failure(CloudAppRPCAccessTests.accessError))
            // Another team's card is out of reach.
            #expect(try await Self.callKW(api, session: manager, model: "woow.payment.method", "read", [[.number(JSONNumber(rivalCardID))], ["brand"]])
                == .failure(CloudAppRPCAccessTests.accessError))
            // Nothing is written through RPC, not even by the owner.
            let owner = try await api.login("admin")
            #expect(try await Self.callKW(
                api, session: owner, model: "woow.transaction", "create",
                [["reference": "txn_fake", "team_id": 1, "type": "topup", "amount": 1000, "balance_after": 1000, "description": "free money"]])
                == .failure(CloudAppRPCAccessTests.accessError))
            #expect(try await Self.callKW(
                api, session: owner, model: "woow.invoice", "write", [[.number(JSONNumber(demoInvoice))], ["status": "failed"]])
                == .failure(CloudAppRPCAccessTests.accessError))
            #expect(try await Self.callKW(api, session: owner, model: "woow.invoice", "unlink", [[.number(JSONNumber(demoInvoice))]])
                == .failure(CloudAppRPCAccessTests.accessError))
            #expect(try await Self.callKW(api, session: owner, model: "woow.team", "write", [[1], ["credits_balance": 99999]])
                == .failure(CloudAppRPCAccessTests.accessError))
            // Users and guests see no billing record at all.
            for login in ["member", "guest"] {
                let session = try await api.login(login)
                for model in models {
                    #expect(try await Self.callKW(api, session: session, model: model, "search_count", [[]]).get() == 0, "\(login) \(model)")
                }
            }
            // The rival sees only its own card.
            let rival = try await api.login("rival")
            let theirs = try await Self.callKW(
                api, session: rival, model: "woow.payment.method", "search_read", [[]], kwargs: ["fields": ["last_four"]]).get()
            #expect(theirs.arrayValue?.compactMap { $0["last_four"]?.stringValue } == ["4444"])
            #expect(try await Self.callKW(api, session: rival, model: "woow.invoice", "search_count", [[]]).get() == 0)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE reference = 'txn_fake'", as: Int.self) == 0)
            #expect(try await fixture.balance(try await fixture.demoTeam()) == "500.00")
        }
    }
}

/// `SELECT count(*)` of a demo-team table (tables named in the test only).
enum PostgresQueryString {
    static func count(_ table: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table) x JOIN woow_team t ON t.id = x.team_id WHERE t.name = 'WoowTech Demo'")
    }
}
