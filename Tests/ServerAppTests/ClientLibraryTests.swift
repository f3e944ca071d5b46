import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

/// The real Odoo client libraries from PyPI (odoorpc 0.10.1, odoo-client-lib 2.0.1 and Python's
/// xmlrpc.client) against a live server: `scripts/test` installs them in a virtualenv and sets
/// `WOOW_CLIENT_PYTHON` to its interpreter.
@Suite("Odoo client libraries against a live server")
struct ClientLibraryTests {
    static let python = ProcessInfo.processInfo.environment["WOOW_CLIENT_PYTHON"]

    @Test(.enabled(if: python != nil, "WOOW_CLIENT_PYTHON is not set: run the suite with scripts/test"))
    func odoorpcAndOdooClientLibWork() async throws {
        let app = try await TestApp.make("clients")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("client-libraries/odoo_clients.py").path
        try await app.application().test(.live) { client in
            let port = try #require(client.port)
            let (status, output) = try await ProcessRunner.run(
                [Self.python!, script, String(port), app.database.name, "admin", "admin"])
            #expect(status == 0, "client libraries failed:\n\(output)")
            #expect(output.contains(" passed, 0 failed"), "\(output)")
        }
        await app.shutdown()
    }
}
