import NIOPosix

/// A connection leased from a ``PostgresClient`` for the duration of a closure.
///
/// Statements run on the client's blocking thread pool, so awaiting them never blocks Swift's
/// cooperative threads or NIO's event loops.
public struct PostgresConnection: Sendable {
    let raw: LibPQConnection
    let threadPool: NIOThreadPool
    let statementTimeout: Duration
    /// The database the connection is attached to.
    public var databaseName: String { raw.databaseName }

    /// Runs one statement with bind parameters and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        let raw = self.raw
        let timeout = statementTimeout + .seconds(1)
        return try await threadPool.runIfActive { try raw.execute(query, timeout: timeout) }
    }

    /// Runs SQL text that has no parameters, possibly several statements (`BEGIN`, DDL scripts).
    public func execute(script sql: String) async throws {
        try await executeReturningTag(sql)
    }

    /// Runs parameterless SQL and returns the last statement's command tag.
    @discardableResult
    func executeReturningTag(_ sql: String) async throws -> String {
        let raw = self.raw
        let timeout = statementTimeout + .seconds(1)
        return try await threadPool.runIfActive { try raw.executeSimple(sql, timeout: timeout) }
    }

    /// Sends `COMMIT`; a transaction that an earlier error aborted is rolled back by the server
    /// instead, and that is reported as an error rather than passing for a commit.
    func commit() async throws {
        let tag = try await executeReturningTag("COMMIT")
        if tag == "ROLLBACK" {
            throw PostgresError(
                code: .server, sqlState: "25P02",
                message: "the transaction was aborted by an earlier error and has been rolled back")
        }
    }
}

extension PostgresConnection {
    /// Runs `body` inside `BEGIN … COMMIT` on this leased connection (`ROLLBACK` if it throws).
    /// Unlike ``PostgresClient/withTransaction(isolation:_:)`` it cannot retry, since the lease
    /// is the caller's; use it when statements before it must commit on their own.
    public func transaction<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await execute(script: "BEGIN")
        do {
            let result = try await body()
            try await commit()
            return result
        } catch {
            if !raw.isBroken { try? await execute(script: "ROLLBACK") }
            throw error
        }
    }
}
