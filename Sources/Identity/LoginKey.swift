import WoowCrypto

/// The form of a login that the failed-login throttle and the login rate limit count under:
/// lower-cased (so `Admin` and `admin` share one budget), and a login longer than
/// ``maximumLength`` characters replaced by `sha256:<hex>` of its lower-cased form, so that a client
/// cannot make counter keys arbitrarily long.
public enum LoginKey {
    /// The longest login kept as it is.
    public static let maximumLength = 128

    /// The counted form of `login`.
    public static func of(_ login: String) -> String {
        let lowered = login.lowercased()
        guard lowered.count > maximumLength else { return lowered }
        return "sha256:" + Digest.sha256(lowered).hexString
    }
}
