import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import PostgresDriver
import ServerApp
import Testing
import TestSupport
import WebAPI

/// `/health`, `/metrics` and request ids.
@Suite("Operations: health, metrics, request ids")
struct OperationsTests {
    @Test func healthIsOKWithTheDatabase() async throws {
        let app = try await TestApp.make("health")
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try response.json
            #expect(json["status"] == "ok")
            #expect(json["database"] == "ok")
        }
        await app.shutdown()
    }

    @Test func healthIs503WhenTheDatabaseIsUnreachable() async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, logLevel: .warning)
        configuration.identity.passwordRounds = 1000
        let unreachable = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: "host=/nonexistent/woow-no-such-socket-dir port=5432 dbname=woow user=postgres",
                maximumConnections: 2, connectTimeout: .seconds(2), leaseTimeout: .seconds(2),
                retry: .init(maximumAttempts: 1)),
            logger: TestPostgres.logger)
        let services = WoowApplication.makeServices(
            configuration: configuration, database: unreachable, databaseName: "woow", logger: TestPostgres.logger)
        let application = WoowApplication.makeApplication(
            configuration: configuration, router: WoowApplication.makeRouter(services: services, configuration: configuration),
            logger: TestPostgres.logger)
        try await application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            let json = try response.json
            #expect(json["status"] == "error")
            #expect(json["database"] == "unavailable")
            #expect(!String(buffer: response.body).contains("nonexistent"), "no connection details in the answer")
            // Routes that need no database still answer.
            let version = try await client.jsonCall("/web/webclient/version_info")
            #expect(try version.json["result"]?["server_version"] == "18.0")
            // A login fails cleanly, in the Odoo shape, without internals.
            let login = try await client.jsonCall(
                "/web/session/authenticate", params: ["db": "woow", "login": "admin", "password": "admin"])
            let data = try expectOdooError(login, code: 200, name: "odoo.exceptions.UserError")
            #expect(data["message"]?.stringValue?.contains("nonexistent") == false)
            // The application API answers a 503 envelope.
            let me = try await client.execute(
                uri: "/paas/api/v1/user/me", method: .get,
                headers: [.cookie: "session_id=\(String(repeating: "a", count: 84))"])
            #expect(me.status == .serviceUnavailable)
            #expect(try me.json["success"] == false)
        }
        await unreachable.close()
    }

    @Test func metricsArePrometheusText() async throws {
        let app = try await TestApp.make("metrics")
        try await app.application().test(.router) { client in
            _ = try await client.execute(uri: "/health", method: .get)
            _ = try await client.jsonCall("/web/webclient/version_info")
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("hb_requests"), "\(text.prefix(500))")
            #expect(text.contains("# TYPE"))
            // Every sample line is `name{labels} value` or `name value`.
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.split(separator: " ").count >= 2, "not a sample: \(line)")
            }
        }
        await app.shutdown()
    }

    /// The metrics docs/api.md lists are the ones `/metrics` exposes, with the documented types.
    @Test func theDocumentedMetricsExist() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let section = try #require(guide.range(of: "### `GET /metrics`")).upperBound
        let documented: [(name: String, type: String)] = guide[section...].split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { return nil }
            return (String(cells[0].dropFirst().dropLast()), cells[1])
        }
        #expect(documented.count == 4, "\(documented)")
        let app = try await TestApp.make("metricsdoc")
        try await app.application().test(.router) { client in
            _ = try await client.execute(uri: "/health", method: .get)
            _ = try await client.execute(uri: "/no/such/page", method: .get)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            for metric in documented {
                #expect(text.contains("# TYPE \(metric.name) \(metric.type)\n"), "\(metric.name) (\(metric.type)) is not in /metrics")
            }
        }
        await app.shutdown()
    }

    @Test func everyAnswerCarriesARequestID() async throws {
        let app = try await TestApp.make("requestid") { $0.maxBodySize = 2048 }
        try await app.application().test(.router) { client in
            let answers: [TestResponse] = [
                try await client.execute(uri: "/health", method: .get),
                try await client.execute(uri: "/metrics", method: .get),
                try await client.jsonCall("/web/webclient/version_info"),
                try await client.authenticate(app, password: "wrong"),
                try await client.execute(uri: "/web/session/logout", method: .get),
                try await client.execute(uri: "/web/session/authenticate", method: .post, headers: [.contentType: "text/plain"]),
                try await client.execute(uri: "/paas/api/v1/user/me", method: .get),
                try await client.execute(uri: "/paas/api/v1/nope", method: .get),
                try await client.execute(uri: "/no/such/page", method: .get),
                try await client.execute(uri: "/health", method: .post, headers: .json(), body: ByteBuffer(string: "{}")),
                try await client.execute(
                    uri: "/paas/api/v1/user/me", method: .post, headers: .json(),
                    body: ByteBuffer(string: String(repeating: " ", count: 4096))),
            ]
            var ids: Set<String> = []
            for answer in answers {
                let id = answer.headers[.xRequestID]
                #expect(id?.isEmpty == false, "status \(answer.status) without X-Request-ID")
                if let id { ids.insert(id) }
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            #expect(ids.count == answers.count, "request ids are unique")
        }
        await app.shutdown()
    }

    @Test func aWellFormedIncomingRequestIDIsEchoed() async throws {
        let app = try await TestApp.make("requestidecho")
        try await app.application().test(.router) { client in
            let echoed = try await client.execute(
                uri: "/health", method: .get, headers: [.xRequestID: "trace-0123_ABC"])
            #expect(echoed.headers[.xRequestID] == "trace-0123_ABC")
            let rpc = try await client.jsonCall(
                "/web/webclient/version_info", headers: [.xRequestID: "b7f1c2d4-9a8e-4f3b-8c6d-1e2f3a4b5c6d"])
            #expect(rpc.headers[.xRequestID] == "b7f1c2d4-9a8e-4f3b-8c6d-1e2f3a4b5c6d")
            // Anything else is replaced by a generated id (no header or log injection).
            for hostile in ["a b", "<script>", String(repeating: "x", count: 65), "id;drop", "x\u{7F}y"] {
                let response = try await client.execute(uri: "/health", method: .get, headers: [.xRequestID: hostile])
                let id = try #require(response.headers[.xRequestID])
                #expect(id != hostile)
                #expect(!id.isEmpty)
            }
        }
        await app.shutdown()
    }
}
