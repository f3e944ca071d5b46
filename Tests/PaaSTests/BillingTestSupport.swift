import Foundation
import JSONRPC
import PaaS
import PostgresDriver
import Testing

extension PaaSFixture {
    /// The demo team's id.
    func demoTeam() async throws -> Int64 {
        try await scalar("SELECT id FROM woow_team WHERE name = 'WoowTech Demo'", as: Int64.self)
    }

    /// The rival team's id.
    func rivalTeam() async throws -> Int64 {
        try await scalar("SELECT id FROM woow_team WHERE name = 'Rival Co'", as: Int64.self)
    }

    /// A team's balance as exact text (`500.00`).
    func balance(_ team: Int64) async throws -> String {
        try await scalar("SELECT credits_balance::text FROM woow_team WHERE id = \(team)", as: String.self)
    }

    /// The public id of the team's card ending in `lastFour`.
    func card(_ lastFour: String, team: Int64) async throws -> String {
        try await scalar(
            "SELECT reference FROM woow_payment_method WHERE team_id = \(team) AND last_four = \(lastFour) ORDER BY id DESC LIMIT 1",
            as: String.self)
    }

    /// Adds a card directly (as the route would store it) through the test gateway.
    @discardableResult
    func insertCard(_ number: String, team: Int64, isDefault: Bool = false) async throws -> String {
        let token = try await TestPaymentGateway().tokenize(
            CardDetails(number: number, expMonth: 12, expYear: 2040, cvc: number.hasPrefix("3") ? "1234" : "123"), today: Date())
        let reference = BillingID.paymentMethod()
        try await app.client.withTransaction { db in
            if isDefault { try await db.query("UPDATE woow_payment_method SET is_default = false WHERE team_id = \(team)") }
            try await db.query(
                """
                INSERT INTO woow_payment_method (reference, team_id, brand, last_four, exp_month, exp_year, is_default, gateway, gateway_token)
                VALUES (\(reference), \(team), \(token.brand.rawValue), \(token.lastFour), 12, 2040, \(isDefault), 'test', \(token.token))
                """)
        }
        return reference
    }
}

/// An amount's exact literal in an answer (`"10.00"`).
func literal(_ value: JSONValue?) -> String? { value?.numberValue?.literal }
