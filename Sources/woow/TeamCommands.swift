import ArgumentParser
import ORM
import PaaS
import PostgresDriver
import ServerApp

extension WoowCommand {
    struct Team: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage teams.", subcommands: [Create.self])
    }
}

extension WoowCommand.Team {
    /// `woow team create --name N --owner LOGIN [--plan free|pro|enterprise] [--credits X]`: founds a
    /// team owned by an existing user (``TeamFounding``), and makes it that user's current team.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a team owned by an existing user (it becomes the owner's current team).")

        @Option(help: "The team's name (at most \(TeamFounding.maximumNameLength) characters).") var name: String
        @Option(help: "Login of the user who owns the team.") var owner: String
        @Option(help: "The plan: \(PaaSValues.plans.joined(separator: ", ")).") var plan: String = "free"
        @Option(
            parsing: .unconditional, help: "Opening credits, an exact amount with at most two decimals (e.g. 100 or 25.50).")
        var credits: String = "0"
        @OptionGroup var database: DatabaseOptions

        /// The opening balance, exactly as given.
        func openingCredits() throws -> Money {
            guard let money = Money(text: credits.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "--credits must be an exact amount with at most two decimals (e.g. 100 or 25.50), got \(credits)")
            }
            return money
        }

        func validate() throws {
            // The owner is checked against the database in `run`; here, everything else.
            let request = TeamFounding.Request(name: name, owner: 0, plan: plan, credits: try openingCredits())
            if let problem = TeamFounding.problems(of: request).first { throw ValidationError("--\(problem)") }
        }

        func run() async throws {
            let credits = try openingCredits()
            try await withDatabase(database) { client, _, logger in
                try await SchemaManager(logger: logger).apply(using: client)
                let team = try await client.withTransaction { db in
                    guard
                        let ownerID = try await db.query("SELECT id FROM res_users WHERE login = \(owner)").first?
                            .decode(Int64.self, at: 0)
                    else { throw ValidationError("--owner: no user has the login \(owner)") }
                    do {
                        return try await TeamFounding.found(
                            TeamFounding.Request(name: name, owner: ownerID, plan: plan, credits: credits), actor: nil,
                            in: ORMTransaction(connection: db), logger: logger)
                    } catch let problem as TeamFounding.Problem {
                        throw ValidationError(
                            problem.field == "owner"
                                ? "--owner: \(owner) is not an active internal user" : "--\(problem)")
                    }
                }
                print(
                    "created team \(team.name) with id \(team.id) on the \(team.plan) plan with \(team.credits) credits, owned by \(owner)"
                )
            }
        }
    }
}
