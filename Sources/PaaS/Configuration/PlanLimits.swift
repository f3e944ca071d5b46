/// What a plan allows a team: workspaces, cloud services (apps), secure tunnels and members.
/// `nil` means unlimited (shown as `null` on the dashboard).
public struct PlanLimits: Sendable, Hashable {
    /// Workspaces per team.
    public var workspaces: Int?
    /// Cloud apps per team, all workspaces together.
    public var cloudServices: Int?
    /// Secure tunnels per team.
    public var secureTunnels: Int?
    /// Members per team, pending invitations included.
    public var members: Int?

    /// Creates limits.
    public init(workspaces: Int?, cloudServices: Int?, secureTunnels: Int?, members: Int?) {
        self.workspaces = workspaces
        self.cloudServices = cloudServices
        self.secureTunnels = secureTunnels
        self.members = members
    }

    /// The defaults: free 2 / 3 / 1 / 3, pro 10 / 25 / 10 / 25, enterprise unlimited.
    public static let defaults: [String: PlanLimits] = [
        "free": PlanLimits(workspaces: 2, cloudServices: 3, secureTunnels: 1, members: 3),
        "pro": PlanLimits(workspaces: 10, cloudServices: 25, secureTunnels: 10, members: 25),
        "enterprise": PlanLimits(workspaces: nil, cloudServices: nil, secureTunnels: nil, members: nil),
    ]
}
