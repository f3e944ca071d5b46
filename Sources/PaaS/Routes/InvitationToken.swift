import WoowCrypto

/// An invitation's secret: 32 random bytes as URL-safe base64, sent only in the e-mail. The
/// database keeps its SHA-256 (hex) in `token_hash`, so a leaked table cannot accept anything;
/// `accept` hashes what it is given and looks the hash up.
public struct InvitationToken: Sendable, Hashable {
    /// The raw token (goes into the accept link, nowhere else).
    public let value: String

    /// A new random token.
    public static func generate() -> InvitationToken { InvitationToken(value: SecureRandom.urlSafeToken(byteCount: 32)) }

    /// The SHA-256 of the token, as stored.
    public var hash: String { Self.hash(value) }

    /// The SHA-256 (lower-case hex) of any presented token.
    public static func hash(_ token: String) -> String { Digest.sha256(token).hexString }

    /// A new public invitation id (`inv_` and 24 hex digits).
    public static func reference() -> String { "inv_" + SecureRandom.hex(byteCount: 12) }
}
