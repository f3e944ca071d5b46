import JSONRPC
import Testing

@Suite("JSON-RPC model types")
struct RPCModelTests {
    @Test("request decoding keeps a valid id on failure")
    func decodeFailureCarriesID() {
        func failure(_ text: String) -> RPCRequestDecodingFailure? {
            if case .failure(let f) = RPCRequest.decode(json(text)) { return f }
            return nil
        }
        #expect(failure(#"{"jsonrpc":"2.0","method":1,"id":"a"}"#)?.id == .string("a"))
        #expect(failure(#"{"jsonrpc":"2.0","method":1,"id":null}"#)?.id == .null)
        #expect(failure(#"{"jsonrpc":"2.0","method":1}"#)?.id == nil)
        #expect(failure(#"{"jsonrpc":"2.0","method":"m","id":true}"#)?.id == nil)
        #expect(failure(#"{"jsonrpc":"2.0","method":"m","id":true}"#)?.responseID == .null)
        #expect(failure("[1]")?.error == .invalidRequest)
        #expect(failure("1")?.reason.isEmpty == false)
    }

    @Test("request decoding success")
    func decodeSuccess() throws {
        let named = try RPCRequest.decode(json(#"{"id":"x","params":{"a":1},"method":"m","jsonrpc":"2.0","z":0}"#)).get()
        #expect(named.method == "m")
        #expect(named.id == .string("x"))
        #expect(named.params == .named(["a": 1]))
        #expect(!named.isNotification)
        let note = try RPCRequest.decode(json(#"{"jsonrpc":"2.0","method":"n"}"#)).get()
        #expect(note.isNotification && note.params == nil)
        let nullID = try RPCRequest.decode(json(#"{"jsonrpc":"2.0","method":"n","id":null,"params":[]}"#)).get()
        #expect(nullID.id == .null && !nullID.isNotification)
        #expect(nullID.params == .positional([]))
        #expect(note.json.jsonString == #"{"jsonrpc":"2.0","method":"n"}"#)
        #expect(named.json.jsonString == #"{"jsonrpc":"2.0","method":"m","params":{"a":1},"id":"x"}"#)
    }

    @Test("params helpers")
    func params() {
        let positional = RPCParams.positional(["a", "b"])
        #expect(positional.value(at: 1, named: "x") == "b")
        #expect(positional.value(at: 2, named: "x") == nil)
        #expect(positional.value(at: -1, named: "x") == nil)
        let named = RPCParams.named(["x": 1])
        #expect(named.value(at: 0, named: "x") == 1)
        #expect(named.value(at: 0, named: "y") == nil)
        #expect(positional.json == ["a", "b"])
        #expect(named.json == ["x": 1])
        #expect(positional.count == 2 && named.count == 1)
    }

    @Test("error objects")
    func errors() {
        #expect(RPCError.parseError.json.jsonString == #"{"code":-32700,"message":"Parse error"}"#)
        #expect(RPCError.invalidRequest.code == -32600)
        #expect(RPCError.methodNotFound.code == -32601)
        #expect(RPCError.invalidParams.code == -32602 && RPCError.invalidParams.data == nil)
        #expect(RPCError.internalError.json.jsonString == #"{"code":-32603,"message":"Internal error"}"#)
        #expect(RPCError.invalidParams("need x").json.jsonString
            == #"{"code":-32602,"message":"Invalid params","data":"need x"}"#)
    }

    @Test("responses put jsonrpc and id first, and never both result and error")
    func responses() {
        let ok = RPCResponse.success(id: .number(JSONNumber(literal: "9007199254740993")!), result: ["a": nil])
        #expect(ok.json.jsonString == #"{"jsonrpc":"2.0","id":9007199254740993,"result":{"a":null}}"#)
        let bad = RPCResponse(id: .null, outcome: .failure(.methodNotFound))
        #expect(bad.json.jsonString == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"Method not found"}}"#)
        #expect(RPCID(json: .bool(true)) == nil)
        #expect(RPCID(json: "s") == .string("s"))
        #expect(RPCID("s").json == "s" && RPCID(3).json == 3 && RPCID.null.json == .null)
    }

    @Test("reply bodies")
    func replies() {
        #expect(RPCReply.none.body == nil)
        #expect(RPCReply.single(["a": 1]).body == Array(#"{"a":1}"#.utf8))
        #expect(RPCReply.batch([1, ["b": "c"]]).body == Array(#"[1,{"b":"c"}]"#.utf8))
    }

    @Test("method table lookups")
    func methodTable() async throws {
        var table = RPCMethodTable<Int>()
        table.register("b") { _, ctx in JSONValue(ctx) }
        table.register("a") { _, _ in "first" }
        table.register("a") { _, _ in "second" }
        #expect(table.methodNames == ["a", "b"])
        #expect(table.handler(for: "rpc.b") == nil)
        #expect(table.handler(for: "c") == nil)
        #expect(try await table.handler(for: "a")?(nil, 0) == "second")
        #expect(try await table.handler(for: "b")?(nil, 42) == 42)
    }

    @Test("registering an rpc.* method is a programmer error")
    func reservedRegistrationTraps() async {
        await #expect(processExitsWith: .failure) {
            var table = RPCMethodTable<Int>()
            table.register("rpc.discover") { _, _ in .null }
        }
    }
}
