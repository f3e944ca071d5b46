import Foundation
import JSONRPC
import Logging
import PaaS
import PostgresDriver
import Testing
import TestSupport
import WebAPI

/// Money is never lost in a race: top-ups and charges of one team serialise on the team's row.
@Suite("PaaS: billing under concurrency")
struct BillingConcurrencyTests {
    static let logger = Logger(label: "test.billing")

    @Test func twoHundredConcurrentTopUpsFromTwentySessionsAddExactly2000() async throws {
        let fixture = try await PaaSFixture.make("billing-race-topups") { $0.databasePoolSize = 12 }
        let team = try await fixture.demoTeam()
        let visa = try await fixture.card("4242", team: team)
        let start = try await fixture.balance(team)
        let before = try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team)", as: Int.self)
        try await fixture.test { api in
            var sessions: [String] = []
            for _ in 0..<20 { sessions.append(try await api.login("admin")) }
            #expect(Set(sessions).count == 20)
            let started = ContinuousClock.now
            let statuses = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    let session = sessions[index % 20]
                    group.addTask {
                        let answer = try await api.call(
                            .post, "/billing/add-funds", ["amount": 10, "payment_method_id": .string(visa)], session: session,
                            via: index % 2 == 0 ? .rest : .jsonRPC)
                        return answer.success
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - started
            Self.logger.notice("200 concurrent top-ups", metadata: ["elapsed": "\(elapsed)"])
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 })
            #expect(start == "500.00")
            #expect(try await fixture.balance(team) == "2500.00")
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team)", as: Int.self) == before + 200)
            #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'topup' AND amount = 10", as: Int.self) == 200)
            // Every balance from 510 to 2500 was seen exactly once: the top-ups ran one after the other.
            #expect(
                try await fixture.scalar(
                    "SELECT count(DISTINCT balance_after) FROM woow_transaction WHERE team_id = \(team) AND amount = 10 AND type = 'topup'",
                    as: Int.self) == 200)
            // 200 invoices with distinct, gapless numbers.
            let numbers = try await fixture.app.client.query(
                "SELECT invoice_number FROM woow_invoice WHERE team_id = \(team) AND amount = 10 ORDER BY invoice_number").rows
                .map { try $0.decode(String.self, at: 0) }
            #expect(Set(numbers).count == 200)
        }
    }

    /// `count` debits of `amount` at once, each in its own transaction.
    static func concurrentDebits(
        _ fixture: PaaSFixture, team: Int64, count: Int, amount: Money
    ) async throws -> (charged: Int, refused: Int) {
        let client = fixture.app.client
        let gateway = fixture.app.configuration.paas.paymentGateway
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        _ = try await client.withTransaction { db in
                            try await CreditLedger(db: db, gateway: gateway, logger: logger)
                                .debit(team: team, amount: amount, description: "test charge", policy: .refuse)
                        }
                        return true
                    } catch let error as AppError where error.code == .billingInsufficientCredits {
                        return false
                    }
                }
            }
            return try await group.reduce(into: (0, 0)) { $0 = $1 ? ($0.0 + 1, $0.1) : ($0.0, $0.1 + 1) }
        }
    }

    @Test func fiftyConcurrentChargesOfTenAgainstOneHundredLeaveExactlyZero() async throws {
        let fixture = try await PaaSFixture.make("billing-race-debits") { $0.databasePoolSize = 12 }
        let team = try await fixture.rivalTeam()
        #expect(try await fixture.balance(team) == "100.00")
        let (charged, refused) = try await Self.concurrentDebits(fixture, team: team, count: 50, amount: Money(cents: 1000))
        #expect(charged == 10)
        #expect(refused == 40)
        #expect(try await fixture.balance(team) == "0.00")
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'usage'", as: Int.self) == 10)
        #expect(try await fixture.scalar("SELECT min(balance_after)::text FROM woow_transaction WHERE team_id = \(team)", as: String.self) == "0.00")
    }

    @Test func concurrentChargesCrossingTheThresholdReloadOnce() async throws {
        let fixture = try await PaaSFixture.make("billing-race-reload") { $0.databasePoolSize = 12 }
        let team = try await fixture.rivalTeam()
        try await fixture.insertCard("4242424242424242", team: team, isDefault: true)
        try await fixture.app.client.query(
            """
            UPDATE woow_team SET auto_reload_enabled = true, auto_reload_threshold = 50, auto_reload_amount = 500
            WHERE id = \(team)
            """)
        // 100 → under 50 after the 6th charge → one reload of 500 → the last 4 charges → 500.
        let (charged, refused) = try await Self.concurrentDebits(fixture, team: team, count: 10, amount: Money(cents: 1000))
        #expect(charged == 10)
        #expect(refused == 0)
        #expect(try await fixture.balance(team) == "500.00")
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_transaction WHERE team_id = \(team) AND type = 'auto_reload'", as: Int.self) == 1)
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_invoice WHERE team_id = \(team)", as: Int.self) == 1)
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE team_id = \(team) AND action = 'auto-reloaded credits'", as: Int.self) == 1)

        // A declined default card: the charge stands, the failure is recorded, the balance is not topped up.
        let declined = try await fixture.insertCard("4000000000000002", team: team, isDefault: true)
        _ = declined
        let (more, _) = try await Self.concurrentDebits(fixture, team: team, count: 1, amount: Money(cents: 46000))
        #expect(more == 1)
        #expect(try await fixture.balance(team) == "40.00")
        #expect(try await fixture.scalar("SELECT count(*) FROM woow_activity WHERE team_id = \(team) AND action = 'auto-reload failed'", as: Int.self) == 1)
        // Short of credits: the reload comes first, and fails; the debit is refused.
        let (short, shortRefused) = try await Self.concurrentDebits(fixture, team: team, count: 1, amount: Money(cents: 5000))
        #expect(short == 0 && shortRefused == 1)
        #expect(try await fixture.balance(team) == "40.00")
    }
}
