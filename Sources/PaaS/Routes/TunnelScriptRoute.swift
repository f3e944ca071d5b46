import JSONRPC
import ORM
import WebAPI

/// `GET /workspaces/{workspace_id}/tunnels/{tunnel_id}/script?platform=linux|macos|windows|docker`:
/// the tunnel agent's deployment script (``TunnelScripts``).
///
/// Everyone who sees the tunnel may fetch it (the script holds no secret). The answer is
/// `{script, platform, filename, instructions, tunnel_token}` with the token **masked**, like
/// everywhere but the creation and regeneration answers; a missing or unknown platform is 400
/// `VALIDATION_ERROR` on `platform`.
enum TunnelScriptRoute {
    @Sendable static func script(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        reader.ignore("workspace_id", "tunnel_id")
        let platform = reader.string("platform", required: true, maxLength: 16, allowed: TunnelScripts.platforms)
        try reader.finish()
        let (_, tunnel, row) = try await ConnectionLookup.visible(
            .tunnel, request, fields: ["name", "type", "public_url", "token_hint"])
        let scripts = TunnelScripts(
            id: tunnel.ids[0], name: row["name"]?.stringValue ?? "", type: row["type"]?.stringValue ?? "docker",
            tokenHint: row["token_hint"]?.stringValue ?? "", publicURL: row["public_url"]?.stringValue ?? "",
            publicDomain: request.configuration.publicDomain)
        let generated = scripts.script(for: platform!)
        return .ok([
            "script": .string(generated.script),
            "platform": .string(platform!),
            "filename": .string(generated.filename),
            "instructions": .string(generated.instructions),
            "tunnel_token": ConnectionChildren.maskedToken(row),
        ])
    }
}
