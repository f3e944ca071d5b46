import Foundation
import JSONRPC

/// What one curl command of an example answered: the HTTP status (from curl's `--write-out`) and
/// the body (headers stripped when the command asked for them with `-i`).
struct DocsAnswer: Sendable {
    static let statusMarker = "@@woow-docs-status "

    let status: Int
    let body: String
    /// The body as JSON, when it is JSON.
    let json: JSONValue?

    /// Reads curl's output; `nil` when it carries no status (curl could not connect).
    init?(output: String, includesHeaders: Bool) {
        guard let marker = output.range(of: Self.statusMarker, options: .backwards),
            let status = Int(output[marker.upperBound...].prefix { $0.isNumber })
        else { return nil }
        var body = String(output[..<marker.lowerBound])
        if includesHeaders, let end = body.range(of: "\r\n\r\n") { body = String(body[end.upperBound...]) }
        self.status = status
        self.body = body
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        json = trimmed.hasPrefix("{") || trimmed.hasPrefix("[") ? try? JSONParser.parse(trimmed) : nil
    }

    /// A JSON-RPC answer (it has `jsonrpc`).
    var isJSONRPC: Bool { json?["jsonrpc"] != nil }

    /// The application envelope: the body, or a JSON-RPC answer's `result`.
    var envelope: JSONValue? { isJSONRPC ? json?["result"] : json }

    /// What is wrong with this answer for the command that produced it, or `nil`.
    func problem(applicationAPI: Bool, expectation: (status: Int, code: String)?) -> String? {
        if let expectation {
            let wanted = isJSONRPC ? 200 : expectation.status
            guard status == wanted else { return "status \(status), documented \(wanted)" }
            guard envelope?["success"] == false, envelope?["code"]?.stringValue == expectation.code else {
                return "expected the error \(expectation.code)"
            }
            return nil
        }
        guard (200..<300).contains(status) else { return "status \(status)" }
        if isJSONRPC {
            if json?["error"] != nil { return "a JSON-RPC error" }
            guard let result = json?["result"] else { return "no JSON-RPC result" }
            if applicationAPI, result["success"] != true { return "result.success is not true" }
        } else if applicationAPI, let json, json.objectValue != nil, json["success"] != true {
            return "success is not true"
        }
        return nil
    }
}

/// A path into an answer: `data.items[0].id`, `data.items[type=mastercard].id`.
struct DocsJSONPath: CustomStringConvertible {
    enum Step {
        case key(String)
        case index(Int)
        case match(key: String, value: String)
    }

    let description: String
    let steps: [Step]

    init(_ text: String) {
        description = text
        var steps: [Step] = []
        for part in text.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                if bracket > rest.startIndex { steps.append(.key(String(rest[..<bracket]))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    let inside = rest[rest.index(after: rest.startIndex)..<close]
                    if let index = Int(inside) {
                        steps.append(.index(index))
                    } else if let equals = inside.firstIndex(of: "=") {
                        steps.append(.match(key: String(inside[..<equals]), value: String(inside[inside.index(after: equals)...])))
                    }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.key(String(rest)))
            }
        }
        self.steps = steps
    }

    /// The value at this path as text (a string as is, anything else as JSON), or `nil`.
    func text(in value: JSONValue?) -> String? {
        var current = value
        for step in steps {
            switch step {
            case .key(let key): current = current?[key]
            case .index(let index): current = current?[index]
            case .match(let key, let wanted):
                current = current?.arrayValue?.first { Self.text($0[key]) == wanted }
            }
        }
        return Self.text(current)
    }

    static func text(_ value: JSONValue?) -> String? {
        guard let value, value != .null else { return nil }
        if let string = value.stringValue { return string }
        return String(decoding: value.serialized(), as: UTF8.self)
    }
}
