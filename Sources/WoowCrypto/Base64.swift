/// One base64 alphabet: 64 symbols, an optional padding rule, and extra symbols accepted when decoding.
struct Base64Alphabet: Sendable {
    /// The 64 symbols, indexed by 6-bit value.
    let symbols: [UInt8]
    /// Whether encoding appends `=` padding (and decoding accepts it).
    let padded: Bool
    /// Maps a byte to its 6-bit value, or -1 if it is not part of the alphabet.
    let decodeTable: [Int8]

    /// Builds an alphabet from the 62 letters and digits plus `c62` and `c63`.
    init(_ c62: Character, _ c63: Character, padded: Bool, alsoDecode extra: [(Character, UInt8)] = []) {
        let base = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        symbols = base + [c62.asciiValue!, c63.asciiValue!]
        self.padded = padded
        var table = [Int8](repeating: -1, count: 256)
        for (value, symbol) in symbols.enumerated() { table[Int(symbol)] = Int8(value) }
        for (char, value) in extra { table[Int(char.asciiValue!)] = Int8(value) }
        decodeTable = table
    }

    /// RFC 4648 §4 standard base64 (`+`, `/`, padded).
    static let standard = Base64Alphabet("+", "/", padded: true)
    /// RFC 4648 §5 URL-safe base64 (`-`, `_`), without padding.
    static let urlSafe = Base64Alphabet("-", "_", padded: false)
    /// passlib's "ab64": standard base64 with `.` for `+` and no padding; decoding also accepts `+`.
    static let ab64 = Base64Alphabet(".", "/", padded: false, alsoDecode: [("+", 62)])
}

/// Base64 encoding and decoding over a chosen ``Base64Alphabet`` (Foundation-free).
enum Base64 {
    /// Encodes `bytes` with `alphabet`.
    static func encode(_ bytes: some Collection<UInt8>, alphabet: Base64Alphabet) -> String {
        let input = Array(bytes)
        let s = alphabet.symbols
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out += [s[Int(n >> 18 & 63)], s[Int(n >> 12 & 63)], s[Int(n >> 6 & 63)], s[Int(n & 63)]]
            i += 3
        }
        switch input.count - i {
        case 1:
            let n = UInt32(input[i]) << 16
            out += [s[Int(n >> 18 & 63)], s[Int(n >> 12 & 63)]]
            if alphabet.padded { out += [UInt8(ascii: "="), UInt8(ascii: "=")] }
        case 2:
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out += [s[Int(n >> 18 & 63)], s[Int(n >> 12 & 63)], s[Int(n >> 6 & 63)]]
            if alphabet.padded { out.append(UInt8(ascii: "=")) }
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `text` with `alphabet`; returns nil on any invalid symbol or length.
    /// Padding is required for padded alphabets and rejected otherwise.
    static func decode(_ text: some StringProtocol, alphabet: Base64Alphabet) -> [UInt8]? {
        var chars = Array(text.utf8)
        if alphabet.padded {
            guard chars.count % 4 == 0 else { return nil }
            var pad = 0
            while pad < 2, chars.last == UInt8(ascii: "=") { chars.removeLast(); pad += 1 }
        }
        guard chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            let v = alphabet.decodeTable[Int(c)]
            guard v >= 0 else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}
