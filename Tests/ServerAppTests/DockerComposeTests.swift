import Foundation
import Testing
import Yams

/// `docker-compose.yml` at the repository root: PostgreSQL 15 with a health check, and Woow built
/// from the Dockerfile, started once the database is healthy, with its own health check on `/health`.
@Suite("Deployment: docker-compose.yml")
struct DockerComposeTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> [String: Any] {
        let url = repositoryRoot.appendingPathComponent("docker-compose.yml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "docker-compose.yml is not a mapping")
    }

    /// A health check's `test` as one string (list or shell form).
    static func healthcheckCommand(_ service: [String: Any]) -> String? {
        guard let healthcheck = service["healthcheck"] as? [String: Any] else { return nil }
        if let list = healthcheck["test"] as? [Any] { return list.map { "\($0)" }.joined(separator: " ") }
        return healthcheck["test"] as? String
    }

    @Test func theDatabaseServiceIsPostgres15WithAHealthCheck() throws {
        let services = try #require(try Self.load()["services"] as? [String: Any])
        let db = try #require(services["db"] as? [String: Any], "no `db` service")
        let image = try #require(db["image"] as? String)
        #expect(image == "postgres:15" || image.hasPrefix("postgres:15-") || image.hasPrefix("postgres:15."), "\(image)")
        let check = try #require(Self.healthcheckCommand(db), "the db service needs a healthcheck")
        #expect(check.contains("pg_isready"), "\(check)")
    }

    @Test func theWoowServiceIsBuiltFromTheDockerfileAndWaitsForAHealthyDatabase() throws {
        let services = try #require(try Self.load()["services"] as? [String: Any])
        let woow = try #require(services["woow"] as? [String: Any], "no `woow` service")
        // build: "." or {context, dockerfile}; the Dockerfile must exist.
        let context: String
        var dockerfile = "Dockerfile"
        if let build = woow["build"] as? String {
            context = build
        } else {
            let build = try #require(woow["build"] as? [String: Any], "woow must be built, not pulled")
            context = build["context"] as? String ?? "."
            dockerfile = build["dockerfile"] as? String ?? "Dockerfile"
        }
        let dockerfileURL = Self.repositoryRoot.appendingPathComponent(context).appendingPathComponent(dockerfile)
        #expect(FileManager.default.fileExists(atPath: dockerfileURL.path), "\(dockerfileURL.path) is missing")
        #expect(dockerfile.hasSuffix("Dockerfile"))

        let dependsOn = try #require(woow["depends_on"] as? [String: Any], "depends_on must be the long form")
        let db = try #require(dependsOn["db"] as? [String: Any])
        #expect(db["condition"] as? String == "service_healthy")

        let check = try #require(Self.healthcheckCommand(woow), "the woow service needs a healthcheck")
        #expect(check.contains("/health"), "\(check)")

        // The server must reach the compose database, not start its own embedded cluster.
        let environment = woow["environment"]
        let url: String? =
            (environment as? [String: Any])?["WOOW_DATABASE_URL"].map { "\($0)" }
            ?? (environment as? [String])?.first { $0.hasPrefix("WOOW_DATABASE_URL=") }
        #expect(url?.contains("@db") == true, "WOOW_DATABASE_URL should point at the db service: \(url ?? "unset")")
    }
}
