import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request body was larger than the configured limit (answered with 413).
public struct BodyTooLargeError: Error, Sendable {
    /// The limit in bytes.
    public let limit: Int
}

extension Request {
    /// Collects the body, refusing (before buffering it all) one larger than `limit` bytes.
    public func collectBody(limit: Int) async throws -> ByteBuffer {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw BodyTooLargeError(limit: limit)
        }
        var collected = ByteBuffer()
        for try await var chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw BodyTooLargeError(limit: limit) }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// Whether the `Content-Type` is JSON (`application/json` or `application/json-rpc`, any parameters).
    public var hasJSONContentType: Bool {
        guard let value = headers[.contentType] else { return false }
        // The media type before any parameter, without surrounding blanks, compared without case.
        let bytes = value.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes[..<end].firstIndex(where: { !isBlank($0) }),
            let last = bytes[..<end].lastIndex(where: { !isBlank($0) })
        else { return false }
        let mime = bytes[first...last]
        func equals(_ expected: StaticString) -> Bool {
            mime.count == expected.utf8CodeUnitCount
                && zip(mime, UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount))
                    .allSatisfy { actual, wanted in
                        (actual >= UInt8(ascii: "A") && actual <= UInt8(ascii: "Z") ? actual | 0x20 : actual) == wanted
                    }
        }
        return equals("application/json") || equals("application/json-rpc")
    }
}

extension Response {
    /// A JSON answer from serialised bytes.
    public static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// A plain-text or HTML answer.
    public static func text(_ text: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
