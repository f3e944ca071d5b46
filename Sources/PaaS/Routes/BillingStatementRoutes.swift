import Foundation
import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /billing/usage`, `GET /billing/invoices` and `GET /billing/invoices/{invoice_id}/download`
/// (owners and admins of the current team).
enum BillingStatementRoutes {
    /// The longest usage report, in days.
    static let maxUsageDays = 366

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/billing/usage", access: .connection, usage),
            builder.route(.get, "/billing/invoices", access: .connection, invoices),
            builder.route(.get, "/billing/invoices/{invoice_id}/download", access: .connection, download),
        ]
    }

    /// `?start_date&end_date` (`YYYY-MM-DD`, both included; default: this month so far, UTC) →
    /// `{items: [{date, service, workspace, amount, description}], total, start_date, end_date}`
    /// where `total` is the exact sum of the listed amounts. Items are ordered by date, then id.
    @Sendable static func usage(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let start = reader.date("start_date")
        let end = reader.date("end_date")
        let today = BillingDate.today()
        let from = start ?? BillingDate(year: today.year, month: today.month, day: 1)!
        let to = end ?? today
        if reader.errors.isEmpty {
            if to < from {
                reader.fail("end_date", "must not be before start_date")
            } else if to.dayNumber - from.dayNumber >= maxUsageDays {
                reader.fail("end_date", "the range may cover at most \(maxUsageDays) days")
            }
        }
        try reader.finish()
        let member = try await BillingRoutes.reader(request)
        let rows = try await request.db.query(
            """
            SELECT l.date::text, l.service, coalesce(w.name, ''), l.amount, l.description
            FROM woow_usage_line l LEFT JOIN woow_workspace w ON w.id = l.workspace_id
            WHERE l.team_id = \(member.teamID) AND l.date BETWEEN \(from.text)::date AND \(to.text)::date
            ORDER BY l.date, l.id
            """)
        var total = Money.zero
        var items: [JSONValue] = []
        for row in rows.rows {
            let amount = try CreditLedger.money(row, 3)
            total = total + amount
            items.append([
                "date": .string(try row.decode(String.self, at: 0)),
                "service": .string(try row.decode(String.self, at: 1)),
                "workspace": .string(try row.decode(String.self, at: 2)),
                "amount": amount.json,
                "description": .string(try row.decode(String.self, at: 4)),
            ])
        }
        return .ok([
            "items": .array(items), "total": total.json, "start_date": .string(from.text), "end_date": .string(to.text),
        ])
    }

    /// `?page&per_page` → `{items: [{id, invoice_number, date, amount, status, download_url}], total,
    /// page, per_page}`, newest first.
    @Sendable static func invoices(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let page = reader.pagination()
        try reader.finish()
        let member = try await BillingRoutes.reader(request)
        let db = try request.db
        let total = try await db.query("SELECT count(*) FROM woow_invoice WHERE team_id = \(member.teamID)")[0]
            .decode(Int.self, at: 0)
        let rows = try await db.query(
            """
            SELECT reference, invoice_number, date::text, amount, status FROM woow_invoice
            WHERE team_id = \(member.teamID)
            ORDER BY date DESC, id DESC LIMIT \(page.perPage) OFFSET \(page.offset)
            """)
        let items: [JSONValue] = try rows.rows.map { row in
            let reference = try row.decode(String.self, at: 0)
            return [
                "id": .string(reference),
                "invoice_number": .string(try row.decode(String.self, at: 1)),
                "date": .string(try row.decode(String.self, at: 2)),
                "amount": try CreditLedger.money(row, 3).json,
                "status": .string(try row.decode(String.self, at: 4)),
                "download_url": .string("/paas/api/v1/billing/invoices/\(reference)/download"),
            ]
        }
        return .ok(page.list(items, total: total))
    }

    /// The invoice as a PDF attachment (`<invoice number>.pdf`, rendered by ``InvoicePDF``); another
    /// team's or an unknown id is `NOT_FOUND`.
    @Sendable static func download(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("invoice_id")
        try reader.finish()
        let member = try await BillingRoutes.reader(request)
        guard let reference = request.call.pathParameters["invoice_id"],
            let document = try await InvoiceDocuments.load(reference, team: member.teamID, on: request.db)
        else { throw AppError(.notFound, "Invoice not found") }
        return .file(
            AppFile(filename: "\(document.number).pdf", contentType: "application/pdf", bytes: InvoicePDF.render(document)))
    }
}

extension ParamReader {
    /// A calendar date `YYYY-MM-DD` that exists.
    mutating func date(_ name: String, required: Bool = false) -> BillingDate? {
        guard let text = string(name, required: required, maxLength: 10) else { return nil }
        guard let date = BillingDate(text) else {
            fail(name, "must be a date YYYY-MM-DD")
            return nil
        }
        return date
    }
}
