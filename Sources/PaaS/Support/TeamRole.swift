import WebAPI

/// A role inside a team, ordered from the most to the least powerful:
/// owner (everything, billing included) > admin (the team and every workspace) > user (apps,
/// hubs and tunnels in granted workspaces) > guest (reads granted workspaces).
public enum TeamRole: String, Sendable, CaseIterable, Comparable {
    case owner, admin, user, guest

    /// 0 for owner … 3 for guest.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: TeamRole, rhs: TeamRole) -> Bool { lhs.rank > rhs.rank }

    /// Whether this role may manage the team and all its workspaces.
    public var isManager: Bool { self >= .admin }
}

/// The caller's membership in their current team.
public struct Membership: Sendable, Hashable {
    /// The `woow.team.member` id.
    public let memberID: Int64
    /// The team.
    public let teamID: Int64
    /// The team's name.
    public let teamName: String
    /// The team's plan.
    public let plan: String
    /// The caller's role.
    public let role: TeamRole

    /// Throws `AUTH_INSUFFICIENT_PERMISSIONS` unless the role is at least `minimum`.
    public func require(_ minimum: TeamRole, to action: String) throws {
        guard role >= minimum else {
            let who: String
            switch minimum {
            case .owner: who = "team owners"
            case .admin: who = "team owners and admins"
            case .user: who = "team members other than guests"
            case .guest: who = "team members"
            }
            throw AppError(.authInsufficientPermissions, "Only \(who) can \(action).")
        }
    }
}
