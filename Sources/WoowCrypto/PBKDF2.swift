import CLibCrypto

/// PBKDF2-HMAC-SHA512 key derivation (`PKCS5_PBKDF2_HMAC` with `EVP_sha512()`).
enum PBKDF2 {
    /// Derives `length` bytes from `password` and `salt` with `rounds` iterations.
    static func sha512(password: [UInt8], salt: [UInt8], rounds: Int, length: Int) -> [UInt8] {
        precondition((1...Int(Int32.max)).contains(rounds), "PBKDF2: rounds \(rounds) out of range")
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer {
                    woow_pbkdf2_hmac_sha512(
                        p.baseAddress, p.count, s.baseAddress, s.count,
                        Int32(rounds), $0.baseAddress, $0.count)
                }
            }
        }
        precondition(ok == 1, "PBKDF2: OpenSSL failed (\(OpenSSLError.lastMessage()))")
        return out
    }
}
