import Logging
import ORM
import PostgresDriver

/// Founds a team: the team on a plan with an opening balance, its owner's membership, the team
/// made the owner's current team, and a "created team" activity — all in the caller's
/// transaction. Used by `woow team create` and `POST /paas/api/v1/teams`.
///
/// The opening balance is set on the new team's row directly: nothing else can reference the team
/// yet, and no payment was made (top-ups and charges go through ``CreditLedger``).
public struct TeamFounding: Sendable {
    /// The longest team name.
    public static let maximumNameLength = 128
    /// The largest opening balance `NUMERIC(14, 2)` holds.
    public static let maximumCredits = Money(cents: 99_999_999_999_999)

    /// What to found.
    public struct Request: Sendable, Hashable {
        /// The team's name (trimmed, non-empty, at most ``TeamFounding/maximumNameLength`` characters).
        public var name: String
        /// The owner's user id.
        public var owner: Int64
        /// `free`, `pro` or `enterprise`.
        public var plan: String
        /// The opening balance (zero or more).
        public var credits: Money

        /// A request on the free plan with no credits unless given.
        public init(name: String, owner: Int64, plan: String = "free", credits: Money = .zero) {
            self.name = name
            self.owner = owner
            self.plan = plan
            self.credits = credits
        }
    }

    /// A founded team.
    public struct Team: Sendable, Hashable {
        /// The team's id.
        public let id: Int64
        /// The owner's `woow.team.member` id.
        public let memberID: Int64
        /// The name as stored.
        public let name: String
        /// The plan.
        public let plan: String
        /// The opening balance.
        public let credits: Money
    }

    /// Why a request cannot be founded; the message names the field.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The field at fault (`name`, `owner`, `plan`, `credits`).
        public let field: String
        /// What is wrong with it.
        public let message: String
        public var description: String { "\(field) \(message)" }
    }

    /// The problems of `request`, each naming its field (empty when it can be founded).
    public static func problems(of request: Request) -> [Problem] {
        var problems: [Problem] = []
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            problems.append(Problem(field: "name", message: "is required"))
        } else if name.count > maximumNameLength {
            problems.append(Problem(field: "name", message: "must be at most \(maximumNameLength) characters"))
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(Problem(field: "name", message: "must not contain control characters"))
        }
        if !PaaSValues.plans.contains(request.plan) {
            problems.append(Problem(field: "plan", message: "must be one of: \(PaaSValues.plans.joined(separator: ", "))"))
        }
        if request.credits < .zero {
            problems.append(Problem(field: "credits", message: "must not be negative"))
        } else if maximumCredits < request.credits {
            problems.append(Problem(field: "credits", message: "must be at most \(maximumCredits)"))
        }
        return problems
    }

    /// Founds the team in `transaction` (server code: no record rule applies). Throws the first
    /// ``Problem`` of the request, or an `owner` problem when the owner is not an active internal user.
    /// `actor` is who is recorded as having created it (`nil`: the system — the CLI — and the
    /// activity then has no user).
    public static func found(_ request: Request, actor: Int64?, in transaction: ORMTransaction, logger: Logger)
        async throws -> Team
    {
        if let problem = problems(of: request).first { throw problem }
        let isInternalUser = try await transaction.query(
            """
            SELECT EXISTS (
                SELECT 1 FROM res_users u JOIN res_groups_users_rel r ON r.uid = u.id
                JOIN res_groups g ON g.id = r.gid AND g.xmlid = 'base.group_user'
                WHERE u.id = \(request.owner) AND u.active)
            """)[0].decode(Bool.self, at: 0)
        guard isInternalUser else { throw Problem(field: "owner", message: "must be an active internal user") }
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let row = try await transaction.query(
            """
            WITH team AS (
                INSERT INTO woow_team (name, plan, credits_balance, create_uid, write_uid)
                VALUES (\(name), \(request.plan), \(request.credits.numeric), \(actor as Int64?), \(actor as Int64?))
                RETURNING id
            ), member AS (
                INSERT INTO woow_team_member (team_id, user_id, role, status, create_uid, write_uid)
                SELECT id, \(request.owner), 'owner', 'active', \(actor as Int64?), \(actor as Int64?) FROM team
                RETURNING id, team_id
            ), current AS (
                UPDATE res_users SET current_team_id = member.team_id, write_date = now() AT TIME ZONE 'UTC'
                FROM member WHERE res_users.id = \(request.owner)
                RETURNING res_users.id
            )
            SELECT member.team_id, member.id FROM member JOIN current ON true
            """)[0]
        let team = Team(
            id: try row.decode(Int64.self, at: 0), memberID: try row.decode(Int64.self, at: 1), name: name,
            plan: request.plan, credits: request.credits)
        try await ActivityLog.record(
            "created team", target: name, model: "woow.team", id: team.id, team: team.id, user: actor,
            in: transaction, logger: logger)
        return team
    }
}
