import Identity
import Logging
import PostgresDriver
import ServiceLifecycle

/// Deletes expired sessions periodically (expired ones are already refused at lookup), and the
/// failed-login counters that no longer count.
public struct SessionReaper: Service {
    let database: PostgresClient
    let sessions: SessionStore
    let authenticator: Authenticator?
    let interval: Duration
    let logger: Logger

    /// Creates the reaper; with an `authenticator`, its expired failure counters are purged too.
    public init(
        database: PostgresClient, sessions: SessionStore, authenticator: Authenticator? = nil,
        interval: Duration = .seconds(600), logger: Logger
    ) {
        self.database = database
        self.sessions = sessions
        self.authenticator = authenticator
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let removed = try await database.withConnection { try await sessions.purgeExpired(on: $0) }
                if removed > 0 { logger.info("expired sessions removed", metadata: ["sessions.removed": "\(removed)"]) }
                if let authenticator {
                    _ = try await database.withConnection { try await authenticator.purgeExpiredFailures(on: $0) }
                }
            } catch {
                logger.warning("session purge failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
