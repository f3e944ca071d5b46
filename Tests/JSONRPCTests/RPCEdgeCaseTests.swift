import JSONRPC
import Testing

@Suite("JSON-RPC edge cases")
struct RPCEdgeCaseTests {
    static let request = #"{"jsonrpc":"2.0","method":"subtract","params":[5,3],"id":ID}"#

    @Test("ids are echoed exactly", arguments: [
        #""1""#, "1", "-5", "0", #""abc""#, "9007199254740993", "123456789012345678901234567890", "1.0",
        "-0.5e-3", #""""#, #""é😀""#, "null",
    ])
    func idEcho(_ id: String) async {
        let reply = await dispatch(Self.request.replacingID(with: id))
        #expect(replyID(reply) == json(id))
        #expect(reply.body.map { String(decoding: $0, as: UTF8.self) }
            == #"{"jsonrpc":"2.0","id":\#(id),"result":2}"#)
    }

    @Test("ids of the wrong type are invalid requests answered with id null",
          arguments: [#"{"a":1}"#, "[1]", "[]", "true", "false"])
    func invalidIDs(_ id: String) async {
        let context = TestContext()
        let reply = await dispatch(Self.request.replacingID(with: id), context: context)
        expectSingle(reply, #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}"#)
        #expect(context.recorded.isEmpty)
    }

    @Test("jsonrpc member must be exactly \"2.0\"", arguments: [
        #"{"method":"subtract","params":[5,3],"id":1}"#,
        #"{"jsonrpc":"1.0","method":"subtract","params":[5,3],"id":1}"#,
        #"{"jsonrpc":2.0,"method":"subtract","params":[5,3],"id":1}"#,
        #"{"jsonrpc":"2.0 ","method":"subtract","params":[5,3],"id":1}"#,
        #"{"jsonrpc":null,"method":"subtract","params":[5,3],"id":1}"#,
        #"{"JSONRPC":"2.0","method":"subtract","params":[5,3],"id":1}"#,
        #"{"jsonrpc":"2.0","Method":"subtract","id":1}"#,
        #"{"jsonrpc":"2.0","method":null,"id":1}"#,
        #"{"jsonrpc":"2.0","method":["subtract"],"id":1}"#,
    ])
    func invalidEnvelope(_ body: String) async {
        let context = TestContext()
        let reply = await dispatch(body, context: context)
        #expect(errorCode(reply) == -32600)
        // The id was valid, so it is echoed.
        #expect(replyID(reply) == 1)
        #expect(context.recorded.isEmpty)
    }

    @Test("params must be an array or an object", arguments: [#""bar""#, "5", "true", "null"])
    func invalidParams(_ params: String) async {
        let reply = await dispatch(#"{"jsonrpc":"2.0","method":"subtract","params":\#(params),"id":7}"#)
        #expect(errorCode(reply) == -32600)
        // Invalid even as a notification: an unparseable request is always answered.
        let note = await dispatch(#"{"jsonrpc":"2.0","method":"update","params":\#(params)}"#)
        #expect(errorCode(note) == -32600)
        #expect(replyID(note) == .null)
    }

    @Test("handlers report invalid params with -32602", arguments: [
        "[1]", "[1,2,3]", #"["a",1]"#, "[1.5,2]", #"{"minuend":1}"#, #"{"minuend":1,"subtrahend":"x"}"#,
    ])
    func handlerInvalidParams(_ params: String) async {
        let reply = await dispatch(#"{"jsonrpc":"2.0","method":"subtract","params":\#(params),"id":1}"#)
        #expect(errorCode(reply) == -32602)
        #expect(replyID(reply) == 1)
    }

    @Test("reserved and unknown methods are not found", arguments: ["rpc.foo", "rpc.", "foobar", "foo.get", "Subtract", ""])
    func reservedMethods(_ method: String) async {
        let reply = await dispatch(#"{"jsonrpc":"2.0","method":"\#(method)","id":"x"}"#)
        expectSingle(reply, #"{"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method not found"}}"#)
    }

    @Test("unparseable bodies are parse errors", arguments: [
        [], Array("   \n\t".utf8), [0xFF, 0xFE], Array(#"{"jsonrpc":"2.0","method":"x","id":1}"#.utf8) + [0x22, 0xC3],
        Array(#"{"jsonrpc":"2.0","method":"sum","params":[1],"id":1} x"#.utf8),
        Array(#"{"jsonrpc":"2.0","method":"sum","params":[1],"id":1}{}"#.utf8),
        Array(#"{"jsonrpc":"2.0","method":"s\#u{FF}"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 },
        Array(#"{"jsonrpc":"2.0","method":"sum","params":[1,],"id":1}"#.utf8),
    ] as [[UInt8]])
    func parseErrors(_ body: [UInt8]) async {
        expectSingle(
            await dispatch(body),
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
    }

    @Test("top-level scalars are invalid requests", arguments: ["1", #""x""#, "true", "null", "{}"])
    func scalars(_ body: String) async {
        expectSingle(
            await dispatch(body),
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}"#)
    }

    @Test("duplicate member names are invalid requests with id null")
    func duplicateMembers() async {
        let context = TestContext()
        for body in [
            #"{"jsonrpc":"2.0","method":"subtract","method":"sum","params":[1,2],"id":1}"#,
            #"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1,"id":2}"#,
            #"[{"jsonrpc":"2.0","method":"sum","params":[1],"id":1},{"a":1,"a":2}]"#,
            #"{"jsonrpc":"2.0","method":"echo","params":{"x":{"k":1,"k":2}},"id":1}"#,
        ] {
            expectSingle(
                await dispatch(body, context: context),
                #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}"#)
        }
        #expect(context.recorded.isEmpty)
    }

    @Test("failing notifications are never answered")
    func failingNotifications() async {
        let context = TestContext()
        for body in [
            #"{"jsonrpc":"2.0","method":"fail_secret"}"#,
            #"{"jsonrpc":"2.0","method":"fail_rpc","params":[]}"#,
            #"{"jsonrpc":"2.0","method":"subtract","params":["wrong"]}"#,
            #"{"jsonrpc":"2.0","method":"rpc.ping"}"#,
            #"[{"jsonrpc":"2.0","method":"fail_secret"},{"jsonrpc":"2.0","method":"nope"}]"#,
        ] {
            #expect(await dispatch(body, context: context) == .none)
        }
        #expect(context.recorded == ["fail_secret", "fail_rpc", "subtract", "fail_secret"])
    }

    @Test("nested arrays inside a batch are invalid elements")
    func nestedBatch() async {
        let reply = await dispatch(#"[[{"jsonrpc":"2.0","method":"sum","params":[1],"id":1}],{"jsonrpc":"2.0","method":"sum","params":[2],"id":2}]"#)
        expectBatch(reply, #"""
            [{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}},
             {"jsonrpc":"2.0","id":2,"result":2}]
            """#)
        expectBatch(await dispatch("[[]]"), #"[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}]"#)
    }

    @Test("batch size limit")
    func batchLimit() async {
        let context = TestContext()
        func batch(_ n: Int) -> String {
            "[" + (0..<n).map { #"{"jsonrpc":"2.0","method":"sum","params":[\#($0)],"id":\#($0)}"# }
                .joined(separator: ",") + "]"
        }
        let atLimit = await dispatch(batch(100), context: context)
        #expect(atLimit.responses.count == 100)
        let over = await dispatch(batch(101), context: context)
        #expect(errorCode(over) == -32600)
        #expect(replyID(over) == .null)
        #expect(over.responses.first?["error"]?["data"]?.stringValue?.contains("100") == true)
        #expect(context.recorded.count == 100)
        let small = RPCDispatcher(methods: SpecMethods.table, limits: .init(maxBatchSize: 2))
        #expect(errorCode(await dispatch(batch(3), dispatcher: small)) == -32600)
        #expect(await dispatch(batch(2), dispatcher: small).responses.count == 2)
    }

    @Test("non-RPC Swift errors become a bare internal error")
    func internalErrors() async {
        let reply = await dispatch(#"{"jsonrpc":"2.0","method":"fail_secret","id":1}"#)
        expectSingle(reply, #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}"#)
        let text = String(decoding: reply.body ?? [], as: UTF8.self)
        #expect(!text.contains("SECRET") && !text.contains("hunter2") && !text.contains("SecretFailure"))
    }

    @Test("RPCError thrown by a handler is sent as is")
    func rpcErrors() async {
        expectSingle(
            await dispatch(#"{"jsonrpc":"2.0","method":"fail_rpc","id":"a"}"#),
            #"{"jsonrpc":"2.0","id":"a","error":{"code":-32001,"message":"Access denied","data":{"why":"nope"}}}"#)
    }

    @Test("a custom mapError sees only non-RPC errors")
    func customMapError() async {
        let dispatcher = RPCDispatcher(methods: SpecMethods.table) { error in
            RPCError(code: -32000, message: "Server error", data: .string("\(type(of: error))"))
        }
        let mapped = await dispatch(#"{"jsonrpc":"2.0","method":"fail_secret","id":1}"#, dispatcher: dispatcher)
        expectSingle(mapped, #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"Server error","data":"SecretFailure"}}"#)
        let direct = await dispatch(#"{"jsonrpc":"2.0","method":"fail_rpc","id":1}"#, dispatcher: dispatcher)
        #expect(errorCode(direct) == -32001)
    }

    @Test("the same id twice in a batch is answered twice")
    func duplicateIDs() async {
        let reply = await dispatch(#"""
            [{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1},
             {"jsonrpc":"2.0","method":"sum","params":[3,4],"id":1}]
            """#)
        #expect(reply == .batch([
            ["jsonrpc": "2.0", "id": 1, "result": 3],
            ["jsonrpc": "2.0", "id": 1, "result": 7],
        ]))
    }

    @Test("extra members are ignored and id null is answered")
    func extraMembersAndNullID() async {
        let reply = await dispatch(#"{"extra":[1],"jsonrpc":"2.0","method":"sum","params":[1,2],"id":null,"x":{}}"#)
        #expect(reply.body.map { String(decoding: $0, as: UTF8.self) } == #"{"jsonrpc":"2.0","id":null,"result":3}"#)
    }

    @Test("the raw-buffer and parsed-value entry points behave like the array one")
    func otherEntryPoints() async {
        let body = Array(#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#.utf8)
        let expected = RPCReply.single(["jsonrpc": "2.0", "id": 1, "result": 19])
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: body.count, alignment: 1)
        defer { raw.deallocate() }
        raw.copyBytes(from: body)
        let context = TestContext()
        #expect(await SpecMethods.dispatcher.handle(body: UnsafeRawBufferPointer(raw), context: context) == expected)
        #expect(await SpecMethods.dispatcher.handle(body: UnsafeRawBufferPointer(start: nil, count: 0), context: context)
            == .single(["jsonrpc": "2.0", "id": nil, "error": ["code": -32700, "message": "Parse error"]]))
        let value = json(String(decoding: body, as: UTF8.self))
        #expect(await SpecMethods.dispatcher.handle(value: value, context: context) == expected)
        let request = RPCRequest(method: "subtract", params: .positional([42, 23]), id: .number(JSONNumber(1)))
        #expect(await SpecMethods.dispatcher.handle(request: request, context: context)
            == .success(id: RPCID(1), result: 19))
        #expect(context.recorded == ["subtract", "subtract", "subtract"])
        // Sync parsing for callers that only hold the buffer inside a closure.
        let parsed = body.withUnsafeBytes { SpecMethods.dispatcher.parse(body: $0) }
        #expect((try? parsed.get()) == value)
        let bad = [UInt8]("{".utf8).withUnsafeBytes { SpecMethods.dispatcher.parse(body: $0) }
        if case .failure(let error) = bad {
            #expect(RPCDispatcher<TestContext>.errorReply(for: error) == .single(
                ["jsonrpc": "2.0", "id": nil, "error": ["code": -32700, "message": "Parse error"]]))
        } else {
            Issue.record("expected a parse failure")
        }
    }
}

extension String {
    func replacingID(with id: String) -> String {
        var parts = self.split(separator: "ID", omittingEmptySubsequences: false).map(String.init)
        precondition(parts.count == 2)
        parts.insert(id, at: 1)
        return parts.joined()
    }
}
