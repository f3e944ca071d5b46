import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import ORM
import PostgresDriver
import Testing
import TestSupport

/// A user of team A never sees nor changes a row of team B, through any RPC transport: `call_kw`
/// with a session, `/jsonrpc` `execute_kw`, and XML-RPC `execute_kw`.
@Suite("Tenant isolation over every RPC transport")
struct TenantIsolationRPCTests {
    enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case callKW = "call_kw"
        case jsonRPC = "/jsonrpc"
        case xmlRPC = "/xmlrpc/2/object"
        var testDescription: String { rawValue }
    }

    /// What a call answered: a result, or the Odoo exception class.
    enum Outcome: Equatable, CustomStringConvertible {
        case result(JSONValue)
        case error(String)

        var result: JSONValue? { if case .result(let value) = self { value } else { nil } }
        var description: String {
            switch self {
            case .result(let value): "result \(value)"
            case .error(let name): "error \(name)"
            }
        }
    }

    static let accessError = Outcome.error("odoo.exceptions.AccessError")

    struct Fixture {
        let app: TestApp
        let alice: Int64, bob: Int64, carol: Int64
        let teamA: Int64, teamB: Int64
        let aliceNote: Int64, bobNote: Int64, carolNote: Int64, carolPlan: Int64
    }

    static let alicePassword = "alice-secret"

    /// Alice and Bob are in team A, Carol in team B; each owns notes of their team.
    static func fixture(_ label: String) async throws -> Fixture {
        let app = try await TestApp.make(label, registry: try TenantNotesModule.registry())
        try await app.client.withConnection { db in try await db.execute(script: TenantNotesModule.setupSQL) }
        let alice = try await app.createUser(login: "alice@a.example", password: alicePassword)
        let bob = try await app.createUser(login: "bob@a.example", password: "bob-secret")
        let carol = try await app.createUser(login: "carol@b.example", password: "carol-secret")
        return try await app.client.withTransaction { sql in
            let teamA = try await sql.query("INSERT INTO note_team (name) VALUES ('A') RETURNING id")[0].decode(Int64.self, at: 0)
            let teamB = try await sql.query("INSERT INTO note_team (name) VALUES ('B') RETURNING id")[0].decode(Int64.self, at: 0)
            try await sql.query(
                "INSERT INTO note_team_member VALUES (\(teamA), \(alice)), (\(teamA), \(bob)), (\(teamB), \(carol))")
            func note(_ name: String, _ team: Int64, _ owner: Int64) async throws -> Int64 {
                try await sql.query(
                    "INSERT INTO note_note (name, body, team_id, owner_id) VALUES (\(name), 'secret', \(team), \(owner)) RETURNING id"
                )[0].decode(Int64.self, at: 0)
            }
            return Fixture(
                app: app, alice: alice, bob: bob, carol: carol, teamA: teamA, teamB: teamB,
                aliceNote: try await note("alice's", teamA, alice), bobNote: try await note("bob's", teamA, bob),
                carolNote: try await note("carol's", teamB, carol), carolPlan: try await note("carol's plan", teamB, carol))
        }
    }

    /// Calls model methods as one user over one transport.
    struct Caller {
        let transport: Transport
        let client: any TestClientProtocol
        let database: String
        let uid: Int64
        let password: String
        let session: String?

        func call(_ model: String, _ method: String, _ args: JSONValue, _ kwargs: JSONObject = [:]) async throws -> Outcome {
            switch transport {
            case .callKW:
                let response = try await client.jsonCall(
                    "/web/dataset/call_kw/\(model)/\(method)",
                    params: ["model": .string(model), "method": .string(method), "args": args, "kwargs": .object(kwargs)],
                    id: 5, session: session)
                return try Self.outcome(response)
            case .jsonRPC:
                let response = try await client.rpc(
                    "object", "execute_kw",
                    [
                        .string(database), .number(JSONNumber(uid)), .string(password), .string(model), .string(method), args,
                        .object(kwargs),
                    ], id: 5)
                return try Self.outcome(response)
            case .xmlRPC:
                let answer = try await client.xmlrpc(
                    "/xmlrpc/2/object", "execute_kw",
                    [
                        .string(database), .number(JSONNumber(uid)), .string(password), .string(model), .string(method), args,
                        .object(kwargs),
                    ])
                switch answer {
                case .value(let value): return .result(value.json)
                case .fault(let code, let message):
                    if code == .int(3) { return .error("odoo.exceptions.AccessDenied") }
                    let name = String(message.prefix { $0 != ":" })
                    // Odoo's XML-RPC code for AccessError is 4.
                    #expect(name != "odoo.exceptions.AccessError" || code == .int(4), "\(answer)")
                    return .error(name)
                }
            }
        }

        static func outcome(_ response: TestResponse) throws -> Outcome {
            let json = try response.json
            if let error = json["error"] {
                // Every refusal is a complete Odoo error envelope that leaks nothing.
                let name = error["data"]?["name"]?.stringValue ?? "?"
                try expectOdooError(response, code: error["code"]?.intValue ?? 0, name: name)
                return .error(name)
            }
            return .result(try #require(json["result"], "\(json)"))
        }
    }

    static func ids(_ values: [Int64]) -> JSONValue { .array(values.map { .number(JSONNumber($0)) }) }
    static func id(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }

    /// The notes as stored: id → (name, body, team).
    static func storedNotes(_ app: TestApp) async throws -> [Int64: [String?]] {
        let rows = try await app.client.query("SELECT id, name, body, team_id::text, owner_id::text FROM note_note ORDER BY id")
        var notes: [Int64: [String?]] = [:]
        for row in rows.rows {
            notes[try row.decode(Int64.self, at: 0)] = [
                try row.decode(String.self, at: 1), try row.decode(String?.self, at: 2), try row.decode(String?.self, at: 3),
                try row.decode(String?.self, at: 4),
            ]
        }
        return notes
    }

    @Test(arguments: Transport.allCases)
    func aTeamAUserNeverReachesTeamBRows(_ transport: Transport) async throws {
        let f = try await Self.fixture("tenant")
        let before = try await Self.storedNotes(f.app)
        let teamANotes = [f.aliceNote, f.bobNote]
        try await f.app.application().test(.router) { client in
            let session = transport == .callKW
                ? try await client.login(f.app, login: "alice@a.example", password: Self.alicePassword) : nil
            let alice = Caller(
                transport: transport, client: client, database: f.app.database.name, uid: f.alice,
                password: Self.alicePassword, session: session)

            // Searches only ever return team A's rows.
            #expect(try await alice.call("note.note", "search", [[]]) == .result(Self.ids(teamANotes)))
            // A context naming another user or disabling filters changes nothing.
            #expect(
                try await alice.call("note.note", "search", [[]], ["context": ["uid": Self.id(f.carol), "active_test": false]])
                    == .result(Self.ids(teamANotes)))
            let rows = try #require(try await alice.call("note.note", "search_read", [[]], ["fields": ["name", "team_id"]]).result)
            #expect(rows.arrayValue?.compactMap { $0["id"]?.int64Value } == teamANotes)
            #expect(rows.arrayValue?.allSatisfy { $0["team_id"]?[0]?.int64Value == f.teamA } == true, "\(rows)")
            #expect(try await alice.call("note.note", "search_count", [[]]) == .result(2))
            // Domains naming team B, its rows or its team find nothing.
            for domain: JSONValue in [
                [["team_id.name", "=", "B"]], [["team_id", "=", Self.id(f.teamB)]], [["id", "=", Self.id(f.carolNote)]],
                [["id", "in", Self.ids([f.carolNote, f.carolPlan])]], [["name", "ilike", "carol"]],
                ["|", ["team_id.name", "=", "B"], ["owner_id", "=", Self.id(f.carol)]],
            ] {
                #expect(try await alice.call("note.note", "search", [domain]) == .result([]), "\(domain)")
                #expect(try await alice.call("note.note", "search_read", [domain], ["fields": ["name"]]) == .result([]), "\(domain)")
                #expect(try await alice.call("note.note", "search_count", [domain]) == .result(0), "\(domain)")
            }
            #expect(try await alice.call("note.note", "name_search", ["carol"]) == .result([]))
            // Grouped reads count only team A's rows.
            let groups = try #require(
                try await alice.call("note.note", "read_group", [[], ["name"], ["team_id"]]).result?.arrayValue)
            #expect(groups.count == 1, "\(groups)")
            #expect(groups.first?["team_id"]?[0]?.int64Value == f.teamA, "\(groups)")
            #expect(groups.first?["team_id_count"] == 2, "\(groups)")
            // The teams themselves.
            let teams = try await alice.call("note.team", "search_read", [[]], ["fields": ["name"]])
            #expect(teams == .result([["id": Self.id(f.teamA), "name": "A"]]))

            // Reading a team B row by id is an AccessError, alone or mixed with an allowed one.
            #expect(try await alice.call("note.note", "read", [Self.ids([f.carolNote]), ["name"]]) == Self.accessError)
            #expect(try await alice.call("note.note", "read", [Self.id(f.carolNote)]) == Self.accessError)
            #expect(try await alice.call("note.note", "read", [Self.ids([f.aliceNote, f.carolNote])]) == Self.accessError)
            #expect(try await alice.call("note.note", "web_read", [Self.ids([f.carolNote])], ["specification": ["name": [:]]]) == Self.accessError)
            #expect(try await alice.call("note.team", "read", [Self.ids([f.teamB]), ["name"]]) == Self.accessError)
            #expect(try await alice.call("note.note", "check_access", [Self.ids([f.carolNote]), "read"]) == Self.accessError)
            #expect(try await alice.call("note.note", "has_access", [Self.ids([f.carolNote]), "read"]) == .result(false))
            #expect(try await alice.call("note.note", "copy", [Self.ids([f.carolNote])]) == Self.accessError)

            // Changing or deleting a team B row is an AccessError.
            #expect(try await alice.call("note.note", "write", [Self.ids([f.carolNote]), ["name": "pwned"]]) == Self.accessError)
            #expect(
                try await alice.call("note.note", "write", [Self.ids([f.carolNote]), ["team_id": Self.id(f.teamA)]])
                    == Self.accessError)
            #expect(
                try await alice.call("note.note", "write", [Self.ids([f.aliceNote, f.carolNote]), ["body": "pwned"]])
                    == Self.accessError)
            #expect(try await alice.call("note.note", "unlink", [Self.ids([f.carolNote])]) == Self.accessError)
            #expect(try await alice.call("note.note", "unlink", [Self.ids([f.aliceNote, f.carolPlan])]) == Self.accessError)

            // Creating into team B is an AccessError, and a batch with one such row stores none.
            #expect(
                try await alice.call("note.note", "create", [["name": "intrusion", "team_id": Self.id(f.teamB)]])
                    == Self.accessError)
            #expect(
                try await alice.call(
                    "note.note", "create",
                    [[["name": "innocent", "team_id": Self.id(f.teamA)], ["name": "intrusion", "team_id": Self.id(f.teamB)]]])
                    == Self.accessError)

            // Positive controls: Alice can work on her own team's rows, so the refusals above are the rules'.
            #expect(try await alice.call("note.note", "write", [Self.ids([f.aliceNote]), ["body": "mine"]]) == .result(true))
            let created = try await alice.call(
                "note.note", "create", [["name": "alice's new", "team_id": Self.id(f.teamA), "owner_id": Self.id(f.alice)]])
            #expect(created.result?.int64Value != nil, "\(created)")
        }
        // Team B's rows are exactly as they were; nothing was created but Alice's own note.
        let after = try await Self.storedNotes(f.app)
        #expect(after[f.carolNote] == before[f.carolNote])
        #expect(after[f.carolPlan] == before[f.carolPlan])
        #expect(after[f.bobNote] == before[f.bobNote])
        #expect(after[f.aliceNote]?[1] == "mine")
        #expect(after.count == before.count + 1, "\(after)")
        #expect(after.values.filter { $0[0] == "intrusion" || $0[0] == "innocent" }.isEmpty)
        let teamBNotes = after.values.filter { $0[2] == String(f.teamB) }.count
        #expect(teamBNotes == 2)
        await f.app.shutdown()
    }

    @Test(arguments: [Transport.jsonRPC, Transport.xmlRPC])
    func anotherUsersIDWithMyPasswordIsAccessDenied(_ transport: Transport) async throws {
        let f = try await Self.fixture("tenantcreds")
        try await f.app.application().test(.router) { client in
            // Alice's password with Carol's uid (and the reverse pairing of any other user) is refused.
            let impostor = Caller(
                transport: transport, client: client, database: f.app.database.name, uid: f.carol,
                password: Self.alicePassword, session: nil)
            let refused = try await impostor.call("note.note", "search_read", [[]])
            #expect(refused == .error("odoo.exceptions.AccessDenied"))
            #expect(
                try await impostor.call("note.note", "write", [Self.ids([f.carolNote]), ["name": "x"]])
                    == .error("odoo.exceptions.AccessDenied"))
            // Her own uid works, and still sees only team A.
            let alice = Caller(
                transport: transport, client: client, database: f.app.database.name, uid: f.alice,
                password: Self.alicePassword, session: nil)
            #expect(try await alice.call("note.note", "search", [[]]) == .result(Self.ids([f.aliceNote, f.bobNote])))
        }
        let name = try await f.app.client.query("SELECT name FROM note_note WHERE id = \(f.carolNote)")
        #expect(try name[0].decode(String.self, at: 0) == "carol's")
        await f.app.shutdown()
    }

    @Test func teamBSeesOnlyItsOwnRows() async throws {
        // The mirror image, over call_kw: Carol sees her two notes and nothing of team A.
        let f = try await Self.fixture("tenantmirror")
        try await f.app.application().test(.router) { client in
            let session = try await client.login(f.app, login: "carol@b.example", password: "carol-secret")
            let carol = Caller(
                transport: .callKW, client: client, database: f.app.database.name, uid: f.carol, password: "carol-secret",
                session: session)
            #expect(try await carol.call("note.note", "search", [[]]) == .result(Self.ids([f.carolNote, f.carolPlan])))
            #expect(try await carol.call("note.note", "read", [Self.ids([f.aliceNote])]) == Self.accessError)
            #expect(try await carol.call("note.note", "search", [[["team_id.name", "=", "A"]]]) == .result([]))
        }
        await f.app.shutdown()
    }
}
