import JSONRPC
import ORM
import PostgresDriver
import Testing
import TestSupport

/// Field-level access on every ORM path: secrets are server-only, group-restricted fields are for
/// their groups, a password is write-only; subqueries of a client's domain see only what the
/// caller may read.
@Suite("ORM field-level access on every path")
struct FieldAccessTests {
    struct Fixture {
        let db: ORMTestDatabase
        let alice: Int64, bob: Int64, manager: Int64
        let a1: Int64, a2: Int64, a3: Int64, b1: Int64, managerBox: Int64
        let linkA1: Int64, linkB1: Int64
    }

    /// Alice owns A1 ⊃ A2 and A3 (under Bob's B1, which is under A1); A2 carries Bob's tag "blue".
    func fixture(_ label: String) async throws -> Fixture {
        let db = try await ORMTestDatabase.make(label, registry: try VaultModule.registry(), setupSQL: VaultModule.setupSQL)
        let alice = try await db.makeUser("alice")
        let bob = try await db.makeUser("bob")
        let manager = try await db.makeUser("manager", groups: [BaseModule.Group.user, BaseModule.Group.accessRights])
        return try await db.client.withTransaction { sql in
            func box(_ name: String, owner: Int64, parent: Int64?) async throws -> Int64 {
                try await sql.query(
                    """
                    INSERT INTO vault_box (name, key_hash, pin, owner_id, parent_id)
                    VALUES (\(name), \("KEY-\(name)-SECRET"), 1234, \(owner), \(parent)) RETURNING id
                    """)[0].decode(Int64.self, at: 0)
            }
            let a1 = try await box("A1", owner: alice, parent: nil)
            let a2 = try await box("A2", owner: alice, parent: a1)
            let b1 = try await box("B1", owner: bob, parent: a1)
            let a3 = try await box("A3", owner: alice, parent: b1)
            let managerBox = try await box("M1", owner: manager, parent: nil)
            let red = try await sql.query("INSERT INTO vault_tag (name, owner_id) VALUES ('red', \(alice)) RETURNING id")[0]
                .decode(Int64.self, at: 0)
            let blue = try await sql.query("INSERT INTO vault_tag (name, owner_id) VALUES ('blue', \(bob)) RETURNING id")[0]
                .decode(Int64.self, at: 0)
            try await sql.query("INSERT INTO vault_box_tag_rel VALUES (\(a1), \(red)), (\(a2), \(blue)), (\(b1), \(blue))")
            func link(_ name: String, _ box: Int64) async throws -> Int64 {
                try await sql.query("INSERT INTO vault_link (name, box_id) VALUES (\(name), \(box)) RETURNING id")[0].decode(Int64.self, at: 0)
            }
            return Fixture(
                db: db, alice: alice, bob: bob, manager: manager, a1: a1, a2: a2, a3: a3, b1: b1, managerBox: managerBox,
                linkA1: try await link("to A1", a1), linkB1: try await link("to B1", b1))
        }
    }

    /// The error of `body`, which must be an AccessError that names no secret value.
    func expectAccessError(
        _ db: ORMTestDatabase, uid: Int64, sudo: Bool = false, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping (ORMEnvironment) async throws -> Void
    ) async {
        let error = await db.failure(uid: uid, sudo: sudo, body)
        #expect(error?.kind == .accessError, "\(what): \(error.map { "\($0)" } ?? "no error")", sourceLocation: sourceLocation)
        #expect(error?.message.contains("SECRET") != true, "\(what) leaks a value", sourceLocation: sourceLocation)
        #expect(error?.message.contains("pbkdf2") != true, "\(what) leaks a hash", sourceLocation: sourceLocation)
    }

    static func ids(_ ids: Int64...) -> JSONValue { .array(ids.map { .number(JSONNumber($0)) }) }

