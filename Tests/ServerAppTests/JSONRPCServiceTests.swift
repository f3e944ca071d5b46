import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import PostgresDriver
import Testing
import TestSupport

/// `/jsonrpc`: Odoo's stateless `common`, `object` and `db` services (odoo-protocol §3.3,
/// captures 09-12e).
@Suite("/jsonrpc: common, object and db services")
struct JSONRPCServiceTests {
    static let versionInfo: JSONValue = [
        "server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""], "server_serie": "18.0",
        "protocol_version": 1,
    ]

    static func adminID(_ app: TestApp) async throws -> Int64 {
        try await app.client.query("SELECT id FROM res_users WHERE login = 'admin'")[0].decode(Int64.self, at: 0)
    }

    @Test func commonVersionAndStringIDs() async throws {
        let app = try await TestApp.make("jrpcversion")
        try await app.application().test(.router) { client in
            let response = try await client.rpc("common", "version", [], id: 14)
            #expect(response.status == .ok)
            #expect(try response.json == ["jsonrpc": "2.0", "id": 14, "result": Self.versionInfo])
            #expect(response.headers[values: .setCookie].isEmpty, "/jsonrpc is stateless")
            // Capture 12e: a string id is echoed as a string.
            let stringID = try await client.rpc("common", "version", [], id: "abc-123")
            #expect(try stringID.json == ["jsonrpc": "2.0", "id": "abc-123", "result": Self.versionInfo])
            // So is a string id on an error.
            let failed = try await client.rpc("nosuchservice", "version", [], id: "err-7")
            try expectOdooError(failed, code: 200, name: "builtins.KeyError", id: "err-7")
        }
        await app.shutdown()
    }

