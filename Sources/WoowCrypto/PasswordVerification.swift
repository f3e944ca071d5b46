/// The outcome of checking a password against a stored hash.
public enum PasswordVerification: Sendable, Equatable {
    /// The password does not match, is empty, or the stored hash is malformed.
    case invalid
    /// The password matches; `needsRehash` is true when the stored hash uses different
    /// parameters (rounds) than the hasher's current policy and should be replaced.
    case valid(needsRehash: Bool)
}
