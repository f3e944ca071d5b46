import Foundation

/// Build tool: writes a Swift file declaring `let <name>: String` with the contents of a text file.
/// Usage: `EmbedTextTool <input> <output.swift> <name>`.
@main
struct EmbedTextTool {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4 else {
            FileHandle.standardError.write(Data("usage: EmbedTextTool <input> <output.swift> <name>\n".utf8))
            exit(2)
        }
        let text = try String(contentsOfFile: arguments[1], encoding: .utf8)
        // A raw string whose delimiter cannot occur in the text.
        var hashes = "#"
        while text.contains("\"" + hashes) { hashes += "#" }
        let source = """
            // Generated at build time from \(URL(fileURLWithPath: arguments[1]).lastPathComponent). Do not edit.
            let \(arguments[3]): String = \(hashes)\"\"\"
            \(text)
            \"\"\"\(hashes)

            """
        try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
    }
}
