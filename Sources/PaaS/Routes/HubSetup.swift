import PostgresDriver

/// What a new hub gets according to its type, and how its owner connects it.
///
/// | type | volumes | `volume_size` |
/// |---|---|---|
/// | `haos` (Home Assistant OS) | `config` on `/config` 8 GB, `backup` on `/backup` 24 GB | `32 GB` |
/// | `woow-hub-os` (Woow Hub OS) | `data` on `/data` 16 GB | `16 GB` |
struct HubSetup: Sendable {
    let type: String

    /// `(name, mount_path, size_gb)` of each volume.
    var volumes: [(name: String, mountPath: String, sizeGB: Int)] {
        type == "haos" ? [("config", "/config", 8), ("backup", "/backup", 24)] : [("data", "/data", 16)]
    }

    /// The total, as the API shows it (`"32 GB"`).
    var volumeSize: String { "\(volumes.reduce(0) { $0 + $1.sizeGB }) GB" }

    /// Inserts the volumes of a new hub.
    func createVolumes(hub: Int64, uid: Int64, on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO woow_volume (hub_id, name, mount_path, size_gb, create_uid, write_uid)
            SELECT \(hub), v.name, v.mount_path, v.size_gb, \(uid), \(uid)
            FROM unnest(\(volumes.map(\.name))::varchar[], \(volumes.map(\.mountPath))::varchar[],
                        \(volumes.map { Int64($0.sizeGB) })::bigint[]) AS v(name, mount_path, size_gb)
            """)
    }

    /// Step-by-step instructions for the creation answer (the token itself is in `tunnel_token`).
    /// The Home Assistant add-on repository is served under the platform's domain, like the
    /// tunnel agent's downloads.
    func instructions(publicURL: String, publicDomain: String) -> String {
        switch type {
        case "haos":
            return """
                1. In Home Assistant, open Settings → Add-ons → Add-on Store and add the repository https://downloads.\(publicDomain)/hassio (⋮ → Repositories).
                2. Install the "Woow Connect" add-on.
                3. In the add-on's Configuration tab, paste the tunnel token shown once in this answer as `tunnel_token`, then start the add-on.
                4. The hub turns online and Home Assistant is reachable at \(publicURL).
                Keep the token secret: it is not shown again (its masked form is).
                """
        default:
            return """
                1. On the hub, open Settings → Cloud → Woow Connect.
                2. Paste the tunnel token shown once in this answer as `tunnel_token` and select Connect.
                3. The hub turns online and is reachable at \(publicURL).
                Keep the token secret: it is not shown again (its masked form is).
                """
        }
    }
}
