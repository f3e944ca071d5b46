import PostgresDriver

/// Reads an invoice of a team as the PDF renderer prints it (``InvoiceDocument``): number, date,
/// status, the team's name and its owner's contact as "bill to", the lines and the total, in two
/// statements.
enum InvoiceDocuments {
    /// The team's invoice with the public id `reference`, or `nil` (another team's is `nil` too).
    static func load(_ reference: String, team: Int64, on db: PostgresConnection) async throws -> InvoiceDocument? {
        guard
            let row = try await db.query(
                """
                SELECT i.id, i.invoice_number, i.date::text, i.status, i.amount, i.currency, t.name,
                       (SELECT array[p.name, coalesce(p.email, u.login)] FROM woow_team_member m
                        JOIN res_users u ON u.id = m.user_id JOIN res_partner p ON p.id = u.partner_id
                        WHERE m.team_id = t.id AND m.role = 'owner' ORDER BY m.id LIMIT 1)
                FROM woow_invoice i JOIN woow_team t ON t.id = i.team_id
                WHERE i.reference = \(reference) AND i.team_id = \(team)
                """
            ).first
        else { return nil }
        let lines = try await db.query(
            """
            SELECT description, amount FROM woow_invoice_line
            WHERE invoice_id = \(try row.decode(Int64.self, at: 0)) ORDER BY sequence, id
            """
        ).rows.map { InvoiceDocument.Line(description: try $0.decode(String.self, at: 0), amount: try CreditLedger.money($0, 1)) }
        let teamName = try row.decode(String.self, at: 6)
        return InvoiceDocument(
            number: try row.decode(String.self, at: 1), date: try row.decode(String.self, at: 2),
            status: try row.decode(String.self, at: 3), teamName: teamName,
            billTo: [teamName] + (try row.decode([String]?.self, at: 7) ?? []), lines: lines,
            total: try CreditLedger.money(row, 4), currency: try row.decode(String.self, at: 5))
    }
}
