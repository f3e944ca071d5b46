import Foundation
import JSONRPC
import ORM
import Testing
import TestSupport

/// The access audit of docs/security.md is generated from the registry the server runs: every
/// model with its access rights, its record rules and its restricted fields. When a model, a
/// field, a right or a rule changes, this test fails and prints the table to paste.
@Suite("docs/security.md: the access audit table")
struct FieldAccessAuditTests {
    static let begin = "<!-- access-audit:begin (generated from the registry; FieldAccessAuditTests checks it) -->"
    static let end = "<!-- access-audit:end -->"

    static func groupName(_ xmlid: String?) -> String {
        switch xmlid {
        case nil: return "everyone"
        case BaseModule.Group.user: return "internal users"
        case BaseModule.Group.system: return "system administrators"
        case BaseModule.Group.accessRights: return "user managers"
        case let other?: return other
        }
    }

    /// Who may perform `operations` on the model, by access right.
    static func rights(_ registry: ModelRegistry, _ model: String, _ operations: [AccessOperation]) -> String {
        let groups = registry.access(for: model).filter { right in operations.allSatisfy(right.operations.contains) }
            .map { groupName($0.group) }
        return groups.isEmpty ? "nobody (server code only)" : groups.joined(separator: ", ")
    }

    static func rules(_ registry: ModelRegistry, _ model: String) -> String {
        let rules = registry.rules(for: model)
        if rules.isEmpty { return "—" }
        return rules.map { rule in
            let who = rule.isGlobal ? "all" : rule.groups.map { groupName($0) }.joined(separator: ", ")
            let operations = rule.operations.count == AccessOperation.allCases.count
                ? "" : " (" + AccessOperation.allCases.filter(rule.operations.contains).map(\.rawValue).joined(separator: ", ") + ")"
            let domain = String(decoding: rule.domain.json.serialized(), as: UTF8.self).replacingOccurrences(of: "|", with: "\\|")
            return "\(who)\(operations): `\(domain)`"
        }.joined(separator: "<br>")
    }

    static func restricted(_ model: ModelDefinition) -> String {
        let fields = model.fieldsInOrder.compactMap { field -> String? in
            if field.isSecret { return "`\(field.name)` secret" }
            if field.writeOnly { return "`\(field.name)` write-only (set by \(field.groups.map { groupName($0) }.joined(separator: ", ")))" }
            if !field.groups.isEmpty { return "`\(field.name)`: \(field.groups.map { groupName($0) }.joined(separator: ", "))" }
            return nil
        }
        return fields.isEmpty ? "—" : fields.joined(separator: "<br>")
    }

    /// The table, one row per model.
    static func table(_ registry: ModelRegistry) -> String {
        var lines = [
            "| model | read | create / write / delete | record rules | restricted fields |",
            "|---|---|---|---|---|",
        ]
        for name in registry.modelNames {
            let model = registry[name]!
            lines.append(
                "| `\(name)` | \(rights(registry, name, [.read])) | \(rights(registry, name, [.create, .write, .unlink])) | "
                    + "\(rules(registry, name)) | \(restricted(model)) |")
        }
        return lines.joined(separator: "\n")
    }

    @Test func theAuditTableInTheDocsIsTheRegistrys() async throws {
        let app = try await TestApp.make("audit_table", seedDemo: false)
        let registry = try #require(app.services.registry)
        await app.shutdown()
        let expected = Self.table(registry)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/security.md")
        let document = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(document.range(of: Self.begin), "docs/security.md has no \(Self.begin)")
        let stop = try #require(document.range(of: Self.end), "docs/security.md has no \(Self.end)")
        let current = document[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(current == expected, "docs/security.md's access audit is out of date; it should read:\n\(expected)")
    }
}
