/// The statuses an app went through (`woow_app_status_change`, written by a trigger on
/// `woow_cloud_app`), as the spans during which it was running, and how much of a bucket each
/// covers. Before its first recorded change an app did not exist, so it was not running.
public struct AppStatusHistory: Sendable {
    /// One recorded change: the status entered at `time` (Unix seconds).
    public struct Change: Sendable, Hashable {
        public var time: Double
        public var status: String

        public init(time: Double, status: String) {
            self.time = time
            self.status = status
        }
    }

    /// The running spans `[start, end)`, in time order; `end` is `.infinity` while still running.
    public private(set) var runningSpans: [(start: Double, end: Double)] = []

    /// The history of `changes` given oldest first (ties in recording order).
    public init(_ changes: [Change]) {
        var openedAt: Double?
        for change in changes {
            let running = change.status == "running"
            if running, openedAt == nil {
                openedAt = change.time
            } else if !running, let start = openedAt {
                if change.time > start { runningSpans.append((start, change.time)) }
                openedAt = nil
            }
        }
        if let start = openedAt { runningSpans.append((start, .infinity)) }
    }

    /// Whether the app was running at `time`.
    public func isRunning(at time: Double) -> Bool {
        runningSpans.contains { $0.start <= time && time < $0.end }
    }

    /// The share of `[start, end)` during which the app was running, in [0, 1].
    public func runningFraction(from start: Double, to end: Double) -> Double {
        guard end > start else { return 0 }
        var covered = 0.0
        for span in runningSpans where span.end > start && span.start < end {
            covered += min(span.end, end) - max(span.start, start)
        }
        return min(1, covered / (end - start))
    }
}
