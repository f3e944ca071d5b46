import CLibCrypto

/// Cryptographically secure random bytes and tokens from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` random bytes. A generator failure is fatal: there is no safe fallback.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count \(count)")
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { woow_rand_bytes($0.baseAddress, $0.count) }
        if ok != 1 {
            fatalError("SecureRandom: OpenSSL RAND_bytes failed (\(OpenSSLError.lastMessage())); refusing to continue without secure randomness")
        }
        return out
    }

    /// Returns `byteCount` random bytes as URL-safe base64 (`-`, `_`) without padding.
    public static func urlSafeToken(byteCount: Int) -> String {
        Base64.encode(bytes(byteCount), alphabet: .urlSafe)
    }

    /// Returns `byteCount` random bytes as lowercase hexadecimal (`2 * byteCount` characters).
    public static func hex(byteCount: Int) -> String {
        bytes(byteCount).hexString
    }
}
