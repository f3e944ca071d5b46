import Foundation
import HTTPTypes
import Identity
import JSONRPC
import PaaS
import Testing
import TestSupport
import WoowCrypto

extension PaaSFixture {
    /// The raw token of the last invitation e-mail to `email`, read from the outbox body's link.
    func invitationToken(to email: String) async throws -> String {
        let body = try await scalar(
            "SELECT body FROM woow_mail_outbox WHERE email_to = \(email) ORDER BY id DESC LIMIT 1", as: String.self)
        let link = try #require(body.range(of: "http://localhost:8069/invite/accept?token="), "no accept link in: \(body)")
        return String(body[link.upperBound...].prefix { !$0.isWhitespace })
    }

    /// The reference (`inv_…`) of the invitation to `email`.
    func invitationReference(_ email: String) async throws -> String {
        try await scalar("SELECT reference FROM woow_team_invitation WHERE email = \(email) ORDER BY id DESC LIMIT 1")
    }
}

/// `POST /team/invite`, resend, cancel and the public accept, over both transports: validation,
/// roles, tenant isolation, plan limit, the outbox e-mail and the hashed, expiring tokens.
@Suite("PaaS: team invitations")
struct InvitationRouteTests {
    @Test(arguments: Transport.allCases) func inviteCreatesThePendingMemberTheHashedTokenAndTheMail(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-create")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let manager = try await api.login("manager")
            let answer = try await api.call(
                .post, "/team/invite", ["email": " New.Person@Example.com ", "role": "user", "workspace_ids": [.number(JSONNumber(staging))]],
                session: manager, via: via)
            let data = answer.expectSuccess(.created)
            #expect(data["status"] == "sent")
            #expect(data["message"] == "Invitation sent successfully")
            let reference = try #require(data["invitation_id"]?.stringValue)
            #expect(reference.hasPrefix("inv_"))

            let row = try await fixture.app.client.query(
                """
                SELECT i.email, i.role, i.status, i.token_hash, i.send_count, m.status, m.user_id IS NULL,
                       i.expires_at > (now() AT TIME ZONE 'UTC') + interval '6 days',
                       (SELECT count(*) FROM woow_team_member_workspace_rel r WHERE r.member_id = m.id AND r.workspace_id = \(staging))
                FROM woow_team_invitation i JOIN woow_team_member m ON m.id = i.member_id WHERE i.reference = \(reference)
                """)[0]
            #expect(try row.decode(String.self, at: 0) == "new.person@example.com")
            #expect(try row.decode(String.self, at: 1) == "user")
            #expect(try row.decode(String.self, at: 2) == "pending")
            #expect(try row.decode(Int.self, at: 4) == 1)
            #expect(try row.decode(String.self, at: 5) == "pending")
            #expect(try row.decode(Bool.self, at: 6))
            #expect(try row.decode(Bool.self, at: 7))
            #expect(try row.decode(Int.self, at: 8) == 1)

            // The e-mail is in the outbox (kept: no SMTP relay in this configuration) with the link;
            // only the token's SHA-256 is stored, the raw token appears nowhere in the invitation.
            let token = try await fixture.invitationToken(to: "new.person@example.com")
            #expect(token.count >= 40)
            #expect(try row.decode(String.self, at: 3) == Digest.sha256(token).hexString)
            #expect(try await fixture.scalar(
                "SELECT count(*) FROM woow_team_invitation i WHERE i::text LIKE '%' || \(token) || '%'", as: Int.self) == 0)
            #expect(try await fixture.scalar(
                "SELECT state FROM woow_mail_outbox WHERE email_to = 'new.person@example.com'", as: String.self) == "kept")
            #expect(try await fixture.scalar(
                "SELECT subject FROM woow_mail_outbox WHERE email_to = 'new.person@example.com'", as: String.self)
                .contains("WoowTech Demo"))
            #expect(try await fixture.scalar(
                "SELECT action || ':' || target FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self)
                == "invited member:new.person@example.com")
        }
    }

    @Test(arguments: Transport.allCases) func inviteValidatesEverythingAndRefusesDuplicatesAndOtherRoles(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-validate")
        let rivalWorkspace = fixture.rivalWorkspace
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let count = { try await fixture.scalar("SELECT count(*) FROM woow_team_invitation", as: Int.self) }
            let cases: [(JSONValue, [String])] = [
                (["role": "user"], ["email"]),
                (["email": "not-an-email", "role": "user"], ["email"]),
                (["email": "a@b.example", "role": "owner"], ["role"]),
                (["email": "a@b.example", "role": "boss"], ["role"]),
                (["email": "a@b.example", "role": "user", "workspace_ids": ["x"]], ["workspace_ids[0]"]),
                (["email": "a@b.example", "role": "user", "workspace_ids": [.number(JSONNumber(rivalWorkspace))]], ["workspace_ids[0]"]),
                (["email": "a@b.example", "role": "user", "team_id": 1], ["team_id"]),
            ]
            for (params, fields) in cases {
                let refused = try await api.call(.post, "/team/invite", params, session: admin, via: via)
                refused.expect(code: "VALIDATION_ERROR", status: .badRequest)
                #expect(refused.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == fields, "\(params)")
            }
            let owner = try await api.call(.post, "/team/invite", ["email": "a@b.example", "role": "owner"], session: admin, via: via)
            #expect(owner.envelope?["details"]?[0]?["message"]?.stringValue?.contains("owner cannot be invited") == true)
            #expect(try await count() == 0)

            // An existing member (by login or e-mail) and an already invited address are conflicts.
            try await api.call(.post, "/team/invite", ["email": "member@woow.example", "role": "user"], session: admin, via: via)
                .expect(code: "CONFLICT", status: .conflict)
            try await api.call(.post, "/team/invite", ["email": "Admin@woow.example", "role": "admin"], session: admin, via: via)
                .expect(code: "CONFLICT", status: .conflict)
            try await api.call(.post, "/team/invite", ["email": "twice@example.com", "role": "guest"], session: admin, via: via)
                .expectSuccess(.created)
            try await api.call(.post, "/team/invite", ["email": "TWICE@example.com", "role": "user"], session: admin, via: via)
                .expect(code: "CONFLICT", status: .conflict)
            #expect(try await count() == 1)

            for login in ["member", "guest"] {
                let session = try await api.login(login)
                try await api.call(.post, "/team/invite", ["email": "x@example.com", "role": "guest"], session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            try await api.call(.post, "/team/invite", ["email": "x@example.com", "role": "guest"], session: nil, via: via)
                .expectSessionExpired()
            #expect(try await count() == 1)
        }
    }

    @Test(arguments: Transport.allCases) func pendingInviteesCountTowardTheMemberLimit(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-limit")
        // The free plan allows 3 members; Rival Co has its owner only.
        try await fixture.app.client.query("UPDATE woow_team SET plan = 'free' WHERE name = 'Rival Co'")
        try await fixture.test { api in
            let rival = try await api.login("rival")
            for email in ["one@rival.example", "two@rival.example"] {
                try await api.call(.post, "/team/invite", ["email": .string(email), "role": "user"], session: rival, via: via)
                    .expectSuccess(.created)
            }
            let refused = try await api.call(.post, "/team/invite", ["email": "three@rival.example", "role": "user"], session: rival, via: via)
            refused.expect(code: "TEAM_MEMBER_LIMIT_REACHED", status: .unprocessableContent)
            #expect(refused.envelope?["error"]?.stringValue?.contains("free plan allows 3 team members") == true)
            #expect(try await fixture.scalar(
                "SELECT count(*) FROM woow_team_member WHERE email = 'three@rival.example'", as: Int.self) == 0)
        }
    }

    @Test(arguments: Transport.allCases) func resendReplacesTheTokenAndStaysInsideTheTeam(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-resend")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(.post, "/team/invite", ["email": "late@example.com", "role": "guest"], session: admin, via: via)
                .expectSuccess(.created)
            let reference = try await fixture.invitationReference("late@example.com")
            let oldToken = try await fixture.invitationToken(to: "late@example.com")

            for login in ["member", "guest"] {
                let session = try await api.login(login)
                try await api.call(.post, "/team/invite/\(reference)/resend", session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            try await api.call(.post, "/team/invite/\(reference)/resend", session: nil, via: via).expectSessionExpired()
            let rival = try await api.login("rival")
            try await api.call(.post, "/team/invite/\(reference)/resend", session: rival, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, "/team/invite/inv_doesnotexist/resend", session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, "/team/invite/\(reference)/resend", ["force": true], session: admin, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(try await fixture.scalar("SELECT send_count FROM woow_team_invitation", as: Int.self) == 1)

            let data = try await api.call(.post, "/team/invite/\(reference)/resend", session: admin, via: via).expectSuccess()
            #expect(data == ["message": "Invitation resent"])
            #expect(try await fixture.scalar("SELECT send_count FROM woow_team_invitation", as: Int.self) == 2)
            #expect(try await fixture.scalar(
                "SELECT count(*) FROM woow_mail_outbox WHERE email_to = 'late@example.com'", as: Int.self) == 2)
            let newToken = try await fixture.invitationToken(to: "late@example.com")
            #expect(newToken != oldToken)

            let body: (String) -> JSONValue = { ["token": .string($0), "name": "Late Comer", "password": "late-but-here"] }
            try await api.call(.post, "/team/invite/accept", body(oldToken), session: nil, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.post, "/team/invite/accept", body(newToken), session: nil, via: via).expectSuccess()
            // Accepted: it can no longer be resent.
            try await api.call(.post, "/team/invite/\(reference)/resend", session: admin, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
        }
    }

    @Test(arguments: Transport.allCases) func cancelRemovesThePendingMemberAndKillsTheToken(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-cancel")
        try await fixture.test { api in
            let manager = try await api.login("manager")
            try await api.call(.post, "/team/invite", ["email": "gone@example.com", "role": "user"], session: manager, via: via)
                .expectSuccess(.created)
            let reference = try await fixture.invitationReference("gone@example.com")
            let token = try await fixture.invitationToken(to: "gone@example.com")
            let pending = { try await fixture.scalar("SELECT count(*) FROM woow_team_member WHERE email = 'gone@example.com'", as: Int.self) }

            let rival = try await api.login("rival")
            try await api.call(.delete, "/team/invite/\(reference)", session: rival, via: via).expect(code: "NOT_FOUND", status: .notFound)
            let guest = try await api.login("guest")
            try await api.call(.delete, "/team/invite/\(reference)", session: guest, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.delete, "/team/invite/\(reference)", session: nil, via: via).expectSessionExpired()
            #expect(try await pending() == 1)

            let data = try await api.call(.delete, "/team/invite/\(reference)", session: manager, via: via).expectSuccess()
            #expect(data == ["message": "Invitation cancelled"])
            #expect(try await pending() == 0)
            #expect(try await fixture.scalar("SELECT status FROM woow_team_invitation", as: String.self) == "cancelled")
            try await api.call(.delete, "/team/invite/\(reference)", session: manager, via: via).expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(
                .post, "/team/invite/accept", ["token": .string(token), "name": "Gone", "password": "never-mind-1"], session: nil, via: via
            ).expect(code: "NOT_FOUND", status: .notFound)
        }
    }

    @Test(arguments: Transport.allCases) func acceptCreatesTheUserWhoCanLogInToTheTeam(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-accept")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(
                .post, "/team/invite", ["email": "nina@example.com", "role": "guest", "workspace_ids": [.number(JSONNumber(staging))]],
                session: admin, via: via
            ).expectSuccess(.created)
            let token = try await fixture.invitationToken(to: "nina@example.com")

            // The body is validated before the token is looked up (even a bogus token gets the details).
            let invalid = try await api.call(
                .post, "/team/invite/accept", ["token": "bogus", "password": "12345678", "role": "owner"], session: nil, via: via)
            invalid.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(invalid.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue }.sorted() == ["name", "password", "role"])
            let short = try await api.call(
                .post, "/team/invite/accept", ["token": .string(token), "name": "Nina", "password": "short"], session: nil, via: via)
            #expect(short.envelope?["details"] == [["field": "password", "message": "must be at least 8 characters"]])
            try await api.call(
                .post, "/team/invite/accept", ["token": "bogus", "name": "Nina", "password": "long-enough"], session: nil, via: via
            ).expect(code: "NOT_FOUND", status: .notFound)
            #expect(try await fixture.scalar("SELECT count(*) FROM res_users WHERE login = 'nina@example.com'", as: Int.self) == 0)

            let data = try await api.call(
                .post, "/team/invite/accept", ["token": .string(token), "name": "Nina Guest", "password": "nina-secret-1"],
                session: nil, via: via
            ).expectSuccess()
            #expect(data["message"] == "Invitation accepted")
            #expect(data["login"] == "nina@example.com")
            #expect(data["team"]?["name"] == "WoowTech Demo")
            #expect(data["team"]?["id"]?.int64Value != nil)
            try await api.call(
                .post, "/team/invite/accept", ["token": .string(token), "name": "Nina Guest", "password": "nina-secret-1"],
                session: nil, via: via
            ).expect(code: "NOT_FOUND", status: .notFound)

            let nina = try await api.login("nina@example.com", password: "nina-secret-1")
            let me = try await api.call(.get, "/user/me", session: nina, via: via).expectSuccess()
            #expect(me["role"] == "guest")
            #expect(me["name"] == "Nina Guest")
            #expect(me["email"] == "nina@example.com")
            let workspaces = try await api.call(.get, "/workspaces", session: nina, via: via).expectSuccess()
            #expect(workspaces["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Staging"])
            let members = try await api.call(.get, "/team/members", ["status": "active", "role": "guest"], session: nina, via: via).expectSuccess()
            #expect(members["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.contains("Nina Guest") == true)
            #expect(try await fixture.scalar(
                "SELECT action || ':' || target FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self)
                == "joined team:WoowTech Demo")
            #expect(try await fixture.scalar("SELECT status FROM woow_team_invitation", as: String.self) == "accepted")
        }
    }

    @Test(arguments: Transport.allCases) func expiredTokensAndWrongPasswordsOfExistingAccountsAreRefused(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-expired")
        try await fixture.app.createUser(login: "solo@example.com", password: "solo-password", name: "Sam Solo")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            for email in ["old@example.com", "solo@example.com"] {
                try await api.call(.post, "/team/invite", ["email": .string(email), "role": "user"], session: admin, via: via)
                    .expectSuccess(.created)
            }
            try await fixture.app.client.query(
                "UPDATE woow_team_invitation SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE email = 'old@example.com'")
            let old = try await fixture.invitationToken(to: "old@example.com")
            let expired = try await api.call(
                .post, "/team/invite/accept", ["token": .string(old), "name": "Old", "password": "too-late-now"], session: nil, via: via)
            expired.expect(code: "CONFLICT", status: .conflict)
            #expect(expired.envelope?["error"] == "Invitation expired")
            #expect(try await fixture.scalar("SELECT count(*) FROM res_users WHERE login = 'old@example.com'", as: Int.self) == 0)

            // An account with that login exists: its password is required, and the membership joins it.
            let solo = try await fixture.invitationToken(to: "solo@example.com")
            try await api.call(
                .post, "/team/invite/accept", ["token": .string(solo), "name": "Sam", "password": "not-the-password"], session: nil, via: via
            ).expect(code: "AUTH_INVALID_CREDENTIALS", status: .unauthorized)
            let data = try await api.call(
                .post, "/team/invite/accept", ["token": .string(solo), "name": "Ignored", "password": "solo-password"], session: nil, via: via
            ).expectSuccess()
            #expect(data["login"] == "solo@example.com")
            #expect(try await fixture.scalar("SELECT count(*) FROM res_users WHERE login = 'solo@example.com'", as: Int.self) == 1)
            let session = try await api.login("solo@example.com", password: "solo-password")
            let me = try await api.call(.get, "/user/me", session: session, via: via).expectSuccess()
            #expect(me["role"] == "user")
            #expect(me["name"] == "Sam Solo")
        }
    }

    @Test(arguments: Transport.allCases) func wrongPasswordsAtAcceptanceCountAsFailedLogins(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("inv-throttle")
        try await fixture.app.createUser(login: "kim@example.com", password: "kim-password", name: "Kim")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(.post, "/team/invite", ["email": "kim@example.com", "role": "user"], session: admin, via: via)
                .expectSuccess(.created)
            let token = try await fixture.invitationToken(to: "kim@example.com")
            let body: (String) -> JSONValue = { ["token": .string(token), "name": "Kim", "password": .string($0)] }
            for _ in 0..<5 {
                try await api.call(.post, "/team/invite/accept", body("kim-guess-1"), session: nil, via: via)
                    .expect(code: "AUTH_INVALID_CREDENTIALS", status: .unauthorized)
            }
            // Each wrong password was a failed login of the account, although its request failed.
            #expect(
                try await fixture.scalar(
                    "SELECT coalesce(max(failures), 0)::int FROM auth_login_failure WHERE key = 'login:kim@example.com'",
                    as: Int.self) == 5)
            // So the login cools down on every path, the acceptance included, the right password too.
            let login = try await api.client.execute(
                uri: "/web/session/authenticate", method: .post, headers: .json(),
                body: RPCBody.call(["db": .string(fixture.app.database.name), "login": "kim@example.com", "password": "kim-password"]))
            #expect(try login.json["error"]?["data"]?["message"] == .string(AuthenticationError.cooldown.message))
            try await api.call(.post, "/team/invite/accept", body("kim-password"), session: nil, via: via)
                .expect(code: "RATE_LIMITED", status: .tooManyRequests)
            #expect(try await fixture.scalar("SELECT status FROM woow_team_invitation", as: String.self) == "pending")
        }
    }
}
