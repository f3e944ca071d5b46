import CLibPQ
import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A libpq connection in non-blocking mode: statements are sent without blocking and their
/// answers awaited on the connection's ``SocketReactor`` (pipelined with a pending `BEGIN` or
/// prelude when there is one, see LibPQConnection+Pipeline.swift).
///
/// `@unchecked Sendable` because libpq allows a `PGconn` to move between threads but not to be
/// used by two at once; the pool leases each connection to exactly one task at a time. Only
/// connecting and cancelling block, and they run on the pool's blocking threads.
final class LibPQConnection: @unchecked Sendable {
    let handle: OpaquePointer
    /// The reactor that waits on this connection's socket and runs the tasks that lease it.
    let reactor = SocketReactor.next()
    /// Set once the connection is known to be unusable; the pool then closes it.
    var isBroken = false
    /// Prepared statements on this connection, by SQL text.
    var statements: [String: String] = [:]
    let statementCacheLimit: Int
    /// When the connection was last returned to the pool.
    var lastReleased = ContinuousClock.now
    /// Where the blocking cancel request runs.
    private var cancelPool: NIOThreadPool?
    /// A `BEGIN` that a transaction asked for and that has not been sent yet: it travels in one
    /// pipeline with the transaction's first statement (one round trip instead of two), and a
    /// transaction that runs no statement sends neither it nor its `COMMIT`. A plain `BEGIN`
    /// (READ COMMITTED) also waits behind statements that only read (see ``execute(_:readOnly:timeout:blockingPool:)``).
    var pendingBegin: String?
    /// A read sent in one pipeline with the next read (see ``PostgresPrelude``).
    var pendingPrelude: PostgresPrelude?
    /// Set when a prelude failed or its check refused its result: every later statement of the
    /// lease fails with it, so that no work goes on under a premise that was not confirmed.
    var preludeFailure: (any Error)?

    /// The `BEGIN` of a READ COMMITTED transaction, the only kind that read-only statements run ahead of.
    static let readCommittedBegin = "BEGIN"

    private init(handle: OpaquePointer, statementCacheLimit: Int) {
        self.handle = handle
        self.statementCacheLimit = statementCacheLimit
    }

    deinit { PQfinish(handle) }

    /// Opens a connection (blocking). `parameters` are libpq keywords; `dbname` may hold a URI.
    static func connect(parameters: [(String, String)], statementCacheLimit: Int) throws -> LibPQConnection {
        let keys = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keyPointers: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let connection = keyPointers.withUnsafeMutableBufferPointer { k in
            valuePointers.withUnsafeMutableBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        // Silence NOTICE output (e.g. "relation already exists, skipping") that libpq prints to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Statements are sent without blocking and awaited through the socket reactor.
        PQsetnonblocking(connection, 1)
        return LibPQConnection(handle: connection, statementCacheLimit: statementCacheLimit)
    }

    /// The database name this connection is attached to.
    var databaseName: String { String(cString: PQdb(handle)) }

    /// Whether the connection is still usable after sitting idle (cheap, non-blocking check).
    ///
    /// An idle connection has nothing to read: Woow never LISTENs. Readable bytes mean the server
    /// is closing it (e.g. "terminating connection due to administrator command" on restart) or has
    /// closed it, so it is discarded rather than handed out.
    func isAliveWhileIdle() -> Bool {
        guard !isBroken, PQstatus(handle) == CONNECTION_OK else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) == 0 { return true }
        isBroken = true
        return false
    }

