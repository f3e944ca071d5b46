import CLibCrypto

/// Access to OpenSSL's thread-local error queue, for diagnostics.
enum OpenSSLError {
    /// Pops and describes the oldest queued OpenSSL error, or says the queue was empty.
    static func lastMessage() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let code = buffer.withUnsafeMutableBufferPointer { woow_last_error($0.baseAddress, $0.count) }
        guard code != 0 else { return "no OpenSSL error queued" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
