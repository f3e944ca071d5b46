import Foundation
import ServerApp
import TestSupport

/// Runs one document's curl examples in order, as a reader would type them into one shell
/// against a fresh demo server: each command runs in bash in the document's own working
/// directory (where `-c jar` keeps its cookies), with the variables that earlier commands
/// (`SID=$(…)`) and directives (`WS = data.id`) defined.
///
/// Before a command runs, `localhost:8069` becomes the test server's address, the database name
/// `"woow"` the test database's, and the sample tokens that directives bound become their values.
final class DocsExampleSession {
    let address: String
    let databaseName: String
    let directory: String
    private(set) var variables: [String: String] = [:]
    private(set) var replacements: [(token: String, value: String)] = []
    private(set) var commandsRun = 0
    private(set) var failures: [String] = []

    /// Lets the server's background work finish (the deployment worker's due jobs), as it has by
    /// the time a reader types the next command.
    let settle: () async throws -> Void

    init(port: Int, databaseName: String, settle: @escaping () async throws -> Void) throws {
        address = "127.0.0.1:\(port)"
        self.databaseName = databaseName
        self.settle = settle
        directory = NSTemporaryDirectory() + "woow-docs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs every command of `example` and then takes its bindings from the answers.
    func run(_ example: DocsExample) async throws {
        var answers: [DocsAnswer] = []
        for original in example.commands {
            let command = prepare(original)
            let undefined = Self.variableReferences(in: command).filter { variables[$0] == nil && !Self.shellNames.contains($0) }
            if !undefined.isEmpty {
                fail(example, original, "uses \(undefined.map { "$" + $0 }.joined(separator: ", ")), which no earlier example defines")
                continue
            }
            commandsRun += 1
            if let name = Self.assignedName(command) {
                let (status, output) = try await bash(command + "\nprintf '%s' \"$\(name)\"")
                if status != 0 || output.isEmpty {
                    fail(example, original, "exit status \(status), value \"\(output)\"")
                } else {
                    variables[name] = output
                }
                continue
            }
            let curl = """
                curl() { command curl --silent --show-error --max-time 60 --write-out '\\n\(DocsAnswer.statusMarker)%{http_code}\\n' "$@"; }
                """
            let (status, output) = try await bash(curl + "\n" + command)
            try await settle()
            guard status == 0 else {
                fail(example, original, "exit status \(status): \(output.prefix(500))")
                continue
            }
            guard Self.runsCurl(command) else { continue }
            guard let answer = DocsAnswer(output: output, includesHeaders: Self.includesHeaders(command)) else {
                fail(example, original, "no answer: \(output.prefix(500))")
                continue
            }
            answers.append(answer)
            if let problem = answer.problem(
                applicationAPI: command.contains("/paas/api/v1/"), expectation: example.expectation)
            {
                fail(example, original, "\(problem): \(answer.body.prefix(600))")
            }
        }
        for binding in example.bindings {
            // `path @2`: from the block's second answer; else from the first answer that has it.
            var pathText = binding.path
            var candidates = answers
            if let at = pathText.range(of: " @"), let number = Int(pathText[at.upperBound...]) {
                candidates = number >= 1 && number <= answers.count ? [answers[number - 1]] : []
                pathText = String(pathText[..<at.lowerBound])
            }
            let path = DocsJSONPath(pathText)
            guard let value = candidates.lazy.compactMap({ path.text(in: $0.envelope) }).first else {
                fail(example, "", "no answer has \(binding.path) for \(binding.name)")
                continue
            }
            if Self.isVariableName(binding.name) {
                variables[binding.name] = value
            } else {
                replacements.append((binding.name, value))
            }
        }
    }

    /// The command with the server's address, the database name and the bound tokens in place.
    func prepare(_ command: String) -> String {
        var prepared = command.replacingOccurrences(of: "localhost:8069", with: address)
            .replacingOccurrences(of: "\"woow\"", with: "\"\(databaseName)\"")
        for (token, value) in replacements { prepared = prepared.replacingOccurrences(of: token, with: value) }
        return prepared
    }

    private func fail(_ example: DocsExample, _ command: String, _ message: String) {
        failures.append("\(example): \(command.prefix(160))\n    → \(message)")
    }

    private func bash(_ script: String) async throws -> (Int32, String) {
        var prelude = "cd '\(directory)' || exit 97\n"
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            prelude += "\(name)='\(value.replacingOccurrences(of: "'", with: "'\\''"))'\n"
        }
        let (status, output) = try await ProcessRunner.run(["/bin/bash", "-c", prelude + script])
        return (status, output)
    }

    // MARK: - Reading commands

    /// Variables the shell itself provides.
    static let shellNames: Set<String> = ["HOME", "PWD", "PATH", "USER"]

    /// A binding named in capitals (`WS`, `APP`) is a shell variable; any other name is a token
    /// of the text (`inv_3f2a9c1b7d4e5f60a1b2c3d4`).
    static func isVariableName(_ text: String) -> Bool {
        isShellName(text) && text.allSatisfy { !$0.isLowercase }
    }

    static func isShellName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `NAME` of a command `NAME=…`.
    static func assignedName(_ command: String) -> String? {
        guard let equals = command.firstIndex(of: "=") else { return nil }
        let name = String(command[..<equals])
        return isShellName(name) ? name : nil
    }

    static func runsCurl(_ command: String) -> Bool { DocsExampleParser.runsCurl(command) }

    /// Whether curl prints the response headers (`-i`, `-si`, `--include`).
    static func includesHeaders(_ command: String) -> Bool {
        command.split(separator: " ").contains { word in
            word == "--include" || (word.hasPrefix("-") && !word.hasPrefix("--") && word.contains("i"))
        }
    }

    /// `$NAME` and `${NAME}` outside single quotes (awk's `$6` is not one).
    static func variableReferences(in command: String) -> Set<String> {
        var names: Set<String> = []
        var inSingleQuotes = false
        var characters = Array(command)[...]
        while let character = characters.popFirst() {
            if character == "'" {
                inSingleQuotes.toggle()
            } else if character == "$", !inSingleQuotes {
                if characters.first == "{" { characters.removeFirst() }
                let name = String(characters.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                if isShellName(name) { names.insert(name) }
            }
        }
        return names
    }
}
