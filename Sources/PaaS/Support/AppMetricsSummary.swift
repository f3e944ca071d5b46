import Foundation
import JSONRPC

/// The current load of a cloud app, `{cpu, ram, storage}` in percent of what its template
/// allocates. The numbers are derived deterministically from the app and the current minute, so
/// two calls in the same minute agree; an app that is not running uses nothing.
enum AppMetricsSummary {
    static func current(appID: Int64, status: String, template: JSONObject?, now: Double = Date.now.timeIntervalSince1970) -> JSONValue {
        guard status == "running" else { return ["cpu": 0, "ram": 0, "storage": 0] }
        let minute = Int64(now / 60)
        func percent(_ salt: Int64, base: Int, spread: Int) -> JSONValue {
            let noise = Int(truncatingIfNeeded: mix(appID &* 1_000_003 &+ minute &* 31 &+ salt) % UInt64(spread))
            return JSONValue(base + noise)
        }
        // Storage grows slowly and does not jitter from minute to minute.
        let storage = 10 + Int(mix(appID &* 7919) % 50)
        return ["cpu": percent(1, base: 5, spread: 40), "ram": percent(2, base: 25, spread: 45), "storage": JSONValue(storage)]
    }

    /// SplitMix64: a well-spread deterministic hash of one integer.
    static func mix(_ value: Int64) -> UInt64 {
        var z = UInt64(bitPattern: value) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
