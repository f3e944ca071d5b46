import JSONRPC
import ORM
import PostgresDriver
import Testing

@Suite("Domain compiler: exact SQL and binds, no database")
struct DomainCompilerTests {
    func compile(_ json: String) throws -> (String, [PostgresBind]) {
        let domain = try Domain(json: try JSONParser.parse(json))
        var writer = SQLWriter()
        try DomainCompiler(registry: TestModels.registry).compile(
            domain, model: TestModels.partner, alias: "res_partner", into: &writer)
        return (writer.sql, writer.binds)
    }

    func expectSQL(_ domain: String, _ sql: String, _ binds: [PostgresBind] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (actualSQL, actualBinds) = try compile(domain)
        #expect(actualSQL == sql, sourceLocation: sourceLocation)
        #expect(actualBinds == binds, sourceLocation: sourceLocation)
    }

    @Test func comparisons() throws {
        try expectSQL(#"[["name", "=", "Azure"]]"#, #""res_partner"."name" = $1"#, [.text("Azure")])
        try expectSQL(
            #"[["name", "!=", "Azure"]]"#, #"("res_partner"."name" IS NULL OR "res_partner"."name" != $1)"#,
            [.text("Azure")])
        try expectSQL(#"[["color", "<", 3]]"#, #""res_partner"."color" < $1"#, [.text("3")])
        try expectSQL(#"[["color", ">", 3]]"#, #""res_partner"."color" > $1"#, [.text("3")])
        try expectSQL(#"[["color", "<=", 3]]"#, #""res_partner"."color" <= $1"#, [.text("3")])
        try expectSQL(#"[["credit_limit", ">=", 10.5]]"#, #""res_partner"."credit_limit" >= $1"#, [.text("10.5")])
        try expectSQL(#"[["birthday", ">=", "2024-01-01"]]"#, #""res_partner"."birthday" >= $1"#, [.text("2024-01-01")])
        try expectSQL(#"[["name", "<>", "x"]]"#, #"("res_partner"."name" IS NULL OR "res_partner"."name" != $1)"#, [.text("x")])
    }

    @Test func falseMeansNotSet() throws {
        try expectSQL(#"[["email", "=", false]]"#, #"("res_partner"."email" IS NULL OR "res_partner"."email" = '')"#)
        try expectSQL(#"[["email", "!=", false]]"#, #"("res_partner"."email" IS NOT NULL AND "res_partner"."email" != '')"#)
        try expectSQL(#"[["color", "=", false]]"#, #"("res_partner"."color" IS NULL OR "res_partner"."color" = 0)"#)
        try expectSQL(#"[["is_company", "=", false]]"#, #"("res_partner"."is_company" IS NULL OR "res_partner"."is_company" = FALSE)"#)
        try expectSQL(#"[["is_company", "=", true]]"#, #""res_partner"."is_company" = $1"#, [.text("t")])
        try expectSQL(#"[["parent_id", "=", false]]"#, #""res_partner"."parent_id" IS NULL"#)
        try expectSQL(#"[["parent_id", "!=", null]]"#, #""res_partner"."parent_id" IS NOT NULL"#)
        try expectSQL(#"[["birthday", "=", false]]"#, #""res_partner"."birthday" IS NULL"#)
        try expectSQL(#"[["parent_id", "=?", false]]"#, "TRUE")
        try expectSQL(#"[["parent_id", "=?", 4]]"#, #""res_partner"."parent_id" = $1"#, [.text("4")])
    }

    @Test func inAndNotIn() throws {
        try expectSQL(#"[["id", "in", [1, 2, 3]]]"#, #""res_partner"."id" = ANY($1::int8[])"#, [.text(#"{"1","2","3"}"#)])
        try expectSQL(
            #"[["name", "not in", ["a", "b"]]]"#,
            #"("res_partner"."name" IS NULL OR NOT ("res_partner"."name" = ANY($1::text[])))"#, [.text(#"{"a","b"}"#)])
        try expectSQL(#"[["id", "in", []]]"#, "FALSE")
        try expectSQL(#"[["id", "not in", []]]"#, "TRUE")
        try expectSQL(
            #"[["parent_id", "in", [7, false]]]"#,
            #"("res_partner"."parent_id" = ANY($1::int8[]) OR "res_partner"."parent_id" IS NULL)"#, [.text(#"{"7"}"#)])
        try expectSQL(#"[["id", "in", 5]]"#, #""res_partner"."id" = ANY($1::int8[])"#, [.text(#"{"5"}"#)])
        try expectSQL(#"[["id", "=", [5, 6]]]"#, #""res_partner"."id" = ANY($1::int8[])"#, [.text(#"{"5","6"}"#)])
    }

    @Test func likeOperators() throws {
        try expectSQL(#"[["name", "ilike", "az"]]"#, #""res_partner"."name"::text ILIKE $1"#, [.text("%az%")])
        try expectSQL(#"[["name", "like", "Az"]]"#, #""res_partner"."name"::text LIKE $1"#, [.text("%Az%")])
        try expectSQL(
            #"[["name", "not ilike", "az"]]"#,
            #"("res_partner"."name" IS NULL OR "res_partner"."name"::text NOT ILIKE $1)"#, [.text("%az%")])
        try expectSQL(#"[["email", "=like", "%@x.io"]]"#, #""res_partner"."email"::text LIKE $1"#, [.text("%@x.io")])
        try expectSQL(#"[["email", "=ilike", "A%"]]"#, #""res_partner"."email"::text ILIKE $1"#, [.text("A%")])
    }

    @Test func prefixOperatorsAndImplicitAnd() throws {
        try expectSQL(
            #"["|", ["name", "=", "a"], ["name", "=", "b"], ["color", "=", 1]]"#,
            #"(("res_partner"."name" = $1 OR "res_partner"."name" = $2) AND "res_partner"."color" = $3)"#,
            [.text("a"), .text("b"), .text("1")])
        try expectSQL(
            #"["&", ["name", "=", "a"], "|", ["color", "=", 1], ["color", "=", 2]]"#,
            #"("res_partner"."name" = $1 AND ("res_partner"."color" = $2 OR "res_partner"."color" = $3))"#,
            [.text("a"), .text("1"), .text("2")])
        try expectSQL(#"[]"#, "TRUE")
        try expectSQL(#"[[1, "=", 1]]"#, "TRUE")
        try expectSQL(#"[[0, "=", 1]]"#, "FALSE")
    }

    @Test func notIsPushedDownWithOdooNullSemantics() throws {
        try expectSQL(#"["!", ["name", "=", "a"]]"#, #"("res_partner"."name" IS NULL OR "res_partner"."name" != $1)"#, [.text("a")])
        try expectSQL(
            #"["!", "|", ["name", "=", "a"], ["color", "in", [1]]]"#,
            #"(("res_partner"."name" IS NULL OR "res_partner"."name" != $1) AND ("res_partner"."color" IS NULL OR NOT ("res_partner"."color" = ANY($2::int8[]))))"#,
            [.text("a"), .text(#"{"1"}"#)])
        try expectSQL(#"["!", ["email", "=like", "a%"]]"#, #"(NOT "res_partner"."email"::text LIKE $1)"#, [.text("a%")])
    }

    @Test func dottedPathsBecomeSubqueries() throws {
        try expectSQL(
            #"[["parent_id.name", "ilike", "corp"]]"#,
            #""res_partner"."parent_id" IN (SELECT "res_partner__1"."id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."name"::text ILIKE $1)"#,
            [.text("%corp%")])
        try expectSQL(
            #"[["parent_id.name", "not ilike", "corp"]]"#,
            #"("res_partner"."parent_id" IS NULL OR "res_partner"."parent_id" NOT IN (SELECT "res_partner__1"."id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."name"::text ILIKE $1))"#,
            [.text("%corp%")])
        try expectSQL(
            #"[["child_ids.email", "=", "a@b.c"]]"#,
            #""res_partner"."id" IN (SELECT "res_partner__1"."parent_id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."parent_id" IS NOT NULL AND "res_partner__1"."email" = $1)"#,
            [.text("a@b.c")])
        try expectSQL(
            #"[["category_id.name", "=", "VIP"]]"#,
            #"EXISTS (SELECT 1 FROM "res_partner_res_partner_category_rel" AS "res_partner_res_partner_category_rel__2" WHERE "res_partner_res_partner_category_rel__2"."partner_id" = "res_partner"."id" AND "res_partner_res_partner_category_rel__2"."category_id" IN (SELECT "res_partner_category__1"."id" FROM "res_partner_category" AS "res_partner_category__1" WHERE "res_partner_category__1"."name" = $1))"#,
            [.text("VIP")])
        try expectSQL(
            #"[["user_id.partner_id.name", "=", "Bob"]]"#,
            #""res_partner"."user_id" IN (SELECT "res_users__1"."id" FROM "res_users" AS "res_users__1" WHERE "res_users__1"."partner_id" IN (SELECT "res_partner__2"."id" FROM "res_partner" AS "res_partner__2" WHERE "res_partner__2"."name" = $1))"#,
            [.text("Bob")])
    }

    @Test func anyAndNotAny() throws {
        try expectSQL(
            #"[["parent_id", "any", [["is_company", "=", true]]]]"#,
            #""res_partner"."parent_id" IN (SELECT "res_partner__1"."id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."is_company" = $1)"#,
            [.text("t")])
        try expectSQL(
            #"[["child_ids", "not any", [["color", ">", 2]]]]"#,
            #""res_partner"."id" NOT IN (SELECT "res_partner__1"."parent_id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."parent_id" IS NOT NULL AND "res_partner__1"."color" > $1)"#,
            [.text("2")])
    }

    @Test func many2oneComparedWithANameSearchesTheComodel() throws {
        try expectSQL(
            #"[["user_id", "ilike", "adm"]]"#,
            #""res_partner"."user_id" IN (SELECT "res_users__1"."id" FROM "res_users" AS "res_users__1" WHERE "res_users__1"."login"::text ILIKE $1)"#,
            [.text("%adm%")])
        try expectSQL(
            #"[["parent_id", "=", "Azure"]]"#,
            #""res_partner"."parent_id" IN (SELECT "res_partner__1"."id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."name" = $1)"#,
            [.text("Azure")])
    }

    @Test func x2manyMembership() throws {
        try expectSQL(
            #"[["category_id", "in", [3]]]"#,
            #"EXISTS (SELECT 1 FROM "res_partner_res_partner_category_rel" AS "res_partner_res_partner_category_rel__2" WHERE "res_partner_res_partner_category_rel__2"."partner_id" = "res_partner"."id" AND "res_partner_res_partner_category_rel__2"."category_id" IN (SELECT "res_partner_category__1"."id" FROM "res_partner_category" AS "res_partner_category__1" WHERE "res_partner_category__1"."id" = ANY($1::int8[])))"#,
            [.text(#"{"3"}"#)])
        try expectSQL(
            #"[["child_ids", "=", false]]"#,
            #""res_partner"."id" NOT IN (SELECT "res_partner__1"."parent_id" FROM "res_partner" AS "res_partner__1" WHERE "res_partner__1"."parent_id" IS NOT NULL)"#)
    }

    @Test func hierarchy() throws {
        try expectSQL(
            #"[["id", "child_of", 3]]"#,
            #""res_partner"."id" IN (WITH RECURSIVE "hierarchy__1"(id) AS (SELECT id FROM "res_partner" WHERE id = ANY($1::int8[]) UNION SELECT "res_partner__2"."id" FROM "res_partner" AS "res_partner__2" JOIN "hierarchy__1" ON "res_partner__2"."parent_id" = "hierarchy__1"."id") SELECT id FROM "hierarchy__1")"#,
            [.text(#"{"3"}"#)])
        try expectSQL(
            #"[["parent_id", "parent_of", [9]]]"#,
            #""res_partner"."parent_id" IN (WITH RECURSIVE "hierarchy__1"(id) AS (SELECT id FROM "res_partner" WHERE id = ANY($1::int8[]) UNION SELECT "res_partner__2"."parent_id" FROM "res_partner" AS "res_partner__2" JOIN "hierarchy__1" ON "res_partner__2"."id" = "hierarchy__1"."id" WHERE "res_partner__2"."parent_id" IS NOT NULL) SELECT id FROM "hierarchy__1")"#,
            [.text(#"{"9"}"#)])
    }

    @Test func valuesNeverReachTheSQLText() throws {
        let (sql, binds) = try compile(#"[["name", "=", "x'; DROP TABLE res_partner; --"]]"#)
        #expect(!sql.contains("DROP"))
        #expect(binds == [.text("x'; DROP TABLE res_partner; --")])
    }
}
