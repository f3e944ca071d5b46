import Foundation

/// Validation of a proxy target's host: a host name of one or more RFC 1123 labels
/// (`homeassistant`, `nas.local`, `printer.lan`), an IPv4 literal in dotted-quad form
/// (`192.168.1.20`) or an IPv6 literal, bare or in brackets (`fd00::10`, `[::1]`, which is stored
/// without brackets). Names are lower-cased. Unlike a custom domain (``Hostname``), a single label
/// and IP addresses are fine: targets usually live on the owner's local network.
enum TargetHost {
    /// The normalized host, or why it is refused.
    static func validate(_ input: String) -> Result<String, Hostname.Problem> {
        var host = input.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2 {
            host = String(host.dropFirst().dropLast())
            return isIPv6(host) ? .success(host) : .failure(.init("must be a valid IPv6 address inside brackets"))
        }
        if host.contains(":") {
            return isIPv6(host) ? .success(host) : .failure(.init("must be a host name or an IPv4 or IPv6 address"))
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
            return isIPv4(host) ? .success(host) : .failure(.init("must be a valid IPv4 address (four numbers 0–255)"))
        }
        guard host.count <= 253 else { return .failure(.init("must be at most 253 characters")) }
        guard host.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." })
        else {
            return .failure(.init("must contain only letters, digits, hyphens and dots, or be an IP address"))
        }
        for label in labels {
            if label.isEmpty { return .failure(.init("must not contain empty labels")) }
            if label.count > 63 { return .failure(.init("labels must be at most 63 characters")) }
            if label.hasPrefix("-") || label.hasSuffix("-") { return .failure(.init("labels must not start or end with a hyphen")) }
        }
        if labels.count > 1, labels.last!.allSatisfy(\.isASCIIDigit) {
            return .failure(.init("must be a host name or a valid IPv4 address"))
        }
        return .success(host)
    }

    /// Four decimal numbers 0–255 without leading zeros.
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let value = Int(part), value <= 255 else {
                return false
            }
            return part.count == 1 || part.first != "0"
        }
    }

    /// RFC 4291 text form: eight groups of 1–4 hex digits, one `::` for a run of zero groups, an
    /// optional trailing IPv4 (`::ffff:10.0.0.1`). No zone index.
    static func isIPv6(_ text: String) -> Bool {
        guard text.count <= 45, text.contains(":") else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return false }
        let all = head + tail
        var count = 0
        for (index, group) in all.enumerated() {
            if index == all.count - 1, group.contains(".") {
                guard isIPv4(group) else { return false }
                count += 2
                continue
            }
            guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
            count += 1
        }
        return halves.count == 2 ? count <= 7 : count == 8
    }
}
