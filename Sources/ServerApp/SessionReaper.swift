import Identity
import Logging
import PostgresDriver
import ServiceLifecycle

/// Deletes expired sessions periodically (expired ones are already refused at lookup).
public struct SessionReaper: Service {
    let database: PostgresClient
    let sessions: SessionStore
    let interval: Duration
    let logger: Logger

    /// Creates the reaper.
    public init(database: PostgresClient, sessions: SessionStore, interval: Duration = .seconds(600), logger: Logger) {
        self.database = database
        self.sessions = sessions
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let removed = try await database.withConnection { try await sessions.purgeExpired(on: $0) }
                if removed > 0 { logger.info("expired sessions removed", metadata: ["sessions.removed": "\(removed)"]) }
            } catch {
                logger.warning("session purge failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
