import Logging
import PostgresDriver
import ServiceLifecycle
import WebAPI

/// Merges this instance's rate-limit counters into PostgreSQL every `syncInterval` (250 ms by
/// default) and learns the other instances' counts; once a minute it deletes ended windows. On
/// shutdown it flushes once more. A database outage only delays the merge: the local counts stay
/// pending and every instance keeps enforcing the limit on its own requests.
public struct RateLimitSynchronizer: Service {
    let database: PostgresClient
    let limiter: RateLimiter
    let purgeInterval: Duration
    let logger: Logger

    /// Creates the synchronizer.
    public init(database: PostgresClient, limiter: RateLimiter, purgeInterval: Duration = .seconds(60), logger: Logger) {
        self.database = database
        self.limiter = limiter
        self.purgeInterval = purgeInterval
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var nextPurge = clock.now
        var failing = false
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await limiter.synchronize(using: database)
                if clock.now >= nextPurge {
                    try await limiter.purgeExpiredWindows(using: database)
                    nextPurge = clock.now + purgeInterval
                }
                if failing { logger.info("rate-limit counters are synchronized again") }
                failing = false
            } catch {
                // Logged once per outage, not every 250 ms.
                if !failing { logger.warning("rate-limit synchronization failed", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: limiter.settings.syncInterval) }
        }
        _ = try? await limiter.synchronize(using: database)
    }
}
