import JSONRPC

/// What a template allocates to an app, read from its spec strings (`"2 vCPU"`, `"4 GB"`,
/// `"512 MB"`, `"40 GB"`). A spec that cannot be read falls back to 1 vCPU, 1 GB RAM, 10 GB storage.
public struct AppResourceSpecs: Sendable, Hashable {
    /// Virtual CPUs.
    public var cpus: Double
    /// RAM in MB.
    public var ramMB: Double
    /// Storage in GB.
    public var storageGB: Double

    public init(cpus: Double, ramMB: Double, storageGB: Double) {
        self.cpus = cpus
        self.ramMB = ramMB
        self.storageGB = storageGB
    }

    /// The specs of the template's spec strings.
    public init(cpu: String?, ram: String?, storage: String?) {
        cpus = Self.quantity(cpu).map { $0.value } ?? 1
        ramMB = Self.megabytes(ram) ?? 1024
        storageGB = Self.megabytes(storage).map { $0 / 1024 } ?? 10
    }

    /// The specs of a template row (`cpu`, `ram`, `storage` fields); defaults without a template.
    public init(template: JSONObject?) {
        self.init(cpu: template?["cpu"]?.stringValue, ram: template?["ram"]?.stringValue, storage: template?["storage"]?.stringValue)
    }

    /// `"512 MB"` → 512, `"4 GB"` → 4096, `"1 TB"` → 1048576; a bare number is GB.
    static func megabytes(_ text: String?) -> Double? {
        guard let (value, unit) = quantity(text) else { return nil }
        switch unit {
        case "mb", "mib": return value
        case "tb", "tib": return value * 1024 * 1024
        case "gb", "gib", "": return value * 1024
        default: return nil
        }
    }

    /// The leading positive number of `text` and the lowercased word after it.
    static func quantity(_ text: String?) -> (value: Double, unit: String)? {
        guard let text else { return nil }
        let trimmed = text.drop { $0 == " " }
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        let unit = trimmed.dropFirst(number.count).drop { $0 == " " }.prefix { $0.isLetter }.lowercased()
        return (value, unit)
    }
}
