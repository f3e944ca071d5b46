import JSONRPC
import ORM
import PostgresDriver
import Testing
import TestSupport

@Suite("ORM access rights and record rules")
struct AccessControlTests {
    struct Fixture {
        let db: ORMTestDatabase
        let alice: Int64, bob: Int64, carol: Int64, manager: Int64, outsider: Int64
        let teamA: Int64, teamB: Int64
        let aliceNote: Int64, bobNote: Int64, carolNote: Int64
    }

    /// Alice and Bob (and a manager) are in team A, Carol in team B; the outsider has no group.
    func fixture(_ label: String) async throws -> Fixture {
        let db = try await ORMTestDatabase.make(label, registry: try TenantNotesModule.registry(), setupSQL: TenantNotesModule.setupSQL)
        let alice = try await db.makeUser("alice")
        let bob = try await db.makeUser("bob")
        let carol = try await db.makeUser("carol")
        let manager = try await db.makeUser("manager", groups: [BaseModule.Group.user, BaseModule.Group.accessRights])
        let outsider = try await db.makeUser("outsider", groups: [])
        return try await db.client.withTransaction { sql in
            let teamA = try await sql.query("INSERT INTO note_team (name) VALUES ('A') RETURNING id")[0].decode(Int64.self, at: 0)
            let teamB = try await sql.query("INSERT INTO note_team (name) VALUES ('B') RETURNING id")[0].decode(Int64.self, at: 0)
            try await sql.query(
                "INSERT INTO note_team_member VALUES (\(teamA), \(alice)), (\(teamA), \(bob)), (\(teamA), \(manager)), (\(teamB), \(carol))")
            func note(_ name: String, _ team: Int64, _ owner: Int64) async throws -> Int64 {
                try await sql.query(
                    "INSERT INTO note_note (name, team_id, owner_id) VALUES (\(name), \(team), \(owner)) RETURNING id"
                )[0].decode(Int64.self, at: 0)
            }
            return Fixture(
                db: db, alice: alice, bob: bob, carol: carol, manager: manager, outsider: outsider, teamA: teamA, teamB: teamB,
                aliceNote: try await note("alice's", teamA, alice), bobNote: try await note("bob's", teamA, bob),
                carolNote: try await note("carol's", teamB, carol))
        }
    }

    func failure(_ db: ORMTestDatabase, uid: Int64, _ body: @escaping (ORMEnvironment) async throws -> Void) async -> ORMError? {
        do {
            try await db.run(uid: uid) { env in try await body(env) }
            return nil
        } catch {
            return error as? ORMError
        }
    }

    @Test func globalRulesHideOtherTeamsEverywhere() async throws {
        let f = try await fixture("rules_read")
        try await f.db.run(uid: f.alice) { env in
            let notes = try env.model("note.note")
            #expect(try await notes.search(.all).ids == [f.aliceNote, f.bobNote])
            #expect(try await notes.searchCount(.all) == 2)
            // A domain naming the other team's note finds nothing rather than leaking it.
            #expect(try await notes.search(.leaf("name", .equal, "carol's")).ids == [])
            #expect(try await notes.search(.leaf("team_id.name", .equal, "B")).ids == [])
            #expect(try await notes.nameSearch(name: "carol").isEmpty)
        }
        let read = await failure(f.db, uid: f.alice) { env in _ = try await env.model("note.note").browse([f.carolNote]).read(fields: ["name"]) }
        #expect(read?.kind == .accessError)
        let write = await failure(f.db, uid: f.alice) { env in try await env.model("note.note").browse([f.carolNote]).write(["name": "x"]) }
        #expect(write?.kind == .accessError)
        let unlink = await failure(f.db, uid: f.alice) { env in try await env.model("note.note").browse([f.carolNote]).unlink() }
        #expect(unlink?.kind == .accessError)
        // Creating a note in the other team is refused by the create rule check.
        let create = await failure(f.db, uid: f.alice) { env in
            _ = try await env.model("note.note").create([["name": "intrusion", "team_id": .number(JSONNumber(f.teamB))]])
        }
        #expect(create?.kind == .accessError)
        // Nothing changed for Carol.
        let carolView = try await f.db.run(uid: f.carol) { env in try await env.model("note.note").browse([f.carolNote]).read(fields: ["name"]) }
        #expect(carolView[0]["name"] == "carol's")
        await f.db.close()
    }

    @Test func groupRulesAreOredAndAndedWithGlobalOnes() async throws {
        let f = try await fixture("rules_groups")
        // Alice (plain user) may edit her own note but not Bob's, though she can read both.
        try await f.db.run(uid: f.alice) { env in
            try await env.model("note.note").browse([f.aliceNote]).write(["body": "mine"])
        }
        let others = await failure(f.db, uid: f.alice) { env in try await env.model("note.note").browse([f.bobNote]).write(["body": "x"]) }
        #expect(others?.kind == .accessError)
        // The manager is in both groups: the OR of the group rules lets them edit any note of the
        // team, and the global team rule still keeps team B out of reach.
        try await f.db.run(uid: f.manager) { env in
            try await env.model("note.note").browse([f.bobNote]).write(["body": "managed"])
        }
        let outOfTeam = await failure(f.db, uid: f.manager) { env in
            try await env.model("note.note").browse([f.carolNote]).write(["body": "x"])
        }
        #expect(outOfTeam?.kind == .accessError)
        await f.db.close()
    }

    @Test func accessRightsAreCheckedPerOperation() async throws {
        let f = try await fixture("rights")
        let noGroup = await failure(f.db, uid: f.outsider) { env in _ = try await env.model("note.note").search(.all) }
        #expect(noGroup?.kind == .accessError)
        #expect(noGroup?.message == "You are not allowed to access 'Note' (note.note) records.")
        let readOnly = await failure(f.db, uid: f.alice) { env in _ = try await env.model("note.team").create([["name": "T"]]) }
        #expect(readOnly?.kind == .accessError)
        // A plain user cannot change anybody's groups (the field is restricted to user managers).
        let groups = await failure(f.db, uid: f.alice) { env in
            try await env.model("res.users").browse([f.alice]).write(["groups_id": [[4, 3]]])
        }
        #expect(groups?.kind == .accessError)
        // Superuser code bypasses everything.
        let all = try await f.db.run(uid: f.outsider, sudo: true) { env in try await env.model("note.note").searchCount(.all) }
        #expect(all == 3)
        await f.db.close()
    }
}
