import ORM

/// The billing models: `woow.payment.method` (a team's cards: brand, last four, expiry — never the
/// number or the CVC), `woow.transaction` (the credit ledger), `woow.invoice` and
/// `woow.invoice.line`, and `woow.usage.line` (metered usage). Clients only read them (owners and
/// admins of the current team, see ``PaaSAccess``); every field is system-only, and the gateway's
/// token is a server-only secret. The billing routes and the metering worker
/// write them as the server.
enum BillingModels {
    static let paymentMethod = ModelDefinition(
        name: "woow.payment.method", description: "Payment Method", order: "id", recName: "reference",
        fields: [
            .char("reference", string: "Payment Method ID", required: true, index: true).systemOnly(),
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .selection("brand", PaaSValues.options(PaaSValues.cardBrands), string: "Brand", required: true).systemOnly(),
            .char("last_four", string: "Last Four Digits", required: true).systemOnly(),
            .integer("exp_month", string: "Expiry Month", required: true).systemOnly(),
            .integer("exp_year", string: "Expiry Year", required: true).systemOnly(),
            .boolean("is_default", string: "Default", defaultValue: false).systemOnly(),
            .char("gateway", string: "Gateway", required: true).systemOnly(),
            .char("gateway_token", string: "Gateway Token", required: true).secret(),
        ])

    static let transaction = ModelDefinition(
        name: "woow.transaction", description: "Credit Transaction", order: "id desc", recName: "reference",
        fields: [
            .char("reference", string: "Transaction ID", required: true, index: true).systemOnly(),
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .selection("type", PaaSValues.options(PaaSValues.transactionTypes), string: "Type", required: true).systemOnly(),
            .monetary("amount", string: "Amount", required: true).systemOnly(),
            .monetary("balance_after", string: "Balance After", required: true).systemOnly(),
            .selection("status", PaaSValues.options(["succeeded", "failed"]), string: "Status", defaultValue: "succeeded")
                .systemOnly(),
            .char("description", string: "Description", required: true).systemOnly(),
            .many2one("payment_method_id", "woow.payment.method", string: "Payment Method", ondelete: .setNull).systemOnly(),
            .many2one("invoice_id", "woow.invoice", string: "Invoice", ondelete: .setNull).systemOnly(),
            .char("gateway_reference", string: "Gateway Reference").systemOnly(),
            .many2one("user_id", "res.users", string: "User", ondelete: .setNull).systemOnly(),
        ])

    static let invoice = ModelDefinition(
        name: "woow.invoice", description: "Invoice", order: "date desc, id desc", recName: "invoice_number",
        fields: [
            .char("reference", string: "Invoice ID", required: true, index: true).systemOnly(),
            .char("invoice_number", string: "Invoice Number", required: true, index: true).systemOnly(),
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .date("date", string: "Date", required: true).systemOnly(),
            .monetary("amount", string: "Amount", required: true).systemOnly(),
            .char("currency", string: "Currency", required: true, defaultValue: "USD").systemOnly(),
            .selection("status", PaaSValues.options(PaaSValues.invoiceStatuses), string: "Status", defaultValue: "paid")
                .systemOnly(),
            .one2many("line_ids", "woow.invoice.line", inverse: "invoice_id", string: "Lines"),
        ])

    static let invoiceLine = ModelDefinition(
        name: "woow.invoice.line", description: "Invoice Line", order: "sequence, id", recName: "description",
        fields: [
            .many2one("invoice_id", "woow.invoice", string: "Invoice", required: true, index: true, ondelete: .cascade)
                .systemOnly(),
            .integer("sequence", string: "Sequence", defaultValue: 10).systemOnly(),
            .char("description", string: "Description", required: true).systemOnly(),
            .monetary("amount", string: "Amount", required: true).systemOnly(),
        ])

    static let usageLine = ModelDefinition(
        name: "woow.usage.line", description: "Usage Line", order: "date desc, id desc", recName: "description",
        fields: [
            .many2one("team_id", "woow.team", string: "Team", required: true, index: true, ondelete: .cascade).systemOnly(),
            .many2one("workspace_id", "woow.workspace", string: "Workspace", ondelete: .setNull).systemOnly(),
            .many2one("app_id", "woow.cloud.app", string: "Cloud App", ondelete: .setNull).systemOnly(),
            .date("date", string: "Date", required: true).systemOnly(),
            .char("service", string: "Service", required: true).systemOnly(),
            .char("description", string: "Description", required: true).systemOnly(),
            .monetary("amount", string: "Amount", required: true).systemOnly(),
        ])

    /// Every billing model, in registration order.
    static let all = [paymentMethod, transaction, invoice, invoiceLine, usageLine]
}
