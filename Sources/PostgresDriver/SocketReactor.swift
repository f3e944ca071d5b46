import CLibPQ
import Foundation
import NIOConcurrencyHelpers
import Synchronization

/// Waits for libpq sockets to become readable or writable, and runs the tasks that use them.
///
/// Each reactor is one thread sleeping in `epoll_wait` on the sockets of the statements in flight.
/// It is also a `TaskExecutor`: ``PostgresClient`` runs the body of every lease with the leased
/// connection's reactor as the task's executor preference, so when an answer arrives the reactor
/// resumes the waiting task *on its own thread*, with no handoff to another thread per statement.
/// A request's database work thus costs one thread hop in and one out, however many statements it
/// runs. There is one reactor per core (at most four); connections are spread over them.
///
/// Deadlines are checked every 25 to 75 ms, so a hung server cannot hold a waiter beyond its deadline.
/// Never block a reactor thread: the slow, blocking calls (connecting, cancelling, password hashing)
/// run on thread pools of their own.
final class SocketReactor: TaskExecutor, @unchecked Sendable {
    /// The process's reactors; their threads live as long as the process.
    static let all: [SocketReactor] = {
        let count = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        return (0..<count).map { SocketReactor(index: $0) }
    }()
    private static let nextIndex = Atomic<Int>(0)

    /// The reactor for a new connection (round robin).
    static func next() -> SocketReactor {
        let index = nextIndex.add(1, ordering: .relaxed).oldValue
        return all[index % all.count]
    }

    enum Readiness {
        case readable, writable
    }

    enum Outcome {
        case ready
        case timedOut
    }

    private struct Waiter {
        let continuation: CheckedContinuation<Outcome, Never>
        let deadline: ContinuousClock.Instant?
    }

    /// What the lock guards.
    private struct State {
        var waiters: [Int32: Waiter] = [:]
        var jobs: [UnownedJob] = []
        /// The thread is in (or about to enter) `epoll_wait` with a timeout: queueing work must wake it.
        var sleeping = false
    }

    // `@unchecked Sendable`: `state` is only touched under `lock`; the descriptors are immutable.
    private let epollFD: Int32
    private let wakeupFD: Int32
    private let lock = NIOLock()
    private var state = State()

    private init(index: Int) {
        epollFD = woow_epoll_create()
        precondition(epollFD >= 0, "epoll_create1 failed")
        wakeupFD = woow_wakeup_create(epollFD)
        precondition(wakeupFD >= 0, "eventfd failed")
        let thread = Thread { [self] in
            // Named from the thread itself (`top -H`, perf): a name set on `Thread` before it
            // starts does not reach the kernel here, and the thread would carry its creator's.
            woow_set_thread_name("woow-reactor-\(index)")
            self.loop()
        }
        thread.start()
    }

    /// Queues a job of a task that prefers this executor; it runs on the reactor's thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wake = lock.withLock {
            state.jobs.append(unowned)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if wake { woow_wakeup_signal(wakeupFD) }
    }

    /// Suspends until `fd` is ready for `readiness`, or the deadline passes.
    func wait(for readiness: Readiness, on fd: Int32, deadline: ContinuousClock.Instant?) async -> Outcome {
        await withCheckedContinuation { continuation in
            lock.withLock { state.waiters[fd] = Waiter(continuation: continuation, deadline: deadline) }
            // The descriptor stays in the set (disabled) after a one-shot event: re-arm it, or add it
            // the first time (or when a closed descriptor's number was reused).
            if woow_epoll_arm(epollFD, fd, readiness == .writable ? 1 : 0) != 0 {
                // Not pollable (closed): report ready so the caller sees the failure from libpq.
                resume(fd, with: .ready)
            }
        }
    }

    private func resume(_ fd: Int32, with outcome: Outcome) {
        let waiter = lock.withLock { state.waiters.removeValue(forKey: fd) }
        waiter?.continuation.resume(returning: outcome)
    }

    private func loop() {
        var ready = [Int32](repeating: 0, count: 64)
        var batch: [UnownedJob] = []
        let scanInterval = Duration.milliseconds(25)
        var nextScan = ContinuousClock.now + scanInterval
        let executor = asUnownedTaskExecutor()
        while true {
            // Run the queued jobs (including those that resuming a waiter queued just now).
            while true {
                lock.withLock { swap(&batch, &state.jobs) }
                if batch.isEmpty { break }
                for job in batch { job.runSynchronously(on: executor) }
                batch.removeAll(keepingCapacity: true)
            }
            let timeout: Int32 = lock.withLock {
                if !state.jobs.isEmpty { return 0 }
                state.sleeping = true
                return 50
            }
            let count = ready.withUnsafeMutableBufferPointer { buffer in
                woow_epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeout)
            }
            lock.withLock { state.sleeping = false }
            if count > 0 {
                for index in 0..<Int(count) {
                    if ready[index] == wakeupFD {
                        woow_wakeup_drain(wakeupFD)
                    } else {
                        resume(ready[index], with: .ready)
                    }
                }
            }
            // Deadlines are coarse (statement timeouts are seconds): scan for them every 25 ms
            // rather than on every wake-up, which under load is every few microseconds.
            let now = ContinuousClock.now
            guard now >= nextScan else { continue }
            nextScan = now + scanInterval
            let expired: [(Int32, Waiter)] = lock.withLock {
                var overdue: [(Int32, Waiter)] = []
                for (fd, waiter) in state.waiters where waiter.deadline.map({ $0 <= now }) ?? false {
                    overdue.append((fd, waiter))
                }
                for (fd, _) in overdue { state.waiters.removeValue(forKey: fd) }
                return overdue
            }
            for (fd, waiter) in expired {
                woow_epoll_remove(epollFD, fd)
                waiter.continuation.resume(returning: .timedOut)
            }
        }
    }
}
