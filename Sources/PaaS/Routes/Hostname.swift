/// Validation of a custom domain name (RFC 1123 host names).
///
/// A valid name is lower-cased, at most 253 characters, has at least two dot-separated labels of
/// 1–63 letters, digits and hyphens (no leading or trailing hyphen), a top-level label that is not
/// all digits (so no IPv4 address; IPv6 fails the character set), no trailing dot, and is neither
/// the platform's own public domain nor under it.
public enum Hostname {
    /// The normalized (lower-cased) name, or why it is refused.
    public static func validate(_ input: String, platformDomain: String) -> Result<String, Problem> {
        let name = input.lowercased()
        guard name.count <= 253 else { return .failure(.init("must be at most 253 characters")) }
        guard name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." })
        else {
            return .failure(.init("must contain only letters, digits, hyphens and dots"))
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return .failure(.init("must be a fully qualified domain name such as app.example.com")) }
        for label in labels {
            if label.isEmpty { return .failure(.init("must not contain empty labels")) }
            if label.count > 63 { return .failure(.init("labels must be at most 63 characters")) }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return .failure(.init("labels must not start or end with a hyphen"))
            }
        }
        if labels.last!.allSatisfy(\.isNumber) { return .failure(.init("must be a domain name, not an IP address")) }
        let platform = platformDomain.lowercased()
        if !platform.isEmpty, name == platform || name.hasSuffix("." + platform) {
            return .failure(.init("must not be under the platform domain \(platform)"))
        }
        return .success(name)
    }

    /// Why a name is refused (the `details[].message` of the validation error).
    public struct Problem: Error, Sendable, Hashable {
        /// The message.
        public let message: String
        init(_ message: String) { self.message = message }
    }
}
