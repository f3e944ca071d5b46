import CLibPQ
import NIOPosix

extension LibPQConnection {
    /// One command of a pipeline, in the order sent.
    private enum PipelineCommand {
        case begin(String)
        case prepare(name: String, sql: String, parameters: Int)
        case prelude(PostgresQuery)
        case statement(PostgresQuery)

        var sql: String {
            switch self {
            case .begin(let sql), .prepare(_, let sql, _): return sql
            case .prelude(let query), .statement(let query): return query.sql
            }
        }
    }

    /// Sends `begin` (if any), `prelude` (if any) and the statement, each preceded by its
    /// preparation when it is new, in one libpq pipeline, and reads their results in order: one
    /// round trip for all of them. A failure of any command is thrown as it would have been
    /// without the pipeline (the server skips the later ones); after a failing `BEGIN` or
    /// statement the transaction is open and aborted, exactly as after a failing statement, and
    /// the caller rolls back.
    ///
    /// The prelude's check runs before the statement's result or error is handed out. Whatever
    /// is thrown before the check has accepted the prelude (its refusal, the prelude's own
    /// failure, a timeout) also fails every later statement of the lease (``preludeFailure``);
    /// a failure of the statement after an accepted prelude is thrown as usual.
    func executePipeline(begin: String?, prelude: PostgresPrelude?, _ query: PostgresQuery, deadline: ContinuousClock.Instant?)
        async throws -> PostgresResult
    {
        var preludeAccepted = prelude == nil
        do {
            return try await runPipeline(
                begin: begin, prelude: prelude, query, deadline: deadline, preludeAccepted: &preludeAccepted)
        } catch {
            if !preludeAccepted, preludeFailure == nil { preludeFailure = error }
            throw error
        }
    }

