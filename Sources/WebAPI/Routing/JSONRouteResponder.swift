import Hummingbird
import Identity
import JSONRPC
import Logging
import NIOCore
import PostgresDriver

/// Serves a ``JSONRoute`` the way Odoo's JSON dispatcher does.
///
/// - a non-JSON `Content-Type` is a 400 HTML page (the JSON dispatcher is never reached);
/// - an unparsable body is a 400 `Invalid JSON data`; a body over the limit is a 413;
/// - everything else is HTTP 200 with `{jsonrpc, id, result}` or `{jsonrpc, id, error}`, the error
///   being a ``ServerFault`` (session expired: code 100; not found: 404; anything else: 200).
struct JSONRouteResponder: Sendable {
    let route: JSONRoute
    let services: WebServices

    func respond(to request: Request, context: WoowRequestContext) async throws -> Response {
        guard request.hasJSONContentType else {
            let html = """
                <!doctype html>
                <html lang=en>
                <title>400 Bad Request</title>
                <h1>Bad Request</h1>
                <p>Request inferred type is compatible with [&#39;http&#39;] but &#39;\(htmlEscape(request.uri.path))&#39; is type=&#39;json&#39;</p>

                """
            return .text(html, status: .badRequest, contentType: "text/html; charset=utf-8")
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(limit: services.settings.maxBodySize)
        } catch is BodyTooLargeError {
            return .text("Request body too large", status: .contentTooLarge)
        }
        let parsed: JSONValue
        do {
            parsed = try body.withUnsafeReadableBytes { try JSONParser.parse($0) }
        } catch {
            return .text("Invalid JSON data", status: .badRequest, contentType: "text/html; charset=utf-8")
        }
        guard case .object(let envelope) = parsed else {
            return answer(id: .null, outcome: .failure(.typeError(Self.notAnObjectMessage(parsed))), cookies: nil)
        }
        let id = envelope["id"] ?? .null
        let params: JSONObject
        switch envelope["params"] {
        case nil, .null?: params = [:]
        case .object(let object)?: params = object
        case .some(let other):
            return answer(id: id, outcome: .failure(.typeError(Self.notAnObjectMessage(other))), cookies: nil)
        }
        let cookies = ResponseCookies()
        let decision = route.rateLimit(params).flatMap {
            services.rateLimiter.acquire($0.category, for: $0.subject(uid: nil, remoteAddress: context.remoteAddress))
        }
        let outcome: Result<JSONValue, ServerFault>
        if let decision, !decision.allowed {
            outcome = .failure(.tooManyRequests(decision))
        } else {
            do {
                outcome = .success(try await run(request: request, context: context, params: params, cookies: cookies))
            } catch {
                outcome = .failure(ServerFault.from(error, requestID: context.requestID, logger: context.logger))
            }
        }
        // Odoo raises these two before its JSON dispatcher has read the request id (see the captures).
        let answeredID: JSONValue = outcome.failureCode == 100 || outcome.failureCode == 404 ? .null : id
        var response = answer(id: answeredID, outcome: outcome, cookies: cookies)
        decision?.apply(to: &response.headers)
        return response
    }

    private func run(request: Request, context: WoowRequestContext, params: JSONObject, cookies: ResponseCookies)
        async throws -> JSONValue
    {
        let sessionID = route.auth == .none ? nil : SessionCookie.sessionID(in: request)
        /// One attempt; `guessing` lets the session be confirmed along with the first read.
        func call(_ connection: PostgresConnection?, guessing: Bool) async throws -> JSONValue {
            var session: Session?
            var guess: SessionGuess?
            if let sessionID, let connection {
                if guessing, let guessed = services.sessions.guess(sessionID, alongNextReadOn: connection) {
                    guess = guessed
                    session = guessed.session
                } else {
                    session = try await services.sessions.load(sessionID, on: connection)
                }
            }
            if route.auth == .user, session == nil { throw ServerFault.sessionExpired }
            let value: JSONValue
            do {
                value = try await route.handler(
                    JSONCall(
                        params: params, session: session, sessionID: session == nil ? nil : sessionID,
                        connection: connection, services: services, remoteAddress: context.remoteAddress,
                        headers: request.headers, authority: request.head.authority, logger: context.logger,
                        requestID: context.requestID, cookies: cookies))
            } catch {
                // Nothing is answered before the guess is confirmed, errors included.
                if let guess, let connection { try await services.sessions.confirm(guess, on: connection, refreshing: false) }
                throw error
            }
            if let guess, let connection { try await services.sessions.confirm(guess, on: connection) }
            return value
        }
        func attempt(guessing: Bool) async throws -> JSONValue {
            switch route.access {
            case .none:
                if route.auth == .user { return try await services.database.withConnection { try await call($0, guessing: guessing) } }
                return try await call(nil, guessing: false)
            case .connection:
                return try await services.database.withConnection { try await call($0, guessing: guessing) }
            case .transaction:
                return try await services.database.withTransaction { try await call($0, guessing: guessing) }
            }
        }
        let guessing = sessionID != nil && route.guessesSession(params)
        do {
            return try await attempt(guessing: guessing)
        } catch is SessionChanged {
            // The session ended or changed since it was last seen: run the call as if unseen.
            return try await attempt(guessing: false)
        }
    }

    private func answer(id: JSONValue, outcome: Result<JSONValue, ServerFault>, cookies: ResponseCookies?) -> Response {
        var object = JSONObject()
        object.append("jsonrpc", "2.0")
        object.append("id", id)
        switch outcome {
        case .success(let value): object.append("result", value)
        case .failure(let fault): object.append("error", fault.json)
        }
        var response = Response.json(JSONValue.object(object).serialized())
        cookies?.apply(to: &response)
        return response
    }

    /// Python's message when a non-dict body is indexed with `['params']`.
    static func notAnObjectMessage(_ value: JSONValue) -> String {
        switch value {
        case .array: return "list indices must be integers or slices, not str"
        case .string: return "string indices must be integers, not 'str'"
        case .number(let number): return "'\(number.isInteger ? "int" : "float")' object is not subscriptable"
        case .bool: return "'bool' object is not subscriptable"
        case .null: return "'NoneType' object is not subscriptable"
        case .object: return "'dict' object is not subscriptable"
        case .encoded(let encoded): return notAnObjectMessage(encoded.value)
        }
    }
}

extension Result where Failure == ServerFault {
    fileprivate var failureCode: Int? {
        if case .failure(let fault) = self { return fault.code }
        return nil
    }
}

func htmlEscape(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}
