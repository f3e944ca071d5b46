import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONRPC
import NIOCore
import Testing

/// A decoded XML-RPC value, keeping the wire type (`<int>` vs `<double>` vs `<boolean>`).
enum XMLRPCValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int64)
    case boolean(Bool)
    case string(String)
    case double(Double)
    case array([XMLRPCValue])
    case structure([String: XMLRPCValue])
    case `nil`

    var description: String {
        switch self {
        case .int(let value): "int(\(value))"
        case .boolean(let value): "boolean(\(value))"
        case .string(let value): "string(\(value.debugDescription))"
        case .double(let value): "double(\(value))"
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .structure(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .nil: "nil"
        }
    }

    var intValue: Int64? { if case .int(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var arrayValue: [XMLRPCValue]? { if case .array(let items) = self { items } else { nil } }
    var structValue: [String: XMLRPCValue]? { if case .structure(let members) = self { members } else { nil } }

    subscript(key: String) -> XMLRPCValue? { structValue?[key] }
    subscript(index: Int) -> XMLRPCValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The value as JSON (ints and doubles both become numbers).
    var json: JSONValue {
        switch self {
        case .int(let value): .number(JSONNumber(value))
        case .boolean(let value): .bool(value)
        case .string(let value): .string(value)
        case .double(let value): .number(JSONNumber(value))
        case .array(let items): .array(items.map(\.json))
        case .structure(let members):
            .object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }))
        case .nil: .null
        }
    }
}

/// One XML-RPC answer: a value, or a fault.
enum XMLRPCAnswer: Sendable, CustomStringConvertible {
    case value(XMLRPCValue)
    case fault(code: XMLRPCValue, message: String)

    var value: XMLRPCValue? { if case .value(let value) = self { value } else { nil } }
    var faultCode: XMLRPCValue? { if case .fault(let code, _) = self { code } else { nil } }
    var faultString: String? { if case .fault(_, let message) = self { message } else { nil } }

    var description: String {
        switch self {
        case .value(let value): "value \(value)"
        case .fault(let code, let message): "fault \(code): \(message.debugDescription)"
        }
    }
}

/// A test-side XML-RPC codec, written independently of the server's: it builds `<methodCall>`
/// documents the way Python's `xmlrpc.client` does and reads `<methodResponse>` documents.
enum XMLRPCTestCodec {
    /// A `<methodCall>` with the parameters encoded from JSON (integers → `<int>`, fractions →
    /// `<double>`, null → `<nil/>`, objects → `<struct>`).
    static func call(_ method: String, _ params: [JSONValue]) -> String {
        var out = "<?xml version='1.0'?>\n<methodCall>\n<methodName>\(escape(method))</methodName>\n<params>\n"
        for param in params {
            out += "<param>\n"
            encode(param, into: &out)
            out += "\n</param>\n"
        }
        out += "</params>\n</methodCall>\n"
        return out
    }

    static func encode(_ value: JSONValue, into out: inout String) {
        if case .encoded(let encoded) = value { return encode(encoded.value, into: &out) }
        out += "<value>"
        switch value {
        case .null: out += "<nil/>"
        case .bool(let flag): out += "<boolean>\(flag ? 1 : 0)</boolean>"
        case .number(let number):
            out += number.isInteger ? "<int>\(number.literal)</int>" : "<double>\(number.literal)</double>"
        case .string(let text): out += "<string>\(escape(text))</string>"
        case .array(let items):
            out += "<array><data>\n"
            for item in items { encode(item, into: &out) }
            out += "</data></array>"
        case .object(let members):
            out += "<struct>\n"
            for (key, member) in members {
                out += "<member>\n<name>\(escape(key))</name>\n"
                encode(member, into: &out)
                out += "\n</member>\n"
            }
            out += "</struct>"
        case .encoded:
            preconditionFailure("encoded values are decoded before the switch")
        }
        out += "</value>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads a `<methodResponse>`.
    static func decodeResponse(_ text: String) throws -> XMLRPCAnswer {
        var reader = MiniXMLReader(Array(text.utf8))
        let root = try reader.document()
        guard root.name == "methodResponse" else { throw DecodeError(description: "root is <\(root.name)>") }
        if let fault = root.child("fault") {
            guard let value = fault.child("value") else { throw DecodeError(description: "fault without value") }
            let decoded = try decodeValue(value)
            guard let code = decoded["faultCode"], let message = decoded["faultString"]?.stringValue else {
                throw DecodeError(description: "fault without faultCode / faultString: \(decoded)")
            }
            return .fault(code: code, message: message)
        }
        let params = root.child("params")?.children.filter { $0.name == "param" } ?? []
        guard params.count == 1, let value = params[0].child("value") else {
            throw DecodeError(description: "a response carries exactly one param (got \(params.count))")
        }
        return .value(try decodeValue(value))
    }

    static func decodeValue(_ value: MiniXMLReader.Node) throws -> XMLRPCValue {
        let typed = value.children
        guard typed.count <= 1 else { throw DecodeError(description: "<value> with \(typed.count) children") }
        guard let node = typed.first else { return .string(value.text) }
        switch node.name {
        case "int", "i4", "i8":
            // The wire form must be plain decimal digits (Python's int()).
            guard node.text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }),
                let number = Int64(node.text)
            else { throw DecodeError(description: "bad int \(node.text.debugDescription)") }
            return .int(number)
        case "boolean":
            switch node.text {
            case "0": return .boolean(false)
            case "1": return .boolean(true)
            default: throw DecodeError(description: "bad boolean \(node.text.debugDescription)")
            }
        case "string": return .string(node.text)
        case "double":
            guard let number = Double(node.text) else { throw DecodeError(description: "bad double \(node.text)") }
            return .double(number)
        case "nil": return .nil
        case "array":
            guard let data = node.child("data") else { throw DecodeError(description: "array without data") }
            return .array(try data.children.map { item in
                guard item.name == "value" else { throw DecodeError(description: "<\(item.name)> in data") }
                return try decodeValue(item)
            })
        case "struct":
            var members: [String: XMLRPCValue] = [:]
            for member in node.children {
                guard member.name == "member", let name = member.child("name"), let memberValue = member.child("value")
                else { throw DecodeError(description: "bad struct member") }
                members[name.text] = try decodeValue(memberValue)
            }
            return .structure(members)
        default:
            throw DecodeError(description: "unexpected type <\(node.name)>")
        }
    }
}

