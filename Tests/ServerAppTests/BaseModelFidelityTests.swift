import HummingbirdTesting
import JSONRPC
import Testing
import TestSupport

/// What Odoo clients read of the base models when they start: the company `session_info`
/// describes is the `res.company` record the user belongs to, `ir.model` answers
/// `get_available_models` and `transient`, and `fields_get([])` describes every field.
@Suite("Base models as Odoo clients read them")
struct BaseModelFidelityTests {
    static func call(
        _ client: any TestClientProtocol, _ session: String, _ model: String, _ method: String, _ args: JSONValue,
        _ kwargs: JSONValue = [:]
    ) async throws -> JSONValue {
        let response = try await client.jsonCall(
            "/web/dataset/call_kw", params: ["model": .string(model), "method": .string(method), "args": args, "kwargs": kwargs],
            session: session)
        let json = try response.json
        return try #require(json["result"], "\(model).\(method): \(json)")
    }

    @Test func theSessionsCompanyIsTheUsersCompanyRecord() async throws {
        let app = try await TestApp.make("base_company")
        try await app.application().test(.router) { client in
            let session = try await client.login(app, login: "member", password: "member")
            let info = try await client.sessionInfo(session).json["result"]
            let companies = try #require(info?["user_companies"])
            let current = try #require(companies["current_company"]?.int64Value)
            let described = try #require(companies["allowed_companies"]?[String(current)])

            let user = try await Self.call(client, session, "res.users", "read", [[info?["uid"] ?? 0], ["company_id", "company_ids", "share"]])
            #expect(user[0]?["company_id"]?[0]?.int64Value == current)
            #expect(user[0]?["company_id"]?[1] == described["name"])
            #expect(user[0]?["company_ids"] == [.number(JSONNumber(current))])
            #expect(user[0]?["share"] == false)
            let company = try await Self.call(client, session, "res.company", "read", [[.number(JSONNumber(current))], ["name", "currency_id"]])
            #expect(company[0]?["name"] == described["name"])
            let currency = try await Self.call(client, session, "res.currency", "read", [[company[0]?["currency_id"]?[0] ?? 0], ["name", "symbol"]])
            #expect(currency[0]?["symbol"] == info?["currencies"]?["1"]?["symbol"])
            #expect(currency[0]?["name"] == "USD")
            // The company is the server's: nobody renames it through RPC.
            let admin = try await client.login(app)
            let rename = try await client.jsonCall(
                "/web/dataset/call_kw",
                params: ["model": "res.company", "method": "write", "args": [[.number(JSONNumber(current))], ["name": "Renamed"]], "kwargs": [:]],
                session: admin)
            #expect(try rename.json["error"]?["data"]?["name"] == "odoo.exceptions.AccessError")
        }
        await app.shutdown()
    }

    @Test func irModelAnswersWhatOdoolyAndTheWebClientAsk() async throws {
        let app = try await TestApp.make("base_ir_model")
        try await app.application().test(.router) { client in
            let session = try await client.login(app, login: "member", password: "member")
            let available = try await Self.call(client, session, "ir.model", "get_available_models", [])
            let models = available.arrayValue?.compactMap { $0["model"]?.stringValue } ?? []
            #expect(models.contains("res.partner") && models.contains("woow.workspace"), "\(models)")
            #expect(available.arrayValue?.first { $0["model"] == "res.partner" }?["display_name"] == "Contact")
            let transient = try await Self.call(client, session, "ir.model", "search_read", [[["model", "=", "res.partner"]], ["model", "transient"]])
            #expect(transient[0]?["transient"] == false)
            let named = try await Self.call(client, session, "ir.model", "display_name_for", [["res.users", "no.such.model"]])
            #expect(named == [["display_name": "User", "model": "res.users"], ["display_name": "no.such.model", "model": "no.such.model"]])
            let everything = try await Self.call(client, session, "res.partner", "fields_get", [[], [:]])
            #expect(everything["name"] != nil && everything["company_id"] != nil && everything["team_id"] != nil)
            let some = try await Self.call(client, session, "res.partner", "search", [[["is_company", "=", true]]], ["limit": 1])
            let data = try await Self.call(client, session, "res.partner", "copy_data", [some])
            #expect(data.arrayValue?.count == 1 && data[0]?["name"] != nil && data[0]?["id"] == nil, "\(data)")
        }
        // A user who is not internal (a portal-like account) gets no model at all.
        try await app.createUser(login: "outsider@example.com", password: "outsider-password", groups: [])
        try await app.application().test(.router) { client in
            let outsider = try await client.login(app, login: "outsider@example.com", password: "outsider-password")
            #expect(try await Self.call(client, outsider, "ir.model", "get_available_models", []) == [])
        }
        await app.shutdown()
    }
}
