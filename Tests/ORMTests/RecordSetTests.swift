import JSONRPC
import ORM
import PostgresDriver
import Testing

@Suite("ORM recordsets over a real database")
struct RecordSetTests {
    @Test func createReadWriteUnlink() async throws {
        let db = try await ORMTestDatabase.make("crud")
        let admin = try await db.makeUser("admin@x", groups: [BaseModule.Group.user])
        try await db.run(uid: admin) { env in
            let partners = try env.model("res.partner")
            let company = try await partners.create([["name": "Azure Interior", "is_company": true]])
            let people = try await partners.create([
                ["name": "Brandon", "parent_id": .number(JSONNumber(company.ids[0]))],
                ["name": "Colleen", "email": "c@x.io", "parent_id": .number(JSONNumber(company.ids[0]))],
            ])
            #expect(people.ids.count == 2)
            let rows = try await people.read(fields: ["name", "email", "parent_id", "display_name", "is_company", "child_ids"])
            #expect(rows[0]["name"] == "Brandon")
            #expect(rows[0]["email"] == false)
            #expect(rows[0]["parent_id"] == [.number(JSONNumber(company.ids[0])), "Azure Interior"])
            #expect(rows[0]["display_name"] == "Azure Interior, Brandon")
            #expect(rows[0]["is_company"] == false)
            #expect(rows[0]["child_ids"] == [])
            let companyRow = try await company.read(fields: ["child_ids"])[0]
            #expect(companyRow["child_ids"] == .array(people.ids.map { .number(JSONNumber($0)) }))
            // classic_write: many2one as the bare id.
            let classic = try await people.browse([people.ids[1]]).read(fields: ["parent_id"], load: "_classic_write")
            #expect(classic[0]["parent_id"] == .number(JSONNumber(company.ids[0])))

            try await people.browse([people.ids[0]]).write(["email": "b@x.io", "phone": "+32 2 555"])
            #expect(try await people.browse([people.ids[0]]).read(fields: ["email"])[0]["email"] == "b@x.io")
            try await people.browse([people.ids[0]]).unlink()
            #expect(try await people.exists().ids == [people.ids[1]])
            // The deleted record is a MissingError for read and write.
            let missing = await #expect(throws: ORMError.self) { try await people.browse([people.ids[0]]).write(["name": "x"]) }
            #expect(missing?.kind == .missingError)
            await #expect(throws: ORMError.self) { try await people.browse([people.ids[0]]).read(fields: ["name"]) }
        }
        await db.close()
    }