    /// Runs one statement and returns its result; throws a ``PostgresError`` for any failure.
    ///
    /// The connection is in non-blocking mode: sending never blocks, and waiting for the answer
    /// suspends the task on the ``SocketReactor`` until the socket is readable or the deadline passes.
    ///
    /// `readOnly` declares a statement that only reads (a plain `SELECT`: no locking clause, no
    /// function that writes). In a READ COMMITTED transaction that has not written yet, such a
    /// statement runs before the pending `BEGIN`, on its own: READ COMMITTED takes a new snapshot
    /// for every statement anyway, so it sees exactly what it would have seen inside, and a
    /// transaction that only reads then costs neither `BEGIN` nor the `COMMIT` round trip. The
    /// first statement that is not declared read-only sends the `BEGIN` (in one pipeline with it).
    /// REPEATABLE READ and SERIALIZABLE transactions are untouched: there the first statement
    /// fixes the snapshot, so reads must be inside.
    func execute(_ query: PostgresQuery, readOnly: Bool = false, timeout: Duration?, blockingPool: NIOThreadPool)
        async throws -> PostgresResult
    {
        if let preludeFailure { throw preludeFailure }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        cancelPool = blockingPool
        let beginNow = pendingBegin.flatMap { readOnly && $0 == Self.readCommittedBegin ? nil : $0 }
        if let prelude = pendingPrelude {
            pendingPrelude = nil
            guard readOnly else {
                // Only a read goes with the prelude: anything else waits for the check.
                try await settle(prelude, timeout: timeout, blockingPool: blockingPool)
                return try await execute(query, readOnly: readOnly, timeout: timeout, blockingPool: blockingPool)
            }
            if beginNow != nil { pendingBegin = nil }
            return try await executePipeline(begin: beginNow, prelude: prelude, query, deadline: deadline)
        }
        if let begin = beginNow {
            pendingBegin = nil
            return try await executePipeline(begin: begin, prelude: nil, query, deadline: deadline)
        }
        let preparedName = try await preparedStatementName(for: query, deadline: deadline)
        try send(query: query, preparedName: preparedName)
        try await flush(deadline: deadline, query: query)
        return try await collectResult(deadline: deadline, query: query)
    }

