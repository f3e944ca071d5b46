import Hummingbird
import JSONRPC
import PostgresDriver

/// `/health` for load balancers and `/metrics` for Prometheus.
public enum OperationsRoutes {
    /// Registers both routes. `renderMetrics` produces the Prometheus text exposition.
    public static func register(
        on router: Router<WoowRequestContext>, services: WebServices, renderMetrics: @escaping @Sendable () -> String
    ) {
        router.get("/health") { _, context -> Response in
            let start = ContinuousClock.now
            do {
                try await services.database.withConnection { try await $0.query("SELECT 1") }
                let elapsed = ContinuousClock.now - start
                let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                let body: JSONValue = [
                    "status": "ok", "database": "ok", "database_latency_ms": .number(JSONNumber((milliseconds * 100).rounded() / 100)),
                ]
                return .json(body.serialized())
            } catch {
                context.logger.warning("health check failed", metadata: ["error": "\(String(reflecting: error))"])
                let body: JSONValue = ["status": "error", "database": "unavailable"]
                return .json(body.serialized(), status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            .text(renderMetrics(), status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
