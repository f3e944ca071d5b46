import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import Testing
import TestSupport

/// How Odoo JSON routes treat bodies and headers that are not a well-formed call
/// (captures 08b, 08c, 08d; odoo-protocol §1.5), and the hygiene of every error envelope.
@Suite("Odoo JSON routes: content type, bad bodies, error envelopes")
struct OdooRequestHandlingTests {
    static let route = "/web/session/authenticate"

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil])
    func nonJSONContentTypeIsAnHTMLBadRequest(_ contentType: String?) async throws {
        let app = try await TestApp.make("contenttype")
        try await app.application().test(.router) { client in
            var headers: HTTPFields = [:]
            if let contentType { headers[.contentType] = contentType }
            let body = RPCBody.call(["db": .string(app.database.name), "login": "admin", "password": "admin"])
            let response = try await client.execute(uri: Self.route, method: .post, headers: headers, body: body)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("<title>400 Bad Request</title>"))
            #expect(text.contains("is type=&#39;json&#39;"))
            #expect(response.headers[values: .setCookie].isEmpty, "the handler never ran")
        }
        await app.shutdown()
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "application/json-rpc", "Application/JSON"])
    func jsonContentTypesAreAccepted(_ contentType: String) async throws {
        let app = try await TestApp.make("jsontypes")
        try await app.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/web/webclient/version_info", method: .post, headers: [.contentType: contentType],
                body: RPCBody.call())
            #expect(response.status == .ok)
            #expect(try response.json["result"]?["server_version"] == "18.0")
        }
        await app.shutdown()
    }

    @Test(arguments: ["this is not json", "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{", "", "{} trailing", "\u{FEFF}"])
    func unparsableJSONIsABadRequest(_ body: String) async throws {
        let app = try await TestApp.make("badjson")
        try await app.application().test(.router) { client in
            let response = try await client.execute(
                uri: Self.route, method: .post, headers: .json(), body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body) == "Invalid JSON data")
        }
        await app.shutdown()
    }

    @Test func aJSONArrayBodyIsATypeError() async throws {
        let app = try await TestApp.make("arraybody")
        try await app.application().test(.router) { client in
            // Capture 08d: HTTP 200, id null, builtins.TypeError with Python's message.
            for path in [Self.route, "/web/session/get_session_info", "/web/webclient/version_info"] {
                let response = try await client.execute(
                    uri: path, method: .post, headers: .json(), body: ByteBuffer(string: "[1,2,3]"))
                try expectOdooError(
                    response, code: 200, name: "builtins.TypeError",
                    message: "list indices must be integers or slices, not str", id: .null)
            }
        }
        await app.shutdown()
    }

    @Test func nonObjectParamsAreATypeError() async throws {
        let app = try await TestApp.make("arrayparams")
        try await app.application().test(.router) { client in
            let response = try await client.execute(
                uri: Self.route, method: .post, headers: .json(),
                body: ByteBuffer(string: #"{"jsonrpc":"2.0","method":"call","params":["db","admin","admin"],"id":9}"#))
            try expectOdooError(response, code: 200, name: "builtins.TypeError", id: 9)
        }
        await app.shutdown()
    }

    @Test func absentParamsAreAnEmptyObject() async throws {
        let app = try await TestApp.make("noparams")
        try await app.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/web/webclient/version_info", method: .post, headers: .json(),
                body: ByteBuffer(string: #"{"jsonrpc":"2.0","method":"call","id":3}"#))
            #expect(try response.json["result"]?["server_version"] == "18.0")
            #expect(try response.json["id"] == 3)
        }
        await app.shutdown()
    }

    @Test func everyErrorEnvelopeIsCompleteAndLeaksNothing() async throws {
        let app = try await TestApp.make("errorhygiene")
        try await app.application().test(.router) { client in
            var responses: [TestResponse] = []
            responses.append(try await client.authenticate(app, password: "wrong"))
            responses.append(try await client.authenticate(app, db: "nope"))
            responses.append(try await client.jsonCall(Self.route, params: [:]))
            responses.append(try await client.sessionInfo(nil))
            responses.append(try await client.sessionInfo(String(repeating: "A", count: 84)))
            responses.append(
                try await client.execute(
                    uri: Self.route, method: .post, headers: .json(), body: ByteBuffer(string: "[]")))
            responses.append(
                try await client.execute(
                    uri: Self.route, method: .post, headers: .json(), body: ByteBuffer(string: "\"text\"")))
            responses.append(
                try await client.execute(
                    uri: Self.route, method: .post, headers: .json(), body: ByteBuffer(string: "42")))
            responses.append(
                try await client.execute(
                    uri: Self.route, method: .post, headers: .json(),
                    body: ByteBuffer(string: #"{"jsonrpc":"2.0","method":"call","params":{"db":1,"login":[],"password":{}},"id":1}"#)))
            for response in responses {
                let json = try response.json
                let error = try #require(json["error"], "expected an error: \(json)")
                let code = try #require(error["code"]?.intValue)
                let name = try #require(error["data"]?["name"]?.stringValue)
                try expectOdooError(response, code: code, name: name)
                #expect(json.objectValue?.keys == ["jsonrpc", "id", "error"])
            }
        }
        await app.shutdown()
    }
}
