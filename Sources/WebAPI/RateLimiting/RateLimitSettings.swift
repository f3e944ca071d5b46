/// The budget a request is counted against.
public enum RateLimitCategory: String, Sendable, CaseIterable, Hashable {
    /// Logins and invitation acceptance: 5 per window by default, per (client address, login).
    case authentication
    /// Routes that take a file (`PUT /settings/profile` with its avatar): 10 per window.
    case upload
    /// Every `/billing/*` route: 20 per window.
    case billing
    /// Every other application route: 100 per window.
    case general
}

/// The rate-limit configuration: one budget per category and fixed window, per user (per client
/// address before login). Every setting has the spec's default.
public struct RateLimitSettings: Sendable, Equatable {
    /// `false` turns limiting off entirely: nothing is counted and no `X-RateLimit-*` header is sent.
    public var enabled: Bool
    /// The window length in whole seconds (default 60).
    public var windowSeconds: Int
    /// Requests allowed per window and category.
    public var limits: [RateLimitCategory: Int]
    /// How often the local counts are merged into PostgreSQL (and the other instances' counts learned).
    public var syncInterval: Duration
    /// The most counters one instance keeps for the current window; past it, new subjects share one
    /// overflow counter per category (memory stays bounded whatever the number of clients).
    public var maxKeys: Int

    /// The spec's defaults: authentication 5, upload 10, billing 20, general 100 per 60 s.
    public static let defaultLimits: [RateLimitCategory: Int] = [
        .authentication: 5, .upload: 10, .billing: 20, .general: 100,
    ]

    /// Creates settings (defaults as the spec).
    public init(
        enabled: Bool = true, windowSeconds: Int = 60, limits: [RateLimitCategory: Int] = RateLimitSettings.defaultLimits,
        syncInterval: Duration = .milliseconds(250), maxKeys: Int = 100_000
    ) {
        self.enabled = enabled
        self.windowSeconds = max(1, windowSeconds)
        self.limits = limits
        self.syncInterval = syncInterval
        self.maxKeys = max(1, maxKeys)
    }

    /// The budget of `category` per window.
    public func limit(for category: RateLimitCategory) -> Int {
        limits[category] ?? Self.defaultLimits[category] ?? 100
    }

    /// Every category at `limit` (tests and benchmarks that must never be throttled).
    public static func uniform(_ limit: Int, windowSeconds: Int = 60) -> RateLimitSettings {
        RateLimitSettings(
            windowSeconds: windowSeconds,
            limits: Dictionary(uniqueKeysWithValues: RateLimitCategory.allCases.map { ($0, limit) }))
    }
}
