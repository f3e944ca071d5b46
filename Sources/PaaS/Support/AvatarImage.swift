import Foundation
import JSONRPC
import WebAPI

/// An avatar image as uploaded: its bytes and the type found **in the bytes** (PNG, JPEG, GIF or
/// WebP magic numbers). A declared type — the `data:` URL's, the multipart part's `Content-Type`,
/// the file name — is never trusted.
public struct AvatarImage: Sendable, Hashable {
    /// The image types accepted, by their leading bytes.
    public enum Kind: String, Sendable, CaseIterable {
        case png = "image/png"
        case jpeg = "image/jpeg"
        case gif = "image/gif"
        case webp = "image/webp"

        /// The kind whose signature starts `bytes`, if any.
        public init?(sniffing bytes: [UInt8]) {
            func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
                bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
            }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if starts([0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
                self = .gif
            } else if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
                self = .webp
            } else {
                return nil
            }
        }
    }

    /// The raw image.
    public let bytes: [UInt8]
    /// Its type, from its content.
    public let kind: Kind

    /// Why an `avatar` parameter was refused (the `VALIDATION_ERROR` detail message).
    public struct Rejection: Error, Sendable, Hashable {
        /// The message for the `avatar` field.
        public let message: String
    }

    /// Reads the `avatar` parameter: a base64 string, a `data:image/…;base64,` URL, or an uploaded
    /// file object `{"data": <base64>, …}` (what a multipart file part becomes). At most `maxSize` bytes.
    public init(parameter value: JSONValue, maxSize: Int) throws(Rejection) {
        let encoded: String
        switch value {
        case .string(let text):
            encoded = try Self.stripDataURL(text)
        case .object(let file):
            guard let data = file["data"]?.stringValue else {
                throw Rejection(message: "must be an uploaded file, a base64 string or a data URL")
            }
            encoded = data
        default:
            throw Rejection(message: "must be an uploaded file, a base64 string or a data URL")
        }
        // A cheap bound before decoding: base64 needs 4 characters per 3 bytes.
        guard encoded.utf8.count <= (maxSize / 3 + 2) * 4 + 1024 else { throw Self.tooLarge(maxSize) }
        let compact = encoded.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { throw Rejection(message: "is not valid base64") }
        guard !data.isEmpty else { throw Rejection(message: "is empty") }
        guard data.count <= maxSize else { throw Self.tooLarge(maxSize) }
        let bytes = [UInt8](data)
        guard let kind = Kind(sniffing: bytes) else {
            throw Rejection(message: "must be a PNG, JPEG, GIF or WebP image")
        }
        self.bytes = bytes
        self.kind = kind
    }

    private static func tooLarge(_ maxSize: Int) -> Rejection {
        Rejection(message: "must be at most \(maxSize) bytes")
    }

    /// `data:image/png;base64,AAAA` → `AAAA`; a plain string is returned as is. A data URL must be
    /// base64-encoded (its declared type is ignored).
    private static func stripDataURL(_ text: String) throws(Rejection) -> String {
        guard text.prefix(5).lowercased() == "data:" else { return text }
        guard let comma = text.firstIndex(of: ",") else { throw Rejection(message: "is not a valid data URL") }
        let header = text[text.index(text.startIndex, offsetBy: 5)..<comma].lowercased()
        guard header.hasSuffix(";base64") else { throw Rejection(message: "data URL must be base64-encoded") }
        return String(text[text.index(after: comma)...])
    }
}
