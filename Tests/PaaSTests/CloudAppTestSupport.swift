import JSONRPC
import PostgresDriver
import Testing

extension PaaSFixture {
    /// The id of an app by name.
    func appID(_ name: String) async throws -> Int64 {
        try await app.client.query("SELECT id FROM woow_cloud_app WHERE name = \(name)")[0].decode(Int64.self, at: 0)
    }

    /// An app's status.
    func status(ofApp id: Int64) async throws -> String {
        try await scalar("SELECT status FROM woow_cloud_app WHERE id = \(id)", as: String.self)
    }

    /// How many apps exist (all teams).
    func appCount() async throws -> Int {
        try await scalar("SELECT count(*) FROM woow_cloud_app", as: Int.self)
    }

    /// The rival app's row as text (to prove nothing changed).
    func rivalSnapshot() async throws -> String {
        try await scalar("SELECT row_to_json(a)::text FROM woow_cloud_app a WHERE id = \(rivalApp)", as: String.self)
    }
}

extension APIAnswer {
    /// The whole answer as text (to check that nothing of another team leaks).
    var text: String {
        envelope.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? String(describing: rpcError)
    }
}