    @Test func aSecretIsRefusedOnEveryPathToEveryClient() async throws {
        let f = try await fixture("field_secret")
        for uid in [f.alice, f.manager] {
            let own = uid == f.alice ? f.a1 : f.managerBox
            let db = f.db
            await expectAccessError(db, uid: uid, "read") { _ = try await $0.model("vault.box").browse([own]).read(fields: ["key_hash"]) }
            await expectAccessError(db, uid: uid, "search") { _ = try await $0.model("vault.box").search(.leaf("key_hash", .like, "KEY")) }
            await expectAccessError(db, uid: uid, "search_count") {
                _ = try await $0.model("vault.box").searchCount(.leaf("name", .equal, "A1") && .leaf("key_hash", .like, "KEY-A1%"))
            }
            await expectAccessError(db, uid: uid, "negated leaf") {
                _ = try await $0.model("vault.box").search(.not(.leaf("key_hash", .equal, "x")))
            }
            await expectAccessError(db, uid: uid, "dotted path") {
                _ = try await $0.model("vault.link").search(.leaf("box_id.key_hash", .like, "KEY"))
            }
            await expectAccessError(db, uid: uid, "any") {
                _ = try await $0.model("vault.link").search(.leaf("box_id", .any, [["key_hash", "like", "KEY"]]))
            }
            await expectAccessError(db, uid: uid, "x2many path") {
                _ = try await $0.model("vault.box").search(.leaf("child_ids.key_hash", .like, "KEY"))
            }
            await expectAccessError(db, uid: uid, "related to a secret, search") {
                _ = try await $0.model("vault.box").search(.leaf("parent_key", .like, "KEY"))
            }
            await expectAccessError(db, uid: uid, "related to a secret, read") {
                _ = try await $0.model("vault.box").browse([own]).read(fields: ["parent_key"])
            }
            await expectAccessError(db, uid: uid, "order") { _ = try await $0.model("vault.box").search(.all, order: "key_hash desc") }
            await expectAccessError(db, uid: uid, "search_read order") {
                _ = try await $0.model("vault.box").searchRead(.all, fields: ["name"], order: "name, key_hash")
            }
            await expectAccessError(db, uid: uid, "read_group group-by") {
                _ = try await $0.model("vault.box").readGroup(.all, fields: ["name"], groupBy: ["key_hash"])
            }
            await expectAccessError(db, uid: uid, "read_group aggregate") {
                _ = try await $0.model("vault.box").readGroup(.all, fields: ["key_hash:max"], groupBy: ["name"])
            }
            await expectAccessError(db, uid: uid, "default_get") { _ = try await $0.model("vault.box").defaultGet(fields: ["key_hash"]) }
            await expectAccessError(db, uid: uid, "web_read") { _ = try await $0.model("vault.box").browse([own]).webRead(["key_hash": [:]]) }
            await expectAccessError(db, uid: uid, "nested web_read") {
                _ = try await $0.model("vault.link").browse([f.linkA1]).webRead(["box_id": ["fields": ["key_hash": [:]]]])
            }
            await expectAccessError(db, uid: uid, "web_search_read") {
                _ = try await $0.model("vault.box").webSearchRead(.all, specification: ["key_hash": [:]])
            }
            await expectAccessError(db, uid: uid, "create") { _ = try await $0.model("vault.box").create([["name": "x", "key_hash": "forged"]]) }
            await expectAccessError(db, uid: uid, "write") { try await $0.model("vault.box").browse([own]).write(["key_hash": "forged"]) }

            try await db.run(uid: uid) { env in
                let boxes = try env.model("vault.box")
                let all = try await boxes.browse([own]).read()
                #expect(all[0]["key_hash"] == nil && all[0]["parent_key"] == nil)
                #expect(!String(decoding: JSONValue.array(all.map(JSONValue.object)).serialized(), as: UTF8.self).contains("SECRET"))
                let described = try await boxes.fieldsGet()
                #expect(described["key_hash"] == nil && described["parent_key"] == nil && described["name"] != nil)
                // A copy leaves the secret behind.
                let copy = try await boxes.browse([own]).copy()
                #expect(copy.ids.count == 1)
            }
        }
        // Server code (sudo) keeps its access; the copies above carry no secret.
        try await f.db.run(sudo: true) { env in
            let boxes = try env.model("vault.box")
            #expect(try await boxes.browse([f.a1]).read(fields: ["key_hash"])[0]["key_hash"] == "KEY-A1-SECRET")
            #expect(try await boxes.search(.leaf("key_hash", .equal, "KEY-A1-SECRET")).ids == [f.a1])
            #expect(try await boxes.searchCount(.leaf("key_hash", .equal, false)) == 2)
        }
        await f.db.close()
    }

    @Test func aGroupFieldIsForItsGroupsOnly() async throws {
        let f = try await fixture("field_groups")
        let db = f.db
        await expectAccessError(db, uid: f.alice, "read") { _ = try await $0.model("vault.box").browse([f.a1]).read(fields: ["pin"]) }
        await expectAccessError(db, uid: f.alice, "search") { _ = try await $0.model("vault.box").search(.leaf("pin", .equal, 1234)) }
        await expectAccessError(db, uid: f.alice, "order") { _ = try await $0.model("vault.box").search(.all, order: "pin") }
        await expectAccessError(db, uid: f.alice, "group") {
            _ = try await $0.model("vault.box").readGroup(.all, fields: ["pin:sum"], groupBy: ["name"])
        }
        try await db.run(uid: f.alice) { env in
            let row = try await env.model("vault.box").browse([f.a1]).read()[0]
            #expect(row["pin"] == nil)
            #expect(try await env.model("vault.box").fieldsGet()["pin"] == nil)
        }
        try await db.run(uid: f.manager) { env in
            let boxes = try env.model("vault.box")
            #expect(try await boxes.browse([f.managerBox]).read(fields: ["pin"])[0]["pin"] == 1234)
            #expect(try await boxes.search(.leaf("pin", .equal, 1234), order: "pin desc").ids == [f.managerBox])
            let groups = try await boxes.readGroup(.all, fields: ["pin:sum"], groupBy: ["pin"])
            #expect(groups.count == 1)
            #expect(try await boxes.fieldsGet()["pin"] != nil)
        }
        await db.close()
    }

