import JSONRPC
import ORM
import PostgresDriver
import Testing
import TestSupport

/// Walks every field of every model of the product through every ORM path a client reaches (the
/// methods `call_kw`, `/jsonrpc` and XML-RPC dispatch), as each kind of caller. A field added
/// later is covered without a new test: what a caller may do with it follows from its declaration
/// (secret, write-only, groups), and no answer or error ever carries a stored secret.
@Suite("Every field through every path")
struct FieldAccessWalkTests {
    /// One way a client uses a field, as the RPC call that does it.
    struct Path: Sendable {
        let name: String
        let use: FieldUse
        let call: @Sendable (_ field: String) -> (method: String, args: JSONValue, kwargs: JSONObject)
    }

    static let paths: [Path] = [
        Path(name: "search_read fields", use: .read) { ("search_read", [[]], ["fields": [.string($0)], "limit": 3]) },
        Path(name: "read", use: .read) { ("read", [[1, 2], [.string($0)]], [:]) },
        Path(name: "web_search_read", use: .read) { ("web_search_read", [[]], ["specification": [$0: [:]], "limit": 3]) },
        Path(name: "default_get", use: .read) { ("default_get", [[.string($0)]], [:]) },
        Path(name: "search domain", use: .search) { ("search_count", [[[.string($0), "!=", false]]], [:]) },
        Path(name: "negated domain", use: .search) { ("search", [["!", [.string($0), "=", "x"]]], ["limit": 1]) },
        Path(name: "order", use: .order) { ("search", [[]], ["order": .string("\($0) desc"), "limit": 1]) },
        Path(name: "read_group group-by", use: .group) { ("read_group", [[], ["__count"], [.string($0)]], [:]) },
        Path(name: "read_group aggregate", use: .group) { ("read_group", [[], [.string("\($0):max")], []], [:]) },
    ]

    /// What a caller may do with a field, from its declaration alone.
    static func expected(_ field: FieldDefinition, _ use: FieldUse, groups: Set<String>) -> Bool {
        if field.isSecret { return false }
        if field.writeOnly, use != .read { return false }
        if let path = field.related, path.count > 1 { return true }  // checked along its path below
        return field.groups.isEmpty || field.groups.contains(where: groups.contains)
    }

    /// Every stored secret and password hash, to look for in every answer.
    static func storedSecrets(_ app: TestApp, registry: ModelRegistry) async throws -> [String] {
        var values: [String] = []
        for name in registry.modelNames {
            let model = registry[name]!
            for field in model.fieldsInOrder where (field.isSecret || field.writeOnly) && field.column != nil {
                let rows = try await app.client.query(
                    PostgresQuery(unsafeSQL: "SELECT \"\(field.name)\"::text FROM \"\(model.table)\" WHERE \"\(field.name)\" IS NOT NULL"))
                values += try rows.rows.map { try $0.decode(String.self, at: 0) }
            }
        }
        return values
    }

    /// Runs one call in a transaction of its own: its answer, or the ORM error.
    static func run(
        _ app: TestApp, _ registry: ModelRegistry, uid: Int64, model: String, _ call: (method: String, args: JSONValue, kwargs: JSONObject)
    ) async -> Result<JSONValue, ORMError> {
        do {
            return .success(
                try await app.client.withTransaction { db in
                    let env = ORMEnvironment(registry: registry, transaction: ORMTransaction(connection: db), uid: uid)
                    return try await ModelCallDispatcher().call(
                        env: env, model: model, method: call.method, args: call.args.arrayValue ?? [], kwargs: call.kwargs)
                })
        } catch let error as ORMError {
            return .failure(error)
        } catch {
            return .failure(ORMError.value("\(error)"))
        }
    }

