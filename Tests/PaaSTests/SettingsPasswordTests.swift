import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/settings/password` and `/settings/notifications` over both transports.
@Suite("PaaS: settings password and notifications")
struct SettingsPasswordTests {
    /// Whether `/web/session/authenticate` accepts the credentials.
    static func canLogIn(_ api: APIClient, _ login: String, _ password: String) async throws -> Bool {
        let response = try await api.client.execute(
            uri: "/web/session/authenticate", method: .post, headers: .json(),
            body: RPCBody.call(["db": .string(api.app.database.name), "login": .string(login), "password": .string(password)]))
        return response.sessionCookie != nil
    }

    @Test(arguments: Transport.allCases) func changingThePasswordEndsEveryOtherSession(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("password-change")
        try await fixture.test { api in
            let current = try await api.login("manager")
            let other = try await api.login("manager")
            let bystander = try await api.login("member")
            let answer = try await api.call(
                .put, "/settings/password", ["current_password": "manager", "new_password": "n3w secret"], session: current,
                via: via)
            #expect(answer.expectSuccess()["message"] == "Password changed successfully")

            try await api.call(.get, "/user/me", session: other, via: via).expectSessionExpired()
            #expect(try await api.call(.get, "/user/me", session: current, via: via).expectSuccess()["name"] == "Marc Demo")
            #expect(try await api.call(.get, "/user/me", session: bystander, via: via).success)
            #expect(try await Self.canLogIn(api, "manager", "n3w secret"))
            #expect(try await !Self.canLogIn(api, "manager", "manager"))
            let stored = try await fixture.scalar("SELECT password FROM res_users WHERE login = 'manager'", as: String.self)
            #expect(stored.hasPrefix("$pbkdf2-sha512$"))
            let activity = try await fixture.scalar(
                "SELECT action || ':' || target FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self)
            #expect(activity == "changed password:Marc Demo")

            // The kept session can change it again (it is bound to the new credentials).
            try await api.call(
                .put, "/settings/password", ["current_password": "n3w secret", "new_password": "third-pass"], session: current,
                via: via
            ).expectSuccess()
            #expect(try await Self.canLogIn(api, "manager", "third-pass"))
        }
    }

    @Test(arguments: Transport.allCases) func weakOrWrongPasswordsAreRefusedAndChangeNothing(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("password-refused")
        try await fixture.test { api in
            let session = try await api.login("member")
            let other = try await api.login("member")
            let cases: [(JSONValue, String)] = [
                (["current_password": "member", "new_password": "short1"], "new_password"),
                (["current_password": "member", "new_password": "1234567890"], "new_password"),
                (["current_password": "memberpass", "new_password": "memberpass"], "new_password"),
                (["current_password": "member"], "new_password"),
                (["new_password": "long enough"], "current_password"),
                (["current_password": "member", "new_password": 12_345_678], "new_password"),
                (["current_password": "member", "new_password": "long enough", "uid": 1], "uid"),
            ]
            for (body, field) in cases {
                let answer = try await api.call(.put, "/settings/password", body, session: session, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.contains { $0["field"] == .string(field) } == true, "\(body)")
            }
            let wrong = try await api.call(
                .put, "/settings/password", ["current_password": "not-it", "new_password": "long enough"], session: session, via: via)
            wrong.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(wrong.envelope?["details"]?[0]?["field"] == "current_password")
            #expect(wrong.envelope?["details"]?[0]?["message"] == "is incorrect")

            #expect(try await Self.canLogIn(api, "member", "member"))
            #expect(try await api.call(.get, "/user/me", session: other, via: via).success)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE action = 'changed password'", as: Int.self) == 0)
            try await api.call(.put, "/settings/password", ["current_password": "member", "new_password": "long enough"], session: nil, via: via)
                .expectSessionExpired()
        }
    }

    @Test(arguments: Transport.allCases) func notificationPreferencesArePerUser(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("notifications")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let member = try await api.login("member")
            let defaults: JSONValue = [
                "email_alerts": true, "push_notifications": true, "billing_alerts": true, "security_alerts": true,
                "weekly_report": false,
            ]
            #expect(try await api.call(.get, "/settings/notifications", session: admin, via: via).expectSuccess() == defaults)

            let updated = try await api.call(
                .put, "/settings/notifications", ["weekly_report": true, "email_alerts": false], session: admin, via: via)
            #expect(updated.expectSuccess()["message"] == "Notification settings updated")
            let after = try await api.call(.get, "/settings/notifications", session: admin, via: via).expectSuccess()
            #expect(after["weekly_report"] == true)
            #expect(after["email_alerts"] == false)
            #expect(after["push_notifications"] == true)
            #expect(try await api.call(.get, "/settings/notifications", session: member, via: via).expectSuccess() == defaults)

            for bad: JSONValue in [
                [:], ["weekly_report": "true"], ["weekly_report": 1], ["weekly_report": nil], ["sms_alerts": true],
                ["billing_alerts": false, "email_alerts": "no"],
            ] {
                try await api.call(.put, "/settings/notifications", bad, session: admin, via: via)
                    .expect(code: "VALIDATION_ERROR", status: .badRequest)
            }
            #expect(try await api.call(.get, "/settings/notifications", session: admin, via: via).expectSuccess() == after)
            try await api.call(.get, "/settings/notifications", session: nil, via: via).expectSessionExpired()
            try await api.call(.put, "/settings/notifications", ["weekly_report": true], session: nil, via: via).expectSessionExpired()
        }
    }
}
