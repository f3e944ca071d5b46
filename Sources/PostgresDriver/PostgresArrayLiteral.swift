/// Encodes and decodes PostgreSQL's one-dimensional array text format (`{a,"b c",NULL}`).
enum PostgresArrayLiteral {
    /// Builds a literal; every element is quoted so that commas, braces and spaces are safe.
    static func encode(_ elements: [String?]) -> String {
        var out = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(",") }
            guard let element else { out.append("NULL"); continue }
            out.append("\"")
            // Scalars, not Characters (no grapheme breaking); most elements (ids) need no escape.
            if element.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for scalar in element.unicodeScalars {
                    if scalar == "\"" || scalar == "\\" { out.append("\\") }
                    out.unicodeScalars.append(scalar)
                }
            } else {
                out.append(element)
            }
            out.append("\"")
        }
        out.append("}")
        return out
    }

    /// Parses a one-dimensional array literal into its elements (`nil` for an unquoted NULL).
    static func decode(_ text: String) throws -> [String?] {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
            throw PostgresError(code: .decoding, message: "not an array literal")
        }
        if bytes.count == 2 { return [] }
        var result: [String?] = []
        var index = 1
        let end = bytes.count - 1
        while index < end {
            var element: [UInt8] = []
            var quoted = false
            if bytes[index] == UInt8(ascii: "\"") {
                quoted = true
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\"), index + 1 < end { index += 1 }
                    element.append(bytes[index])
                    index += 1
                }
                index += 1  // closing quote
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    if bytes[index] == UInt8(ascii: "{") {
                        throw PostgresError(code: .decoding, message: "multidimensional arrays are not supported")
                    }
                    element.append(bytes[index])
                    index += 1
                }
            }
            let string = String(decoding: element, as: UTF8.self)
            result.append(!quoted && string == "NULL" ? nil : string)
            if index < end, bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        return result
    }
}
