/// A parsed passlib `pbkdf2_sha512` modular-crypt string:
/// `$pbkdf2-sha512$<rounds>$<ab64 salt>$<ab64 checksum>`.
struct PBKDF2SHA512Hash: Sendable, Equatable {
    /// The modular-crypt identifier, including its surrounding `$` signs.
    static let prefix = "$pbkdf2-sha512$"
    /// Length in bytes of the checksum (the SHA-512 output size).
    static let checksumLength = 64
    /// Largest accepted salt, in bytes (passlib's limit).
    static let maxSaltLength = 1024
    /// Accepted iteration counts (`PKCS5_PBKDF2_HMAC` takes an `int`).
    static let roundsRange = 1...Int(Int32.max)

    let rounds: Int
    let salt: [UInt8]
    let checksum: [UInt8]

    /// Creates a hash from its parts.
    init(rounds: Int, salt: [UInt8], checksum: [UInt8]) {
        self.rounds = rounds
        self.salt = salt
        self.checksum = checksum
    }

    /// Parses `stored`; returns nil for anything that is not a well-formed hash.
    init?(parsing stored: String) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "pbkdf2-sha512",
              let rounds = Self.parseRounds(parts[2]),
              let salt = Base64.decode(parts[3], alphabet: .ab64),
              salt.count <= Self.maxSaltLength,
              let checksum = Base64.decode(parts[4], alphabet: .ab64),
              checksum.count == Self.checksumLength
        else { return nil }
        self.init(rounds: rounds, salt: salt, checksum: checksum)
    }

    /// The modular-crypt string form, as passlib and Odoo store it.
    var encoded: String {
        Self.prefix + "\(rounds)$"
            + Base64.encode(salt, alphabet: .ab64) + "$"
            + Base64.encode(checksum, alphabet: .ab64)
    }

    /// Decimal rounds without sign or leading zeros, within ``roundsRange``.
    private static func parseRounds(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.first != "0",
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int(text), roundsRange.contains(value)
        else { return nil }
        return value
    }
}
