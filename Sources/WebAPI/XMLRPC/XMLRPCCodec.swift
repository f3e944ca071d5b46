import JSONRPC

/// Converts between XML-RPC documents and the JSON values the services work with.
enum XMLRPCCodec {
    /// The method name and parameters of a `<methodCall>`.
    static func decodeCall(_ bytes: [UInt8]) throws -> (method: String, params: [JSONValue]) {
        let root = try XMLDocumentParser.parse(bytes)
        guard root.name == "methodCall", let name = root.child("methodName")?.text, !name.isEmpty else {
            throw XMLParseError(description: "not an XML-RPC methodCall")
        }
        let params = try (root.child("params")?.children ?? []).filter { $0.name == "param" }.map { param in
            guard let value = param.child("value") else { throw XMLParseError(description: "param without value") }
            return try decodeValue(value)
        }
        return (name.trimmingWhitespace, params)
    }

    static func decodeValue(_ value: XMLElement) throws -> JSONValue {
        guard let typed = value.children.first else { return .string(value.text) }  // untyped = string
        switch typed.name {
        case "int", "i4", "i8":
            guard let number = JSONNumber(literal: typed.text.trimmingWhitespace), number.isInteger else {
                throw XMLParseError(description: "bad integer")
            }
            return .number(number)
        case "double":
            guard let number = JSONNumber(literal: typed.text.trimmingWhitespace) else { throw XMLParseError(description: "bad double") }
            return .number(number)
        case "boolean":
            switch typed.text.trimmingWhitespace {
            case "1": return true
            case "0": return false
            default: throw XMLParseError(description: "bad boolean")
            }
        case "string", "dateTime.iso8601", "base64": return .string(typed.text)
        case "nil": return .null
        case "array":
            return .array(try (typed.child("data")?.children ?? []).filter { $0.name == "value" }.map(decodeValue))
        case "struct":
            var object = JSONObject()
            for member in typed.children where member.name == "member" {
                guard let name = member.child("name")?.text, let memberValue = member.child("value") else {
                    throw XMLParseError(description: "bad struct member")
                }
                object[name] = try decodeValue(memberValue)
            }
            return .object(object)
        default:
            throw XMLParseError(description: "unknown XML-RPC type \(typed.name)")
        }
    }

    /// A `<methodResponse>` carrying one value.
    static func response(_ value: JSONValue) -> String {
        var out = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
        encode(value, into: &out)
        out += "\n</param>\n</params>\n</methodResponse>\n"
        return out
    }

    /// A `<methodResponse>` carrying a fault.
    static func fault(code: JSONValue, message: String) -> String {
        var out = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"
        encode(["faultCode": code, "faultString": .string(message)], into: &out)
        out += "\n</fault>\n</methodResponse>\n"
        return out
    }

    static func encode(_ value: JSONValue, into out: inout String) {
        if case .encoded(let encoded) = value { return encode(encoded.value, into: &out) }
        out += "<value>"
        switch value {
        case .null: out += "<nil/>"
        case .bool(let flag): out += "<boolean>\(flag ? 1 : 0)</boolean>"
        case .number(let number): out += number.isInteger ? "<int>\(number.literal)</int>" : "<double>\(number.literal)</double>"
        case .string(let string): out += "<string>\(escape(string))</string>"
        case .array(let items):
            out += "<array><data>\n"
            for item in items {
                encode(item, into: &out)
                out += "\n"
            }
            out += "</data></array>"
        case .object(let object):
            out += "<struct>\n"
            for (key, member) in object {
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
        out.reserveCapacity(text.utf8.count)
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
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
