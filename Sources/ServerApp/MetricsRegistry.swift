import Metrics
import Prometheus

/// The process-wide Prometheus registry, bootstrapped into swift-metrics once.
public enum MetricsRegistry {
    /// The registry; the first access bootstraps `MetricsSystem` (which may happen only once per process).
    public static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The Prometheus text exposition of every metric.
    public static func render() -> String {
        var buffer: [UInt8] = []
        shared.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
