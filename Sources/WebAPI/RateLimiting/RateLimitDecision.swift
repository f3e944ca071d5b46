import HTTPTypes
import Identity

/// Whom a request is counted for: the logged-in user, the client address before login, or — for
/// a login attempt — the client address and the login it tries.
public enum RateLimitSubject: Hashable, Sendable {
    /// A user id (a valid session).
    case user(Int64)
    /// The TCP peer address (no session); `nil` address: `unknown`.
    case address(String)
    /// A login attempt (`authentication`): the TCP peer address and the login tried, in its
    /// counted form (``LoginKey``), so that every login of an office or a CI runner behind one
    /// address has a budget of its own.
    case login(address: String, login: String)
    /// The shared counter new subjects fall into when an instance already tracks `maxKeys` subjects.
    case overflow

    /// The subject for a request: its user when logged in, else its address.
    public static func of(uid: Int64?, remoteAddress: String?) -> RateLimitSubject {
        if let uid { return .user(uid) }
        return .address(remoteAddress ?? "unknown")
    }

    /// The subject of a login attempt: the address (`unknown` when `nil`) and the counted form of
    /// the login (an attempt that names none counts as the empty login).
    public static func loginAttempt(login: String?, remoteAddress: String?) -> RateLimitSubject {
        .login(address: remoteAddress ?? "unknown", login: LoginKey.of(login ?? ""))
    }

    /// The text stored in `rate_limit_counter.key` after the category (`user:42`, `ip:10.0.0.7`,
    /// `ip:10.0.0.7 login:alice@example.com`).
    var keyText: String {
        switch self {
        case .user(let uid): return "user:\(uid)"
        case .address(let address): return "ip:" + address
        case .login(let address, let login): return "ip:" + address + " login:" + login
        case .overflow: return "overflow"
        }
    }
}

/// The outcome of counting one request: allowed or not, and what the `X-RateLimit-*` headers say.
public struct RateLimitDecision: Sendable, Equatable {
    /// The request may run.
    public let allowed: Bool
    /// The category's budget per window (`X-RateLimit-Limit`).
    public let limit: Int
    /// Requests left in this window after this one (`X-RateLimit-Remaining`).
    public let remaining: Int
    /// Whole seconds until the window resets (`X-RateLimit-Reset`, and `Retry-After` when refused).
    public let resetAfter: Int
    /// The category counted.
    public let category: RateLimitCategory

    /// Creates a decision.
    public init(allowed: Bool, limit: Int, remaining: Int, resetAfter: Int, category: RateLimitCategory) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.category = category
    }

    /// The message of a refusal.
    public var message: String {
        "Too many requests (\(category.rawValue) limit: \(limit) per window); retry in \(resetAfter) s"
    }

    /// Adds `X-RateLimit-Limit`, `-Remaining`, `-Reset`, and `Retry-After` when refused.
    public func apply(to headers: inout HTTPFields) {
        headers[.xRateLimitLimit] = String(limit)
        headers[.xRateLimitRemaining] = String(remaining)
        headers[.xRateLimitReset] = String(resetAfter)
        if !allowed { headers[.retryAfter] = String(resetAfter) }
    }

    /// Of two decisions in one HTTP answer (a JSON-RPC batch), the one the headers should report:
    /// a refusal first, then the fewest remaining requests.
    public func moreRestrictive(than other: RateLimitDecision?) -> RateLimitDecision {
        guard let other else { return self }
        if allowed != other.allowed { return allowed ? other : self }
        return remaining <= other.remaining ? self : other
    }
}

extension HTTPField.Name {
    /// `X-RateLimit-Limit`.
    public static let xRateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    /// `X-RateLimit-Remaining`.
    public static let xRateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    /// `X-RateLimit-Reset` (seconds until the window resets).
    public static let xRateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
}
