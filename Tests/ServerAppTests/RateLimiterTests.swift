import Foundation
import PostgresDriver
import ServerApp
import Synchronization
import Testing
import TestSupport
import WebAPI

/// A clock the test moves by hand (seconds since the epoch).
final class ManualClock: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}

/// The in-memory fixed-window limiter and its synchronization through PostgreSQL
/// (docs/api/rate-limits.md): budgets, windows, isolation, bounded memory, several instances.
@Suite("Rate limiter: windows, subjects, bounded memory, shared through PostgreSQL")
struct RateLimiterTests {
    static func limiter(
        limit: Int = 5, window: Int = 60, maxKeys: Int = 100_000, clock: ManualClock
    ) -> RateLimiter {
        var settings = RateLimitSettings.uniform(limit, windowSeconds: window)
        settings.maxKeys = maxKeys
        return RateLimiter(settings: settings, clock: { clock.now })
    }

    @Test func theLimitIsHeldAndTheHeadersCountDown() {
        // 1_000_020 = 16667 × 60 starts a window: 20 s into it, 40 s remain.
        let clock = ManualClock(1_000_020 + 20)
        let limiter = Self.limiter(clock: clock)
        let decisions = (0..<5).compactMap { _ in limiter.acquire(.authentication, for: .address("10.0.0.1")) }
        #expect(decisions.map(\.allowed) == [true, true, true, true, true])
        #expect(decisions.map(\.remaining) == [4, 3, 2, 1, 0])
        #expect(decisions.allSatisfy { $0.limit == 5 && $0.resetAfter == 40 && $0.category == .authentication })
        let refused = limiter.acquire(.authentication, for: .address("10.0.0.1"))
        #expect(refused == RateLimitDecision(allowed: false, limit: 5, remaining: 0, resetAfter: 40, category: .authentication))
        // A refused request is not counted: still refused, still 0 remaining, nothing grows.
        #expect(limiter.acquire(.authentication, for: .address("10.0.0.1"))?.allowed == false)
        #expect(limiter.trackedKeys == 1)
    }