    @Test func aPasswordIsWriteOnlyForEverybody() async throws {
        let f = try await fixture("field_password")
        try await f.db.run(sudo: true) { env in
            try await env.model("res.users").browse([f.alice]).write(["password": "alice-password"])
        }
        for (uid, sudo) in [(f.manager, false), (f.manager, true)] {
            let db = f.db
            await expectAccessError(db, uid: uid, sudo: sudo, "search") {
                _ = try await $0.model("res.users").search(.leaf("password", .like, "$pbkdf2-sha512$%"))
            }
            await expectAccessError(db, uid: uid, sudo: sudo, "search_count") {
                _ = try await $0.model("res.users").searchCount(.leaf("login", .equal, "alice") && .leaf("password", .like, "$pbkdf2%"))
            }
            await expectAccessError(db, uid: uid, sudo: sudo, "order") { _ = try await $0.model("res.users").search(.all, order: "password") }
            await expectAccessError(db, uid: uid, sudo: sudo, "read_group") {
                _ = try await $0.model("res.users").readGroup(.all, fields: ["login"], groupBy: ["password"])
            }
            await expectAccessError(db, uid: uid, sudo: sudo, "dotted path") {
                _ = try await $0.model("vault.box").search(.leaf("owner_id.password", .like, "$pbkdf2%"))
            }
            try await db.run(uid: uid, sudo: sudo) { env in
                let users = try env.model("res.users")
                #expect(try await users.browse([f.alice]).read(fields: ["password"])[0]["password"] == "")
                let page = try await users.searchReadJSON(.leaf("id", .equal, .number(JSONNumber(f.alice))), fields: ["login", "password"])
                #expect(!String(decoding: page.serialized(), as: UTF8.self).contains("pbkdf2"))
                let described = try await users.fieldsGet(fields: ["password"])["password"]
                #expect(described?["store"] == false && described?["searchable"] == false)
                #expect(described?["sortable"] == false && described?["groupable"] == false)
            }
        }
        await f.db.close()
    }

    @Test func subqueriesOfADomainSeeOnlyReadableRecords() async throws {
        let f = try await fixture("field_subqueries")
        try await f.db.run(uid: f.alice) { env in
            let links = try env.model("vault.link")
            // Bob's box is behind every kind of subquery.
            #expect(try await links.search(.leaf("box_id.name", .equal, "B1")).ids == [])
            #expect(try await links.search(.leaf("box_id", .equal, "B1")).ids == [])
            #expect(try await links.search(.leaf("box_id", .any, [["name", "=", "B1"]])).ids == [])
            #expect(try await links.search(.leaf("box_id.name", .equal, "A1")).ids == [f.linkA1])
            // Negations keep their meaning over what alice can see: L-B1 points to no box she can read.
            #expect(try await links.search(.leaf("box_id.name", .notEqual, "A1")).ids == [f.linkB1])
            let boxes = try env.model("vault.box")
            // Bob's tag on A2 is not hers: it neither matches nor shows.
            #expect(try await boxes.search(.leaf("tag_ids.name", .equal, "blue")).ids == [])
            #expect(try await boxes.search(.leaf("tag_ids", .equal, "blue")).ids == [])
            #expect(try await boxes.browse([f.a2]).read(fields: ["tag_ids"])[0]["tag_ids"] == [])
            // The hierarchy is walked through her boxes only: A3 sits under Bob's B1.
            #expect(try await boxes.search(.leaf("id", .childOf, .number(JSONNumber(f.a1)))).ids == [f.a1, f.a2])
            #expect(try await boxes.search(.leaf("id", .parentOf, .number(JSONNumber(f.a3)))).ids == [f.a3])
            #expect(try await boxes.browse([f.a1]).read(fields: ["child_ids"])[0]["child_ids"] == Self.ids(f.a2))
            // A nested web_read of a box she cannot read gives its name, nothing else (as Odoo).
            let nested = try await links.browse([f.linkB1]).webRead(["box_id": ["fields": ["name": [:], "display_name": [:]]]])
            #expect(nested[0]["box_id"] == ["id": .number(JSONNumber(f.b1)), "display_name": "B1"])
        }
        try await f.db.run(uid: f.bob) { env in
            // Bob sees A1 is not his; walking up from his box stops at it.
            let ancestors = try await env.model("vault.box").search(.leaf("id", .parentOf, .number(JSONNumber(f.b1))))
            #expect(ancestors.ids == [f.b1])
        }
        try await f.db.run(sudo: true) { env in
            let descendants = try await env.model("vault.box").search(.leaf("id", .childOf, .number(JSONNumber(f.a1))))
            #expect(descendants.ids.count == 4)
        }
        await f.db.close()
    }
}
