import NIOPosix

/// A connection leased from a ``PostgresClient`` for the duration of a closure.
///
/// Statements are sent without blocking and their answers awaited through the process's socket
/// reactor, so awaiting them never blocks Swift's cooperative threads or NIO's event loops.
public struct PostgresConnection: Sendable {
    let raw: LibPQConnection
    let statementTimeout: Duration
    /// Threads for the rare blocking call (cancelling a statement).
    let blockingPool: NIOThreadPool
    /// The database the connection is attached to.
    public var databaseName: String { raw.databaseName }

    /// Runs one statement with bind parameters and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        try await raw.execute(query, timeout: statementTimeout + .seconds(1), blockingPool: blockingPool)
    }

    /// Runs a statement that only reads (a plain `SELECT`: no `FOR UPDATE`/`FOR SHARE`, no function
    /// with side effects). Inside a READ COMMITTED transaction that has not written yet it runs
    /// before the transaction's `BEGIN` is sent: it sees what it would have seen inside (each READ
    /// COMMITTED statement takes its own snapshot), and a transaction that only reads sends neither
    /// `BEGIN` nor `COMMIT`. Elsewhere it is the same as ``query(_:)``.
    @discardableResult
    public func read(_ query: PostgresQuery) async throws -> PostgresResult {
        try await raw.execute(query, readOnly: true, timeout: statementTimeout + .seconds(1), blockingPool: blockingPool)
    }

    /// Sends `prelude` in one pipeline with the next read of this lease (see ``PostgresPrelude``).
    public func sendAhead(_ prelude: PostgresPrelude) {
        raw.pendingPrelude = prelude
    }

    /// Runs the prelude on its own if no read has taken it along yet, and checks it; throws what
    /// its check threw (now or with an earlier read).
    public func settlePrelude() async throws {
        if let prelude = raw.pendingPrelude {
            raw.pendingPrelude = nil
            try await raw.settle(prelude, timeout: statementTimeout + .seconds(1), blockingPool: blockingPool)
        }
        if let failure = raw.preludeFailure { throw failure }
    }

    /// Runs SQL text that has no parameters, possibly several statements (`BEGIN`, DDL scripts).
    public func execute(script sql: String) async throws {
        try await executeReturningTag(sql)
    }

    /// Runs parameterless SQL and returns the last statement's command tag.
    @discardableResult
    func executeReturningTag(_ sql: String) async throws -> String {
        try await raw.executeSimple(sql, timeout: statementTimeout + .seconds(1), blockingPool: blockingPool)
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
        raw.pendingBegin = LibPQConnection.readCommittedBegin  // sent with the first statement that writes
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
