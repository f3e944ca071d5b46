import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONRPC
import NIOCore
import Testing
import TestSupport

/// Helpers shared by the end-to-end suites: Odoo JSON calls, logins and envelope checks.
extension TestClientProtocol {
    /// POSTs `{"jsonrpc":"2.0","method":"call","params":…,"id":…}` to a JSON route.
    func jsonCall(
        _ path: String, params: JSONValue = [:], id: JSONValue = 1, session: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = HTTPFields.json(session: session)
        headers.append(contentsOf: extra)
        return try await execute(uri: path, method: .post, headers: headers, body: RPCBody.call(params, id: id))
    }

    /// `/web/session/authenticate` with the given credentials (database: the app's).
    func authenticate(
        _ app: TestApp, login: String = "admin", password: String = "admin", db: String? = nil,
        session: String? = nil
    ) async throws -> TestResponse {
        try await jsonCall(
            "/web/session/authenticate",
            params: ["db": .string(db ?? app.database.name), "login": .string(login), "password": .string(password)],
            session: session)
    }

    /// Logs in and returns the new session cookie; the test fails if the login is refused.
    func login(_ app: TestApp, login: String = "admin", password: String = "admin", session: String? = nil)
        async throws -> String
    {
        let response = try await authenticate(app, login: login, password: password, session: session)
        #expect(response.status == .ok)
        let json = try response.json
        #expect(json["error"] == nil, "login refused: \(String(buffer: response.body))")
        return try #require(response.sessionCookie, "no session cookie: \(String(buffer: response.body))")
    }

    /// `/web/session/get_session_info` with the given cookie.
    func sessionInfo(_ session: String?) async throws -> TestResponse {
        try await jsonCall("/web/session/get_session_info", session: session)
    }
}

/// The Odoo error shape (`{jsonrpc, id, error: {code, message, data: {name, debug, message, arguments, context}}}`),
/// checked in full; returns `error.data`.
@discardableResult
func expectOdooError(
    _ response: TestResponse, code: Int, name: String, message: String? = nil, id: JSONValue? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSONValue {
    #expect(response.status == .ok, sourceLocation: sourceLocation)
    #expect(
        response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    let json = try response.json
    #expect(json["jsonrpc"] == "2.0", sourceLocation: sourceLocation)
    #expect(json["result"] == nil, "an error envelope carries no result", sourceLocation: sourceLocation)
    if let id { #expect(json["id"] == id, sourceLocation: sourceLocation) }
    let error = try #require(json["error"], "no error in \(json)", sourceLocation: sourceLocation)
    #expect(error["code"]?.intValue == code, "\(error)", sourceLocation: sourceLocation)
    let envelopeMessage =
        switch code {
        case 100: "Odoo Session Expired"
        case 404: "404: Not Found"
        default: "Odoo Server Error"
        }
    #expect(error["message"] == .string(envelopeMessage), sourceLocation: sourceLocation)
    let data = try #require(error["data"], sourceLocation: sourceLocation)
    #expect(
        data.objectValue?.keys.sorted() == ["arguments", "context", "debug", "message", "name"],
        "data keys: \(data.objectValue?.keys ?? [])", sourceLocation: sourceLocation)
    #expect(data["name"] == .string(name), "\(data)", sourceLocation: sourceLocation)
    if let message {
        #expect(data["message"] == .string(message), sourceLocation: sourceLocation)
        #expect(data["arguments"] == [.string(message)], sourceLocation: sourceLocation)
    }
    #expect(data["arguments"]?.arrayValue != nil, sourceLocation: sourceLocation)
    #expect(data["context"]?.objectValue != nil, sourceLocation: sourceLocation)
    let debug = try #require(data["debug"]?.stringValue, "debug must be a string", sourceLocation: sourceLocation)
    expectCleanDebug(debug, sourceLocation: sourceLocation)
    return data
}

/// `data.debug` never leaks a traceback, a source file or a server path.
func expectCleanDebug(_ debug: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for forbidden in ["Traceback", "/work", ".swift", "File \""] {
        #expect(!debug.contains(forbidden), "debug leaks \(forbidden): \(debug)", sourceLocation: sourceLocation)
    }
    // Anything that looks like an absolute path with two or more components.
    let path = #/(^|[\s"'(=:])/[A-Za-z0-9._-]+/[A-Za-z0-9._/-]+/#
    #expect(debug.firstMatch(of: path) == nil, "debug holds a file path: \(debug)", sourceLocation: sourceLocation)
}

/// The `Set-Cookie` value that sets `session_id`, if any.
func sessionSetCookie(_ response: TestResponse) -> String? {
    response.headers[values: .setCookie].first { $0.hasPrefix("session_id=") }
}

/// The attributes of a `Set-Cookie` value, lowercased names (`httponly`, `path=/`, …).
func cookieAttributes(_ header: String) -> [String] {
    header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
}

/// Whether a session id has Odoo 18's shape: 84 URL-safe base64 characters.
func isOdoo18SessionID(_ value: String) -> Bool {
    value.count == 84 && value.wholeMatch(of: #/[A-Za-z0-9_-]+/#) != nil
}

/// Polls `condition` until it holds; fails the test after `limit` (a "does not hang" bound, never a timing assertion).
func eventually(
    _ what: String, limit: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("gave up waiting: \(what)", sourceLocation: sourceLocation)
    throw WaitError(what: what)
}

struct WaitError: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting: \(what)" }
}
