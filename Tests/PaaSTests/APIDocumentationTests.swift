import Foundation
import PaaS
import ServerApp
import Testing
import TestSupport
import WebAPI
import Yams

/// `docs/openapi.yaml` is a valid OpenAPI 3 document (checked by `openapi-spec-validator`) that
/// describes exactly the routes the server has, and `docs/api*` documents every route.
@Suite("PaaS: the API documents match the routes")
struct APIDocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = ProcessInfo.processInfo.environment["WOOW_CLIENT_PYTHON"]

    /// `"GET /workspaces/{workspace_id}"` for every application route.
    static func routes() throws -> Set<String> {
        let registry = try WoowApplication.makeRegistry(configuration: ServerConfiguration())
        let envelopeRoutes = PaaSModule.routes(registry: registry, configuration: PaaSConfiguration()).map {
            "\($0.method.rawValue) \($0.path)"
        }
        // The avatar image is a plain HTTP route (bytes, not the envelope) under the same prefix.
        return Set(envelopeRoutes + ["GET " + AvatarRoute.path.replacingOccurrences(of: "/paas/api/v1", with: "")])
    }

    @Test func openAPIDescribesEveryRouteAndNoOther() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any])?.keys ?? [:].keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let routes = try Self.routes()
        #expect(routes.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
        #expect(documented.subtracting(routes).sorted() == [], "docs/openapi.yaml describes routes the server does not have")
    }

    @Test func theAPIGuideNamesEveryRoute() throws {
        var guide = try String(contentsOf: Self.root.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let folder = Self.root.appendingPathComponent("docs/api")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix(".md") {
            guide += try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        let missing = try Self.routes().filter { route in
            let parts = route.split(separator: " ", maxSplits: 1)
            return !guide.contains("`\(parts[0]) /paas/api/v1\(parts[1])")
        }
        #expect(missing.sorted() == [], "routes without a section in docs/api.md or docs/api/*.md")
    }

    @Test(.enabled(if: python != nil, "WOOW_CLIENT_PYTHON is not set: run the suite with scripts/test"))
    func openAPIIsAValidDocument() async throws {
        let script = """
            import sys, yaml
            from openapi_spec_validator import validate
            validate(yaml.safe_load(open(sys.argv[1])))
            print("valid")
            """
        let result = try await ProcessRunner.run([Self.python!, "-c", script, Self.root.appendingPathComponent("docs/openapi.yaml").path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("valid"))
    }
}
