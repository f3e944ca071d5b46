import NIOPosix

/// The pool's mutable state, guarded by the client's lock.
struct PoolState {
    var idle: [LibPQConnection] = []
    var open = 0
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var closed = false

    struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Grant, any Error>
        /// When the waiter gives up with `.poolTimeout`.
        let deadline: ContinuousClock.Instant
    }

    /// Whether the one task that expires overdue waiters is running.
    var sweeperRunning = false

    /// What a waiter is handed when a connection frees up.
    enum Grant {
        case connection(LibPQConnection)
        /// A slot was freed: the waiter may open a new connection.
        case slot
    }
}

extension PostgresClient {
    private enum Decision {
        case use(LibPQConnection), open, wait, closed
    }

    /// Acquires a connection; opening one is retried with backoff while the server is unreachable,
    /// but never beyond the statement timeout in all (a hung server cannot hold a request longer).
    func acquireWithRetry() async throws -> LibPQConnection {
        var attempt = 1
        var slept = Duration.zero
        let start = ContinuousClock.now
        while true {
            do {
                return try await acquire()
            } catch let error as PostgresError where error.code == .connectionFailed {
                guard let pause = configuration.retry.backoff(beforeRetry: attempt, alreadySlept: slept),
                    ContinuousClock.now - start + pause < configuration.statementTimeout
                else {
                    throw error
                }
                try await Task.sleep(for: pause)
                slept += pause
                attempt += 1
            }
        }
    }

    private func acquire() async throws -> LibPQConnection {
        while true {
            let maximum = configuration.maximumConnections
            let decision: Decision = state.withLockedValue { state in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() { return .use(connection) }
                if state.open < maximum {
                    state.open += 1
                    return .open
                }
                return .wait
            }
            switch decision {
            case .closed:
                throw PostgresError(code: .poolClosed, message: "connection pool closed")
            case .use(let connection):
                if connection.isAliveWhileIdle() { return connection }
                logger.debug("discarding a connection the server closed")
                discardSlot()
            case .open:
                return try await openNewConnection()
            case .wait:
                switch try await waitForGrant() {
                case .connection(let connection):
                    if connection.isAliveWhileIdle() { return connection }
                    discardSlot()
                case .slot:
                    return try await openNewConnection()
                }
            }
        }
    }

    /// Opens a connection for a slot already counted in `open`; frees the slot on failure.
    private func openNewConnection() async throws -> LibPQConnection {
        let parameters = configuration.libpqParameters
        let cacheSize = configuration.statementCacheSize
        do {
            return try await blockingPool.runIfActive {
                try LibPQConnection.connect(parameters: parameters, statementCacheLimit: cacheSize)
            }
        } catch {
            discardSlot()
            if let error = error as? PostgresError { throw error }
            throw PostgresError(code: .connectionFailed, message: "could not open a connection")
        }
    }

    /// Returns a leased connection: to a waiter, to the idle list, or closed when broken.
    func release(_ connection: LibPQConnection) {
        guard !connection.isBroken else {
            discardSlot()
            return
        }
        connection.lastReleased = .now
        connection.pendingBegin = nil
        connection.pendingPrelude = nil
        connection.preludeFailure = nil
        let waiter: PoolState.Waiter? = state.withLockedValue { state in
            if state.closed {
                state.open -= 1
                return nil
            }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.continuation.resume(returning: .connection(connection))
    }

    /// Frees one slot (a connection was closed or never opened) and lets a waiter open a new one.
    private func discardSlot() {
        let waiter: PoolState.Waiter? = state.withLockedValue { state in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst() }  // slot passes on
            state.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .slot)
    }

    private func waitForGrant() async throws -> PoolState.Grant {
        let id = state.withLockedValue { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let deadline = ContinuousClock.now + configuration.leaseTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PoolState.Grant, any Error>) in
                let (enqueued, startSweeper) = state.withLockedValue { state -> (Bool, Bool) in
                    guard !state.closed else { return (false, false) }
                    state.waiters.append(.init(id: id, continuation: continuation, deadline: deadline))
                    let start = !state.sweeperRunning
                    state.sweeperRunning = true
                    return (true, start)
                }
                guard enqueued else {
                    continuation.resume(throwing: PostgresError(code: .poolClosed, message: "connection pool closed"))
                    return
                }
                if startSweeper { startWaiterSweeper() }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
    }

    /// One task for the whole pool (not one timer per waiter, which under load means thousands of
    /// sleeping tasks): it fails waiters past their deadline and stops when none are left.
    private func startWaiterSweeper() {
        Task { [weak self] in
            while let self {
                try? await Task.sleep(for: .milliseconds(50))
                let now = ContinuousClock.now
                let (expired, keepRunning) = self.state.withLockedValue { state -> ([PoolState.Waiter], Bool) in
                    let expired = state.waiters.filter { $0.deadline <= now }
                    if !expired.isEmpty { state.waiters.removeAll { $0.deadline <= now } }
                    if state.waiters.isEmpty { state.sweeperRunning = false }
                    return (expired, !state.waiters.isEmpty)
                }
                for waiter in expired {
                    waiter.continuation.resume(
                        throwing: PostgresError(code: .poolTimeout, message: "no database connection became free in time"))
                }
                if !keepRunning { return }
            }
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter = state.withLockedValue { state -> PoolState.Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }
}
