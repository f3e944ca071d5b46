import Foundation
import PostgresDriver
import Testing
import TestSupport

@Suite("Driver: typed decoding and binds over a real server")
struct DecodingTests {
    let client: PostgresClient

    init() async throws {
        client = try await TestPostgres.shared.makeDatabase("decoding").makeClient()
    }

    @Test func integersAndBooleans() async throws {
        let row = try await client.query(
            "SELECT 42::int2, 2147483647::int4, 9223372036854775807::int8, (-9223372036854775808)::int8, true, false"
        )[0]
        #expect(try row.decode(Int.self, at: 0) == 42)
        #expect(try row.decode(Int32.self, at: 1) == Int32.max)
        #expect(try row.decode(Int64.self, at: 2) == Int64.max)
        #expect(try row.decode(Int64.self, at: 3) == Int64.min)
        #expect(try row.decode(Bool.self, at: 4) == true)
        #expect(try row.decode(Bool.self, at: 5) == false)
    }

    @Test func numericKeepsEveryDigit() async throws {
        let literal = "12345678901234567890.123456789012"
        let row = try await client.query("SELECT \(literal)::numeric, 0.1::numeric + 0.2::numeric, -12.50::numeric(14,2)")[0]
        #expect(try row.decode(PostgresNumeric.self, at: 0).text == literal)
        #expect(try row.decode(PostgresNumeric.self, at: 1).text == "0.3")
        let money = try row.decode(PostgresNumeric.self, at: 2)
        #expect(money.text == "-12.50")
        #expect(money.minorUnits(scale: 2) == -1250)
        #expect(PostgresNumeric(minorUnits: 5, scale: 2).text == "0.05")
        // A numeric bind travels as text, exactly.
        let echoed = try await client.query("SELECT \(PostgresNumeric(literal)!)::numeric")[0]
        #expect(try echoed.decode(PostgresNumeric.self, at: 0).text == literal)
    }

    @Test func textIsUTF8AndBindsAreNeverSQL() async throws {
        let tricky = "O'Brien \"quoted\"; DROP TABLE res_users; -- 日本語 🚀"
        let row = try await client.query("SELECT \(tricky)::text, length(\(tricky))")[0]
        #expect(try row.decode(String.self, at: 0) == tricky)
        #expect(try row.decode(Int.self, at: 1) == tricky.count)
        #expect(try await client.query("SELECT count(*) FROM res_users")[0].decode(Int.self, at: 0) >= 0)
    }

    @Test func byteaRoundTripsBinary() async throws {
        let bytes: [UInt8] = [0, 1, 2, 0xFF, 0x5C, 0x27, 0]
        let row = try await client.query("SELECT \(PostgresBytes(bytes))::bytea, \(PostgresBytes([]))::bytea")[0]
        #expect(try row.decode(PostgresBytes.self, at: 0).bytes == bytes)
        #expect(try row.decode(PostgresBytes.self, at: 1).bytes == [])
    }

    @Test func mixedBindsKeepTheirPlaceAndLength() async throws {
        // Text, NULL, binary (with NUL bytes and empty) and empty text in one statement: each
        // parameter arrives whole, in its own slot of the one marshalled buffer.
        let bytes: [UInt8] = [0, 1, 0, 255]
        let row = try await client.query(
            """
            SELECT \("héllo")::text, \(nil as String?)::text IS NULL, \(PostgresBytes(bytes))::bytea,
                   \("")::text, \(PostgresBytes([]))::bytea, length(\(String(repeating: "é", count: 5000)))
            """)[0]
        #expect(try row.decode(String.self, at: 0) == "héllo")
        #expect(try row.decode(Bool.self, at: 1))
        #expect(try row.decode(PostgresBytes.self, at: 2).bytes == bytes)
        #expect(try row.decode(String.self, at: 3) == "")
        #expect(try row.decode(PostgresBytes.self, at: 4).bytes == [])
        #expect(try row.decode(Int.self, at: 5) == 5000)
    }

