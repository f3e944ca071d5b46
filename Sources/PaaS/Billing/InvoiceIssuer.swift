import PostgresDriver

/// Issues invoices: a number sequential per calendar year (UTC) without gaps (`INV-2026-000001`,
/// taken from `woow_invoice_sequence` in the caller's transaction, so a rolled-back invoice gives
/// its number back), the invoice and its lines.
public enum InvoiceIssuer {
    /// An issued invoice.
    public struct Issued: Sendable, Hashable {
        /// The row id.
        public let id: Int64
        /// The public id (`ivc_…`).
        public let reference: String
        /// `INV-2026-000001`.
        public let number: String
    }

    /// One line of an invoice.
    public struct Line: Sendable, Hashable {
        public let description: String
        public let amount: Money
        public init(description: String, amount: Money) {
            self.description = description
            self.amount = amount
        }
    }

    /// Issues an invoice dated today (UTC) for `lines`, in the caller's transaction.
    public static func issue(
        team: Int64, lines: [Line], status: String = "paid", user: Int64?, on db: PostgresConnection
    ) async throws -> Issued {
        let total = lines.reduce(Money.zero) { $0 + $1.amount }
        let sequence = try await db.query(
            """
            INSERT INTO woow_invoice_sequence (year, last_number)
            VALUES (extract(year FROM now() AT TIME ZONE 'UTC')::int, 1)
            ON CONFLICT (year) DO UPDATE SET last_number = woow_invoice_sequence.last_number + 1
            RETURNING year, last_number
            """)[0]
        let year = try sequence.decode(Int.self, at: 0)
        let serial = try sequence.decode(Int.self, at: 1)
        let digits = String(serial)
        let number = "INV-\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        let reference = BillingID.invoice()
        let id = try await db.query(
            """
            INSERT INTO woow_invoice (reference, invoice_number, team_id, date, amount, status, create_uid, write_uid)
            VALUES (\(reference), \(number), \(team), (now() AT TIME ZONE 'UTC')::date, \(total.numeric), \(status),
                    \(user), \(user))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await db.query(
            """
            INSERT INTO woow_invoice_line (invoice_id, sequence, description, amount, create_uid, write_uid)
            SELECT \(id), n * 10, d, a, \(user), \(user)
            FROM unnest(\(lines.map(\.description))::varchar[], \(lines.map(\.amount.description))::numeric[])
                 WITH ORDINALITY AS l(d, a, n)
            """)
        return Issued(id: id, reference: reference, number: number)
    }
}