    private func runPipeline(
        begin: String?, prelude preludeStatement: PostgresPrelude?, _ query: PostgresQuery,
        deadline: ContinuousClock.Instant?, preludeAccepted: inout Bool
    ) async throws -> PostgresResult {
        let prelude = preludeStatement?.query
        var commands: [PipelineCommand] = []
        if let begin { commands.append(.begin(begin)) }
        var names: [String: String] = [:]  // SQL → statement name, for this pipeline
        func prepared(_ query: PostgresQuery) -> String? {
            if let name = statements[query.sql] ?? names[query.sql] { return name }
            guard statements.count + names.count < statementCacheLimit else { return nil }
            let name = "woow_\(statements.count + names.count + 1)"
            names[query.sql] = name
            commands.append(.prepare(name: name, sql: query.sql, parameters: query.binds.count))
            return name
        }
        var preludeName: String?
        if let prelude {
            preludeName = prepared(prelude)
            commands.append(.prelude(prelude))
        }
        let statementName = prepared(query)
        commands.append(.statement(query))

        guard PQenterPipelineMode(handle) == 1 else { throw connectionError(query: commands[0].sql) }
        for command in commands {
            let sent: Bool
            switch command {
            case .begin(let sql):
                sent = PQsendQueryParams(handle, sql, 0, nil, nil, nil, nil, 0) == 1
            case .prepare(let name, let sql, let parameters):
                sent = PQsendPrepare(handle, name, sql, Int32(parameters), nil) == 1
            case .prelude(let query):
                sent = (try? send(query: query, preparedName: preludeName)) != nil
            case .statement(let query):
                sent = (try? send(query: query, preparedName: statementName)) != nil
            }
            guard sent else { throw brokenPipeline(query: command.sql) }
        }
        guard PQpipelineSync(handle) == 1 else { throw brokenPipeline(query: query.sql) }
        try await flush(deadline: deadline, query: query)

        var index = 0
        var kept: [Int: OpaquePointer] = [:]
        var failure: PostgresError?
        var failedCommand = Int.max
        func discardKept() { kept.values.forEach { PQclear($0) } }
        reading: while true {
            while PQisBusy(handle) == 1 {
                if await reactor.wait(for: .readable, on: PQsocket(handle), deadline: deadline) == .timedOut {
                    discardKept()
                    throw await cancelForTimeout(query: query)
                }
                guard PQconsumeInput(handle) == 1 else {
                    discardKept()
                    throw connectionError(query: query.sql)
                }
            }
            guard let result = PQgetResult(handle) else {
                // The end of one command's results.
                index += 1
                guard index <= commands.count, PQstatus(handle) == CONNECTION_OK else {
                    discardKept()
                    throw brokenPipeline(query: query.sql)
                }
                continue
            }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                PQclear(result)
                break reading
            case PGRES_FATAL_ERROR:
                if failure == nil, index < commands.count {
                    failure = Self.serverError(result, query: commands[index].sql)
                    failedCommand = index
                }
                PQclear(result)
            case PGRES_PIPELINE_ABORTED:
                PQclear(result)
            default:
                guard index < commands.count else {
                    PQclear(result)
                    continue
                }
                switch commands[index] {
                case .prelude, .statement:
                    if let previous = kept.updateValue(result, forKey: index) { PQclear(previous) }
                case .begin, .prepare:
                    PQclear(result)
                }
            }
        }
        guard PQexitPipelineMode(handle) == 1 else {
            discardKept()
            throw brokenPipeline(query: query.sql)
        }
        // A prepared statement outlives the transaction: keep those whose preparation succeeded,
        // even when a later command then failed.
        for (offset, command) in commands.enumerated() where offset < failedCommand {
            if case .prepare(let name, let sql, _) = command { statements[sql] = name }
        }
        if let failure, failure.sqlState == nil { isBroken = true }
        if let preludeStatement, let preludeIndex = commands.firstIndex(where: { if case .prelude = $0 { true } else { false } }) {
            // The prelude is judged first, whatever became of the statement after it.
            guard failedCommand > preludeIndex, let handle = kept.removeValue(forKey: preludeIndex) else {
                discardKept()
                throw failure ?? brokenPipeline(query: preludeStatement.query.sql)
            }
            do {
                try preludeStatement.check(PostgresResult(handle: handle))
            } catch {
                discardKept()
                throw error
            }
            preludeAccepted = true
        }
        if let failure {
            discardKept()
            throw failure
        }
        guard let statement = kept.removeValue(forKey: commands.count - 1) else {
            discardKept()
            throw brokenPipeline(query: query.sql)
        }
        return PostgresResult(handle: statement)
    }

    /// Runs a pending prelude on its own and checks its result (poisoning the lease when the
    /// prelude fails or its check refuses it).
    func settle(_ prelude: PostgresPrelude, timeout: Duration?, blockingPool: NIOThreadPool) async throws {
        do {
            try prelude.check(try await execute(prelude.query, readOnly: true, timeout: timeout, blockingPool: blockingPool))
        } catch {
            preludeFailure = error
            throw error
        }
    }
}

/// A read that travels in one pipeline with the next read of the lease (one round trip for both),
/// and whose result `check` must accept before that read's result is handed out.
///
/// Used for the session lookup of a call whose session is known from an earlier request: the
/// call's first read goes with the lookup, and if the lookup no longer finds the same session the
/// check throws, the read's result is dropped, and every later statement of the lease fails with
/// the same error (the caller then runs the call again after a plain lookup). When the lease runs
/// no read, or a statement that may write comes first, the prelude runs on its own before it.
public struct PostgresPrelude: Sendable {
    /// The statement; it must only read (see ``PostgresConnection/read(_:)``).
    public let query: PostgresQuery
    /// Accepts the prelude's result, or throws.
    public let check: @Sendable (PostgresResult) throws -> Void

    /// A prelude.
    public init(query: PostgresQuery, check: @escaping @Sendable (PostgresResult) throws -> Void) {
        self.query = query
        self.check = check
    }
}