    @Test func datesAndTimestampsAreUTC() async throws {
        let row = try await client.query(
            """
            SELECT '2024-02-29'::date, '2024-05-02 08:10:00.25'::timestamp,
                   '2024-05-02 10:10:00+02'::timestamptz, '1969-12-31 23:59:59'::timestamp
            """)[0]
        #expect(try row.decode(PostgresDate.self, at: 0) == PostgresDate(year: 2024, month: 2, day: 29))
        let naive = try row.decode(Date.self, at: 1)
        #expect(PostgresTimestamp.format(naive) == "2024-05-02 08:10:00")
        #expect(abs(naive.timeIntervalSince1970 - 1_714_637_400.25) < 0.0001)
        #expect(PostgresTimestamp.format(try row.decode(Date.self, at: 2)) == "2024-05-02 08:10:00")
        #expect(try row.decode(Date.self, at: 3).timeIntervalSince1970 == -1)
        // A Date bind round-trips to the microsecond.
        let now = Date(timeIntervalSince1970: 1_800_000_000.123456)
        let back = try await client.query("SELECT \(now)::timestamptz")[0].decode(Date.self, at: 0)
        #expect(abs(back.timeIntervalSince1970 - now.timeIntervalSince1970) < 0.000002)
    }

    @Test func jsonColumnsComeBackAsText() async throws {
        let row = try await client.query(
            "SELECT '{\"a\": [1, 2.50, null]}'::jsonb, \(PostgresJSONText("{\"k\":\"v\"}"))::json")[0]
        #expect(try row.decode(PostgresJSONText.self, at: 0).text == "{\"a\": [1, 2.50, null]}")
        #expect(try row.decode(PostgresJSONText.self, at: 1).text == "{\"k\":\"v\"}")
    }

    @Test func arraysWithNullsAndQuotes() async throws {
        let names = ["a", "b,c", "d\"e", "{x}", "back\\slash", "é\"ü", "e\u{301}\\\"", "NULL", ""]
        let row = try await client.query(
            "SELECT ARRAY[1, 2, 3]::int8[], \(names)::text[], ARRAY['x', NULL]::text[], '{}'::int4[], \([5, 6])::int8[]")[0]
        #expect(try row.decode([Int].self, at: 0) == [1, 2, 3])
        #expect(try row.decode([String].self, at: 1) == names)
        #expect(try row.decode([String?].self, at: 2) == ["x", nil])
        #expect(try row.decode([Int].self, at: 3) == [])
        #expect(try row.decode([Int64].self, at: 4) == [5, 6])
    }

    @Test func nullDecodesOnlyIntoOptionals() async throws {
        let row = try await client.query("SELECT NULL::int8, NULL::text")[0]
        #expect(try row.decode(Int64?.self, at: 0) == nil)
        #expect(row.isNull(at: 1))
        let error = #expect(throws: PostgresError.self) { try row.decode(String.self, at: 1) }
        #expect(error?.code == .decoding)
        #expect(throws: PostgresError.self) { try row.decode(Int.self, named: "nope") }
    }

    @Test func wrongTypeIsADecodingError() async throws {
        let row = try await client.query("SELECT 'abc'::text, 3000000000::int8")[0]
        #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 0) }
        #expect(throws: PostgresError.self) { try row.decode(Int32.self, at: 1) }
    }

    @Test func rowsAndAffectedCounts() async throws {
        try await client.query("CREATE TEMP TABLE IF NOT EXISTS t_rows (v int)")
        let result = try await client.withConnection { db in
            try await db.query("CREATE TEMP TABLE t (v int)")
            try await db.query("INSERT INTO t SELECT generate_series(1, 5)")
            let updated = try await db.query("UPDATE t SET v = v + 1 WHERE v > \(2)")
            #expect(updated.affectedRows == 3)
            return try await db.query("SELECT v FROM t ORDER BY v")
        }
        #expect(result.rowCount == 5)
        #expect(try result.rows.map { try $0.decode(Int.self, at: 0) } == [1, 2, 4, 5, 6])
        #expect(result.columnNames == ["v"])
    }
}
