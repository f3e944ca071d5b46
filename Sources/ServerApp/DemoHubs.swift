import PaaS
import PostgresDriver
import WoowCrypto

extension DemoData {
    /// The demo team's Smart Home workspace gets an online Home Assistant hub (two volumes, a proxy
    /// target, an API token and a completed backup) and an online docker tunnel to a NAS with two
    /// proxy targets. Their tokens are random like all others, and nobody knows them: regenerate
    /// the tunnel's token to try an agent. They were connected 20 days ago.
    func seedHubs(team: Int64, owner: Int64, on db: PostgresConnection) async throws {
        guard
            let smartHome = try await db.query(
                "SELECT id FROM woow_workspace WHERE team_id = \(team) AND name = 'Smart Home'"
            ).first?.decode(Int64.self, at: 0)
        else { return }
        let hubToken = AccessToken.generate()
        let hub = try await db.query(
            """
            INSERT INTO woow_hub (workspace_id, name, type, status, volume_size, token_hash, token_hint, create_uid, write_uid)
            VALUES (\(smartHome), 'Living Room HAOS', 'haos', 'online', '32 GB', \(hubToken.hash), \(hubToken.hint), \(owner), \(owner))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let tunnelToken = AccessToken.generate()
        let tunnel = try await db.query(
            """
            INSERT INTO woow_tunnel (workspace_id, name, type, status, token_hash, token_hint, create_uid, write_uid)
            VALUES (\(smartHome), 'NAS Tunnel', 'docker', 'online', \(tunnelToken.hash), \(tunnelToken.hint), \(owner), \(owner))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await db.query(
            """
            UPDATE woow_hub SET public_url = 'https://living-room-haos-hub-' || id || '.woow.app' WHERE id = \(hub)
            """)
        try await db.query("UPDATE woow_tunnel SET public_url = 'https://nas-tunnel-tunnel-' || id || '.woow.app' WHERE id = \(tunnel)")
        try await db.query(
            """
            INSERT INTO woow_volume (hub_id, name, mount_path, size_gb, create_uid, write_uid)
            VALUES (\(hub), 'config', '/config', 8, \(owner), \(owner)), (\(hub), 'backup', '/backup', 24, \(owner), \(owner))
            """)
        try await db.query(
            """
            INSERT INTO woow_proxy_target (hub_id, tunnel_id, sequence, host, port, path, protocol, create_uid, write_uid)
            VALUES (\(hub), NULL, 1, 'homeassistant.local', 8123, '/', 'http', \(owner), \(owner)),
                   (NULL, \(tunnel), 1, '192.168.1.20', 5001, '/', 'https', \(owner), \(owner)),
                   (NULL, \(tunnel), 2, '192.168.1.20', 22, '/', 'tcp', \(owner), \(owner))
            """)
        let apiToken = AccessToken.generate(prefix: AccessToken.apiPrefix)
        try await db.query(
            """
            INSERT INTO woow_api_token (hub_id, name, scope, token_hash, token_hint, last_used_at, create_uid, write_uid)
            VALUES (\(hub), 'Mobile app', 'read_write', \(apiToken.hash), \(apiToken.hint),
                    (now() AT TIME ZONE 'UTC') - interval '2 hours', \(owner), \(owner))
            """)
        try await db.query(
            """
            WITH backup AS (
                INSERT INTO woow_backup (reference, hub_id, status, size_mb, started_at, completed_at, create_uid, write_uid, create_date)
                VALUES (\("bk_" + SecureRandom.hex(byteCount: 12)), \(hub), 'completed', 2150,
                        (now() AT TIME ZONE 'UTC') - interval '1 day', (now() AT TIME ZONE 'UTC') - interval '1 day' + interval '4 minutes',
                        \(owner), \(owner), (now() AT TIME ZONE 'UTC') - interval '1 day')
                RETURNING completed_at)
            UPDATE woow_hub SET last_backup = (SELECT completed_at FROM backup) WHERE id = \(hub)
            """)
        // Connected after the workspace was created, before their last backup and token use.
        try await db.query(
            """
            WITH at AS (SELECT (now() AT TIME ZONE 'UTC') - \(Self.History.hubsConnected)::interval AS ts),
            hubs AS (UPDATE woow_hub SET create_date = at.ts FROM at WHERE id = \(hub)),
            tunnels AS (UPDATE woow_tunnel SET create_date = at.ts, write_date = at.ts FROM at WHERE id = \(tunnel)),
            volumes AS (UPDATE woow_volume SET create_date = at.ts, write_date = at.ts FROM at WHERE hub_id = \(hub)),
            targets AS (
                UPDATE woow_proxy_target SET create_date = at.ts, write_date = at.ts FROM at
                WHERE hub_id = \(hub) OR tunnel_id = \(tunnel))
            UPDATE woow_api_token SET create_date = at.ts, write_date = at.ts FROM at WHERE hub_id = \(hub)
            """)
    }
}
