import ORM

/// The selection values of the PaaS models, shared by models, routes and validation.
public enum PaaSValues {
    /// Team plans.
    public static let plans = ["free", "pro", "enterprise"]
    /// Roles inside a team, most powerful first.
    public static let roles = ["owner", "admin", "user", "guest"]
    /// Roles an invitation may give (a team's owner is never invited).
    public static let invitableRoles = ["admin", "user", "guest"]
    /// Member statuses.
    public static let memberStatuses = ["active", "pending", "offline"]
    /// Workspace statuses.
    public static let workspaceStatuses = ["active", "inactive"]
    /// Cloud-app statuses.
    public static let appStatuses = ["deploying", "running", "stopped", "error"]
    /// Marketplace categories.
    public static let categories = ["ai", "automation", "database", "analytics", "devops", "cms"]

    /// Card brands the payment gateway accepts.
    public static let cardBrands = ["visa", "mastercard", "amex"]
    /// Kinds of credit transactions: credits added by a card (`topup`, `auto_reload`) or used (`usage`).
    public static let transactionTypes = ["topup", "auto_reload", "usage"]
    /// Invoice statuses.
    public static let invoiceStatuses = ["paid", "processing", "failed"]

    /// Selection options with capitalised labels.
    static func options(_ values: [String]) -> [SelectionOption] {
        values.map { SelectionOption($0, $0.prefix(1).uppercased() + $0.dropFirst()) }
    }
}