    @Test func subjectsAndCategoriesHaveTheirOwnBudgets() {
        let clock = ManualClock(1_000_020)
        let limiter = Self.limiter(limit: 2, clock: clock)
        for _ in 0..<2 { #expect(limiter.acquire(.general, for: .user(1))?.allowed == true) }
        #expect(limiter.acquire(.general, for: .user(1))?.allowed == false)
        // Another user, another address, another category of the same user: untouched.
        #expect(limiter.acquire(.general, for: .user(2))?.remaining == 1)
        #expect(limiter.acquire(.general, for: .address("10.0.0.1"))?.remaining == 1)
        #expect(limiter.acquire(.general, for: .address("10.0.0.2"))?.remaining == 1)
        #expect(limiter.acquire(.billing, for: .user(1))?.remaining == 1)
        #expect(RateLimitSubject.of(uid: 7, remoteAddress: "10.0.0.1") == .user(7))
        #expect(RateLimitSubject.of(uid: nil, remoteAddress: "10.0.0.1") == .address("10.0.0.1"))
        #expect(RateLimitSubject.of(uid: nil, remoteAddress: nil) == .address("unknown"))
    }

    @Test func aNewWindowStartsAfreshAndDropsTheOldCounters() {
        let clock = ManualClock(2_000_000 - 1)  // one second before a 2 s window ends
        let limiter = Self.limiter(limit: 1, window: 2, clock: clock)
        #expect(limiter.acquire(.general, for: .user(1))?.resetAfter == 1)
        #expect(limiter.acquire(.general, for: .user(1))?.allowed == false)
        #expect(limiter.acquire(.general, for: .user(2))?.allowed == true)
        #expect(limiter.trackedKeys == 2)
        clock.advance(1)
        let next = limiter.acquire(.general, for: .user(1))
        #expect(next?.allowed == true)
        #expect(next?.resetAfter == 2)
        #expect(limiter.trackedKeys == 1)
    }

    @Test func aSessionOfAUserOverTheLimitIsRefusedWithoutCounting() {
        let clock = ManualClock(1_000_020)
        let limiter = Self.limiter(limit: 2, clock: clock)
        #expect(limiter.refusal(.general, session: "s1") == nil)  // unknown session
        for _ in 0..<2 { #expect(limiter.acquire(.general, for: .user(1), session: "s1")?.allowed == true) }
        #expect(limiter.refusal(.general, session: "s1")?.allowed == false)
        #expect(limiter.refusal(.billing, session: "s1") == nil)  // another budget
        #expect(limiter.refusal(.general, session: "s2") == nil)
        // Another session of the same user is known once it has been seen.
        #expect(limiter.acquire(.general, for: .user(1), session: "s2")?.allowed == false)
        #expect(limiter.refusal(.general, session: "s2")?.allowed == false)
        // A new window forgets both.
        clock.advance(60)
        #expect(limiter.refusal(.general, session: "s1") == nil)
    }

    @Test func memoryIsBoundedByMaxKeysThenOneOverflowCounterPerCategory() {
        let clock = ManualClock(1_000_020)
        let limiter = Self.limiter(limit: 3, maxKeys: 100, clock: clock)
        for address in 0..<100 { _ = limiter.acquire(.general, for: .address("10.0.\(address / 256).\(address % 256)")) }
        #expect(limiter.trackedKeys == 100)
        // Past the cap, new subjects share the overflow counter (3 per window between them).
        let overflow = (0..<5).map { limiter.acquire(.general, for: .address("192.168.0.\($0)"))!.allowed }
        #expect(overflow == [true, true, true, false, false])
        #expect(limiter.trackedKeys == 101)
        // Known subjects keep their own counters.
        #expect(limiter.acquire(.general, for: .address("10.0.0.0"))?.remaining == 1)
    }

    @Test func disabledLimiterCountsNothing() {
        let limiter = RateLimiter(settings: RateLimitSettings(enabled: false, limits: [.general: 1]))
        for _ in 0..<10 { #expect(limiter.acquire(.general, for: .user(1)) == nil) }
        #expect(limiter.trackedKeys == 0)
    }

    @Test func categoriesByPathAndDeclaration() {
        #expect(RateLimitCategory.forApplicationPath("/billing/overview") == .billing)
        #expect(RateLimitCategory.forApplicationPath("/billing") == .billing)
        #expect(RateLimitCategory.forApplicationPath("/billingx") == .general)
        #expect(RateLimitCategory.forApplicationPath("/workspaces") == .general)
        let declared = AppRoute(.put, "/settings/profile", rateLimit: .upload) { _ in .ok(.null) }
        let billing = AppRoute(.post, "/billing/add-funds") { _ in .ok(.null) }
        let general = AppRoute(.get, "/user/me") { _ in .ok(.null) }
        #expect(declared.rateLimit == .upload)
        #expect(billing.rateLimit == .billing)
        #expect(general.rateLimit == .general)
    }

    @Test func configurationFromTheEnvironment() throws {
        let defaults = try ServerConfiguration(environment: [:]).rateLimits
        #expect(defaults == RateLimitSettings())
        #expect(defaults.enabled)
        #expect(defaults.windowSeconds == 60)
        #expect(RateLimitCategory.allCases.map(defaults.limit(for:)) == [5, 10, 20, 100])
        let custom = try ServerConfiguration(environment: [
            "WOOW_RATE_LIMIT_ENABLED": "0", "WOOW_RATE_LIMIT_WINDOW": "10", "WOOW_RATE_LIMIT_AUTHENTICATION": "3",
            "WOOW_RATE_LIMIT_UPLOAD": "4", "WOOW_RATE_LIMIT_BILLING": "6", "WOOW_RATE_LIMIT_GENERAL": "1000",
            "WOOW_RATE_LIMIT_SYNC_MS": "500", "WOOW_RATE_LIMIT_MAX_KEYS": "5000",
        ]).rateLimits
        #expect(!custom.enabled)
        #expect(custom.windowSeconds == 10)
        #expect(RateLimitCategory.allCases.map(custom.limit(for:)) == [3, 4, 6, 1000])
        #expect(custom.syncInterval == .milliseconds(500))
        #expect(custom.maxKeys == 5000)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["WOOW_RATE_LIMIT_GENERAL": "0"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["WOOW_RATE_LIMIT_WINDOW": "x"]) }
    }

    @Test func twoInstancesOnOneDatabaseRefuseTogetherAfterASynchronization() async throws {
        let database = try await TestPostgres.shared.makeDatabase("ratelimitsync")
        let client = database.makeClient(maximumConnections: 2)
        let clock = ManualClock(Double(Int(Date.now.timeIntervalSince1970) / 60 * 60) + 10)
        let first = Self.limiter(limit: 10, clock: clock)
        let second = Self.limiter(limit: 10, clock: clock)
        let user = RateLimitSubject.user(42)
        // Each instance alone holds the limit: ten, then a refusal.
        for _ in 0..<6 { #expect(first.acquire(.general, for: user)?.allowed == true) }
        for _ in 0..<4 { #expect(second.acquire(.general, for: user)?.allowed == true) }
        // Before any synchronization each knows only its own requests.
        #expect(first.acquire(.general, for: .user(43))?.remaining == 9)
        #expect(try await first.synchronize(using: client) == 2)
        #expect(try await second.synchronize(using: client) == 1)
        // The second learned 6 + 4 on its write; the first learns it on its next synchronization.
        #expect(second.acquire(.general, for: user)?.allowed == false)
        try await first.synchronize(using: client)
        #expect(first.acquire(.general, for: user) == RateLimitDecision(
            allowed: false, limit: 10, remaining: 0, resetAfter: 50, category: .general))
        let stored = try await client.query(
            "SELECT count, window_end - window_start FROM rate_limit_counter WHERE key = 'general:user:42'")
        #expect(try stored.rows.map { [try $0.decode(Int.self, at: 0), try $0.decode(Int.self, at: 1)] } == [[10, 60]])
        // Nothing pending, and an exhausted counter has nothing left to learn: no statement at all.
        #expect(try await second.synchronize(using: client) == 0)
        // Windows are purged once they have ended, not before.
        clock.advance(50)
        #expect(try await first.purgeExpiredWindows(using: client) == 0)
        clock.advance(1)
        #expect(try await first.purgeExpiredWindows(using: client) == 2)
        await client.close()
    }

    @Test func aFailedSynchronizationKeepsTheRequestsPending() async throws {
        let database = try await TestPostgres.shared.makeDatabase("ratelimitfail")
        let client = database.makeClient(maximumConnections: 1)
        let clock = ManualClock(Double(Int(Date.now.timeIntervalSince1970) / 60 * 60) + 10)
        let limiter = Self.limiter(limit: 10, clock: clock)
        for _ in 0..<3 { _ = limiter.acquire(.general, for: .user(1)) }
        try await client.query("ALTER TABLE rate_limit_counter RENAME TO rate_limit_counter_away")
        await #expect(throws: (any Error).self) { try await limiter.synchronize(using: client) }
        // Still counted locally, and sent with the next synchronization.
        #expect(limiter.acquire(.general, for: .user(1))?.remaining == 6)
        try await client.query("ALTER TABLE rate_limit_counter_away RENAME TO rate_limit_counter")
        try await limiter.synchronize(using: client)
        #expect(try await client.query("SELECT count FROM rate_limit_counter")[0].decode(Int.self, at: 0) == 4)
        await client.close()
    }
}
