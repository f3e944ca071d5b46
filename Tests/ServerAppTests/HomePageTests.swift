import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
import WebAPI

/// `/`, `/web` and `/odoo` answer a page that says what the server is, and logging out lands on it.
@Suite("Home page")
struct HomePageTests {
    @Test func theHomePathsAnswerAPageAboutTheServer() async throws {
        let app = try await TestApp.make("home")
        try await app.application().test(.router) { client in
            for path in HomePageRoutes.paths {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                let page = String(buffer: response.body)
                #expect(page.contains("<title>Woow"), "\(path)")
                #expect(page.contains("WoowTech PaaS"))
                #expect(page.contains(#"<a href="/health">"#))
                #expect(page.contains("docs/api.md"))
                // Every link on the page answers.
                for link in page.split(separator: "href=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
                    #expect(try await client.execute(uri: link, method: .get).status == .ok, "\(link)")
                }
            }
            // Other paths still answer 404.
            #expect(try await client.execute(uri: "/web/nothing", method: .get).status == .notFound)
        }
        await app.shutdown()
    }

    @Test func loggingOutLandsOnAPageThatExists() async throws {
        let app = try await TestApp.make("homelogout")
        try await app.application().test(.router) { client in
            let session = try await client.login(app)
            let logout = try await client.execute(
                uri: "/web/session/logout", method: .get, headers: [.cookie: "session_id=\(session)"])
            #expect(logout.status == .seeOther)
            let target = try #require(logout.headers[.location])
            #expect(target == "/")
            #expect(try await client.execute(uri: target, method: .get).status == .ok)
        }
        await app.shutdown()
    }
}