    @Test func searchOrderLimitOffsetAndArchived() async throws {
        let db = try await ORMTestDatabase.make("search")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            _ = try await partners.create(["Delta", "Alpha", "Charlie", "Bravo"].map { ["name": .string($0)] })
            let archived = try await partners.create([["name": "Echo", "active": false]])
            // Every database has the company's contact, "WoowTech".
            #expect(try await names(partners.search(.all, order: "name")) == ["Alpha", "Bravo", "Charlie", "Delta", "WoowTech"])
            #expect(try await names(partners.search(.all, offset: 2, limit: 2, order: "name desc")) == ["Charlie", "Bravo"])
            #expect(try await partners.searchCount(.all) == 5)
            // Naming `active` in the domain, or active_test=false, shows archived records.
            #expect(try await partners.search(.leaf("active", .equal, false)).ids == archived.ids)
            let all = try env.with(context: ["active_test": false]).model("res.partner")
            #expect(try await all.searchCount(.all) == 6)
            await #expect(throws: ORMError.self) { try await partners.search(.all, order: "name; DROP TABLE x") }
            await #expect(throws: ORMError.self) { try await partners.search(.all, order: "nope") }
        }
        await db.close()
    }

    @Test func x2manyCommands() async throws {
        let db = try await ORMTestDatabase.make("x2many")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let parent = try await partners.create([["name": "Parent", "child_ids": [[0, 0, ["name": "Kid A"]], [0, 0, ["name": "Kid B"]]]]])
            var kids = try await parent.read(fields: ["child_ids"])[0]["child_ids"]!.arrayValue!.compactMap(\.int64Value)
            #expect(kids.count == 2)
            let stray = try await partners.create([["name": "Stray"]])
            try await parent.write(["child_ids": [[4, .number(JSONNumber(stray.ids[0]))], [1, .number(JSONNumber(kids[0])), ["name": "Kid A2"]]]])
            kids = try await parent.read(fields: ["child_ids"])[0]["child_ids"]!.arrayValue!.compactMap(\.int64Value)
            #expect(kids.count == 3)
            #expect(try await partners.browse([kids[0]]).read(fields: ["name"])[0]["name"] == "Kid A2")
            try await parent.write(["child_ids": [[3, .number(JSONNumber(stray.ids[0]))]]])
            #expect(try await stray.read(fields: ["parent_id"])[0]["parent_id"] == false)
            try await parent.write(["child_ids": [[6, 0, [.number(JSONNumber(stray.ids[0]))]]]])
            #expect(try await parent.read(fields: ["child_ids"])[0]["child_ids"] == [.number(JSONNumber(stray.ids[0]))])
            try await parent.write(["child_ids": [[5]]])
            #expect(try await parent.read(fields: ["child_ids"])[0]["child_ids"] == [])

            // many2many on res.users.groups_id.
            let users = try env.model("res.users")
            let partner = try await partners.create([["name": "User partner"]])
            let user = try await users.create([["login": "u@x", "partner_id": .number(JSONNumber(partner.ids[0]))]])
            let groups = try await env.model("res.groups").search(.all, order: "id")
            try await user.write(["groups_id": [[6, 0, .array(groups.ids.map { .number(JSONNumber($0)) })]]])
            #expect(try await user.read(fields: ["groups_id"])[0]["groups_id"]!.arrayValue!.count == groups.ids.count)
            try await user.write(["groups_id": [[3, .number(JSONNumber(groups.ids[0]))]]])
            #expect(try await user.read(fields: ["groups_id"])[0]["groups_id"]!.arrayValue!.count == groups.ids.count - 1)
            await #expect(throws: ORMError.self) { try await user.write(["groups_id": [[9, 1]]]) }
        }
        await db.close()
    }

    @Test func databaseConstraintsBecomeReadableValidationErrors() async throws {
        let db = try await ORMTestDatabase.make("constraints")
        /// Each failing call runs in a transaction of its own, as a request would.
        func failure(_ body: @escaping (ORMEnvironment) async throws -> Void) async -> ORMError? {
            do {
                try await db.run(sudo: true) { env in try await body(env) }
                return nil
            } catch {
                return error as? ORMError
            }
        }
        let partnerID = try await db.run(sudo: true) { env in
            let partner = try await env.model("res.partner").create([["name": "P"]])
            _ = try await env.model("res.users").create([["login": "dup@x", "partner_id": .number(JSONNumber(partner.ids[0]))]])
            return partner.ids[0]
        }
        let unique = await failure { env in
            _ = try await env.model("res.users").create([["login": "dup@x", "partner_id": .number(JSONNumber(partnerID))]])
        }
        #expect(unique?.kind == .validationError)
        #expect(unique?.message == "You can not have two users with the same login!")
        // A partner a user still points to (ON DELETE RESTRICT) cannot be deleted.
        let restricted = await failure { env in try await env.model("res.partner").browse([partnerID]).unlink() }
        #expect(restricted?.kind == .validationError)
        #expect(restricted?.message.contains("another model requires the record being deleted") == true)
        #expect(restricted?.message.contains("DELETE") == false)
        let wrongType = await failure { env in _ = try await env.model("res.partner").create([["name": "x", "is_company": "yes"]]) }
        #expect(wrongType?.isValidation == true)
        let required = await failure { env in _ = try await env.model("res.partner").create([["email": "x@y"]]) }
        #expect(required?.message == "Missing required value for the field 'Name' (name) on model 'res.partner'.")
        let unknown = await failure { env in _ = try await env.model("res.partner").create([["name": "x", "nope": 1]]) }
        #expect(unknown?.kind == .valueError)
        let danglingFK = await failure { env in _ = try await env.model("res.partner").create([["name": "x", "parent_id": 999_999]]) }
        #expect(danglingFK?.isValidation == true)
        // Nothing of the failed calls was stored (the other contact is the company's).
        #expect(try await db.run(sudo: true) { env in try await env.model("res.partner").searchCount(.all) } == 2)
        await db.close()
    }

    @Test func copyReturnsNewRecords() async throws {
        let db = try await ORMTestDatabase.make("copy")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let original = try await partners.create([["name": "Original", "email": "o@x", "child_ids": [[0, 0, ["name": "Child"]]]]])
            let copy = try await original.copy(overrides: ["name": "Copy"])
            #expect(copy.ids.count == 1 && copy.ids != original.ids)
            let row = try await copy.read(fields: ["name", "email", "child_ids"])[0]
            #expect(row["name"] == "Copy")
            #expect(row["email"] == "o@x")
            #expect(row["child_ids"] == [])  // one2many is not copied, as in Odoo
        }
        await db.close()
    }

    @Test func readingManyRecordsCostsAConstantNumberOfStatements() async throws {
        let db = try await ORMTestDatabase.make("queries")
        func statements(forPartners count: Int) async throws -> Int {
            try await db.run(sudo: true) { env in
                let partners = try env.model("res.partner")
                let parent = try await partners.create([["name": .string("Parent \(count)"), "is_company": true]])
                let children = try await partners.create(
                    (0..<count).map { ["name": .string("Child \($0)"), "parent_id": .number(JSONNumber(parent.ids[0]))] })
                let all = partners.browse(parent.ids + children.ids)
                let before = env.transaction.statementCount
                let rows = try await all.read(fields: ["name", "parent_id", "child_ids", "display_name", "create_uid"])
                #expect(rows.count == count + 1)
                return env.transaction.statementCount - before
            }
        }
        let few = try await statements(forPartners: 3)
        let many = try await statements(forPartners: 60)
        #expect(few == many, "reading 61 records took \(many) statements, 4 records \(few)")
        #expect(many <= 4)
    }

    @Test func searchReadIsOneStatementAndAgreesWithSearchThenRead() async throws {
        let db = try await ORMTestDatabase.make("searchread")
        try await db.run(sudo: true) { env in
            let partners = try env.model("res.partner")
            let parent = try await partners.create([["name": "Acme", "is_company": true]])
            _ = try await partners.create(
                (0..<30).map { ["name": .string("Person \($0)"), "parent_id": $0 % 3 == 0 ? .number(JSONNumber(parent.ids[0])) : false] })
            let domain = try Domain(json: [["name", "ilike", "person"]])
            let fields = ["name", "parent_id", "display_name", "is_company"]
            let before = env.transaction.statementCount
            let combined = try await partners.searchRead(domain, fields: fields, offset: 5, limit: 20, order: "name desc")
            #expect(env.transaction.statementCount - before == 1, "columns and many2one names in one statement")
            let separate = try await partners.search(domain, offset: 5, limit: 20, order: "name desc").read(fields: fields)
            #expect(combined == separate)
            #expect(combined.count == 20)
            #expect(combined.first?["parent_id"] == false || combined.first?["parent_id"]?[1] == "Acme")
            let withParent = combined.first { $0["parent_id"] != false }
            #expect(withParent?["parent_id"] == [.number(JSONNumber(parent.ids[0])), "Acme"])
            // Same members in the same order (what a client sees on the wire), for the one-pass
            // path (every field a column) and for the path with x2many and derived fields.
            #expect(combined.map(\.keys) == separate.map(\.keys))
            #expect(combined.first?.keys == ["id"] + fields)
            let flat = ["email", "phone", "is_company", "active", "parent_id", "create_date", "write_uid", "display_name"]
            for names in [flat, nil] as [[String]?] {
                let direct = try await partners.searchRead(domain, fields: names, limit: 10)
                let twoStep = try await partners.search(domain, limit: 10).read(fields: names)
                #expect(direct == twoStep)
                #expect(direct.map(\.keys) == twoStep.map(\.keys))
                #expect(direct.allSatisfy { $0["phone"] == false && $0["create_date"]?.stringValue?.count == 19 })
            }
            // A write-only field reads as "" on both paths.
            let users = try env.model("res.users")
            _ = try await users.create([["login": "reader@x", "partner_id": .number(JSONNumber(parent.ids[0])), "password": "long-password"]])
            let userFields = ["login", "password", "partner_id", "write_date"]
            let directUsers = try await users.searchRead(.all, fields: userFields, limit: 5)
            #expect(!directUsers.isEmpty)
            #expect(directUsers == (try await users.search(.all, limit: 5).read(fields: userFields)))
            #expect(directUsers.allSatisfy { $0["password"] == "" })
            let classic = try await partners.searchRead(domain, fields: ["parent_id"], limit: 30, load: "_classic_write")
            #expect(classic.contains { $0["parent_id"] == .number(JSONNumber(parent.ids[0])) })
            #expect(try await partners.searchRead(try Domain(json: [["name", "=", "nobody"]]), fields: fields).isEmpty)
        }
        await db.close()
    }

    private func names(_ records: RecordSet) async throws -> [String] {
        try await records.read(fields: ["name"]).map { $0["name"]?.stringValue ?? "" }
    }
}

