import Foundation
import Logging
import PaaS
import PostgresDriver

/// Applies `schema.sql` and recognises the databases it may touch.
///
/// A database is *empty* (no tables), *Woow's* (it has the `woow_schema` marker) or *foreign*
/// (tables but no marker). Only the first two are ever modified; a foreign one is refused with a
/// clear message so that Woow never writes into somebody else's database.
public struct SchemaManager: Sendable {
    /// The schema version this build writes and expects.
    public static let currentVersion = 4

    /// What a database holds.
    public enum State: Sendable, Equatable {
        case empty
        case woow(version: Int)
        case foreign(tableCount: Int)
    }

    let logger: Logger

    /// Creates a manager.
    public init(logger: Logger) { self.logger = logger }

    /// The DDL shipped with this build (`schema.sql`, embedded at build time).
    public static func schemaSQL() throws -> String { embeddedSchemaSQL }

    /// Inspects the database.
    public func state(on db: PostgresConnection) async throws -> State {
        let row = try await db.query(
            """
            SELECT count(*) FILTER (WHERE table_name <> 'woow_schema'),
                   bool_or(table_name = 'woow_schema')
            FROM information_schema.tables
            WHERE table_schema = current_schema()
            """)[0]
        let tables = try row.decode(Int.self, at: 0)
        if try row.decode(Bool?.self, at: 1) == true {
            let version = try await db.query("SELECT version FROM woow_schema").first?.decode(Int.self, at: 0)
            return .woow(version: version ?? 0)
        }
        return tables == 0 ? .empty : .foreign(tableCount: tables)
    }

    /// Applies the schema (idempotent) unless the database is foreign or newer than this build.
    /// Several instances may call this at once: an advisory lock serialises them.
    public func apply(using client: PostgresClient) async throws {
        let sql = try Self.schemaSQL()
        try await client.withTransaction { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(Int64(0x776f_6f77)))")
            let databaseName = db.databaseName
            switch try await state(on: db) {
            case .foreign(let count):
                throw ConfigurationError(
                    """
                    database "\(databaseName)" has \(count) table(s) but no Woow schema marker (woow_schema); \
                    refusing to modify it. Point Woow at an empty database or at one created by `woow db init`.
                    """)
            case .woow(let version) where version > Self.currentVersion:
                throw ConfigurationError(
                    "database \"\(databaseName)\" has schema version \(version), newer than this build's \(Self.currentVersion); upgrade Woow.")
            case .empty, .woow:
                try await db.execute(script: sql)
                try await PaaSModule.install(on: db)
                try await db.query("UPDATE woow_schema SET version = \(Self.currentVersion), applied_at = now()")
            }
        }
        logger.info("database schema is current", metadata: ["db.schema_version": "\(Self.currentVersion)"])
    }
}
