import JSONRPC
import ORM
import PostgresDriver
import TestSupport

/// A test database plus helpers to run ORM code in one transaction, as a request would.
struct ORMTestDatabase {
    let client: PostgresClient
    let registry: ModelRegistry

    /// A fresh database with the schema; `setupSQL` adds test tables; the registry defaults to the base models.
    static func make(_ label: String, registry: ModelRegistry? = nil, setupSQL: String? = nil) async throws -> ORMTestDatabase {
        let client = try await TestPostgres.shared.makeDatabase(label).makeClient()
        if let setupSQL { try await client.withConnection { try await $0.execute(script: setupSQL) } }
        return ORMTestDatabase(client: client, registry: try registry ?? baseRegistry())
    }

    static func baseRegistry() throws -> ModelRegistry {
        var builder = RegistryBuilder()
        BaseModule.register(into: &builder)
        return try builder.build()
    }

    /// The base models plus `model` (1000 password rounds: tests do not need slow hashes).
    static func registry(adding model: ModelDefinition) throws -> ModelRegistry {
        var builder = RegistryBuilder()
        builder.passwordRounds = 1000
        BaseModule.register(into: &builder)
        builder.register(model)
        return try builder.build()
    }

    /// Runs `body` in a transaction as `uid` (superuser when `sudo`).
    func run<T: Sendable>(uid: Int64 = 1, sudo: Bool = false, context: JSONObject = [:], _ body: (ORMEnvironment) async throws -> T)
        async throws -> T
    {
        try await client.withTransaction { db in
            let env = ORMEnvironment(
                registry: registry, transaction: ORMTransaction(connection: db), uid: uid, context: context, isSuperuser: sudo)
            return try await body(env)
        }
    }

    /// Creates a user (and partner) directly in SQL with the given groups; returns its id.
    func makeUser(_ login: String, groups: [String] = [BaseModule.Group.user]) async throws -> Int64 {
        try await client.withTransaction { db in
            let uid = try await db.query(
                """
                WITH p AS (INSERT INTO res_partner (name) VALUES (\(login)) RETURNING id)
                INSERT INTO res_users (login, partner_id) SELECT \(login), id FROM p RETURNING id
                """)[0].decode(Int64.self, at: 0)
            try await db.query(
                "INSERT INTO res_groups_users_rel (gid, uid) SELECT id, \(uid) FROM res_groups WHERE xmlid = ANY(\(groups)::varchar[])")
            return uid
        }
    }

    /// The ORM error a call fails with (in a transaction of its own), or nil when it succeeds.
    func failure(uid: Int64 = 1, sudo: Bool = false, _ body: @escaping (ORMEnvironment) async throws -> Void) async -> ORMError? {
        do {
            try await run(uid: uid, sudo: sudo) { env in try await body(env) }
            return nil
        } catch {
            return error as? ORMError
        }
    }

    func close() async { await client.close() }
}

extension ORMError {
    var isValidation: Bool { kind == .validationError }
}
