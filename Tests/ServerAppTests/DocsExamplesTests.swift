import Foundation
import Hummingbird
import HummingbirdTesting
import PaaS
import Testing
import TestSupport

/// The curl examples of README.md, docs/*.md and docs/api/*.md run, in document order, against a
/// fresh demo server per document (placeholders filled from earlier answers; the deployment
/// worker's jobs run between commands, as they would while a reader types), and each answer is
/// checked: `success: true` from the application API, a `result` from JSON-RPC, a 2xx status —
/// or the failure a `<!-- example: expect … -->` directive documents. Examples that cannot run
/// against the demo data say so in the markdown (`<!-- example: skip: why -->`); nothing is
/// skipped silently. New examples are picked up from the markdown as they are written.
@Suite("Docs: every curl example runs against the demo server")
struct DocsExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The documents, in reading order: README.md, docs/*.md, docs/api/*.md.
    static let documents: [String] = {
        let fileManager = FileManager.default
        func markdown(in folder: String) -> [String] {
            let names = (try? fileManager.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            return names.filter { $0.hasSuffix(".md") }.sorted().map { folder.isEmpty ? $0 : folder + "/" + $0 }
        }
        return ["README.md"] + markdown(in: "docs") + markdown(in: "docs/api")
    }()

    static func text(of document: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
    }

    /// The documents that have curl examples.
    static let documentsWithExamples: [String] = documents.filter { document in
        (try? DocsExampleParser.examples(in: text(of: document), file: document).isEmpty == false) ?? true
    }

    /// One document at a time: each has its own demo database and server, and the suite's other
    /// tests already keep the machine's cores busy.
    @Test(.serialized, arguments: documentsWithExamples) func theExamplesOf(_ document: String) async throws {
        let examples = try DocsExampleParser.examples(in: Self.text(of: document), file: document)
        let app = try await TestApp.make("docs" + document) { configuration in
            configuration.paas.deploymentDelay = .zero
            configuration.paas.backupStepDelay = .zero
        }
        let worker = DeploymentWorker(database: app.client, configuration: app.configuration.paas, logger: TestPostgres.logger)
        let skipped = examples.compactMap { example in example.skipReason.map { "\(example) (\($0))" } }
        let commands = Locked(0)
        try await app.application().test(.live) { client in
            let port = try #require(client.port)
            let session = try DocsExampleSession(port: port, databaseName: app.database.name) {
                while try await worker.runOnce() > 0 {}
            }
            for example in examples where example.skipReason == nil {
                try await session.run(example)
            }
            commands.withLock { $0 = session.commandsRun }
            #expect(session.failures.isEmpty, "\(session.failures.count) example command(s) failed:\n\(session.failures.joined(separator: "\n"))")
        }
        await app.shutdown()
        print("docs examples of \(document): \(commands.value) commands run; skipped: \(skipped.isEmpty ? "none" : skipped.joined(separator: "; "))")
        #expect(commands.value > 0 || !skipped.isEmpty, "\(document) has examples but none ran")
    }

    /// Every `curl` line inside a shell block is part of an example the parser found (so a block
    /// the parser cannot read fails here instead of being left out).
    @Test func theParserFindsEveryCurlCommand() throws {
        var found = 0
        var written = 0
        for document in Self.documents {
            let text = try Self.text(of: document)
            found += try DocsExampleParser.examples(in: text, file: document).reduce(0) { count, example in
                count + example.commands.count(where: DocsExampleParser.runsCurl)
            }
            var fence: String?  // the language of the block we are in
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("```") {
                    fence = fence == nil ? String(trimmed.dropFirst(3)) : nil
                } else if let language = fence, ["sh", "bash", "shell", "console", ""].contains(language),
                    trimmed.hasPrefix("curl ") || trimmed.contains("$(curl ")
                {
                    written += 1
                }
            }
        }
        #expect(written > 50, "the documentation has curl examples")
        #expect(found == written, "the parser found \(found) curl commands; the shell blocks hold \(written)")
    }

    @Test func shellBlocksSplitAsBashReadsThem() throws {
        let block = """
            curl -s -c jar localhost:8069/a \\
              -d '{"a":1}'
            # → {"success": true}
            curl -s localhost:8069/b -d '
            {"jsonrpc":"2.0",
             "id":1}'   # a comment
            SID=$(awk '$6 == "session_id" {print $7}' jar)
            """
        #expect(
            try ShellCommandSplitter.commands(of: block) == [
                "curl -s -c jar localhost:8069/a   -d '{\"a\":1}'",
                "curl -s localhost:8069/b -d '\n{\"jsonrpc\":\"2.0\",\n \"id\":1}'",
                "SID=$(awk '$6 == \"session_id\" {print $7}' jar)",
            ])
        #expect(throws: ShellCommandSplitter.UnterminatedQuote.self) { try ShellCommandSplitter.commands(of: "curl -d '{") }
        #expect(DocsExampleSession.variableReferences(in: "curl -b \"session_id=$SID\" x/$WS/apps/${APP} -d '{\"a\":\"$NOT\"}'") == ["SID", "WS", "APP"])
    }

    @Test func directivesAreReadOrRefused() throws {
        let text = """
            <!-- example: WS = data.items[name=Production].id; pm_0a1b = data.id -->
            ```sh
            curl -s localhost:8069/x
            ```

            <!-- example: skip: needs a file of the reader's -->
            ```sh
            curl -s -F avatar=@me.png localhost:8069/y
            ```

            <!-- example: expect 409 CONFLICT -->
            ```sh
            curl -s -X DELETE localhost:8069/z
            ```
            """
        let examples = try DocsExampleParser.examples(in: text, file: "t.md")
        #expect(examples.count == 3)
        #expect(examples[0].bindings.map(\.name) == ["WS", "pm_0a1b"])
        #expect(examples[1].skipReason == "needs a file of the reader's")
        #expect(examples[2].expectation?.status == 409 && examples[2].expectation?.code == "CONFLICT")
        for wrong in [
            "<!-- example: skip -->\n```sh\ncurl x\n```", "<!-- example: nonsense -->\n```sh\ncurl x\n```",
            "<!-- example: WS = data.id -->\n\nSome text.\n```sh\ncurl x\n```", "<!-- example: WS = data.id -->\n```json\n{}\n```",
        ] {
            #expect(throws: DocsExampleSyntaxError.self, "\(wrong)") { try DocsExampleParser.examples(in: wrong, file: "t.md") }
        }
        let path = DocsJSONPath("data.items[type=mastercard].id")
        #expect(path.text(in: ["data": ["items": [["type": "visa", "id": "pm_1"], ["type": "mastercard", "id": "pm_2"]]]]) == "pm_2")
        #expect(DocsJSONPath("data.items[1].id").text(in: ["data": ["items": [["id": 7], ["id": 8]]]]) == "8")
    }
}
