import Foundation

/// A curl example of the documentation: a fenced shell block that runs `curl`, with the
/// `<!-- example: … -->` directive written on the line before its fence, if any.
///
/// Directives (several are separated by `;`):
/// - `skip: <reason>` — the block cannot run against a fresh demo server; the reason is required.
/// - `NAME = path` — after the block ran, `NAME` takes the value at `path` in the first answer of
///   the block that has one (`data.items[0].id`, `data.items[type=mastercard].id`; a JSON-RPC
///   answer is read from its `result`), or from its n-th answer (`data.id @2`). A name in
///   capitals (`WS`) becomes a shell variable of the later commands; any other name is a token
///   of the text (`pm_0a1b2c3d4e5f60718293a4b5`, a sample id), replaced by the value wherever
///   later commands write it.
/// - `expect <status> <CODE>` — every command of the block must fail with this HTTP status (200
///   for JSON-RPC) and this envelope `code`.
struct DocsExample: Sendable, CustomStringConvertible {
    /// The document, relative to the repository (`docs/api/apps.md`).
    let file: String
    /// The line of the opening fence (1-based).
    let line: Int
    /// The block's shell commands (continuation lines joined).
    let commands: [String]
    /// Why the block is not run, when it is marked so.
    let skipReason: String?
    /// Values taken from the block's answers: (name, path).
    let bindings: [(name: String, path: String)]
    /// The failure every command of the block must answer, when it documents one.
    let expectation: (status: Int, code: String)?

    var description: String { "\(file):\(line)" }
}

/// A `<!-- example: … -->` comment that does not parse, or is not followed by a curl block.
struct DocsExampleSyntaxError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let message: String
    var description: String { "\(file):\(line): \(message)" }
}

/// Finds the curl examples of a markdown document.
enum DocsExampleParser {
    static let directivePrefix = "<!-- example:"

    /// The examples of `text` in document order; `file` names the document in messages.
    static func examples(in text: String, file: String) throws -> [DocsExample] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [DocsExample] = []
        var pendingDirective: (line: Int, text: String)?
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(directivePrefix) {
                guard trimmed.hasSuffix("-->") else {
                    throw DocsExampleSyntaxError(file: file, line: index + 1, message: "an example directive is one line ending in -->")
                }
                pendingDirective = (index + 1, String(trimmed.dropFirst(directivePrefix.count).dropLast(3)))
                index += 1
                continue
            }
            guard trimmed.hasPrefix("```") else {
                if !trimmed.isEmpty, let directive = pendingDirective {
                    throw DocsExampleSyntaxError(
                        file: file, line: directive.line, message: "the example directive is not followed by a curl block")
                }
                index += 1
                continue
            }
            let fence = index
            let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
            var body: [String] = []
            index += 1
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                body.append(lines[index])
                index += 1
            }
            index += 1
            let directive = pendingDirective
            pendingDirective = nil
            let shell = ["sh", "bash", "shell", "console"].contains(language)
                || (language.isEmpty && body.contains { $0.contains("curl ") })
            let commands = shell ? try ShellCommandSplitter.commands(of: body.joined(separator: "\n")) : []
            guard commands.contains(where: Self.runsCurl) else {
                if let directive {
                    throw DocsExampleSyntaxError(
                        file: file, line: directive.line, message: "the example directive is not followed by a curl block")
                }
                continue
            }
            examples.append(try example(file: file, fence: fence + 1, commands: commands, directive: directive))
        }
        return examples
    }

    /// Whether a command runs curl (as its program, or inside `$(…)`).
    static func runsCurl(_ command: String) -> Bool {
        command.hasPrefix("curl ") || command.contains("$(curl ")
    }

    static func example(
        file: String, fence: Int, commands: [String], directive: (line: Int, text: String)?
    ) throws -> DocsExample {
        var skip: String?
        var bindings: [(String, String)] = []
        var expectation: (Int, String)?
        for clause in (directive?.text ?? "").split(separator: ";") {
            let clause = clause.trimmingCharacters(in: .whitespaces)
            if clause.isEmpty { continue }
            func fail(_ message: String) -> DocsExampleSyntaxError {
                DocsExampleSyntaxError(file: file, line: directive?.line ?? fence, message: "\(message): \(clause)")
            }
            if clause.hasPrefix("skip") {
                let reason = clause.dropFirst(4).drop { $0 == ":" || $0 == " " }
                guard !reason.isEmpty else { throw fail("a skipped example says why") }
                skip = String(reason)
            } else if clause.hasPrefix("expect ") {
                let parts = clause.split(separator: " ")
                guard parts.count == 3, let status = Int(parts[1]) else { throw fail("expected `expect <status> <CODE>`") }
                expectation = (status, String(parts[2]))
            } else if let equals = clause.firstIndex(of: "=") {
                let name = clause[..<equals].trimmingCharacters(in: .whitespaces)
                let path = clause[clause.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !path.isEmpty else { throw fail("expected `NAME = path`") }
                bindings.append((name, path))
            } else {
                throw fail("unknown example directive")
            }
        }
        return DocsExample(
            file: file, line: fence, commands: commands, skipReason: skip, bindings: bindings, expectation: expectation)
    }
}
