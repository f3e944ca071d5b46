/// A practical check of an e-mail address (the dot-atom form of RFC 5322 used by real
/// mailboxes): a local part of at most 64 characters among letters, digits and
/// ``localCharacters``, without leading, trailing or doubled dots; a domain of at least two
/// labels (letters, digits, inner dashes, at most 63 characters each) ending in an alphabetic
/// top-level label; 254 characters at most. Quoted local parts and IP literals are refused.
public enum EmailSyntax {
    /// Punctuation allowed in the local part besides the dot.
    public static let localCharacters = Set("!#$%&'*+/=?^_`{|}~-")

    /// Whether `address` is acceptable.
    public static func isValid(_ address: String) -> Bool {
        guard address.count <= 254, address.unicodeScalars.allSatisfy(\.isASCII) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard (1...64).contains(local.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return false
        }
        guard local.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || localCharacters.contains($0) }) else {
            return false
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            else { return false }
        }
        let top = labels.last!
        return top.count >= 2 && top.allSatisfy(\.isLetter)
    }
}
