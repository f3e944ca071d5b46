import HTTPTypes
import Synchronization

/// Collects the rate-limit decisions taken while answering one HTTP request (one per application
/// call; a JSON-RPC batch makes several) and puts the most restrictive into the answer's headers.
final class RateLimitTracker: Sendable {
    private let decision = Mutex<RateLimitDecision?>(nil)

    init() {}

    /// Remembers a decision.
    func record(_ new: RateLimitDecision) {
        decision.withLock { $0 = new.moreRestrictive(than: $0) }
    }

    /// The decision the headers report, if any was taken.
    var current: RateLimitDecision? { decision.withLock { $0 } }

    /// Adds the `X-RateLimit-*` (and `Retry-After`) headers when a decision was taken.
    func apply(to headers: inout HTTPFields) {
        current?.apply(to: &headers)
    }
}

extension RateLimitCategory {
    /// The category of an application route that declares none: `billing` under `/billing`,
    /// `general` elsewhere.
    public static func forApplicationPath(_ path: String) -> RateLimitCategory {
        path == "/billing" || path.hasPrefix("/billing/") ? .billing : .general
    }
}