    /// Runs a simple-protocol command such as `BEGIN` (no parameters); returns the command tag
    /// of the last statement (`COMMIT`, or `ROLLBACK` when a COMMIT found the transaction aborted).
    @discardableResult
    func executeSimple(_ sql: String, timeout: Duration?, blockingPool: NIOThreadPool) async throws -> String {
        if let prelude = pendingPrelude {
            pendingPrelude = nil
            try await settle(prelude, timeout: timeout, blockingPool: blockingPool)
        }
        if let preludeFailure, sql != "ROLLBACK" { throw preludeFailure }
        if let begin = pendingBegin {
            pendingBegin = nil
            // Nothing was sent since the BEGIN was asked for: there is no transaction to end.
            if sql == "COMMIT" || sql == "ROLLBACK" { return sql }
            try await executeSimple(begin, timeout: timeout, blockingPool: blockingPool)
        }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        cancelPool = blockingPool
        let query = PostgresQuery(unsafeSQL: sql)
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError(query: sql) }
        try await flush(deadline: deadline, query: query)
        let result = try await collectResult(deadline: deadline, query: query)
        return String(cString: PQcmdStatus(result.handle))
    }

    /// Empties a full statement cache (`DEALLOCATE ALL`), so that statements first seen after it
    /// filled up are prepared too; the ones still in use are prepared again on their next run.
    /// Clearing all at once, not one by one, costs one round trip per `statementCacheLimit` new
    /// statements and keeps no usage bookkeeping on the path of every statement.
    private func forgetPreparedStatements(deadline: ContinuousClock.Instant?) async throws {
        let query = PostgresQuery(unsafeSQL: "DEALLOCATE ALL")
        guard PQsendQueryParams(handle, query.sql, 0, nil, nil, nil, nil, 0) == 1 else {
            throw connectionError(query: query.sql)
        }
        try await flush(deadline: deadline, query: query)
        _ = try await collectResult(deadline: deadline, query: query)
        statements.removeAll(keepingCapacity: true)
    }

    /// A pipeline whose protocol state is unknown: the connection is discarded.
    func brokenPipeline(query: String) -> PostgresError {
        let error = connectionError(query: query)
        isBroken = true
        return PostgresError(code: .connectionLost, message: error.message, query: query)
    }

    func preparedStatementName(for query: PostgresQuery, deadline: ContinuousClock.Instant?) async throws -> String? {
        if let name = statements[query.sql] { return name }
        guard statementCacheLimit > 0 else { return nil }
        if statements.count >= statementCacheLimit { try await forgetPreparedStatements(deadline: deadline) }
        let name = "woow_\(statements.count + 1)"
        guard PQsendPrepare(handle, name, query.sql, Int32(query.binds.count), nil) == 1 else {
            throw connectionError(query: query.sql)
        }
        try await flush(deadline: deadline, query: query)
        _ = try await collectResult(deadline: deadline, query: query)
        statements[query.sql] = name
        return name
    }

    func send(query: PostgresQuery, preparedName: String?) throws {
        let sent: Int32 = BindBuffer.withMarshalled(query.binds) { count, values, lengths, formats in
            if let preparedName {
                return PQsendQueryPrepared(handle, preparedName, count, values, lengths, formats, 0)
            }
            return PQsendQueryParams(handle, query.sql, count, nil, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw connectionError(query: query.sql) }
    }

    /// Pushes the buffered request to the server, waiting for the socket when it is full.
    func flush(deadline: ContinuousClock.Instant?, query: PostgresQuery) async throws {
        while true {
            switch PQflush(handle) {
            case 0: return
            case 1:
                if await reactor.wait(for: .writable, on: PQsocket(handle), deadline: deadline) == .timedOut {
                    throw await cancelForTimeout(query: query)
                }
            default:
                throw connectionError(query: query.sql)
            }
        }
    }

    /// Reads every result of the statement (suspending while the answer has not arrived) and
    /// returns the last one, or throws the first error.
    private func collectResult(deadline: ContinuousClock.Instant?, query: PostgresQuery) async throws -> PostgresResult {
        var last: OpaquePointer?
        var failure: PostgresError?
        while true {
            while PQisBusy(handle) == 1 {
                if await reactor.wait(for: .readable, on: PQsocket(handle), deadline: deadline) == .timedOut {
                    if let last { PQclear(last) }
                    throw await cancelForTimeout(query: query)
                }
                guard PQconsumeInput(handle) == 1 else {
                    if let last { PQclear(last) }
                    throw connectionError(query: query.sql)
                }
            }
            guard let result = PQgetResult(handle) else { break }
            if PQresultStatus(result) == PGRES_FATAL_ERROR, failure == nil {
                failure = Self.serverError(result, query: query.sql)
            }
            if let previous = last { PQclear(previous) }
            last = result
        }
        if PQstatus(handle) != CONNECTION_OK {
            isBroken = true
            if let last { PQclear(last) }
            throw failure.map { error in
                error.sqlState == nil
                    ? PostgresError(code: .connectionLost, message: error.message, query: query.sql) : error
            } ?? connectionError(query: query.sql)
        }
        if let failure {
            if let last { PQclear(last) }
            throw failure
        }
        guard let last else { throw connectionError(query: query.sql) }
        return PostgresResult(handle: last)
    }

    /// Asks the server to cancel the statement (a short blocking call, run off the cooperative
    /// threads) and marks the connection broken: its protocol state is unknown now.
    func cancelForTimeout(query: PostgresQuery) async -> PostgresError {
        if let cancel = PQgetCancel(handle) {
            let cancelHandle = CancelHandle(pointer: cancel)
            _ = try? await (cancelPool ?? NIOThreadPool.singleton).runIfActive {
                var buffer = [CChar](repeating: 0, count: 256)
                _ = PQcancel(cancelHandle.pointer, &buffer, Int32(buffer.count))
                PQfreeCancel(cancelHandle.pointer)
            }
        }
        // The connection's protocol state is unknown now; the pool will discard it.
        isBroken = true
        return PostgresError(code: .timeout, message: "statement timed out", query: query.sql)
    }

    func connectionError(query: String) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        if PQstatus(handle) != CONNECTION_OK { isBroken = true }
        return PostgresError(
            code: isBroken ? .connectionLost : .client, message: message.isEmpty ? "connection failure" : message,
            query: query)
    }

    static func serverError(_ result: OpaquePointer, query: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? String(cString: PQresultErrorMessage(result))
        let state = field("C").map { SQLState($0) }
        return PostgresError(
            code: state == nil ? .connectionLost : .server, sqlState: state,
            message: message.trimmingCharacters(in: .whitespacesAndNewlines), detail: field("D"), hint: field("H"),
            constraintName: field("n"), tableName: field("t"), columnName: field("c"), query: query)
    }
}

/// A `PGcancel*` carried to the thread that sends the cancel request (used there only).
private struct CancelHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
