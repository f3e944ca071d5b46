/// Hashes and verifies passwords in passlib's `pbkdf2_sha512` format, as Odoo stores them
/// in `res_users.password`: `$pbkdf2-sha512$<rounds>$<salt>$<checksum>`.
public struct PasswordHasher: Sendable {
    /// The iteration count used for new hashes unless another is chosen.
    public static let defaultRounds = 600_000
    /// Length in bytes of the random salt generated for new hashes.
    static let saltLength = 16

    /// The iteration count used for new hashes; stored hashes with other counts need rehashing.
    public let rounds: Int

    /// Creates a hasher that produces hashes with `rounds` PBKDF2 iterations (1...Int32.max).
    public init(rounds: Int = defaultRounds) {
        precondition(PBKDF2SHA512Hash.roundsRange.contains(rounds),
                     "PasswordHasher: rounds \(rounds) out of range")
        self.rounds = rounds
    }

    /// Hashes the UTF-8 bytes of `password` with a fresh 16-byte random salt.
    public func hash(_ password: String) -> String {
        let salt = SecureRandom.bytes(Self.saltLength)
        let checksum = Self.derive(password, salt: salt, rounds: rounds)
        return PBKDF2SHA512Hash(rounds: rounds, salt: salt, checksum: checksum).encoded
    }

    /// Checks `password` against `stored` (any rounds value) in constant time.
    ///
    /// An empty password or a malformed stored string is always `.invalid`.
    public func verify(_ password: String, against stored: String) -> PasswordVerification {
        guard !password.isEmpty, let parsed = PBKDF2SHA512Hash(parsing: stored) else { return .invalid }
        let checksum = Self.derive(password, salt: parsed.salt, rounds: parsed.rounds)
        guard ConstantTime.equals(checksum, parsed.checksum) else { return .invalid }
        return .valid(needsRehash: parsed.rounds != rounds)
    }

    /// Whether `stored` is a well-formed `pbkdf2_sha512` hash (as opposed to, say, plaintext).
    public static func isHash(_ stored: String) -> Bool {
        PBKDF2SHA512Hash(parsing: stored) != nil
    }

    /// The 64-byte PBKDF2-HMAC-SHA512 checksum of `password`.
    private static func derive(_ password: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        PBKDF2.sha512(password: Array(password.utf8), salt: salt, rounds: rounds,
                      length: PBKDF2SHA512Hash.checksumLength)
    }
}
