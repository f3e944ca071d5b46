import Foundation
import JSONRPC

/// Decodes a `multipart/form-data` body (RFC 7578) into the same JSON object a JSON body would give,
/// so that REST routes read uploads with the usual parameter readers:
///
/// - a text field (`-F name=Ada`) becomes a string (it must be UTF-8);
/// - a file field (`-F avatar=@me.png`) becomes `{"filename": …, "content_type": …, "data": <base64>}`.
///   The declared `content_type` is the client's claim only; routes check the content themselves.
///
/// A body that is not well-formed (no boundary, a part without a name, a repeated field, a missing
/// closing delimiter, more than ``maxParts`` parts) is a `VALIDATION_ERROR`, never a partial object.
enum MultipartForm {
    /// The most parts one body may carry.
    static let maxParts = 32

    /// The boundary of a `multipart/form-data` content type, or `nil` for any other type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return ""
    }

    /// Parses `body` split by `boundary`.
    static func decode(_ body: [UInt8], boundary: String) -> Result<JSONObject, AppError> {
        func malformed(_ why: String) -> Result<JSONObject, AppError> {
            .failure(AppError(.validationError, "Malformed multipart body: \(why)"))
        }
        guard (1...70).contains(boundary.utf8.count) else { return malformed("missing or invalid boundary") }
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter may follow a preamble; every later one is preceded by CRLF.
        guard var cursor = body.firstRange(of: delimiter, from: 0)?.upperBound else {
            return malformed("no part found")
        }
        var object = JSONObject()
        let separator = crlf + delimiter
        while true {
            // After a delimiter: `--` closes the body, CRLF opens a part (transport padding allowed).
            if body.hasBytes([45, 45], at: cursor) { return .success(object) }
            while cursor < body.count, body[cursor] == 32 || body[cursor] == 9 { cursor += 1 }
            guard body.hasBytes(crlf, at: cursor) else { return malformed("bad delimiter line") }
            cursor += 2
            guard let end = body.firstRange(of: separator, from: cursor) else {
                return malformed("missing closing delimiter")
            }
            guard object.count < maxParts else { return malformed("more than \(maxParts) parts") }
            switch part(Array(body[cursor..<end.lowerBound])) {
            case .failure(let error): return .failure(error)
            case .success(let (name, value)):
                guard !object.contains(key: name) else { return malformed("field \(name) appears twice") }
                object.append(name, value)
            }
            cursor = end.upperBound
        }
    }

    /// One part: its headers, a blank line, its content.
    private static func part(_ bytes: [UInt8]) -> Result<(String, JSONValue), AppError> {
        let malformed = { (why: String) in Result<(String, JSONValue), AppError>.failure(AppError(.validationError, "Malformed multipart body: \(why)")) }
        guard let blank = bytes.firstRange(of: [13, 10, 13, 10], from: 0) else { return malformed("part without headers") }
        guard let headerText = String(validating: bytes[..<blank.lowerBound], as: UTF8.self) else {
            return malformed("headers are not UTF-8")
        }
        let content = Array(bytes[blank.upperBound...])
        var name: String?
        var filename: String?
        var contentType = "application/octet-stream"
        for line in headerText.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { return malformed("bad header line") }
            let header = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch header {
            case "content-disposition":
                let parameters = dispositionParameters(value)
                guard parameters.type == "form-data" else { return malformed("part is not form-data") }
                name = parameters.values["name"]
                filename = parameters.values["filename"]
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name, !name.isEmpty else { return malformed("part without a name") }
        if let filename {
            let data: JSONValue = [
                "filename": .string(filename), "content_type": .string(contentType),
                "data": .string(Data(content).base64EncodedString()),
            ]
            return .success((name, data))
        }
        guard let text = String(validating: content, as: UTF8.self) else {
            return .failure(.validation([FieldError(field: name, message: "must be UTF-8 text")]))
        }
        return .success((name, .string(text)))
    }

    /// `form-data; name="avatar"; filename="me.png"` → type and parameters (quotes removed, `\"` unescaped).
    private static func dispositionParameters(_ value: String) -> (type: String, values: [String: String]) {
        var values: [String: String] = [:]
        var scalars = Substring(value)
        func take(until stop: Character) -> Substring {
            let end = scalars.firstIndex(of: stop) ?? scalars.endIndex
            defer { scalars = scalars[end...].dropFirst() }
            return scalars[..<end]
        }
        let type = take(until: ";").trimmingCharacters(in: .whitespaces).lowercased()
        while !scalars.isEmpty {
            let key = take(until: "=").trimmingCharacters(in: .whitespaces).lowercased()
            scalars = scalars.drop { $0 == " " }
            var parsed = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let character = scalars.first, character != "\"" {
                    scalars = scalars.dropFirst()
                    if character == "\\", let escaped = scalars.first {
                        parsed.append(escaped)
                        scalars = scalars.dropFirst()
                    } else {
                        parsed.append(character)
                    }
                }
                scalars = scalars.dropFirst()
                _ = take(until: ";")
            } else {
                parsed = take(until: ";").trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty, values[key] == nil { values[key] = parsed }
        }
        return (type, values)
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `needle` at or after `start`.
    fileprivate func firstRange(of needle: [UInt8], from start: Int) -> Range<Int>? {
        guard !needle.isEmpty, count >= needle.count, start <= count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= count - needle.count {
            if self[index] == first, hasBytes(needle, at: index) { return index..<(index + needle.count) }
            index += 1
        }
        return nil
    }

    /// Whether `bytes` occur at `index`.
    fileprivate func hasBytes(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + bytes.count <= count else { return false }
        for offset in 0..<bytes.count where self[index + offset] != bytes[offset] { return false }
        return true
    }
}
