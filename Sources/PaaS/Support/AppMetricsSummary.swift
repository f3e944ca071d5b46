import Foundation
import JSONRPC

/// The current load of a cloud app for the list and detail answers, `{cpu, ram, storage}` in
/// percent of what its template allocates. `cpu` and `ram` are the live reading of
/// ``AppMetricsSeries`` — the last point of the metrics route's `1h` series, rounded — so the two
/// agree; `storage` is a steady per-app fill level. An app that is not running uses nothing.
enum AppMetricsSummary {
    static func current(appID: Int64, status: String, template: JSONObject?, now: Double = Date.now.timeIntervalSince1970) -> JSONValue {
        guard status == "running" else { return ["cpu": 0, "ram": 0, "storage": 0] }
        let specs = AppResourceSpecs(template: template)
        let reading = AppMetricsSeries.live(model: AppLoadModel(appID: appID, specs: specs), running: true, now: now)
        // Storage grows slowly and does not jitter from minute to minute.
        let storage = 10 + Int(AppLoadModel.mix(UInt64(bitPattern: appID &* 7919)) % 50)
        return [
            "cpu": JSONValue(Int(reading.cpu.rounded())),
            "ram": JSONValue(Int((reading.ramMB / specs.ramMB * 100).rounded())),
            "storage": JSONValue(storage),
        ]
    }
}
