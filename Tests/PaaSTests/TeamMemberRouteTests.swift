import HTTPTypes
import JSONRPC
import Testing
import TestSupport

/// `/team/members`: list (pending invitees included), update role and workspace access, remove;
/// over both transports, with the owner rules and tenant isolation.
@Suite("PaaS: team members")
struct TeamMemberRouteTests {
    /// The member id of a demo login.
    static func memberID(_ fixture: PaaSFixture, _ login: String) async throws -> Int64 {
        try await fixture.scalar(
            "SELECT m.id FROM woow_team_member m JOIN res_users u ON u.id = m.user_id WHERE u.login = \(login)")
    }

    @Test(arguments: Transport.allCases) func listShowsMembersAndPendingInviteesOfTheCurrentTeamOnly(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-list")
        let smartHome = try await fixture.workspace("Smart Home")
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(
                .post, "/team/invite", ["email": "pending@example.com", "role": "guest", "workspace_ids": [.number(JSONNumber(smartHome))]],
                session: admin, via: via
            ).expectSuccess(.created)

            let guest = try await api.login("guest")
            let all = try await api.call(.get, "/team/members", session: guest, via: via).expectSuccess()
            #expect(all["total"] == 5)
            #expect(all["page"] == 1)
            #expect(all["per_page"] == 20)
            let items = try #require(all["items"]?.arrayValue)
            #expect(items.compactMap { $0["email"]?.stringValue } == [
                "admin@woow.example", "manager@woow.example", "member@woow.example", "guest@woow.example", "pending@example.com",
            ])
            let owner = try #require(items.first?.objectValue)
            #expect(owner.keys.sorted() == ["avatar_url", "email", "id", "name", "role", "status", "workspace_access"])
            #expect(owner["name"] == "Mitchell Admin")
            #expect(owner["role"] == "owner")
            #expect(owner["status"] == "active")
            #expect(owner["workspace_access"] == ["Production", "Smart Home", "Staging"])
            #expect(items[2]["workspace_access"] == ["Smart Home", "Staging"])
            let pending = items[4]
            #expect(pending["name"] == "pending@example.com")
            #expect(pending["status"] == "pending")
            #expect(pending["role"] == "guest")
            #expect(pending["avatar_url"] == .null)
            #expect(pending["workspace_access"] == ["Smart Home"])

            let filtered = try await api.call(.get, "/team/members", ["status": "pending"], session: guest, via: via).expectSuccess()
            #expect(filtered["total"] == 1)
            let guests = try await api.call(.get, "/team/members", ["role": "guest", "per_page": 1, "page": 2], session: guest, via: via)
                .expectSuccess()
            #expect(guests["total"] == 2)
            #expect(guests["items"]?[0]?["email"] == "pending@example.com")

            let bad = try await api.call(.get, "/team/members", ["role": "boss", "status": "gone"], session: guest, via: via)
            bad.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(bad.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == ["role", "status"])
            try await api.call(.get, "/team/members", session: nil, via: via).expectSessionExpired()

            let rival = try await api.login("rival")
            let theirs = try await api.call(.get, "/team/members", session: rival, via: via).expectSuccess()
            #expect(theirs["total"] == 1)
            #expect(theirs["items"]?[0]?["name"] == "Rita Rival")
        }
    }

    @Test(arguments: Transport.allCases) func updateChangesRoleAndWorkspaceAccessUnderTheOwnerRules(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-update")
        let production = try await fixture.workspace("Production")
        let staging = try await fixture.workspace("Staging")
        let member = try await Self.memberID(fixture, "member")
        let manager = try await Self.memberID(fixture, "manager")
        let owner = try await Self.memberID(fixture, "admin")
        let rivalOwner = try await Self.memberID(fixture, "rival")
        try await fixture.test { api in
            let managerSession = try await api.login("manager")
            let data = try await api.call(
                .put, "/team/members/\(member)",
                ["role": "guest", "workspace_access": [
                    ["workspace_id": .number(JSONNumber(production)), "enabled": true],
                    ["workspace_id": .number(JSONNumber(staging)), "enabled": false],
                ]], session: managerSession, via: via
            ).expectSuccess()
            #expect(data == ["message": "Member updated successfully"])
            let list = try await api.call(.get, "/team/members", ["role": "guest"], session: managerSession, via: via).expectSuccess()
            let updated = try #require(list["items"]?.arrayValue?.first { $0["email"] == "member@woow.example" })
            #expect(updated["workspace_access"] == ["Production", "Smart Home"])
            #expect(try await fixture.scalar("SELECT action FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self) == "updated member")

            let invalid = try await api.call(
                .put, "/team/members/\(member)",
                ["role": "boss", "workspace_access": [["enabled": "maybe"], 3, ["workspace_id": .number(JSONNumber(fixture.rivalWorkspace)), "enabled": true, "x": 1]]],
                session: managerSession, via: via)
            invalid.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(invalid.envelope?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == [
                "role", "workspace_access[0].workspace_id", "workspace_access[0].enabled", "workspace_access[1]", "workspace_access[2].x",
            ])
            let foreign = try await api.call(
                .put, "/team/members/\(member)",
                ["workspace_access": [["workspace_id": .number(JSONNumber(fixture.rivalWorkspace)), "enabled": true]]],
                session: managerSession, via: via)
            foreign.expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(foreign.envelope?["details"] == [["field": "workspace_access[0].workspace_id", "message": "is not a workspace of your team"]])

            // Admins cannot make or unmake owners; users and guests cannot change anyone.
            try await api.call(.put, "/team/members/\(member)", ["role": "owner"], session: managerSession, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.put, "/team/members/\(owner)", ["role": "user"], session: managerSession, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            for login in ["member", "guest"] {
                let session = try await api.login(login)
                try await api.call(.put, "/team/members/\(manager)", ["role": "guest"], session: session, via: via)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            }
            try await api.call(.put, "/team/members/\(manager)", ["role": "guest"], session: nil, via: via).expectSessionExpired()
            try await api.call(.put, "/team/members/\(rivalOwner)", ["role": "guest"], session: managerSession, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.put, "/team/members/999999", ["role": "guest"], session: managerSession, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            #expect(try await fixture.scalar("SELECT role FROM woow_team_member WHERE id = \(rivalOwner)", as: String.self) == "owner")
            #expect(try await fixture.scalar("SELECT role FROM woow_team_member WHERE id = \(manager)", as: String.self) == "admin")

            // The last owner cannot step down; once another owner exists, they can.
            let ownerSession = try await api.login("admin")
            try await api.call(.put, "/team/members/\(owner)", ["role": "admin"], session: ownerSession, via: via)
                .expect(code: "CONFLICT", status: .conflict)
            try await api.call(.put, "/team/members/\(manager)", ["role": "owner"], session: ownerSession, via: via).expectSuccess()
            try await api.call(.put, "/team/members/\(owner)", ["role": "admin"], session: ownerSession, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT role FROM woow_team_member WHERE id = \(owner)", as: String.self) == "admin")
            #expect(try await fixture.scalar("SELECT role FROM woow_team_member WHERE id = \(manager)", as: String.self) == "owner")
        }
    }

    @Test(arguments: Transport.allCases) func removeNeverTakesTheLastOwnerAndCancelsPendingInvitations(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("team-remove")
        let guest = try await Self.memberID(fixture, "guest")
        let member = try await Self.memberID(fixture, "member")
        let owner = try await Self.memberID(fixture, "admin")
        let rivalOwner = try await Self.memberID(fixture, "rival")
        try await fixture.test { api in
            let managerSession = try await api.login("manager")
            let memberSession = try await api.login("member")
            try await api.call(.delete, "/team/members/\(guest)", session: memberSession, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.delete, "/team/members/\(guest)", session: nil, via: via).expectSessionExpired()
            try await api.call(.delete, "/team/members/\(rivalOwner)", session: managerSession, via: via)
                .expect(code: "NOT_FOUND", status: .notFound)
            try await api.call(.delete, "/team/members/\(owner)", session: managerSession, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
            try await api.call(.delete, "/team/members/\(guest)", ["reason": "x"], session: managerSession, via: via)
                .expect(code: "VALIDATION_ERROR", status: .badRequest)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_team_member", as: Int.self) == 5)

            let data = try await api.call(.delete, "/team/members/\(guest)", session: managerSession, via: via).expectSuccess()
            #expect(data == ["message": "Member removed"])
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_team_member WHERE id = \(guest)", as: Int.self) == 0)
            #expect(try await fixture.scalar("SELECT action FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self) == "removed member")
            // The removed guest no longer belongs to a team.
            let guestSession = try await api.login("guest")
            try await api.call(.get, "/team/members", session: guestSession, via: via)
                .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)

            let ownerSession = try await api.login("admin")
            try await api.call(.delete, "/team/members/\(owner)", session: ownerSession, via: via).expect(code: "CONFLICT", status: .conflict)
            #expect(try await fixture.scalar("SELECT role FROM woow_team_member WHERE id = \(owner)", as: String.self) == "owner")

            // Removing a pending invitee cancels its invitation.
            try await api.call(.post, "/team/invite", ["email": "maybe@example.com", "role": "user"], session: ownerSession, via: via)
                .expectSuccess(.created)
            let pending = try await fixture.scalar("SELECT id FROM woow_team_member WHERE email = 'maybe@example.com'", as: Int64.self)
            try await api.call(.delete, "/team/members/\(pending)", session: ownerSession, via: via).expectSuccess()
            #expect(try await fixture.scalar(
                "SELECT status FROM woow_team_invitation WHERE email = 'maybe@example.com'", as: String.self) == "cancelled")
            try await api.call(.delete, "/team/members/\(member)", session: ownerSession, via: via).expectSuccess()
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_team_member WHERE team_id = (SELECT id FROM woow_team WHERE name = 'Rival Co')", as: Int.self) == 1)
        }
    }
}
