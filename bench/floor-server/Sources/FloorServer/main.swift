import Hummingbird

// Usage: floor-server [port]   (default 8090; binds 127.0.0.1 only)
//
//   POST /rpc    reads the request body and answers a fixed JSON-RPC reply shaped like Woow's
//                /web/webclient/version_info answer (no JSON decoding or encoding at all);
//   GET  /plain  answers "hello".
//
// It is the floor for Woow's version_info scenario: whatever Woow spends beyond this is its own code.
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8090 : 8090

let rpcReply = ByteBuffer(
    string: #"{"jsonrpc":"2.0","id":1,"result":{"server_version":"18.0","server_version_info":[18,0,0,"final",0,""],"server_serie":"18.0","protocol_version":1}}"#
)

let router = Router()
router.get("/plain") { _, _ in "hello" }
router.post("/rpc") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(
        status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: rpcReply))
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "floor"))
try await app.runService()
