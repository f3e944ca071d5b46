import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore

/// Helpers to build JSON-RPC bodies and read answers in tests.
public enum RPCBody {
    /// `{"jsonrpc":"2.0","method":method,"params":params,"id":id}` as a buffer.
    public static func call(_ params: JSONValue = [:], id: JSONValue = 1, method: String = "call") -> ByteBuffer {
        let body: JSONValue = ["jsonrpc": "2.0", "method": .string(method), "params": params, "id": id]
        return ByteBuffer(bytes: body.serialized())
    }

    /// Parses a response body as JSON.
    public static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        try buffer.withUnsafeReadableBytes { try JSONParser.parse($0) }
    }
}

extension HTTPFields {
    /// `Content-Type: application/json`, optionally with a session cookie.
    public static func json(session: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let session { fields[.cookie] = "session_id=\(session)" }
        return fields
    }
}

extension TestResponse {
    /// The `session_id` value set by the answer, if any.
    public var sessionCookie: String? {
        for field in headers where field.name == .setCookie {
            let first = field.value.split(separator: ";").first ?? ""
            let parts = first.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "session_id" { return String(parts[1]) }
        }
        return nil
    }

    /// The body parsed as JSON.
    public var json: JSONValue {
        get throws { try RPCBody.parse(body) }
    }
}
