import NIOPosix
import WoowCrypto

/// Runs the deliberately slow PBKDF2 work off the cooperative threads, on a pool bounded to the
/// core count, so a burst of logins cannot stall every other request.
public struct PasswordHashingPool: Sendable {
    /// The hasher (its rounds are the target for new and upgraded hashes).
    public let hasher: PasswordHasher
    let threadPool: NIOThreadPool

    /// Uses NIO's shared blocking pool, which has one thread per core.
    public init(rounds: Int) {
        hasher = PasswordHasher(rounds: rounds)
        threadPool = NIOThreadPool.singleton
    }

    /// Hashes a password for storage.
    public func hash(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await threadPool.runIfActive { hasher.hash(password) }
    }

    /// Verifies a password against a stored hash.
    public func verify(_ password: String, against stored: String) async throws -> PasswordVerification {
        let hasher = self.hasher
        return try await threadPool.runIfActive { hasher.verify(password, against: stored) }
    }
}