/// Just enough XML to read the server's answers: declaration, elements, text, the predefined
/// entities and character references. Whitespace-only text between elements is dropped.
struct MiniXMLReader {
    struct Node {
        let name: String
        var children: [Node] = []
        var text = ""
        func child(_ name: String) -> Node? { children.first { $0.name == name } }
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws -> Node {
        skipSpace()
        if starts("<?") {
            while index < bytes.count, !starts("?>") { index += 1 }
            index += 2
        }
        skipSpace()
        let root = try element()
        skipSpace()
        guard index == bytes.count else { throw XMLRPCTestCodec.DecodeError(description: "trailing content") }
        return root
    }

    private mutating func element() throws -> Node {
        guard starts("<") else { throw XMLRPCTestCodec.DecodeError(description: "expected an element") }
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") { index += 1 }
        var node = Node(name: String(decoding: bytes[start..<index], as: UTF8.self))
        if starts("/>") {
            index += 2
            return node
        }
        index += 1  // >
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw XMLRPCTestCodec.DecodeError(description: "unterminated <\(node.name)>") }
            if starts("</") {
                index += 2
                let closeStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                let closing = String(decoding: bytes[closeStart..<index], as: UTF8.self)
                guard closing == node.name else {
                    throw XMLRPCTestCodec.DecodeError(description: "</\(closing)> closes <\(node.name)>")
                }
                index += 1
                break
            } else if bytes[index] == UInt8(ascii: "<") {
                node.children.append(try element())
            } else if bytes[index] == UInt8(ascii: "&") {
                guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ";")) else {
                    throw XMLRPCTestCodec.DecodeError(description: "unterminated entity")
                }
                let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                index = end + 1
                switch body {
                case "lt": text += Array("<".utf8)
                case "gt": text += Array(">".utf8)
                case "amp": text += Array("&".utf8)
                case "quot": text += Array("\"".utf8)
                case "apos": text += Array("'".utf8)
                default:
                    let value = body.hasPrefix("#x") ? UInt32(body.dropFirst(2), radix: 16) : UInt32(body.dropFirst())
                    guard body.hasPrefix("#"), let value, let scalar = Unicode.Scalar(value) else {
                        throw XMLRPCTestCodec.DecodeError(description: "entity &\(body);")
                    }
                    text += Array(String(Character(scalar)).utf8)
                }
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        let decoded = String(decoding: text, as: UTF8.self)
        node.text = node.children.isEmpty ? decoded : decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        return node
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func starts(_ literal: String) -> Bool {
        let literalBytes = Array(literal.utf8)
        guard index + literalBytes.count <= bytes.count else { return false }
        return bytes[index..<(index + literalBytes.count)].elementsEqual(literalBytes)
    }
}

extension TestClientProtocol {
    /// POSTs a raw XML body to an XML-RPC route.
    func postXML(_ path: String, _ body: String) async throws -> TestResponse {
        try await execute(
            uri: path, method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: body))
    }

    /// Calls `method(params)` on an XML-RPC route; the answer must be HTTP 200 `text/xml` and a
    /// well-formed `<methodResponse>`.
    func xmlrpc(
        _ path: String, _ method: String, _ params: [JSONValue] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> XMLRPCAnswer {
        let response = try await postXML(path, XMLRPCTestCodec.call(method, params))
        return try expectXMLRPCAnswer(response, sourceLocation: sourceLocation)
    }
}

/// Checks the HTTP side of an XML-RPC answer and decodes it.
func expectXMLRPCAnswer(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> XMLRPCAnswer
{
    #expect(response.status == .ok, "\(response.status): \(String(buffer: response.body))", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType]?.hasPrefix("text/xml") == true, sourceLocation: sourceLocation)
    return try XMLRPCTestCodec.decodeResponse(String(buffer: response.body))
}
