/// A minimal, safe XML reader for XML-RPC bodies: elements, attributes (ignored), text, the five
/// predefined entities, character references and CDATA. Document type declarations are refused
/// outright (no DTD, so no external or expanding entities), and nesting is bounded.
struct XMLElement: Sendable, Equatable {
    let name: String
    var children: [XMLElement] = []
    var text: String = ""

    /// The first child with this name.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }
}

/// Why an XML body was refused.
struct XMLParseError: Error, CustomStringConvertible {
    let description: String
}

struct XMLDocumentParser {
    private let bytes: [UInt8]
    private var index = 0
    private let maxDepth: Int

    init(_ bytes: [UInt8], maxDepth: Int = 64) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses the document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws -> XMLElement {
        var parser = XMLDocumentParser(bytes)
        return try parser.document()
    }

    private mutating func document() throws -> XMLElement {
        try skipMisc()
        guard peek("<") else { throw XMLParseError(description: "no root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw XMLParseError(description: "content after the root element") }
        return root
    }

    /// Skips whitespace, the XML declaration, processing instructions and comments; refuses DOCTYPE.
    private mutating func skipMisc() throws {
        while true {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            if peek("<?") {
                try skip(past: "?>")
            } else if peek("<!--") {
                try skip(past: "-->")
            } else if peek("<!") {
                throw XMLParseError(description: "document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    private mutating func element(depth: Int) throws -> XMLElement {
        guard depth < maxDepth else { throw XMLParseError(description: "nesting too deep") }
        index += 1  // <
        let name = try self.name()
        // Attributes are skipped (XML-RPC has none), but quoted values are respected.
        var selfClosing = false
        while true {
            guard index < bytes.count else { throw XMLParseError(description: "unterminated tag") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "/"), peek("/>") {
                index += 2
                selfClosing = true
                break
            }
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                index += 1
                while index < bytes.count, bytes[index] != byte { index += 1 }
            }
            index += 1
        }
        var element = XMLElement(name: name)
        if selfClosing { return element }
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw XMLParseError(description: "unterminated element <\(name)>") }
            if peek("</") {
                index += 2
                let closing = try self.name()
                guard closing == name else { throw XMLParseError(description: "mismatched </\(closing)> for <\(name)>") }
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                index += 1
                break
            } else if peek("<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += bytes[start..<(index - 3)]
            } else if peek("<!--") {
                try skip(past: "-->")
            } else if peek("<!") || peek("<?") {
                throw XMLParseError(description: "declarations are not accepted inside elements")
            } else if bytes[index] == UInt8(ascii: "<") {
                element.children.append(try self.element(depth: depth + 1))
            } else if bytes[index] == UInt8(ascii: "&") {
                text += try entity()
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        guard let decoded = String(validating: text, as: UTF8.self) else {
            throw XMLParseError(description: "text is not valid UTF-8")
        }
        element.text = decoded
        return element
    }

    private mutating func name() throws -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "/")
            {
                break
            }
            index += 1
        }
        guard index > start else { throw XMLParseError(description: "missing element name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func entity() throws -> [UInt8] {
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw XMLParseError(description: "unterminated entity")
        }
        let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            var scalarValue: UInt32?
            if body.hasPrefix("#x") { scalarValue = UInt32(body.dropFirst(2), radix: 16) }
            else if body.hasPrefix("#") { scalarValue = UInt32(body.dropFirst(1)) }
            guard let value = scalarValue, let scalar = Unicode.Scalar(value) else {
                throw XMLParseError(description: "unknown entity &\(body);")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    /// Whether the bytes at the current position spell `literal` (compared in place, no allocation).
    private func peek(_ literal: StaticString) -> Bool { matches(literal, at: index) }

    private func matches(_ literal: StaticString, at position: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[position + offset] != expected[offset] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: StaticString) throws {
        let count = terminator.utf8CodeUnitCount
        while index + count <= bytes.count {
            if matches(terminator, at: index) {
                index += count
                return
            }
            index += 1
        }
        throw XMLParseError(description: "unterminated \(terminator)")
    }
}
