import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import PostgresDriver
import Testing
import TestSupport

/// `/web/dataset/call_kw[/<model>/<method>]` over HTTP with a logged-in session: results, and the
/// error envelopes of the real Odoo 18 captures 04, 06, 06b, 06c, 07, 07b, 07c, 07d.
@Suite("call_kw: results and Odoo error shapes")
struct CallKWErrorShapeTests {
    static let notFoundMessage =
        "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."

    /// One malformed call and the error Odoo 18 answers.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let label: String
        let params: JSONValue
        let name: String
        /// The exact message, or `nil` to check only `contains`.
        let message: String?
        var contains: String? = nil
        var testDescription: String { label }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            label: "06b unknown method",
            params: ["model": "res.partner", "method": "no_such_method", "args": [], "kwargs": [:]],
            name: "builtins.AttributeError",
            message: "The method 'no_such_method' does not exist on the model 'res.partner'"),
        ErrorCase(
            label: "06c private method",
            params: ["model": "res.partner", "method": "_compute_display_name", "args": [[1]], "kwargs": [:]],
            name: "odoo.exceptions.AccessError",
            message: "Private methods (such as _compute_display_name) cannot be called remotely."),
        ErrorCase(
            label: "init is private too",
            params: ["model": "res.partner", "method": "init", "args": [], "kwargs": [:]],
            name: "odoo.exceptions.AccessError",
            message: "Private methods (such as init) cannot be called remotely."),
        ErrorCase(
            label: "07 bad operator",
            params: [
                "model": "res.partner", "method": "search_read", "args": [[["name", "bogus_op", "x"]]],
                "kwargs": ["fields": ["name"]],
            ],
            name: "builtins.ValueError", message: "Invalid leaf ('name', 'bogus_op', 'x')"),
        ErrorCase(
            label: "07b short leaf",
            params: [
                "model": "res.partner", "method": "search_read", "args": [[["name", "="]]],
                "kwargs": ["fields": ["name"]],
            ],
            name: "builtins.ValueError", message: "not enough values to unpack (expected 3, got 2)"),
        ErrorCase(
            label: "07c domain not a list",
            params: [
                "model": "res.partner", "method": "search_read", "args": [],
                "kwargs": ["domain": "this is not a domain", "fields": ["name"]],
            ],
            name: "builtins.AssertionError",
            message: "Domains to normalize must have a 'domain' form: a list or tuple of domain components"),
        ErrorCase(
            label: "07d unknown field",
            params: [
                "model": "res.partner", "method": "search_read", "args": [[["no_such_field", "=", 1]]],
                "kwargs": ["fields": ["name"]],
            ],
            name: "builtins.ValueError",
            message: "Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)"),
        ErrorCase(
            label: "missing args",
            params: ["model": "res.partner", "method": "search_read", "kwargs": [:]],
            name: "builtins.TypeError", message: nil, contains: "'args'"),
        ErrorCase(
            label: "missing model",
            params: ["method": "search_read", "args": [], "kwargs": [:]],
            name: "builtins.TypeError", message: nil, contains: "'model'"),
    ]

    @Test func searchReadSucceedsOnBothPathsAndTheSuffixIsIgnored() async throws {
        let app = try await TestApp.make("callkwok")
        let expectedIDs = try await app.client.query(
            "SELECT id FROM res_partner WHERE is_company AND active ORDER BY id LIMIT 5"
        ).rows.map { try $0.decode(Int64.self, at: 0) }
        #expect(expectedIDs.count == 5, "the demo data has companies")
        let params: JSONValue = [
            "model": "res.partner", "method": "search_read", "args": [[["is_company", "=", true]]],
            "kwargs": ["fields": ["name", "is_company"], "limit": 5, "order": "id", "context": ["lang": "en_US"]],
        ]
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            var results: [JSONValue] = []
            // The suffix is for logs only: a suffix naming another model and method changes nothing.
            for (index, path) in [
                "/web/dataset/call_kw", "/web/dataset/call_kw/res.partner/search_read", "/web/dataset/call_kw/res.users/read",
            ].enumerated() {
                let response = try await client.jsonCall(path, params: params, id: .number(JSONNumber(index + 3)), session: session)
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["error"] == nil, "\(path): \(json)")
                #expect(json["id"]?.intValue == index + 3)
                #expect(json.objectValue?.keys == ["jsonrpc", "id", "result"])
                let rows = try #require(json["result"]?.arrayValue, "\(path): \(json)")
                #expect(rows.compactMap { $0["id"]?.int64Value } == expectedIDs, "\(path)")
                for row in rows {
                    #expect(Set(row.objectValue?.keys ?? []) == ["id", "name", "is_company"], "\(row)")
                    #expect(row["is_company"] == true)
                    #expect(row["name"]?.stringValue?.isEmpty == false)
                }
                results.append(.array(rows))
            }
            #expect(Set(results).count == 1, "every path answers the same rows")
        }
        await app.shutdown()
    }

    @Test(arguments: ["/web/dataset/call_kw", "/web/dataset/call_kw/res.partner/search_read"])
    func withoutASessionIsSessionExpiredWithANullID(_ path: String) async throws {
        let app = try await TestApp.make("callkwanon")
        let params: JSONValue = ["model": "res.partner", "method": "search_count", "args": [[]], "kwargs": [:]]
        try await app.application().test(.router) { client in
            // Capture 04: code 100, id null.
            for session in [nil, String(repeating: "A", count: 84), "garbage"] {
                let response = try await client.jsonCall(path, params: params, id: 2, session: session)
                try expectOdooError(
                    response, code: 100, name: "odoo.http.SessionExpiredException", message: "Session expired", id: .null)
                #expect(response.headers[values: .setCookie].isEmpty)
            }
        }
        await app.shutdown()
    }

    @Test func unknownModelIsA404NotFoundWithANullID() async throws {
        let app = try await TestApp.make("callkwnomodel")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            // Capture 06: code 404, werkzeug's NotFound, empty arguments, id null. Odoo 18 looks the
            // model up (`_call_kw_readonly`) before it looks at the method, so the method name —
            // unknown or private — does not matter.
            for method in ["search_read", "no_such_method", "_private"] {
                let response = try await client.jsonCall(
                    "/web/dataset/call_kw",
                    params: ["model": "no.such.model", "method": .string(method), "args": [], "kwargs": [:]], id: 6,
                    session: session)
                let data = try expectOdooError(response, code: 404, name: "werkzeug.exceptions.NotFound", id: .null)
                #expect(data["message"] == .string(Self.notFoundMessage))
                #expect(data["arguments"] == [])
                #expect(data["context"] == [:])
            }
        }
        await app.shutdown()
    }

    @Test(arguments: errorCases)
    func errorsHaveOdoosShape(_ errorCase: ErrorCase) async throws {
        let app = try await TestApp.make("callkwerr")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            for path in ["/web/dataset/call_kw", "/web/dataset/call_kw/res.partner/search_read"] {
                let response = try await client.jsonCall(path, params: errorCase.params, id: 9, session: session)
                let data = try expectOdooError(
                    response, code: 200, name: errorCase.name, message: errorCase.message, id: 9)
                if let fragment = errorCase.contains {
                    #expect(data["message"]?.stringValue?.contains(fragment) == true, "\(data)")
                }
                #expect(data["arguments"] == [data["message"] ?? .null])
                #expect(data["context"] == [:])
                let json = try response.json
                #expect(json.objectValue?.keys == ["jsonrpc", "id", "error"])
                // The debug text is the exception line, never a traceback or a server path.
                let debug = try #require(data["debug"]?.stringValue)
                for forbidden in ["Traceback", ".swift", "/work"] { #expect(!debug.contains(forbidden), "\(debug)") }
            }
        }
        await app.shutdown()
    }

    @Test func privateMethodsAreRefusedEvenWhenTheyWouldNotExist() async throws {
        let app = try await TestApp.make("callkwprivate")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            for method in ["_read", "_search", "__init__", "_sql", "_"] {
                let response = try await client.jsonCall(
                    "/web/dataset/call_kw", params: ["model": "res.partner", "method": .string(method), "args": [[1]], "kwargs": [:]],
                    id: 8, session: session)
                try expectOdooError(
                    response, code: 200, name: "odoo.exceptions.AccessError",
                    message: "Private methods (such as \(method)) cannot be called remotely.", id: 8)
            }
        }
        await app.shutdown()
    }

    @Test func aValidationErrorLeavesNothingStored() async throws {
        let app = try await TestApp.make("callkwvalidation")
        func partners() async throws -> Int64 {
            try await app.client.query("SELECT count(*) FROM res_partner")[0].decode(Int64.self, at: 0)
        }
        let before = try await partners()
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            // One record without its required name.
            let single = try await client.jsonCall(
                "/web/dataset/call_kw",
                params: ["model": "res.partner", "method": "create", "args": [["email": "nameless@example.com"]], "kwargs": [:]],
                id: 11, session: session)
            try expectOdooError(single, code: 200, name: "odoo.exceptions.ValidationError", id: 11)
            // A valid record followed by an invalid one: the call is one transaction, so neither stays.
            let batch = try await client.jsonCall(
                "/web/dataset/call_kw",
                params: [
                    "model": "res.partner", "method": "create",
                    "args": [[["name": "Atomic First"], ["email": "nameless@example.com"]]], "kwargs": [:],
                ],
                id: 12, session: session)
            try expectOdooError(batch, code: 200, name: "odoo.exceptions.ValidationError", id: 12)
        }
        #expect(try await partners() == before)
        let atomic = try await app.client.query(
            "SELECT count(*) FROM res_partner WHERE name = 'Atomic First' OR email = 'nameless@example.com'")
        #expect(try atomic[0].decode(Int64.self, at: 0) == 0)
        await app.shutdown()
    }

    @Test func createReadAndWriteFollowOdoosConventions() async throws {
        let app = try await TestApp.make("callkwcrud")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            func call(_ method: String, _ args: JSONValue, _ kwargs: JSONValue = [:], id: Int = 20) async throws -> JSONValue {
                let response = try await client.jsonCall(
                    "/web/dataset/call_kw/res.partner/\(method)",
                    params: ["model": "res.partner", "method": .string(method), "args": args, "kwargs": kwargs],
                    id: .number(JSONNumber(id)), session: session)
                let json = try response.json
                #expect(json["error"] == nil, "\(method): \(json)")
                #expect(json["id"]?.intValue == id)
                return try #require(json["result"], "\(method): \(json)")
            }
            // create with one dict → an int.
            let single = try await call("create", [["name": "CallKW Single", "email": "single@example.com"]])
            let singleID = try #require(single.int64Value, "create(dict) answers an int, got \(single)")
            #expect(single.arrayValue == nil)
            // create with a list → a list of ints, even of one.
            let many = try await call("create", [[["name": "CallKW One"], ["name": "CallKW Two"]]])
            let manyItems = try #require(many.arrayValue, "create([dicts]) answers a list, got \(many)")
            let manyIDs = manyItems.compactMap(\.int64Value)
            #expect(manyIDs.count == 2)
            #expect(Set(manyIDs).count == 2)
            #expect(!manyIDs.contains(singleID))
            let one = try await call("create", [[["name": "CallKW Lonely"]]])
            #expect(one.arrayValue?.count == 1, "create([dict]) answers a list: \(one)")
            #expect(one.arrayValue?.first?.int64Value != nil)

            // read with a single int id.
            let readSingle = try await call("read", [.number(JSONNumber(singleID)), ["name", "email"]])
            let rows = try #require(readSingle.arrayValue)
            #expect(rows.count == 1)
            #expect(rows.first?["id"]?.int64Value == singleID)
            #expect(rows.first?["name"] == "CallKW Single")
            #expect(rows.first?["email"] == "single@example.com")
            // read with an id list and keyword fields.
            let readMany = try await call("read", [.array(manyIDs.map { .number(JSONNumber($0)) })], ["fields": ["name"]])
            #expect(readMany.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted() == ["CallKW One", "CallKW Two"])

            // write returns true, with an id list or a single id.
            let written = try await call("write", [[.number(JSONNumber(singleID))], ["phone": "+32 2 555 12 12"]])
            #expect(written == true)
            let writtenSingle = try await call("write", [.number(JSONNumber(manyIDs[0])), ["city": "Brussels"]])
            #expect(writtenSingle == true)
        }
        let stored = try await app.client.query(
            "SELECT name, email, phone FROM res_partner WHERE name LIKE 'CallKW%' ORDER BY id")
        #expect(stored.rowCount == 4)
        #expect(try stored[0].decode(String.self, at: 0) == "CallKW Single")
        #expect(try stored[0].decode(String?.self, at: 2) == "+32 2 555 12 12")
        let city = try await app.client.query("SELECT city FROM res_partner WHERE name = 'CallKW One'")
        #expect(try city[0].decode(String?.self, at: 0) == "Brussels")
        await app.shutdown()
    }

    @Test func aFailedWriteChangesNothing() async throws {
        let app = try await TestApp.make("callkwwritefail")
        let partner = try await app.client.query("SELECT id, name FROM res_partner WHERE is_company ORDER BY id LIMIT 1")[0]
        let id = try partner.decode(Int64.self, at: 0)
        let name = try partner.decode(String.self, at: 1)
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            // The phone is valid, the empty name is not: neither is written.
            let response = try await client.jsonCall(
                "/web/dataset/call_kw",
                params: [
                    "model": "res.partner", "method": "write",
                    "args": [[.number(JSONNumber(id))], ["phone": "+1 555 0100", "name": false]], "kwargs": [:],
                ],
                id: 13, session: session)
            try expectOdooError(response, code: 200, name: "odoo.exceptions.ValidationError", id: 13)
        }
        let after = try await app.client.query("SELECT name, phone FROM res_partner WHERE id = \(id)")[0]
        #expect(try after.decode(String.self, at: 0) == name)
        #expect(try after.decode(String?.self, at: 1) != "+1 555 0100")
        await app.shutdown()
    }
}
