import Foundation
import JSONRPC

/// The time series of the metrics route, computed from the load model and the status history.
///
/// Each bucket that has ended is the average over the bucket: the model's reading scaled by the
/// share of the bucket the app was running (so a bucket in which it was stopped throughout is all
/// zeros, and the one in which it stopped is prorated). The last point is the bucket in progress,
/// read live: the model's reading if the app is running now, zeros otherwise. The list and detail
/// `metrics` summary is that live reading at the minute resolution — the last point of `1h`.
public enum AppMetricsSeries {
    /// One point of every series.
    public struct Point: Sendable, Hashable {
        /// The bucket's start, Unix seconds.
        public var start: Int64
        public var reading: AppLoadModel.Reading
    }

    /// The points of `period` ending with the bucket that holds `now`, oldest first, values rounded
    /// as the API shows them.
    public static func points(period: MetricsPeriod, model: AppLoadModel, history: AppStatusHistory, now: Double) -> [Point] {
        let resolution = period.resolution
        return period.bucketStarts(now: now).map { start in
            let end = Double(start + resolution)
            let fraction = end > now
                ? (history.isRunning(at: now) ? 1 : 0)
                : history.runningFraction(from: Double(start), to: end)
            let reading = fraction > 0 ? model.reading(bucket: start, resolution: resolution).scaled(by: fraction) : .idle
            return Point(start: start, reading: rounded(reading))
        }
    }

    /// The live reading of an app whose status is `status` now: what the last point of `1h` shows.
    public static func live(model: AppLoadModel, running: Bool, now: Double) -> AppLoadModel.Reading {
        guard running else { return .idle }
        let minute = Int64((now / 60).rounded(.down)) * 60
        return rounded(model.reading(bucket: minute, resolution: 60))
    }

    /// `{period, resolution, resolution_seconds, units, limits, cpu, ram, disk_io: {read, write},
    /// network: {in, out}, connections}`, each series a list of `{timestamp, value}`.
    public static func json(period: MetricsPeriod, specs: AppResourceSpecs, points: [Point]) -> JSONValue {
        func series(_ value: (AppLoadModel.Reading) -> Double) -> JSONValue {
            .array(points.map { ["timestamp": .string(timestamp($0.start)), "value": number(value($0.reading))] })
        }
        return [
            "period": .string(period.rawValue),
            "resolution": .string(period.resolutionLabel),
            "resolution_seconds": JSONValue(period.resolution),
            "units": ["cpu": "percent", "ram": "MB", "disk_io": "KB/s", "network": "KB/s", "connections": "count"],
            "limits": ["cpu": 100, "ram": number(specs.ramMB.rounded())],
            "cpu": series(\.cpu),
            "ram": series(\.ramMB),
            "disk_io": ["read": series(\.diskRead), "write": series(\.diskWrite)],
            "network": ["in": series(\.networkIn), "out": series(\.networkOut)],
            "connections": series(\.connections),
        ]
    }

    /// `"2026-03-01T10:15:00Z"`.
    static func timestamp(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(seconds)).ISO8601Format()
    }

    /// Whole numbers as integers, others with their one decimal.
    static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? JSONValue(Int64(value)) : JSONValue(value)
    }

    /// Percentages, disk and network to a tenth; RAM in whole MB; connections whole.
    static func rounded(_ reading: AppLoadModel.Reading) -> AppLoadModel.Reading {
        func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }
        return AppLoadModel.Reading(
            cpu: tenth(reading.cpu), ramMB: reading.ramMB.rounded(), diskRead: tenth(reading.diskRead),
            diskWrite: tenth(reading.diskWrite), networkIn: tenth(reading.networkIn), networkOut: tenth(reading.networkOut),
            connections: reading.connections.rounded())
    }
}
