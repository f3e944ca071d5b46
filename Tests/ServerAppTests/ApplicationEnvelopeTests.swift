import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import Testing
import TestSupport

/// `/paas/api/v1`: one declaration, two transports (paas §2) — REST with mapped statuses, and
/// JSON-RPC 2.0 with the envelope as `result` (security guide §1).
@Suite("Application envelope: /paas/api/v1/user/me over REST and JSON-RPC")
struct ApplicationEnvelopeTests {
    static let path = "/paas/api/v1/user/me"

    static func rpcHeaders(_ session: String?) -> HTTPFields { .json(session: session) }

    static func post(_ client: some TestClientProtocol, _ body: String, session: String?, path: String = path)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: path, method: .post, headers: rpcHeaders(session), body: ByteBuffer(string: body))
    }

    /// The demo admin's `/user/me` data.
    static func expectDemoAdmin(_ data: JSONValue?, uid: Int64?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let data else {
            Issue.record("no data", sourceLocation: sourceLocation)
            return
        }
        #expect(
            data.objectValue?.keys.sorted()
                == ["avatar_url", "credits_balance", "email", "id", "name", "plan", "role"],
            sourceLocation: sourceLocation)
        if let uid { #expect(data["id"]?.int64Value == uid, sourceLocation: sourceLocation) }
        #expect(data["name"] == "Mitchell Admin", sourceLocation: sourceLocation)
        #expect(data["email"] == "admin@woow.example", sourceLocation: sourceLocation)
        #expect(data["role"] == "owner", sourceLocation: sourceLocation)
        #expect(data["plan"] == "pro", sourceLocation: sourceLocation)
        // Credits are an exact JSON number (NUMERIC), not a string and not a rounded float.
        let credits = data["credits_balance"]?.numberValue
        #expect(credits != nil, "credits_balance must be a JSON number", sourceLocation: sourceLocation)
        #expect(credits.flatMap { Decimal(string: $0.literal) } == Decimal(500), sourceLocation: sourceLocation)
        #expect(credits?.literal.contains("e") == false, sourceLocation: sourceLocation)
    }

    @Test func restWithASessionAnswersTheEnvelope() async throws {
        let app = try await TestApp.make("userme")
        let uid = try await app.client.query("SELECT id FROM res_users WHERE login = 'admin'")[0].decode(Int64.self, at: 0)
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let response = try await client.execute(
                uri: Self.path, method: .get, headers: [.cookie: "session_id=\(session)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try response.json
            #expect(json.objectValue?.keys.sorted() == ["data", "success"])
            #expect(json["success"] == true)
            Self.expectDemoAdmin(json["data"], uid: uid)
            #expect(String(buffer: response.body).contains(#""credits_balance":500.00"#))
        }
        await app.shutdown()
    }

    @Test func restWithoutASessionIs401() async throws {
        let app = try await TestApp.make("usermeanon")
        try await app.application().test(.router) { client in
            for cookie in [nil, "session_id=\(String(repeating: "Z", count: 84))", "session_id=garbage"] {
                var headers: HTTPFields = [:]
                if let cookie { headers[.cookie] = cookie }
                let response = try await client.execute(uri: Self.path, method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                let json = try response.json
                #expect(json["success"] == false)
                #expect(json["code"] == "AUTH_TOKEN_EXPIRED")
                #expect(json["error"]?.stringValue?.isEmpty == false)
                #expect(json["data"] == nil)
            }
        }
        await app.shutdown()
    }

    @Test(arguments: ["call", "get"])
    func jsonRPCAnswersTheEnvelopeAsResult(_ method: String) async throws {
        let app = try await TestApp.make("usermerpc")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let response = try await Self.post(
                client, #"{"jsonrpc":"2.0","method":"\#(method)","params":{},"id":7}"#, session: session)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["jsonrpc"] == "2.0")
            #expect(json["id"] == 7)
            #expect(json["error"] == nil)
            let result = try #require(json["result"])
            #expect(result["success"] == true)
            Self.expectDemoAdmin(result["data"], uid: nil)
            // The REST answer and the JSON-RPC result are the same envelope.
            let rest = try await client.execute(uri: Self.path, method: .get, headers: [.cookie: "session_id=\(session)"])
            #expect(try rest.json == result)
        }
        await app.shutdown()
    }

    @Test func jsonRPCProtocolErrors() async throws {
        let app = try await TestApp.make("usermerpcerr")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            func error(_ body: String) async throws -> JSONValue {
                let response = try await Self.post(client, body, session: session)
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["result"] == nil)
                return try #require(json["error"], "\(json)")
            }
            // A verb the path does not have.
            let delete = try await error(#"{"jsonrpc":"2.0","method":"delete","params":{},"id":1}"#)
            #expect(delete["code"] == -32601)
            let unknown = try await error(#"{"jsonrpc":"2.0","method":"rpc.discover","id":1}"#)
            #expect(unknown["code"] == -32601)
            // Positional params.
            let positional = try await error(#"{"jsonrpc":"2.0","method":"call","params":[1,2],"id":2}"#)
            #expect(positional["code"] == -32602)
            // Broken JSON that announces itself as JSON-RPC.
            let broken = try await Self.post(client, #"{"jsonrpc":"2.0","method":"call","params":{"#, session: session)
            #expect(broken.status == .ok)
            #expect(try broken.json["error"]?["code"] == -32700)
            #expect(try broken.json["id"] == .null)
            // Not a request object.
            let invalid = try await error(#"{"jsonrpc":"1.0","method":"call","id":3}"#)
            #expect(invalid["code"] == -32600)
        }
        await app.shutdown()
    }

    @Test func jsonRPCWithoutASessionIsOdooSessionExpired() async throws {
        let app = try await TestApp.make("usermerpcanon")
        try await app.application().test(.router) { client in
            let response = try await Self.post(client, #"{"jsonrpc":"2.0","method":"call","params":{},"id":7}"#, session: nil)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["id"] == 7)
            #expect(json["result"] == nil)
            let error = try #require(json["error"])
            #expect(error["code"] == 100)
            #expect(error["message"] == "Odoo Session Expired")
            #expect(error["data"]?["name"] == "odoo.http.SessionExpiredException")
            expectCleanDebug(error["data"]?["debug"]?.stringValue ?? "")
        }
        await app.shutdown()
    }

    @Test func batchesNotificationsAndLargeIDs() async throws {
        let app = try await TestApp.make("usermebatch")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            // A batch of two: an array of two answers, matched by id.
            let batch = try await Self.post(
                client,
                #"[{"jsonrpc":"2.0","method":"call","params":{},"id":1},{"jsonrpc":"2.0","method":"get","id":"two"}]"#,
                session: session)
            #expect(batch.status == .ok)
            let answers = try #require(try batch.json.arrayValue)
            #expect(answers.count == 2)
            #expect(Set(answers.compactMap { $0["id"] }) == [1, "two"])
            for answer in answers { #expect(answer["result"]?["success"] == true) }
            // A notification: no answer at all.
            let notification = try await Self.post(
                client, #"{"jsonrpc":"2.0","method":"call","params":{}}"#, session: session)
            #expect(notification.status == .noContent)
            #expect(notification.body.readableBytes == 0)
            // 2^53 + 1 comes back digit for digit.
            let large = try await Self.post(
                client, #"{"jsonrpc":"2.0","method":"call","params":{},"id":9007199254740993}"#, session: session)
            #expect(String(buffer: large.body).contains(#""id":9007199254740993"#))
            #expect(try large.json["id"]?.numberValue?.literal == "9007199254740993")
        }
        await app.shutdown()
    }

    @Test func unknownPathsUnderThePrefixAre404Envelopes() async throws {
        let app = try await TestApp.make("usermenotfound")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            for (uri, method) in [
                ("/paas/api/v1/nope", HTTPRequest.Method.get), ("/paas/api/v1/user/me/extra", .get),
                ("/paas/api/v1", .get), ("/paas/api/v1/nope", .post), ("/paas/api/v1/user/you", .delete),
            ] {
                let response = try await client.execute(
                    uri: uri, method: method, headers: .json(session: session), body: ByteBuffer(string: "{}"))
                #expect(response.status == .notFound, "\(method) \(uri)")
                let json = try response.json
                #expect(json["success"] == false)
                #expect(json["code"] == "NOT_FOUND")
                #expect(json["error"]?.stringValue?.isEmpty == false)
            }
        }
        await app.shutdown()
    }

    @Test func postWithANonJSONContentTypeIs415() async throws {
        let app = try await TestApp.make("userme415")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            for contentType in ["text/plain", "application/x-www-form-urlencoded"] {
                let response = try await client.execute(
                    uri: Self.path, method: .post,
                    headers: [.contentType: contentType, .cookie: "session_id=\(session)"],
                    body: ByteBuffer(string: #"{"jsonrpc":"2.0","method":"call","params":{},"id":7}"#))
                #expect(response.status == .unsupportedMediaType)
                let json = try response.json
                #expect(json["success"] == false)
                #expect(json["code"]?.stringValue?.isEmpty == false)
            }
        }
        await app.shutdown()
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        let app = try await TestApp.make("userme413") { $0.maxBodySize = 2048 }
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let padding = String(repeating: "x", count: 4096)
            let big = #"{"jsonrpc":"2.0","method":"call","params":{"pad":"\#(padding)"},"id":7}"#
            let response = try await Self.post(client, big, session: session)
            #expect(response.status == .contentTooLarge)
            // Just under the limit is fine.
            let small = #"{"jsonrpc":"2.0","method":"call","params":{"pad":"\#(String(repeating: "x", count: 1900))"},"id":7}"#
            let fits = try await Self.post(client, small, session: session)
            #expect(fits.status == .ok)
            // The Odoo JSON routes have the same limit.
            let odoo = try await client.execute(
                uri: "/web/session/authenticate", method: .post, headers: .json(),
                body: ByteBuffer(string: #"{"jsonrpc":"2.0","method":"call","params":{"login":"\#(padding)"},"id":1}"#))
            #expect(odoo.status == .contentTooLarge)
            let info = try await client.execute(
                uri: "/web/session/get_session_info", method: .post, headers: .json(session: session),
                body: ByteBuffer(string: big))
            #expect(info.status == .contentTooLarge)
        }
        await app.shutdown()
    }
}
