import JSONRPC
import PaaS
import PostgresDriver
import Testing

extension PaaSFixture {
    /// The id of a hub by name.
    func hubID(_ name: String) async throws -> Int64 {
        try await scalar("SELECT id FROM woow_hub WHERE name = \(name)", as: Int64.self)
    }

    /// The id of a tunnel by name.
    func tunnelID(_ name: String) async throws -> Int64 {
        try await scalar("SELECT id FROM woow_tunnel WHERE name = \(name)", as: Int64.self)
    }

    /// The latest activity as `action:target`.
    func lastActivity() async throws -> String {
        try await scalar("SELECT action || ':' || target FROM woow_activity ORDER BY id DESC LIMIT 1", as: String.self)
    }

    /// A hub of the rival team (in "Rival Secret"), inserted directly; returns its id.
    func rivalHub() async throws -> Int64 {
        let token = AccessToken.generate()
        return try await scalar(
            """
            INSERT INTO woow_hub (workspace_id, name, type, token_hash, token_hint)
            VALUES (\(rivalWorkspace), 'Rival Hub', 'haos', \(token.hash), \(token.hint)) RETURNING id
            """, as: Int64.self)
    }
}

/// Checks shared by the hub and tunnel suites.
enum TokenChecks {
    /// A full connection token: `wht_` and 43 URL-safe base64 characters.
    static func isFullToken(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue, text.hasPrefix("wht_"), text.count == 47 else { return false }
        return text.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The masked form of a token.
    static func masked(_ token: String) -> JSONValue { .string("wht_••••••••" + token.suffix(4)) }
}
