import JSONRPC
import Testing

/// The examples from https://www.jsonrpc.org/specification, section 7.
@Suite("JSON-RPC 2.0 specification examples")
struct RPCSpecVectorTests {
    @Test("V1, V2: positional parameters")
    func positional() async {
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#),
            #"{"jsonrpc": "2.0", "result": 19, "id": 1}"#)
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#),
            #"{"jsonrpc": "2.0", "result": -19, "id": 2}"#)
    }

    @Test("V3, V4: named parameters")
    func named() async {
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#),
            #"{"jsonrpc": "2.0", "result": 19, "id": 3}"#)
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#),
            #"{"jsonrpc": "2.0", "result": 19, "id": 4}"#)
    }

    @Test("V5, V6: notifications get no reply")
    func notifications() async {
        let context = TestContext()
        #expect(await dispatch(#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, context: context) == .none)
        #expect(await dispatch(#"{"jsonrpc": "2.0", "method": "foobar"}"#, context: context) == .none)
        #expect(context.recorded == ["update"])
    }

    @Test("V7: non-existent method")
    func methodNotFound() async {
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#),
            #"{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}"#)
    }

    @Test("V8: invalid JSON")
    func invalidJSON() async {
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#),
            #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#)
    }

    @Test("V9: invalid Request object")
    func invalidRequest() async {
        expectSingle(
            await dispatch(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#),
            #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#)
    }

    @Test("V10: batch with invalid JSON")
    func batchInvalidJSON() async {
        expectSingle(
            await dispatch(#"""
                [
                  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                  {"jsonrpc": "2.0", "method"
                ]
                """#),
            #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#)
    }

    @Test("V11: empty array")
    func emptyBatch() async {
        expectSingle(
            await dispatch("[]"),
            #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#)
    }

    @Test("V12: invalid batch of one")
    func invalidBatchOfOne() async {
        expectBatch(
            await dispatch("[1]"),
            #"[{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]"#)
    }

    @Test("V13: invalid batch of three")
    func invalidBatchOfThree() async {
        let error = #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#
        expectBatch(await dispatch("[1,2,3]"), "[\(error),\(error),\(error)]")
    }

    @Test("V14: mixed batch")
    func mixedBatch() async {
        let context = TestContext()
        let reply = await dispatch(#"""
            [
                {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]
            """#, context: context)
        expectBatch(reply, #"""
            [
                {"jsonrpc": "2.0", "result": 7, "id": "1"},
                {"jsonrpc": "2.0", "result": 19, "id": "2"},
                {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
            ]
            """#)
        // Responses come back in request order.
        #expect(reply.responses.map { $0["id"] ?? "missing" } == ["1", "2", nil, "5", "9"])
        #expect(context.recorded == ["sum", "notify_hello", "subtract", "get_data"])
    }

    @Test("V15: batch of notifications")
    func batchOfNotifications() async {
        let context = TestContext()
        let reply = await dispatch(#"""
            [
                {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
            ]
            """#, context: context)
        #expect(reply == .none)
        #expect(reply.body == nil)
        #expect(context.recorded == ["notify_sum", "notify_hello"])
    }
}