    @Test func loginAndAuthenticate() async throws {
        let app = try await TestApp.make("jrpclogin")
        let uid = try await Self.adminID(app)
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.router) { client in
            // Capture 10: the uid.
            let good = try await client.rpc("common", "login", [db, "admin", "admin"], id: 15)
            #expect(try good.json == ["jsonrpc": "2.0", "id": 15, "result": .number(JSONNumber(uid))])
            #expect(good.headers[values: .setCookie].isEmpty)
            // Capture 11: bad credentials are `false`, never an error.
            for args: JSONValue in [
                [db, "admin", "wrong"], [db, "nobody@example.com", "admin"], [db, "admin", ""],
                ["no_such_database", "admin", "admin"],
            ] {
                let bad = try await client.rpc("common", "login", args, id: 16)
                #expect(try bad.json == ["jsonrpc": "2.0", "id": 16, "result": false], "login\(args)")
            }
            // Capture 11b: authenticate takes a user-agent env (may be `{}`).
            let authenticated = try await client.rpc("common", "authenticate", [db, "admin", "admin", [:]], id: 17)
            #expect(try authenticated.json == ["jsonrpc": "2.0", "id": 17, "result": .number(JSONNumber(uid))])
            let refused = try await client.rpc("common", "authenticate", [db, "admin", "wrong", [:]], id: 18)
            #expect(try refused.json["result"] == false)
            #expect(try refused.json["error"] == nil)
        }
        await app.shutdown()
    }

    @Test func executeKWSearchReadAndExecuteWithPositionalArguments() async throws {
        let app = try await TestApp.make("jrpcexecute")
        let uid = JSONValue.number(JSONNumber(try await Self.adminID(app)))
        let db = JSONValue.string(app.database.name)
        let companies = try await app.client.query(
            "SELECT id, name FROM res_partner WHERE is_company AND active ORDER BY id")
        let companyIDs = try companies.rows.map { try $0.decode(Int64.self, at: 0) }
        try await app.application().test(.router) { client in
            // Capture 12.
            let response = try await client.rpc(
                "object", "execute_kw",
                [
                    db, uid, "admin", "res.partner", "search_read", [[["is_company", "=", true]]],
                    ["fields": ["name", "email"], "limit": 5, "order": "id"],
                ], id: 18)
            let json = try response.json
            #expect(json["error"] == nil, "\(json)")
            #expect(json["id"] == 18)
            let rows = try #require(json["result"]?.arrayValue)
            #expect(rows.compactMap { $0["id"]?.int64Value } == Array(companyIDs.prefix(5)))
            for row in rows { #expect(Set(row.objectValue?.keys ?? []) == ["id", "name", "email"]) }

            // execute: the method's arguments follow positionally.
            let count = try await client.rpc(
                "object", "execute", [db, uid, "admin", "res.partner", "search_count", [["is_company", "=", true]]], id: 19)
            #expect(try count.json["result"]?.intValue == companyIDs.count)
            let read = try await client.rpc(
                "object", "execute", [db, uid, "admin", "res.partner", "read", .number(JSONNumber(companyIDs[0])), ["name"]],
                id: 20)
            let readRows = try #require(try read.json["result"]?.arrayValue)
            #expect(readRows.count == 1)
            #expect(readRows.first?["name"] == .string(try companies[0].decode(String.self, at: 1)))

            // execute_kw: kwargs are optional; a create is committed.
            let created = try await client.rpc(
                "object", "execute_kw", [db, uid, "admin", "res.partner", "create", [["name": "Via JSON-RPC"]]], id: 21)
            let createdJSON = try created.json
            let createdID = try #require(createdJSON["result"]?.int64Value, "\(createdJSON)")
            let stored = try await app.client.query("SELECT name FROM res_partner WHERE id = \(createdID)")
            #expect(try stored.first?.decode(String.self, at: 0) == "Via JSON-RPC")
            #expect(response.headers[values: .setCookie].isEmpty)
        }
        await app.shutdown()
    }

    @Test func objectErrors() async throws {
        let app = try await TestApp.make("jrpcobjecterr")
        let uid = JSONValue.number(JSONNumber(try await Self.adminID(app)))
        let db = JSONValue.string(app.database.name)
        let before = try await app.client.query("SELECT count(*) FROM res_partner")[0].decode(Int64.self, at: 0)
        try await app.application().test(.router) { client in
            // Capture 12b: a wrong password is AccessDenied, and nothing runs.
            let denied = try await client.rpc(
                "object", "execute_kw", [db, uid, "wrong", "res.partner", "create", [["name": "Not Stored"]]], id: 19)
            try expectOdooError(denied, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 19)
            // So are an unknown uid and another database.
            for args: JSONValue in [
                [db, 999_999, "admin", "res.partner", "search_count", [[]]],
                ["no_such_database", uid, "admin", "res.partner", "search_count", [[]]],
            ] {
                let response = try await client.rpc("object", "execute_kw", args, id: 19)
                try expectOdooError(response, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 19)
            }
            // Capture 12c: an unknown model is a UserError here (not call_kw's 404), with the request id.
            let noModel = try await client.rpc(
                "object", "execute_kw", [db, uid, "admin", "no.such.model", "search_read", [[]], [:]], id: 20)
            try expectOdooError(
                noModel, code: 200, name: "odoo.exceptions.UserError", message: "Object no.such.model doesn't exist", id: 20)
            // Capture 12d: an unknown service is a KeyError naming it.
            let noService = try await client.rpc("nosuchservice", "version", [], id: 21)
            try expectOdooError(noService, code: 200, name: "builtins.KeyError", message: "nosuchservice", id: 21)
            // The model conventions are call_kw's.
            let noMethod = try await client.rpc(
                "object", "execute_kw", [db, uid, "admin", "res.partner", "no_such_method", []], id: 22)
            try expectOdooError(
                noMethod, code: 200, name: "builtins.AttributeError",
                message: "The method 'no_such_method' does not exist on the model 'res.partner'", id: 22)
            let privateMethod = try await client.rpc(
                "object", "execute_kw", [db, uid, "admin", "res.partner", "_compute_display_name", [[1]]], id: 23)
            try expectOdooError(
                privateMethod, code: 200, name: "odoo.exceptions.AccessError",
                message: "Private methods (such as _compute_display_name) cannot be called remotely.", id: 23)
            let invalid = try await client.rpc(
                "object", "execute_kw", [db, uid, "admin", "res.partner", "create", [["email": "nameless@example.com"]]], id: 24)
            try expectOdooError(invalid, code: 200, name: "odoo.exceptions.ValidationError", id: 24)
            // Anything but execute / execute_kw on `object` is a NameError.
            let other = try await client.rpc("object", "exec_workflow", [db, uid, "admin", "res.partner", "x", 1], id: 25)
            try expectOdooError(other, code: 200, name: "builtins.NameError", id: 25)
        }
        let after = try await app.client.query("SELECT count(*) FROM res_partner")[0].decode(Int64.self, at: 0)
        #expect(after == before, "no failed call stored anything")
        await app.shutdown()
    }

    @Test func databaseService() async throws {
        let app = try await TestApp.make("jrpcdb")
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.router) { client in
            #expect(try await client.rpc("db", "list", [], id: 7).json == ["jsonrpc": "2.0", "id": 7, "result": [db]])
            #expect(try await client.rpc("db", "server_version", [], id: 8).json["result"] == "18.0")
            #expect(try await client.rpc("db", "db_exist", [db], id: 9).json["result"] == true)
            #expect(try await client.rpc("db", "db_exist", ["no_such_database"], id: 9).json["result"] == false)
            let languages = try await client.rpc("db", "list_lang", [], id: 10).json["result"]
            #expect(languages?.arrayValue?.contains(["en_US", "English (US)"]) == true)
            // Database management needs the master password: always AccessDenied here.
            for (method, args): (String, JSONValue) in [
                ("drop", ["admin", db]), ("dump", ["admin", db, "zip"]), ("create_database", ["admin", "evil", false, "en_US", "x"]),
                ("duplicate_database", ["admin", db, "copy"]), ("rename", ["admin", db, "renamed"]),
                ("change_admin_password", ["admin", "new"]), ("restore", ["admin", "evil", "AAAA"]),
            ] {
                let response = try await client.rpc("db", method, args, id: 11)
                try expectOdooError(response, code: 200, name: "odoo.exceptions.AccessDenied", message: "Access Denied", id: 11)
            }
            // Unknown db methods are a KeyError.
            let unknown = try await client.rpc("db", "no_such_method", [], id: 12)
            try expectOdooError(unknown, code: 200, name: "builtins.KeyError", id: 12)
        }
        // The database is still there and untouched.
        let count = try await app.client.query("SELECT count(*) FROM res_users WHERE login = 'admin'")
        #expect(try count[0].decode(Int64.self, at: 0) == 1)
        await app.shutdown()
    }

    @Test func databaseListCanBeHidden() async throws {
        let app = try await TestApp.make("jrpcdbhidden") { $0.listDatabases = false }
        try await app.application().test(.router) { client in
            let response = try await client.rpc("db", "list", [], id: 7)
            try expectOdooError(response, code: 200, name: "odoo.exceptions.AccessDenied", id: 7)
            #expect(!String(buffer: response.body).contains(app.database.name))
        }
        await app.shutdown()
    }

    @Test func contextGetAnswersTheCallersContext() async throws {
        let app = try await TestApp.make("jrpccontext")
        let admin = try await Self.adminID(app)
        let alice = try await app.createUser(login: "alice@example.com", password: "alice-secret")
        try await app.client.query("UPDATE res_users SET tz = 'Europe/Brussels' WHERE id = \(alice)")
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.router) { client in
            let adminContext = try await client.rpc(
                "object", "execute", [db, .number(JSONNumber(admin)), "admin", "res.users", "context_get"], id: 6)
            let adminJSON = try adminContext.json
            let result = try #require(adminJSON["result"], "\(adminJSON)")
            #expect(result.objectValue?.keys.sorted() == ["lang", "tz", "uid"])
            #expect(result["lang"] == "en_US")
            #expect(result["uid"]?.int64Value == admin)
            // Each caller gets their own.
            let aliceContext = try await client.rpc(
                "object", "execute_kw", [db, .number(JSONNumber(alice)), "alice-secret", "res.users", "context_get", []], id: 7)
            #expect(
                try aliceContext.json["result"]
                    == ["lang": "en_US", "tz": "Europe/Brussels", "uid": .number(JSONNumber(alice))])
        }
        await app.shutdown()
    }
}

extension TestClientProtocol {
    /// `/jsonrpc` with `{"service": service, "method": method, "args": args}`.
    func rpc(_ service: String, _ method: String, _ args: JSONValue, id: JSONValue = 1) async throws -> TestResponse {
        try await jsonCall(
            "/jsonrpc", params: ["service": .string(service), "method": .string(method), "args": args], id: id)
    }
}
