import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONRPC
import NIOCore
import Testing
import TestSupport

/// `/settings/profile` and the avatar route: name and avatar updates over both transports,
/// base64 / data URL / multipart uploads checked by content and size, and who may fetch an avatar.
@Suite("PaaS: settings profile and avatars")
struct SettingsProfileTests {
    /// A real 1×1 PNG.
    static let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")!)
    /// A GIF header followed by pixels (type found from the bytes).
    static let gif = Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0, 0x3B]

    /// `GET /paas/api/v1/users/{id}/avatar` with an optional session.
    static func avatar(_ api: APIClient, user: Int64, session: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if let session { headers[.cookie] = "session_id=\(session)" }
        return try await api.client.execute(uri: "/paas/api/v1/users/\(user)/avatar?v=1", method: .get, headers: headers)
    }

    /// A REST `PUT /settings/profile` with a multipart body of text fields and one file.
    static func multipart(
        _ api: APIClient, session: String, fields: [(String, String)] = [],
        file: (field: String, filename: String, type: String, bytes: [UInt8])?
    ) async throws -> APIAnswer {
        let boundary = "----woowBoundary7MA4YWxk"
        var body: [UInt8] = Array("preamble\r\n".utf8)
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        let response = try await api.client.execute(
            uri: "/paas/api/v1/settings/profile", method: .put,
            headers: [.cookie: "session_id=\(session)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body))
        return APIAnswer(status: response.status, envelope: try response.json, rpcError: nil, headers: response.headers, transport: .rest)
    }

    @Test(arguments: Transport.allCases) func profileReadsAndUpdatesTheName(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("profile-name")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let profile = try await api.call(.get, "/settings/profile", session: admin, via: via).expectSuccess()
            #expect(profile.objectValue?.keys.sorted() == ["avatar_url", "email", "id", "name", "two_factor_enabled"])
            #expect(profile["name"] == "Mitchell Admin")
            #expect(profile["email"] == "admin@woow.example")
            #expect(profile["avatar_url"] == .null)
            #expect(profile["two_factor_enabled"] == false)

            let updated = try await api.call(.put, "/settings/profile", ["name": "  Ada Admin "], session: admin, via: via)
                .expectSuccess()
            #expect(updated["message"] == "Profile updated successfully")
            #expect(updated["avatar_url"] == .null)
            let again = try await api.call(.get, "/settings/profile", session: admin, via: via).expectSuccess()
            #expect(again["name"] == "Ada Admin")
            let me = try await api.call(.get, "/user/me", session: admin, via: via).expectSuccess()
            #expect(me["name"] == "Ada Admin")
            let action = try await fixture.scalar("SELECT action || ':' || target FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self)
            #expect(action == "updated profile:Ada Admin")

            // Another user's profile is untouched.
            let member = try await api.login("member")
            #expect(try await api.call(.get, "/settings/profile", session: member, via: via).expectSuccess()["name"] == "Mia User")

            for bad: JSONValue in [[:], ["name": ""], ["name": 42], ["name": "x", "email": "e@x.io"], ["name": "x", "id": 1]] {
                let answer = try await api.call(.put, "/settings/profile", bad, session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?.arrayValue?.isEmpty == false)
            }
            #expect(try await api.call(.get, "/settings/profile", session: admin, via: via).expectSuccess()["name"] == "Ada Admin")
            try await api.call(.get, "/settings/profile", ["x": 1], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            try await api.call(.get, "/settings/profile", session: nil, via: via).expectSessionExpired()
            try await api.call(.put, "/settings/profile", ["name": "Eve"], session: nil, via: via).expectSessionExpired()
        }
    }

    @Test(arguments: Transport.allCases) func base64AvatarIsCheckedByContentStoredAndServed(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("profile-avatar", configure: { $0.paas.maxAvatarSize = 200 })
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let adminID = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'admin'", as: Int64.self)
            let encoded = Data(Self.png).base64EncodedString()
            let first = try await api.call(.put, "/settings/profile", ["avatar": .string(encoded)], session: admin, via: via)
                .expectSuccess()
            #expect(first["avatar_url"] == .string("/paas/api/v1/users/\(adminID)/avatar?v=1"))
            #expect(first["message"] == "Profile updated successfully")

            let served = try await Self.avatar(api, user: adminID, session: admin)
            #expect(served.status == .ok)
            #expect([UInt8](served.body.readableBytesView) == Self.png)
            #expect(served.headers[.contentType] == "image/png")
            #expect(served.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(served.headers[.cacheControl]?.contains("private") == true)

            // A data URL whose declared type lies: the bytes decide.
            let second = try await api.call(
                .put, "/settings/profile", ["avatar": .string("data:image/png;base64," + Data(Self.gif).base64EncodedString())],
                session: admin, via: via
            ).expectSuccess()
            #expect(second["avatar_url"] == .string("/paas/api/v1/users/\(adminID)/avatar?v=2"))
            let gif = try await Self.avatar(api, user: adminID, session: admin)
            #expect(gif.headers[.contentType] == "image/gif")
            #expect([UInt8](gif.body.readableBytesView) == Self.gif)
            #expect(try await api.call(.get, "/settings/profile", session: admin, via: via).expectSuccess()["avatar_url"] == second["avatar_url"])

            // Refused, and nothing changes: text called an image, bad base64, too large, wrong type.
            let refused: [JSONValue] = [
                .string(Data("just some text, not a picture".utf8).base64EncodedString()),
                .string("data:image/png;base64," + Data("<svg onload=alert(1)>".utf8).base64EncodedString()),
                "%%% not base64 %%%",
                .string(Data(Self.png + [UInt8](repeating: 0, count: 300)).base64EncodedString()),
                42, ["filename": "me.png"],
            ]
            for avatar in refused {
                let answer = try await api.call(.put, "/settings/profile", ["name": "Changed", "avatar": avatar], session: admin, via: via)
                answer.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(answer.envelope?["details"]?[0]?["field"] == "avatar")
            }
            let after = try await api.call(.get, "/settings/profile", session: admin, via: via).expectSuccess()
            #expect(after["name"] == "Mitchell Admin")
            #expect(after["avatar_url"] == second["avatar_url"])

            // Removal: no URL, nothing served; a new upload gets a URL never used before.
            let removed = try await api.call(.put, "/settings/profile", ["avatar": nil], session: admin, via: via).expectSuccess()
            #expect(removed["avatar_url"] == .null)
            #expect(try await Self.avatar(api, user: adminID, session: admin).status == .notFound)
            #expect(try await api.call(.get, "/user/me", session: admin, via: via).expectSuccess()["avatar_url"] == .null)
            let back = try await api.call(.put, "/settings/profile", ["avatar": .string(encoded)], session: admin, via: via).expectSuccess()
            #expect(back["avatar_url"] == .string("/paas/api/v1/users/\(adminID)/avatar?v=3"))
        }
    }

    @Test func multipartUploadSetsNameAndAvatar() async throws {
        let fixture = try await PaaSFixture.make("profile-multipart", configure: { $0.paas.maxAvatarSize = 200 })
        try await fixture.test { api in
            let member = try await api.login("member")
            let memberID = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'member'", as: Int64.self)
            let answer = try await Self.multipart(
                api, session: member, fields: [("name", "Mia Multipart")],
                file: ("avatar", "me.jpg", "application/octet-stream", Self.png))
            let data = answer.expectSuccess()
            #expect(data["avatar_url"] == .string("/paas/api/v1/users/\(memberID)/avatar?v=1"))
            let served = try await Self.avatar(api, user: memberID, session: member)
            #expect(served.headers[.contentType] == "image/png")
            #expect([UInt8](served.body.readableBytesView) == Self.png)
            #expect(try await api.call(.get, "/settings/profile", session: member, via: .rest).expectSuccess()["name"] == "Mia Multipart")

            // A text file renamed .png, a too-large image, an unknown field, a broken body: refused, nothing written.
            let text = try await Self.multipart(api, session: member, file: ("avatar", "evil.png", "image/png", Array("hello, world".utf8)))
            text.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(text.envelope?["details"]?[0]?["field"] == "avatar")
            let large = try await Self.multipart(
                api, session: member, fields: [("name", "Too Big")], file: ("avatar", "big.png", "image/png", Self.png + [UInt8](repeating: 7, count: 500)))
            large.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(large.envelope?["details"]?[0]?["field"] == "avatar")
            try await Self.multipart(api, session: member, fields: [("role", "owner")], file: nil)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            let broken = try await api.client.execute(
                uri: "/paas/api/v1/settings/profile", method: .put,
                headers: [.cookie: "session_id=\(member)", .contentType: "multipart/form-data; boundary=xyz"],
                body: ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nNo end"))
            #expect(broken.status == .badRequest)
            #expect(try broken.json["code"] == "VALIDATION_ERROR")
            let profile = try await api.call(.get, "/settings/profile", session: member, via: .rest).expectSuccess()
            #expect(profile["name"] == "Mia Multipart")
            #expect(profile["avatar_url"] == data["avatar_url"])
            #expect(try await fixture.scalar("SELECT avatar_version FROM res_users WHERE id = \(memberID)", as: Int.self) == 1)
        }
    }

    @Test func avatarsAreServedOnlyWithinSharedTeams() async throws {
        let fixture = try await PaaSFixture.make("profile-avatar-access")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let rival = try await api.login("rival")
            let guest = try await api.login("guest")
            let adminID = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'admin'", as: Int64.self)
            let rivalID = try await fixture.scalar("SELECT id FROM res_users WHERE login = 'rival'", as: Int64.self)
            let encoded = JSONValue.string(Data(Self.png).base64EncodedString())
            try await api.call(.put, "/settings/profile", ["avatar": encoded], session: admin, via: .rest).expectSuccess()
            try await api.call(.put, "/settings/profile", ["avatar": encoded], session: rival, via: .jsonRPC).expectSuccess()

            #expect(try await Self.avatar(api, user: adminID, session: guest).status == .ok)
            #expect(try await Self.avatar(api, user: rivalID, session: rival).status == .ok)
            let hidden = try await Self.avatar(api, user: rivalID, session: admin)
            #expect(hidden.status == .notFound)
            #expect(try hidden.json["code"] == "NOT_FOUND")
            #expect(try await Self.avatar(api, user: adminID, session: rival).status == .notFound)
            #expect(try await Self.avatar(api, user: 999_999, session: admin).status == .notFound)
            let anonymous = try await Self.avatar(api, user: adminID, session: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.json["code"] == "AUTH_TOKEN_EXPIRED")
            let malformed = try await api.client.execute(
                uri: "/paas/api/v1/users/abc/avatar", method: .get, headers: [.cookie: "session_id=\(admin)"])
            #expect(malformed.status == .notFound)

            // Once the rival joins the demo team, the two share a team.
            try await fixture.app.client.query(
                "INSERT INTO woow_team_member (team_id, user_id, role) SELECT team_id, \(rivalID), 'guest' FROM woow_team_member WHERE user_id = \(adminID)")
            #expect(try await Self.avatar(api, user: rivalID, session: admin).status == .ok)
            #expect(try await Self.avatar(api, user: adminID, session: rival).status == .ok)
        }
    }
}
