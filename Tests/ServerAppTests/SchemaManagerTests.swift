import Foundation
import PostgresDriver
import ServerApp
import Testing
import TestSupport

/// `SchemaManager`: idempotent on Woow's databases, usable on an empty one, refusing foreign ones.
@Suite("Schema manager: idempotent, never touches a foreign database")
struct SchemaManagerTests {
    static func schemaVersion(_ client: PostgresClient) async throws -> Int {
        try await client.query("SELECT version FROM woow_schema")[0].decode(Int.self, at: 0)
    }

    static func tableCount(_ client: PostgresClient) async throws -> Int {
        try await client.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        )[0].decode(Int.self, at: 0)
    }

    /// A database created without the schema template (so: truly empty), and a pool on it.
    static func makeBareDatabase(beside database: TestDatabase, label: String) async throws -> (String, PostgresClient) {
        let name = "t_\(getpid())_bare_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let created = try await DatabaseProvisioner.createDatabaseIfMissing(
            name, maintenance: database.connectionString, logger: TestPostgres.logger)
        #expect(created)
        let client = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: database.connectionString, maximumConnections: 2, databaseOverride: name),
            logger: TestPostgres.logger)
        return (name, client)
    }

    static func dropDatabase(_ name: String, beside database: TestDatabase) async throws {
        let admin = PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.connectionString, maximumConnections: 1),
            logger: TestPostgres.logger)
        try await admin.withConnection { db in
            try await db.execute(script: "DROP DATABASE IF EXISTS \(PostgresQuery.quoteIdentifier(name)) WITH (FORCE)")
        }
        await admin.close()
    }

    /// Every field a model declares `index: true` leads an index of schema.sql (a list filtered or
    /// ordered on it is then an index scan, not a sort of the table).
    @Test func declaredIndexesExist() async throws {
        let database = try await TestPostgres.shared.makeDatabase("declaredindexes")
        let client = database.makeClient(maximumConnections: 2)
        let rows = try await client.query(
            """
            SELECT t.relname::text || '.' || a.attname::text
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
            WHERE t.relnamespace = current_schema()::regnamespace
            """
        ).rows
        let leading = Set(try rows.map { try $0.decode(String.self, at: 0) })
        let registry = try WoowApplication.makeRegistry(configuration: ServerConfiguration())
        var missing: [String] = []
        for name in registry.modelNames {
            let model = registry[name]!
            for field in model.fieldsInOrder where field.index {
                guard let column = field.column else { continue }
                if !leading.contains("\(model.table).\(column)") { missing.append("\(name).\(field.name)") }
            }
        }
        #expect(missing.isEmpty, "fields declared index: true without an index led by their column: \(missing)")
        #expect(leading.contains("res_partner.name"))
        await client.close()
    }

    @Test func applyingTwiceChangesNothing() async throws {
        let database = try await TestPostgres.shared.makeDatabase("schematwice")
        let client = database.makeClient(maximumConnections: 2)
        let manager = SchemaManager(logger: TestPostgres.logger)
        let before = try await Self.tableCount(client)
        try await manager.apply(using: client)
        try await manager.apply(using: client)
        #expect(try await Self.schemaVersion(client) == SchemaManager.currentVersion)
        #expect(SchemaManager.currentVersion == 4)
        #expect(try await Self.tableCount(client) == before)
        #expect(try await client.query("SELECT count(*) FROM woow_schema")[0].decode(Int.self, at: 0) == 1)
        #expect(try await client.query("SELECT count(*) FROM res_groups")[0].decode(Int.self, at: 0) == 3)
        let state = try await client.withConnection { try await manager.state(on: $0) }
        #expect(state == .woow(version: SchemaManager.currentVersion))
        await client.close()
    }

    @Test func dataSurvivesReapplying() async throws {
        let app = try await TestApp.make("schemadata")
        try await SchemaManager(logger: TestPostgres.logger).apply(using: app.client)
        #expect(try await app.client.query("SELECT count(*) FROM res_users WHERE login = 'admin'")[0].decode(Int.self, at: 0) == 1)
        #expect(try await app.client.query("SELECT credits_balance::text FROM woow_team")[0].decode(String.self, at: 0) == "500.00")
        await app.shutdown()
    }

    @Test func concurrentAppliesAreSerialised() async throws {
        let database = try await TestPostgres.shared.makeDatabase("schemaconcurrent")
        let (name, client) = try await Self.makeBareDatabase(beside: database, label: "conc")
        let manager = SchemaManager(logger: TestPostgres.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await manager.apply(using: client) } }
            try await group.waitForAll()
        }
        #expect(try await Self.schemaVersion(client) == SchemaManager.currentVersion)
        await client.close()
        try await Self.dropDatabase(name, beside: database)
    }

    @Test func anEmptyDatabaseGetsTheSchema() async throws {
        let database = try await TestPostgres.shared.makeDatabase("schemaempty")
        let (name, client) = try await Self.makeBareDatabase(beside: database, label: "empty")
        let manager = SchemaManager(logger: TestPostgres.logger)
        #expect(try await client.withConnection { try await manager.state(on: $0) } == .empty)
        try await manager.apply(using: client)
        #expect(try await Self.schemaVersion(client) == SchemaManager.currentVersion)
        #expect(try await client.withConnection { try await manager.state(on: $0) } == .woow(version: SchemaManager.currentVersion))
        await client.close()
        try await Self.dropDatabase(name, beside: database)
    }

    @Test func aForeignDatabaseIsRefusedAndLeftAlone() async throws {
        let database = try await TestPostgres.shared.makeDatabase("schemaforeign")
        let (name, client) = try await Self.makeBareDatabase(beside: database, label: "foreign")
        try await client.withConnection { db in
            try await db.execute(script: "CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) VALUES ('Acme')")
        }
        let manager = SchemaManager(logger: TestPostgres.logger)
        #expect(try await client.withConnection { try await manager.state(on: $0) } == .foreign(tableCount: 1))
        let error = await #expect(throws: ConfigurationError.self) { try await manager.apply(using: client) }
        #expect(error?.description.contains("refusing") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(name) == true)
        // Nothing was written.
        let tables = try await client.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
        #expect(try tables.rows.map { try $0.decode(String.self, at: 0) } == ["customers"])
        #expect(try await client.query("SELECT count(*) FROM customers")[0].decode(Int.self, at: 0) == 1)
        await client.close()
        try await Self.dropDatabase(name, beside: database)
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let database = try await TestPostgres.shared.makeDatabase("schemanewer")
        let client = database.makeClient(maximumConnections: 2)
        try await client.query("UPDATE woow_schema SET version = 99")
        let error = await #expect(throws: ConfigurationError.self) {
            try await SchemaManager(logger: TestPostgres.logger).apply(using: client)
        }
        #expect(error?.description.contains("99") == true)
        #expect(try await Self.schemaVersion(client) == 99)
        await client.close()
    }
}
