import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import PostgresDriver
import ServerApp
import Testing
import TestSupport
import WebAPI

/// How a test reaches an application route: REST (verb, query or JSON body, mapped status) or
/// JSON-RPC 2.0 POST to the same path (always HTTP 200, the envelope as `result`).
enum Transport: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case rest, jsonRPC
    var testDescription: String { rawValue }
}

/// What a route answered, read the same way for both transports.
struct APIAnswer {
    /// The HTTP status (REST: mapped; JSON-RPC: 200).
    let status: HTTPResponse.Status
    /// The envelope (JSON-RPC: `result`); `nil` when the call ended in a JSON-RPC `error`.
    let envelope: JSONValue?
    /// The JSON-RPC `error`, if any.
    let rpcError: JSONValue?
    /// The response headers.
    let headers: HTTPFields
    let transport: Transport

    var success: Bool { envelope?["success"] == true }
    var data: JSONValue? { envelope?["data"] }
    var code: String? { envelope?["code"]?.stringValue }

    /// The REST status expected for an error code; JSON-RPC answers 200 whatever the code.
    func expect(code expected: String, status restStatus: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(envelope?["success"] == false, "expected \(expected), got \(envelope.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? "nil")", sourceLocation: sourceLocation)
        #expect(code == expected, "expected \(expected), got \(envelope.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? "nil")", sourceLocation: sourceLocation)
        #expect(envelope?["error"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(envelope?["data"] == nil, sourceLocation: sourceLocation)
        #expect(status == (transport == .rest ? restStatus : .ok), sourceLocation: sourceLocation)
    }

    /// Success with the given REST status; returns `data`.
    @discardableResult
    func expectSuccess(_ restStatus: HTTPResponse.Status = .ok, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        #expect(success, "expected success, got \(envelope.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? String(describing: rpcError))", sourceLocation: sourceLocation)
        #expect(status == (transport == .rest ? restStatus : .ok), sourceLocation: sourceLocation)
        return data ?? .null
    }

    /// A missing or expired session: REST 401 `AUTH_TOKEN_EXPIRED`, JSON-RPC Odoo's code 100.
    func expectSessionExpired(sourceLocation: SourceLocation = #_sourceLocation) {
        switch transport {
        case .rest:
            expect(code: "AUTH_TOKEN_EXPIRED", status: .unauthorized, sourceLocation: sourceLocation)
        case .jsonRPC:
            #expect(rpcError?["code"]?.intValue == 100, sourceLocation: sourceLocation)
            #expect(rpcError?["data"]?["name"] == "odoo.http.SessionExpiredException", sourceLocation: sourceLocation)
        }
    }
}

/// The demo install (team "WoowTech Demo" with admin/owner, manager/admin, member/user,
/// guest/guest, three workspaces) plus a rival team (`rival` / `rival`, owner of "Rival Co" with
/// the workspace "Rival Secret" and one app) for cross-tenant checks.
struct PaaSFixture {
    let app: TestApp
    let rivalWorkspace: Int64
    let rivalApp: Int64

    static func make(_ label: String, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> PaaSFixture {
        let app = try await TestApp.make(label, configure: configure)
        let rival = try await app.createUser(login: "rival", password: "rival", name: "Rita Rival")
        let ids = try await app.client.withTransaction { db in
            let team = try await db.query(
                "INSERT INTO woow_team (name, plan, credits_balance) VALUES ('Rival Co', 'pro', 100) RETURNING id"
            )[0].decode(Int64.self, at: 0)
            try await db.query("INSERT INTO woow_team_member (team_id, user_id, role) VALUES (\(team), \(rival), 'owner')")
            let workspace = try await db.query(
                "INSERT INTO woow_workspace (team_id, name, description) VALUES (\(team), 'Rival Secret', 'classified') RETURNING id"
            )[0].decode(Int64.self, at: 0)
            let app = try await db.query(
                """
                INSERT INTO woow_cloud_app (workspace_id, template_id, name, status, deployment_id)
                SELECT \(workspace), id, 'Rival ERP', 'running', 'dep_rival' FROM woow_app_template WHERE code = 'odoo'
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
            return (workspace, app)
        }
        return PaaSFixture(app: app, rivalWorkspace: ids.0, rivalApp: ids.1)
    }

    /// The id of a demo workspace by name.
    func workspace(_ name: String) async throws -> Int64 {
        try await app.client.query("SELECT id FROM woow_workspace WHERE name = \(name)")[0].decode(Int64.self, at: 0)
    }

    /// A scalar from the database.
    func scalar<T: PostgresDecodable>(_ query: PostgresQuery, as: T.Type = T.self) async throws -> T {
        try await app.client.query(query)[0].decode(T.self, at: 0)
    }

    /// Runs `body` with a router-level test client.
    func test(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let app = self.app
        try await app.application().test(.router) { client in
            try await body(APIClient(client: client, app: app))
        }
        await app.shutdown()
    }
}

/// Calls application routes over either transport.
struct APIClient {
    let client: any TestClientProtocol
    let app: TestApp

    /// Logs in (`login` = password for the demo members) and returns the session cookie.
    func login(_ login: String, password: String? = nil) async throws -> String {
        let response = try await client.execute(
            uri: "/web/session/authenticate", method: .post, headers: .json(),
            body: RPCBody.call(["db": .string(app.database.name), "login": .string(login), "password": .string(password ?? login)]))
        return try #require(response.sessionCookie, "login \(login) refused: \(String(buffer: response.body))")
    }

    /// Calls `method path` with `params` (query string for REST GET, JSON body otherwise).
    func call(
        _ method: HTTPRequest.Method, _ path: String, _ params: JSONValue = [:], session: String?, via transport: Transport,
        headers extra: HTTPFields = [:]
    ) async throws -> APIAnswer {
        let uri = "/paas/api/v1" + path
        var headers = HTTPFields()
        if let session { headers[.cookie] = "session_id=\(session)" }
        headers.append(contentsOf: extra)
        switch transport {
        case .rest:
            let response: TestResponse
            if method == .get {
                var components = URLComponents()
                components.queryItems = params.objectValue?.map { key, value in
                    URLQueryItem(name: key, value: value.stringValue ?? String(decoding: value.serialized(), as: UTF8.self))
                }
                let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
                response = try await client.execute(uri: uri + query, method: .get, headers: headers)
            } else {
                headers[.contentType] = "application/json"
                let body = params == [:] && method == .delete ? ByteBuffer() : ByteBuffer(bytes: params.serialized())
                response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            }
            return APIAnswer(status: response.status, envelope: try response.json, rpcError: nil, headers: response.headers, transport: .rest)
        case .jsonRPC:
            headers[.contentType] = "application/json"
            let response = try await client.execute(
                uri: uri, method: .post, headers: headers, body: RPCBody.call(params, id: 7, method: method.rawValue.lowercased()))
            let json = try response.json
            #expect(json["jsonrpc"] == "2.0")
            #expect(json["id"] == 7)
            return APIAnswer(status: response.status, envelope: json["result"], rpcError: json["error"], headers: response.headers, transport: .jsonRPC)
        }
    }
}
