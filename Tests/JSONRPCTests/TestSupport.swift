import JSONRPC
import Synchronization
import Testing

/// Parses JSON text in tests, failing the test on error.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("test JSON did not parse: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

/// Returns the parse error for `bytes`, or records an issue when parsing succeeds.
func parseError(_ bytes: [UInt8], limits: JSONParser.Limits = .init(),
                sourceLocation: SourceLocation = #_sourceLocation) -> JSONParseError? {
    do {
        let value = try JSONParser.parse(bytes, limits: limits)
        Issue.record("expected a parse error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Returns the parse error for `text`, or records an issue when parsing succeeds.
func parseError(_ text: String, limits: JSONParser.Limits = .init(),
                sourceLocation: SourceLocation = #_sourceLocation) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

/// Per-request context for the test method table: counts executed notifications.
final class TestContext: Sendable {
    let calls = Mutex<[String]>([])
    func record(_ method: String) { calls.withLock { $0.append(method) } }
    var recorded: [String] { calls.withLock { $0 } }
}

/// A Swift error whose text must never reach a client.
struct SecretFailure: Error, CustomStringConvertible {
    var description: String { "SECRET-DATABASE-PASSWORD hunter2" }
}

/// The method table used by the JSON-RPC specification examples.
enum SpecMethods {
    static func integers(_ params: RPCParams?) throws -> [Int] {
        guard case .positional(let values)? = params else { throw RPCError.invalidParams("expected an array") }
        var out: [Int] = []
        for value in values {
            guard let n = value.intValue else { throw RPCError.invalidParams("expected integers") }
            out.append(n)
        }
        return out
    }

    static func subtract(_ params: RPCParams?) throws -> JSONValue {
        let a: Int
        let b: Int
        switch params {
        case .positional(let values)?:
            guard values.count == 2, let x = values[0].intValue, let y = values[1].intValue else {
                throw RPCError.invalidParams("expected two integers")
            }
            (a, b) = (x, y)
        case .named(let object)?:
            guard object.count == 2, let x = object["minuend"]?.intValue, let y = object["subtrahend"]?.intValue
            else { throw RPCError.invalidParams("expected minuend and subtrahend") }
            (a, b) = (x, y)
        case nil:
            throw RPCError.invalidParams
        }
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw RPCError.invalidParams("overflow") }
        return JSONValue(difference)
    }

    static var table: RPCMethodTable<TestContext> {
        var table = RPCMethodTable<TestContext>()
        table.register("subtract") { params, ctx in
            ctx.record("subtract")
            return try subtract(params)
        }
        table.register("sum") { params, ctx in
            ctx.record("sum")
            return JSONValue(try integers(params).reduce(0, +))
        }
        table.register("get_data") { _, ctx in
            ctx.record("get_data")
            return ["hello", 5]
        }
        for name in ["update", "notify_hello", "notify_sum"] {
            table.register(name) { _, ctx in
                ctx.record(name)
                return .null
            }
        }
        table.register("fail_secret") { _, ctx in
            ctx.record("fail_secret")
            throw SecretFailure()
        }
        table.register("fail_rpc") { _, ctx in
            ctx.record("fail_rpc")
            throw RPCError(code: -32001, message: "Access denied", data: ["why": "nope"])
        }
        table.register("echo") { params, _ in params?.json ?? .null }
        return table
    }

    static let dispatcher = RPCDispatcher(methods: table)
}

/// Sends `body` through the spec dispatcher and checks the shape of every response.
func dispatch(_ body: String, context: TestContext = TestContext(),
              dispatcher: RPCDispatcher<TestContext> = SpecMethods.dispatcher,
              sourceLocation: SourceLocation = #_sourceLocation) async -> RPCReply {
    await dispatch(Array(body.utf8), context: context, dispatcher: dispatcher, sourceLocation: sourceLocation)
}

/// Sends raw bytes through the spec dispatcher and checks the shape of every response.
func dispatch(_ body: [UInt8], context: TestContext = TestContext(),
              dispatcher: RPCDispatcher<TestContext> = SpecMethods.dispatcher,
              sourceLocation: SourceLocation = #_sourceLocation) async -> RPCReply {
    let reply = await dispatcher.handle(body: body, context: context)
    checkShape(reply, sourceLocation: sourceLocation)
    return reply
}

/// Every response must be `{"jsonrpc":"2.0","id":…}` plus exactly one of result/error,
/// and the serialised body must parse back to the same value.
func checkShape(_ reply: RPCReply, sourceLocation: SourceLocation = #_sourceLocation) {
    if case .batch(let values) = reply {
        #expect(!values.isEmpty, "a batch reply must never be []", sourceLocation: sourceLocation)
    }
    for response in reply.responses {
        guard case .object(let object) = response else {
            Issue.record("response is not an object: \(response)", sourceLocation: sourceLocation)
            continue
        }
        #expect(object["jsonrpc"] == "2.0", sourceLocation: sourceLocation)
        #expect(object.contains(key: "id"), sourceLocation: sourceLocation)
        let hasResult = object.contains(key: "result")
        let hasError = object.contains(key: "error")
        #expect(hasResult != hasError, "exactly one of result/error: \(response)", sourceLocation: sourceLocation)
        if let error = object["error"] {
            #expect(error["code"]?.intValue != nil, sourceLocation: sourceLocation)
            #expect(error["message"]?.stringValue != nil, sourceLocation: sourceLocation)
        }
        #expect(object.keys.prefix(2) == ["jsonrpc", "id"], sourceLocation: sourceLocation)
    }
    switch reply {
    case .none:
        #expect(reply.body == nil, sourceLocation: sourceLocation)
    case .single(let value):
        #expect((try? JSONParser.parse(reply.body ?? [])) == value, sourceLocation: sourceLocation)
    case .batch(let values):
        #expect((try? JSONParser.parse(reply.body ?? [])) == .array(values), sourceLocation: sourceLocation)
    }
}

/// Expects a single response equal to `expected` (JSON text).
func expectSingle(_ reply: RPCReply, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply == .single(json(expected, sourceLocation: sourceLocation)), sourceLocation: sourceLocation)
}

/// Expects a batch whose responses equal `expected` (a JSON array) as a multiset.
func expectBatch(_ reply: RPCReply, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .batch(let actual) = reply else {
        Issue.record("expected a batch reply, got \(reply)", sourceLocation: sourceLocation)
        return
    }
    var remaining = json(expected, sourceLocation: sourceLocation).arrayValue ?? []
    #expect(actual.count == remaining.count, sourceLocation: sourceLocation)
    for response in actual {
        if let i = remaining.firstIndex(of: response) {
            remaining.remove(at: i)
        } else {
            Issue.record("unexpected response \(response)", sourceLocation: sourceLocation)
        }
    }
    #expect(remaining.isEmpty, "missing responses: \(remaining)", sourceLocation: sourceLocation)
}

/// The error code of a single-response reply.
func errorCode(_ reply: RPCReply) -> Int? {
    guard case .single(let value) = reply else { return nil }
    return value["error"]?["code"]?.intValue
}

/// The id of a single-response reply.
func replyID(_ reply: RPCReply) -> JSONValue? {
    guard case .single(let value) = reply else { return nil }
    return value["id"]
}
