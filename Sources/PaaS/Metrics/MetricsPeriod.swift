/// A period of the app metrics route and the resolution it is shown at: the last hour by the
/// minute, the last day by the quarter hour, the last week by the hour, the last 30 days by six
/// hours. Buckets are aligned to multiples of the resolution since the Unix epoch (UTC), so two
/// calls in the same bucket see the same timestamps.
public enum MetricsPeriod: String, Sendable, CaseIterable {
    case hour = "1h"
    case day = "24h"
    case week = "7d"
    case month = "30d"

    /// The period when none is asked for.
    public static let standard = MetricsPeriod.day

    /// The length of one bucket, in seconds.
    public var resolution: Int64 {
        switch self {
        case .hour: 60
        case .day: 15 * 60
        case .week: 3600
        case .month: 6 * 3600
        }
    }

    /// The resolution as the API names it.
    public var resolutionLabel: String {
        switch self {
        case .hour: "1m"
        case .day: "15m"
        case .week: "1h"
        case .month: "6h"
        }
    }

    /// How many points a series has: the period divided by the resolution (60, 96, 168, 120).
    public var points: Int {
        switch self {
        case .hour: 60
        case .day: 96
        case .week: 168
        case .month: 120
        }
    }

    /// The bucket starts (Unix seconds) of the period ending with the bucket that holds `now`,
    /// oldest first.
    public func bucketStarts(now: Double) -> [Int64] {
        let current = Int64((now / Double(resolution)).rounded(.down)) * resolution
        return (0..<Int64(points)).map { current - (Int64(points) - 1 - $0) * resolution }
    }
}
