import CLibCrypto

/// Message digests and MACs computed by libcrypto.
public enum Digest {
    /// The SHA-256 digest (32 bytes) of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var out = [UInt8](repeating: 0, count: Int(WOOW_SHA256_LENGTH))
        let ok = input.withUnsafeBufferPointer { data in
            out.withUnsafeMutableBufferPointer { woow_sha256(data.baseAddress, data.count, $0.baseAddress) }
        }
        precondition(ok == 1, "Digest.sha256: OpenSSL failed (\(OpenSSLError.lastMessage()))")
        return out
    }

    /// The SHA-256 digest (32 bytes) of the UTF-8 encoding of `string`.
    public static func sha256(_ string: String) -> [UInt8] {
        sha256(Array(string.utf8))
    }

    /// The HMAC-SHA256 (32 bytes) of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(WOOW_SHA256_LENGTH))
        let ok = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer {
                    woow_hmac_sha256(k.baseAddress, k.count, m.baseAddress, m.count, $0.baseAddress)
                }
            }
        }
        precondition(ok == 1, "Digest.hmacSHA256: OpenSSL failed (\(OpenSSLError.lastMessage()))")
        return out
    }
}
