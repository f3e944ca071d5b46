import JSONRPC
import PostgresDriver
import WebAPI

/// The plan limits of a team: what it uses against what its plan allows, and the check done
/// before creating a workspace, an app, a tunnel or a member. The check locks the team's row, so
/// two concurrent creations cannot both take the last slot.
public struct PlanGate: Sendable {
    /// What a limit counts.
    public enum Resource: String, Sendable, CaseIterable {
        case workspaces, cloudServices, secureTunnels, members

        var code: AppErrorCode {
            switch self {
            // Cloud services and secure tunnels are part of the dashboard's "workspace" usage.
            case .workspaces, .cloudServices, .secureTunnels: return .workspaceLimitReached
            case .members: return .teamMemberLimitReached
            }
        }

        var label: String {
            switch self {
            case .workspaces: return "workspaces"
            case .cloudServices: return "cloud services"
            case .secureTunnels: return "secure tunnels"
            case .members: return "team members"
            }
        }

        func limit(in limits: PlanLimits) -> Int? {
            switch self {
            case .workspaces: return limits.workspaces
            case .cloudServices: return limits.cloudServices
            case .secureTunnels: return limits.secureTunnels
            case .members: return limits.members
            }
        }
    }

    /// Usage of every resource of a team.
    public struct Usage: Sendable, Hashable {
        public var workspaces = 0
        public var cloudServices = 0
        public var secureTunnels = 0
        public var members = 0

        func count(of resource: Resource) -> Int {
            switch resource {
            case .workspaces: return workspaces
            case .cloudServices: return cloudServices
            case .secureTunnels: return secureTunnels
            case .members: return members
            }
        }
    }

    let request: PaaSRequest
    let member: Membership

    /// What the team uses, in one statement.
    public func usage() async throws -> Usage {
        let row = try await request.env.transaction.query(
            """
            SELECT (SELECT count(*) FROM woow_workspace WHERE team_id = \(member.teamID)),
                   (SELECT count(*) FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id
                    WHERE w.team_id = \(member.teamID)),
                   (SELECT count(*) FROM woow_tunnel x JOIN woow_workspace w ON w.id = x.workspace_id
                    WHERE w.team_id = \(member.teamID)),
                   (SELECT count(*) FROM woow_team_member WHERE team_id = \(member.teamID))
            """)[0]
        return Usage(
            workspaces: try row.decode(Int.self, at: 0), cloudServices: try row.decode(Int.self, at: 1),
            secureTunnels: try row.decode(Int.self, at: 2), members: try row.decode(Int.self, at: 3))
    }

    /// Throws the limit's code (422) when the team has no room for one more `resource`.
    public func check(_ resource: Resource, adding count: Int = 1) async throws {
        let plan = try await request.env.transaction.query(
            "SELECT plan FROM woow_team WHERE id = \(member.teamID) FOR UPDATE")[0].decode(String.self, at: 0)
        guard let limit = resource.limit(in: request.configuration.limits(for: plan)) else { return }
        let used = try await usage().count(of: resource)
        if used + count > limit {
            throw AppError(
                resource.code,
                "Your \(plan) plan allows \(limit) \(resource.label); \(used) are in use. Upgrade the plan or remove some first.")
        }
    }

    /// `{cloud_services, secure_tunnels, workspaces}` → `{used, limit}` for the dashboard (`limit`
    /// is `null` when unlimited).
    public static func dashboard(_ usage: Usage, limits: PlanLimits) -> JSONValue {
        func entry(_ resource: Resource) -> JSONValue {
            ["used": JSONValue(usage.count(of: resource)), "limit": resource.limit(in: limits).map { JSONValue($0) } ?? .null]
        }
        return [
            "cloud_services": entry(.cloudServices), "secure_tunnels": entry(.secureTunnels),
            "workspaces": entry(.workspaces),
        ]
    }
}
