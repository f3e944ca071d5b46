import PostgresDriver
import WebAPI

/// A team's card as the database keeps it (`woow_payment_method`): no number, no CVC.
public struct StoredCard: Sendable, Hashable {
    /// The row id.
    public let id: Int64
    /// The public id (`pm_…`).
    public let reference: String
    /// The brand.
    public let brand: CardBrand
    /// The last four digits.
    public let lastFour: String
    /// The gateway's token for charges.
    public let token: String

    /// `Visa •••• 4242`, for invoices and activities.
    public var label: String { "\(brand.label) •••• \(lastFour)" }

    static let columns = "id, reference, brand, last_four, gateway_token"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        reference = try row.decode(String.self, at: 1)
        guard let brand = CardBrand(rawValue: try row.decode(String.self, at: 2)) else {
            throw AppError(.internalError, "A stored card has an unknown brand.")
        }
        self.brand = brand
        lastFour = try row.decode(String.self, at: 3)
        token = try row.decode(String.self, at: 4)
    }

    /// The team's card with the public id `reference`, or `nil` (another team's card is `nil` too).
    public static func find(_ reference: String, team: Int64, on db: PostgresConnection) async throws -> StoredCard? {
        try await db.query(
            """
            SELECT id, reference, brand, last_four, gateway_token FROM woow_payment_method
            WHERE reference = \(reference) AND team_id = \(team)
            """
        ).first.map(StoredCard.init(row:))
    }

    /// The team's default card, if any.
    public static func defaultCard(team: Int64, on db: PostgresConnection) async throws -> StoredCard? {
        try await db.query(
            """
            SELECT id, reference, brand, last_four, gateway_token FROM woow_payment_method
            WHERE team_id = \(team) AND is_default
            """
        ).first.map(StoredCard.init(row:))
    }
}
