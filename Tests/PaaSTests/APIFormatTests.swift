import JSONRPC
import PaaS
import PostgresDriver
import Testing

/// `APIFormat`: Odoo's read values turned into the PaaS API's shapes.
@Suite("API formats")
struct APIFormatTests {
    @Test func timestampsBecomeISO8601UTC() {
        #expect(APIFormat.timestamp("2026-12-02 10:15:04") == "2026-12-02T10:15:04Z")
        #expect(APIFormat.timestamp("2026-12-02 10:15:04.123456") == "2026-12-02T10:15:04Z")
        #expect(APIFormat.timestamp("2026-12-02") == .null)
        #expect(APIFormat.timestamp(false) == .null)
        #expect(APIFormat.timestamp(nil) == .null)
    }

    @Test func moneyHasTwoDecimals() throws {
        #expect(APIFormat.money(PostgresNumeric("0")) == .number(JSONNumber(literal: "0.00")!))
        #expect(APIFormat.money(PostgresNumeric("12.5")) == .number(JSONNumber(literal: "12.50")!))
        #expect(APIFormat.money(PostgresNumeric("500.00")) == .number(JSONNumber(literal: "500.00")!))
        #expect(APIFormat.money(nil as PostgresNumeric?) == .number(JSONNumber(literal: "0.00")!))
        #expect(APIFormat.money(.number(JSONNumber(literal: "15")!)) == .number(JSONNumber(literal: "15.00")!))
        #expect(APIFormat.money(false) == .number(JSONNumber(literal: "0.00")!))
        // More decimals than cents is not money: kept, never rounded.
        #expect(APIFormat.money(PostgresNumeric("0.125")) == .number(JSONNumber(literal: "0.125")!))
    }
}
