import CLibPQ
import Foundation
import NIOConcurrencyHelpers

/// Waits for libpq sockets to become readable or writable without holding a thread per statement.
///
/// One thread per process sleeps in `epoll_wait` on the sockets of the statements in flight and
/// resumes the waiting task when its socket is ready, so a statement costs one handoff between
/// threads instead of two, and no thread pool sized to the connection count is needed. Deadlines
/// are checked every 25 to 75 ms, so a hung server cannot hold a waiter
/// beyond its deadline.
final class SocketReactor: @unchecked Sendable {
    /// The process-wide reactor; its thread lives as long as the process.
    static let shared = SocketReactor()

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

    // `@unchecked Sendable`: `waiters` is only touched under `lock`; `epollFD` is immutable.
    private let epollFD: Int32
    private let lock = NIOLock()
    private var waiters: [Int32: Waiter] = [:]

    private init() {
        epollFD = woow_epoll_create()
        precondition(epollFD >= 0, "epoll_create1 failed")
        let thread = Thread { [self] in self.loop() }
        thread.start()
    }

    /// Suspends until `fd` is ready for `readiness`, or the deadline passes.
    func wait(for readiness: Readiness, on fd: Int32, deadline: ContinuousClock.Instant?) async -> Outcome {
        await withCheckedContinuation { continuation in
            lock.withLock { waiters[fd] = Waiter(continuation: continuation, deadline: deadline) }
            // The descriptor stays in the set (disabled) after a one-shot event: re-arm it, or add it
            // the first time (or when a closed descriptor's number was reused).
            if woow_epoll_arm(epollFD, fd, readiness == .writable ? 1 : 0) != 0 {
                // Not pollable (closed): report ready so the caller sees the failure from libpq.
                resume(fd, with: .ready)
            }
        }
    }

    private func resume(_ fd: Int32, with outcome: Outcome) {
        let waiter = lock.withLock { waiters.removeValue(forKey: fd) }
        waiter?.continuation.resume(returning: outcome)
    }

    private func loop() {
        var ready = [Int32](repeating: 0, count: 64)
        let scanInterval = Duration.milliseconds(25)
        var nextScan = ContinuousClock.now + scanInterval
        while true {
            let count = ready.withUnsafeMutableBufferPointer { buffer in
                woow_epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), 50)
            }
            if count > 0 {
                for index in 0..<Int(count) { resume(ready[index], with: .ready) }
            }
            // Deadlines are coarse (statement timeouts are seconds): scan for them every 25 ms
            // rather than on every wake-up, which under load is every few microseconds.
            let now = ContinuousClock.now
            guard now >= nextScan else { continue }
            nextScan = now + scanInterval
            let expired: [(Int32, Waiter)] = lock.withLock {
                var overdue: [(Int32, Waiter)] = []
                for (fd, waiter) in waiters where waiter.deadline.map({ $0 <= now }) ?? false {
                    overdue.append((fd, waiter))
                }
                for (fd, _) in overdue { waiters.removeValue(forKey: fd) }
                return overdue
            }
            for (fd, waiter) in expired {
                woow_epoll_remove(epollFD, fd)
                waiter.continuation.resume(returning: .timedOut)
            }
        }
    }
}

