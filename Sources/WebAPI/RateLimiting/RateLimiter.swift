import Foundation
import Synchronization

/// Fixed-window request counters, one per (category, subject), kept in memory and merged with
/// the other server instances through PostgreSQL (see ``synchronize(using:)``).
///
/// The hot path (``acquire(_:for:)``) is one lock and one dictionary lookup; it never touches the
/// database. Each counter knows three numbers: the global count last learned from PostgreSQL
/// (which includes this instance's flushed requests), the requests being flushed right now, and
/// the requests admitted since. A request is admitted while their sum is below the limit, so this
/// instance alone never admits more than the limit in a window; other instances' requests are seen
/// after the next synchronization (every `syncInterval`, 250 ms by default).
///
/// Windows are aligned on the epoch (`floor(now / window) * window`), so every instance agrees on
/// them; when the window changes every counter of the previous one is dropped.
public final class RateLimiter: Sendable {
    /// The configuration.
    public let settings: RateLimitSettings
    let clock: @Sendable () -> Double
    let state: Mutex<State>

    struct CounterKey: Hashable, Sendable {
        let category: RateLimitCategory
        let subject: RateLimitSubject
    }

    struct Counter: Sendable {
        /// The global count last read from PostgreSQL (includes this instance's flushed requests).
        var known = 0
        /// Admitted here and being written to PostgreSQL now.
        var inflight = 0
        /// Admitted here since the last flush started.
        var pending = 0
        var total: Int { known + inflight + pending }
    }

    struct State: Sendable {
        var windowStart: Int64 = 0
        var counters: [CounterKey: Counter] = [:]
        /// Session id → user, learned this window, so that a user already over a limit is refused
        /// before the session is looked up again (never used to grant anything).
        var sessionOwners: [String: Int64] = [:]
    }

    /// Creates a limiter; `clock` gives the time in seconds since the epoch (tests inject one).
    public init(settings: RateLimitSettings, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.settings = settings
        self.clock = clock
        state = Mutex(State())
    }

    /// Counts one request of `category` for `subject`. `nil` when limiting is disabled; otherwise
    /// the decision (a refused request is not counted). `session` (the session id a `.user` subject
    /// was loaded from) is remembered for ``refusal(_:session:)``.
    public func acquire(_ category: RateLimitCategory, for subject: RateLimitSubject, session: String? = nil)
        -> RateLimitDecision?
    {
        guard settings.enabled else { return nil }
        let limit = settings.limit(for: category)
        let (windowStart, resetAfter) = currentWindow()
        return state.withLock { state in
            Self.enter(windowStart, &state)
            if let session, case .user(let uid) = subject, state.sessionOwners.count < settings.maxKeys {
                state.sessionOwners[session] = uid
            }
            var key = CounterKey(category: category, subject: subject)
            if state.counters[key] == nil, state.counters.count >= settings.maxKeys {
                key = CounterKey(category: category, subject: .overflow)
            }
            var counter = state.counters[key, default: Counter()]
            guard counter.total < limit else {
                return RateLimitDecision(
                    allowed: false, limit: limit, remaining: 0, resetAfter: resetAfter, category: category)
            }
            counter.pending += 1
            state.counters[key] = counter
            return RateLimitDecision(
                allowed: true, limit: limit, remaining: max(0, limit - counter.total), resetAfter: resetAfter,
                category: category)
        }
    }

    /// A refusal when `session` belongs to a user already over the `category` limit in this window
    /// (learned from an earlier request); `nil` otherwise, or when unknown. Counts nothing: it lets a
    /// request that would be refused skip the database entirely.
    public func refusal(_ category: RateLimitCategory, session: String) -> RateLimitDecision? {
        guard settings.enabled else { return nil }
        let limit = settings.limit(for: category)
        let (windowStart, resetAfter) = currentWindow()
        return state.withLock { state in
            Self.enter(windowStart, &state)
            guard let uid = state.sessionOwners[session],
                let counter = state.counters[CounterKey(category: category, subject: .user(uid))], counter.total >= limit
            else { return nil }
            return RateLimitDecision(allowed: false, limit: limit, remaining: 0, resetAfter: resetAfter, category: category)
        }
    }

    /// The start of the current window (epoch seconds) and the whole seconds until it ends.
    private func currentWindow() -> (start: Int64, resetAfter: Int) {
        let window = Int64(settings.windowSeconds)
        let now = clock()
        let windowStart = Int64((now / Double(window)).rounded(.down)) * window
        return (windowStart, max(1, Int((Double(windowStart + window) - now).rounded(.up))))
    }

    /// Moves the state to `windowStart`, dropping every counter of an ended window.
    private static func enter(_ windowStart: Int64, _ state: inout State) {
        guard state.windowStart != windowStart else { return }
        state.windowStart = windowStart
        state.counters.removeAll(keepingCapacity: true)
        state.sessionOwners.removeAll(keepingCapacity: true)
    }

    /// How many counters the current window holds (bounded by `maxKeys` + one overflow per category).
    public var trackedKeys: Int { state.withLock { $0.counters.count } }

    // MARK: Synchronization support (see RateLimiter+Sync.swift)

    /// The requests admitted since the last flush (moved to "in flight"), and the counters to
    /// refresh (delta 0): those not yet exhausted here, whose global count may have grown on other
    /// instances (at most ``maxRefreshKeys`` per flush).
    struct FlushBatch: Sendable {
        let windowStart: Int64
        let keys: [CounterKey]
        let deltas: [Int]
    }

    /// The most idle counters refreshed by one synchronization.
    static let maxRefreshKeys = 10_000

    func takePending() -> FlushBatch? {
        state.withLock { state in
            var keys: [CounterKey] = []
            var deltas: [Int] = []
            var refresh: [CounterKey] = []
            for (key, counter) in state.counters {
                if counter.pending > 0 {
                    keys.append(key)
                    deltas.append(counter.pending)
                } else if counter.inflight == 0, refresh.count < Self.maxRefreshKeys,
                    counter.total < settings.limit(for: key.category)
                {
                    refresh.append(key)
                }
            }
            guard !keys.isEmpty || !refresh.isEmpty else { return nil }
            for key in keys {
                state.counters[key]!.inflight += state.counters[key]!.pending
                state.counters[key]!.pending = 0
            }
            return FlushBatch(
                windowStart: state.windowStart, keys: keys + refresh, deltas: deltas + Array(repeating: 0, count: refresh.count))
        }
    }

    /// The flush was stored: the global counts PostgreSQL returned replace what was in flight.
    func completeFlush(_ batch: FlushBatch, globalCounts: [CounterKey: Int]) {
        state.withLock { state in
            guard state.windowStart == batch.windowStart else { return }
            for (index, key) in batch.keys.enumerated() {
                guard var counter = state.counters[key] else { continue }
                counter.inflight = max(0, counter.inflight - batch.deltas[index])
                if let global = globalCounts[key] { counter.known = max(counter.known, global) }
                state.counters[key] = counter
            }
        }
    }

    /// The flush failed: what was in flight is pending again (counted in the next flush).
    func abandonFlush(_ batch: FlushBatch) {
        state.withLock { state in
            guard state.windowStart == batch.windowStart else { return }
            for (index, key) in batch.keys.enumerated() {
                guard var counter = state.counters[key] else { continue }
                let delta = min(counter.inflight, batch.deltas[index])
                counter.inflight -= delta
                counter.pending += delta
                state.counters[key] = counter
            }
        }
    }
}
