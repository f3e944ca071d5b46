import WoowCrypto

/// A secret that lets an agent or a client reach a hub or a tunnel: a prefix naming its kind and
/// 32 random bytes as URL-safe base64 (`wht_3q2-…`, 47 characters).
///
/// It is shown in full only in the answer that creates it (hub / tunnel creation, regenerate);
/// the database keeps its SHA-256 (lower-case hex, `token_hash`) and its last four characters
/// (`token_hint`), from which every other answer shows the same masked form
/// (`wht_••••••••abcd`, see ``masked(prefix:hint:)``).
public struct AccessToken: Sendable, Hashable {
    /// The connection token of a hub's or a tunnel's agent.
    public static let tunnelPrefix = "wht_"
    /// An API token of a hub or a tunnel.
    public static let apiPrefix = "wha_"
    /// How many trailing characters the hint keeps.
    public static let hintLength = 4

    /// The full token.
    public let value: String

    /// A new random token with `prefix`.
    public static func generate(prefix: String = tunnelPrefix) -> AccessToken {
        AccessToken(value: prefix + SecureRandom.urlSafeToken(byteCount: 32))
    }

    /// The SHA-256 of the token (lower-case hex), as stored.
    public var hash: String { Self.hash(value) }

    /// The last characters, as stored for the masked form.
    public var hint: String { String(value.suffix(Self.hintLength)) }

    /// The masked form of this token.
    public var masked: String { Self.masked(prefix: String(value.prefix(4)), hint: hint) }

    /// The SHA-256 (lower-case hex) of any presented token.
    public static func hash(_ token: String) -> String { Digest.sha256(token).hexString }

    /// `wht_••••••••abcd`: the prefix, eight bullets and the stored hint (the same everywhere).
    public static func masked(prefix: String = tunnelPrefix, hint: String?) -> String {
        prefix + String(repeating: "•", count: 8) + (hint ?? "")
    }
}