    @Test func everyFieldThroughEveryPathAsEveryKindOfCaller() async throws {
        let fixture = try await PaaSFixture.make("field_walk")
        let app = fixture.app
        let registry = try #require(app.services.registry)
        // Every secret kind present: an invitation and a card besides the demo hubs and tunnels.
        _ = try await fixture.insertCard("5555555555554444", team: try await fixture.rivalTeam())
        try await app.client.query(
            """
            INSERT INTO woow_team_invitation (reference, team_id, email, role, status, token_hash, expires_at)
            SELECT 'inv_walk', id, 'walk@example.com', 'user', 'pending', 'feedfacecafebeef0123456789abcdef', now() + interval '1 day'
            FROM woow_team WHERE name = 'WoowTech Demo'
            """)
        let secrets = try await Self.storedSecrets(app, registry: registry)
        #expect(secrets.count >= 10)
        // A team's user, an owner, and an owner who is also a system administrator.
        let callers = ["member", "rival", "admin"]
        var checked = 0
        for login in callers {
            let uid = try await app.client.query("SELECT id FROM res_users WHERE login = \(login)")[0].decode(Int64.self, at: 0)
            let groups = Set(
                try await app.client.query(
                    "SELECT coalesce(array_agg(g.xmlid), '{}') FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid WHERE r.uid = \(uid)"
                )[0].decode([String].self, at: 0))
            for modelName in registry.modelNames {
                let model = registry[modelName]!
                let canRead = (try? await Self.run(app, registry, uid: uid, model: modelName, ("check_access_rights", ["read", false], [:])).get())
                    == .bool(true)
                // Reading everything never shows a restricted field nor a stored secret.
                if canRead {
                    let all = await Self.run(app, registry, uid: uid, model: modelName, ("search_read", [[]], ["limit": 5]))
                    let text = String(decoding: (try? all.get())?.serialized() ?? [], as: UTF8.self)
                    #expect(!secrets.contains { text.contains($0) }, "\(login) \(modelName) search_read leaks a secret")
                    let described = (try? await Self.run(app, registry, uid: uid, model: modelName, ("fields_get", [], [:])).get())?.objectValue
                    for field in model.fieldsInOrder where !Self.expected(field, .read, groups: groups) {
                        #expect(described?[field.name] == nil, "\(login) sees \(modelName).\(field.name) in fields_get")
                    }
                }
                for field in model.fieldsInOrder where field.name != "id" {
                    for path in Self.paths {
                        let answer = await Self.run(app, registry, uid: uid, model: modelName, path.call(field.name))
                        let allowed = canRead && Self.expected(field, path.use, groups: groups)
                        checked += 1
                        switch answer {
                        case .failure(let error):
                            #expect(!secrets.contains { error.message.contains($0) }, "\(login) \(modelName).\(field.name) \(path.name): error leaks")
                            // A record-level refusal (`read` of ids the caller cannot see) is not the field's.
                            if allowed, error.kind == .accessError, error.message.contains("field '\(field.name)'") {
                                Issue.record("\(login) \(modelName).\(field.name) \(path.name): refused: \(error.message)")
                            }
                        case .success(let value):
                            if !allowed { Issue.record("\(login) \(modelName).\(field.name) \(path.name): answered \(value)") }
                            let text = String(decoding: value.serialized(), as: UTF8.self)
                            #expect(!secrets.contains { text.contains($0) }, "\(login) \(modelName).\(field.name) \(path.name): leaks")
                        }
                    }
                    // Through every many2one that points at the model: a dotted path and `any`.
                    for (sourceName, via) in Self.manyToOnes(to: modelName, in: registry) where !field.type.isX2Many {
                        for domain: JSONValue in [
                            [[.string("\(via).\(field.name)"), "!=", false]], [[.string(via), "any", [[.string(field.name), "!=", false]]]],
                        ] {
                            let answer = await Self.run(app, registry, uid: uid, model: sourceName, ("search_count", [domain], [:]))
                            checked += 1
                            if !Self.expected(field, .search, groups: groups), case .success(let value) = answer {
                                Issue.record("\(login) \(sourceName) \(domain): answered \(value)")
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 5_000)
        await app.shutdown()
    }

    /// `(model, field)` for every stored many2one of the registry pointing at `target`.
    static func manyToOnes(to target: String, in registry: ModelRegistry) -> [(String, String)] {
        registry.modelNames.flatMap { name in
            registry[name]!.fieldsInOrder.compactMap { field -> (String, String)? in
                guard case .many2one(let comodel, _) = field.type, comodel == target, field.column != nil else { return nil }
                return (name, field.name)
            }
        }
    }
}
