import Foundation

/// The simulated load of a running app: deterministic values derived from the app id, the bucket
/// and the template's specs — a per-app base load, a daily curve (busier in the app's daytime)
/// and a cheap hash-based jitter that shrinks for longer buckets (they average more). The same
/// inputs always give the same reading; no state is stored.
///
/// Units and bounds: `cpu` in percent of the allocated vCPUs (1–100), `ramMB` in MB (5–95 % of the
/// allocated RAM), disk read/write and network in/out in KB/s, `connections` a count.
public struct AppLoadModel: Sendable {
    /// One reading of every metric for a fully running bucket.
    public struct Reading: Sendable, Hashable {
        public var cpu: Double
        public var ramMB: Double
        public var diskRead: Double
        public var diskWrite: Double
        public var networkIn: Double
        public var networkOut: Double
        public var connections: Double

        /// Every value scaled by `fraction` (the share of the bucket the app was running).
        public func scaled(by fraction: Double) -> Reading {
            Reading(
                cpu: cpu * fraction, ramMB: ramMB * fraction, diskRead: diskRead * fraction, diskWrite: diskWrite * fraction,
                networkIn: networkIn * fraction, networkOut: networkOut * fraction, connections: connections * fraction)
        }

        /// All zeros: an app that is not running uses nothing.
        public static let idle = Reading(cpu: 0, ramMB: 0, diskRead: 0, diskWrite: 0, networkIn: 0, networkOut: 0, connections: 0)
    }

    public let appID: Int64
    public let specs: AppResourceSpecs

    public init(appID: Int64, specs: AppResourceSpecs) {
        self.appID = appID
        self.specs = specs
    }

    /// The reading of the bucket starting at `start` (Unix seconds) lasting `resolution` seconds,
    /// for an app running throughout it.
    public func reading(bucket start: Int64, resolution: Int64) -> Reading {
        let busy = unit(salt: 1)
        let midday = Double(start) + Double(resolution) / 2
        // 0.4 at the app's night, 1.0 at its peak; each app peaks at its own hour.
        let hour = (midday / 3600).truncatingRemainder(dividingBy: 24)
        let daily = 0.7 + 0.3 * sin(2 * Double.pi * (hour - 8 - 6 * unit(salt: 2)) / 24)
        let spread = resolution <= 60 ? 0.3 : resolution <= 900 ? 0.2 : resolution <= 3600 ? 0.12 : 0.08
        func jitter(_ salt: Int64) -> Double { 1 + spread * (2 * unit(salt: salt, bucket: start) - 1) }

        let cpu = min(100, max(1, (8 + 40 * busy) * daily * jitter(11)))
        let ramShare = min(0.95, max(0.05, 0.3 + 0.35 * busy + 0.15 * (daily - 0.7) + 0.05 * (jitter(12) - 1) / spread))
        let disk = (40 + 400 * busy) * (specs.storageGB / 10).squareRoot() * daily
        let network = (20 + 300 * busy) * specs.cpus * daily
        return Reading(
            cpu: cpu, ramMB: specs.ramMB * ramShare,
            diskRead: disk * jitter(13), diskWrite: 0.6 * disk * jitter(14),
            networkIn: network * jitter(15), networkOut: 1.8 * network * jitter(16),
            connections: (3 + 30 * busy) * specs.cpus * daily * jitter(17))
    }

    /// A hash of (app, salt, bucket) spread over [0, 1).
    private func unit(salt: Int64, bucket: Int64 = 0) -> Double {
        let key = Self.mix(Self.mix(UInt64(bitPattern: appID) &* 1_000_003 &+ UInt64(bitPattern: salt)) &+ UInt64(bitPattern: bucket))
        return Double(key >> 11) / Double(UInt64(1) << 53)
    }

    /// SplitMix64's finaliser: a well-spread deterministic hash of one integer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
