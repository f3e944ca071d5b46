/// An invoice as it is printed: already formatted strings and exact amounts, nothing to look up.
public struct InvoiceDocument: Sendable {
    /// One billed line.
    public struct Line: Sendable {
        public var description: String
        public var amount: Money

        public init(description: String, amount: Money) {
            self.description = description
            self.amount = amount
        }
    }

    /// `"INV-2026-000042"`.
    public var number: String
    /// `"YYYY-MM-DD"`.
    public var date: String
    /// `"paid"`, `"open"`, ….
    public var status: String
    public var teamName: String
    /// Address lines; may be empty.
    public var billTo: [String]
    public var lines: [Line]
    public var total: Money
    /// `"USD"`.
    public var currency: String

    public init(
        number: String, date: String, status: String, teamName: String, billTo: [String], lines: [Line],
        total: Money, currency: String
    ) {
        self.number = number
        self.date = date
        self.status = status
        self.teamName = teamName
        self.billTo = billTo
        self.lines = lines
        self.total = total
        self.currency = currency
    }
}
