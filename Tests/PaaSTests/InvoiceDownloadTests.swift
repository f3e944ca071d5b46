import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONRPC
import Testing
import TestSupport

/// `GET /billing/invoices/{invoice_id}/download`: a real PDF over REST (read back with poppler's
/// `pdftotext`), the file as base64 in the envelope over JSON-RPC, errors as envelopes.
@Suite("PaaS: invoice download")
struct InvoiceDownloadTests {
    @Test func theInvoiceIsAPDFWithItsNumberDateTeamLinesAndTotal() async throws {
        let fixture = try await PaaSFixture.make("billing-pdf")
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            let topUp = try await api.call(
                .post, "/billing/add-funds", ["amount": 1234.56, "payment_method_id": .string(visa)], session: admin, via: .rest
            ).expectSuccess()
            let invoice = try #require(topUp["invoice_id"]?.stringValue)
            let row = try await fixture.app.client.query(
                "SELECT invoice_number, date::text FROM woow_invoice WHERE reference = \(invoice)")[0]
            let number = try row.decode(String.self, at: 0)
            let date = try row.decode(String.self, at: 1)

            let manager = try await api.login("manager")
            let response = try await api.client.execute(
                uri: "/paas/api/v1/billing/invoices/\(invoice)/download", method: .get, headers: [.cookie: "session_id=\(manager)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/pdf")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(number).pdf\"")
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
            let pdf = try await PDFReader.read(bytes)
            #expect(pdf.pages == 1)
            for expected in [number, date, "WoowTech Demo", "Credits top-up", "Visa", "4242", "1,234.56"] {
                #expect(pdf.text.contains(expected) || pdf.text.contains(expected.replacingOccurrences(of: ",", with: "")), "\(expected) missing from:\n\(pdf.text)")
            }

            // JSON-RPC: the same bytes, base64, in the envelope.
            let rpc = try await api.call(.get, "/billing/invoices/\(invoice)/download", session: manager, via: .jsonRPC).expectSuccess()
            #expect(rpc["filename"]?.stringValue == "\(number).pdf")
            #expect(rpc["content_type"] == "application/pdf")
            let decoded = try #require(Data(base64Encoded: rpc["content_base64"]?.stringValue ?? ""))
            #expect(Array(decoded).starts(with: Array("%PDF-".utf8)))
            #expect(decoded.count == bytes.count)

            // Errors stay envelopes: another team's invoice, an unknown one, a guest.
            let rival = try await api.login("rival")
            for transport in Transport.allCases {
                try await api.call(.get, "/billing/invoices/\(invoice)/download", session: rival, via: transport)
                    .expect(code: "NOT_FOUND", status: .notFound)
                try await api.call(.get, "/billing/invoices/ivc_nope/download", session: admin, via: transport)
                    .expect(code: "NOT_FOUND", status: .notFound)
                let guest = try await api.login("guest")
                try await api.call(.get, "/billing/invoices/\(invoice)/download", session: guest, via: transport)
                    .expect(code: "AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
                try await api.call(.get, "/billing/invoices/\(invoice)/download", session: nil, via: transport).expectSessionExpired()
            }
        }
    }
}