@Suite("ORM password fields")
struct PasswordFieldTests {
    @Test func passwordsAreHashedWriteOnlyAndRestricted() async throws {
        var builder = RegistryBuilder()
        builder.passwordRounds = 1000
        BaseModule.register(into: &builder)
        let db = try await ORMTestDatabase.make("passwords", registry: try builder.build())
        let manager = try await db.makeUser("manager", groups: [BaseModule.Group.user, BaseModule.Group.accessRights])
        let plain = try await db.makeUser("plain")
        try await db.run(uid: manager) { env in
            try await env.model("res.users").browse([plain]).write(["password": "s3cret-pass"])
            let row = try await env.model("res.users").browse([plain]).read(fields: ["password", "login"])[0]
            #expect(row["password"] == "")
        }
        let stored = try await db.client.query("SELECT password FROM res_users WHERE id = \(plain)")[0].decode(String.self, at: 0)
        #expect(stored.hasPrefix("$pbkdf2-sha512$1000$"))
        #expect(!stored.contains("s3cret-pass"))
        // A plain user may not set anybody's password through write, not even their own.
        let denied = await db.failure(uid: plain) { env in try await env.model("res.users").browse([plain]).write(["password": "x"]) }
        #expect(denied?.kind == .accessError)
        let empty = await db.failure(uid: manager) { env in try await env.model("res.users").browse([plain]).write(["password": ""]) }
        #expect(empty?.kind == .validationError)
        await db.close()
    }
}
