import JSONRPC
import ORM
import WebAPI

/// Finds the hub or tunnel of a path (`/workspaces/{workspace_id}/hubs/{hub_id}`, `…/tunnels/{tunnel_id}`)
/// through the ORM in the caller's environment: a workspace the caller may not see is
/// `WORKSPACE_NOT_FOUND`; a hub or tunnel that is not in that workspace (or not visible) is
/// `NOT_FOUND` — never its data.
enum ConnectionLookup {
    /// What kind of record a path names.
    struct Kind: Sendable {
        let model: String
        let pathParameter: String
        let label: String

        static let hub = Kind(model: "woow.hub", pathParameter: "hub_id", label: "Hub")
        static let tunnel = Kind(model: "woow.tunnel", pathParameter: "tunnel_id", label: "Tunnel")
    }

    /// The record of the path with `fields` read, and its workspace id.
    static func visible(
        _ kind: Kind, _ request: PaaSRequest, fields: [String]
    ) async throws -> (workspace: Int64, record: RecordSet, row: JSONObject) {
        let (workspace, _) = try await WorkspaceRoutes.visible(request, fields: ["name"])
        let id = try request.pathID(kind.pathParameter, notFound: .notFound, "\(kind.label) not found")
        let found = try await request.model(kind.model).search(
            .leaf("id", .equal, JSONValue(id)) && .leaf("workspace_id", .equal, JSONValue(workspace.ids[0])), limit: 1)
        guard !found.ids.isEmpty else { throw AppError(.notFound, "\(kind.label) not found") }
        return (workspace.ids[0], found, try await found.read(fields: fields, load: "_classic_write")[0])
    }
}
