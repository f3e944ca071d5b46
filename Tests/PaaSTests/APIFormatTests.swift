import JSONRPC
import PaaS
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
}
