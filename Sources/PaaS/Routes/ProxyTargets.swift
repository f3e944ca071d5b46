import JSONRPC
import ORM
import PostgresDriver
import WebAPI

/// The proxy targets of a hub or a tunnel: where its agent forwards the traffic of its public URL.
///
/// A target is `{host, port, path, protocol}`: `host` a host name (`homeassistant.local`,
/// `nas`) or an IPv4 / IPv6 literal (``TargetHost``), `port` 1–65535, `path` starting with `/`
/// (default `/`; only `/` for `tcp`), `protocol` `http`, `https` or `tcp`. At most
/// ``maxCount`` per hub or tunnel. Problems are reported per field with paths such as
/// `proxy_targets[0].port`; unknown keys in a target are refused. `PUT` replaces the whole list in
/// the request's transaction (delete and insert), so a reader never sees half of it.
enum ProxyTargets {
    static let protocols = ["http", "https", "tcp"]
    static let maxCount = 20
    static let maxPathLength = 1024

    /// A validated target.
    struct Target: Sendable, Hashable {
        let host: String
        let port: Int
        let path: String
        let `protocol`: String

        var json: JSONValue {
            ["host": .string(host), "port": JSONValue(port), "path": .string(path), "protocol": .string(`protocol`)]
        }
    }

    /// Who owns a list of targets (and volumes, API tokens).
    enum Owner: Sendable {
        case hub(Int64), tunnel(Int64)

        var id: Int64 {
            switch self {
            case .hub(let id), .tunnel(let id): return id
            }
        }

        /// The owner's column in the children's tables.
        var column: String {
            switch self {
            case .hub: return "hub_id"
            case .tunnel: return "tunnel_id"
            }
        }
    }

    /// Reads `proxy_targets` from the reader (nil when absent), recording problems per field.
    static func read(_ reader: inout ParamReader, required: Bool = false) -> [Target]? {
        guard let items = reader.array("proxy_targets", required: required, maxCount: maxCount) else { return nil }
        var targets: [Target] = []
        for (index, item) in items.enumerated() {
            let prefix = "proxy_targets[\(index)]"
            guard let object = item.objectValue else {
                reader.fail(prefix, "must be an object with host, port, path and protocol")
                continue
            }
            var fields = ParamReader(object)
            let host = fields.string("host", required: true, maxLength: 253)
            let port = fields.integer("port", required: true, range: 1...65535)
            let proto = fields.string("protocol", required: true, maxLength: 8, allowed: protocols)
            let path = fields.string("path", maxLength: maxPathLength) ?? "/"
            var problems = fields.errors
            if let host, case .failure(let problem) = TargetHost.validate(host) {
                problems.append(FieldError(field: "host", message: problem.message))
            }
            if !path.hasPrefix("/") {
                problems.append(FieldError(field: "path", message: "must start with /"))
            } else if path.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                problems.append(FieldError(field: "path", message: "must not contain spaces or control characters"))
            } else if proto == "tcp", path != "/" {
                problems.append(FieldError(field: "path", message: "must be / for tcp targets"))
            }
            for key in object.keys where !["host", "port", "path", "protocol"].contains(key) {
                problems.append(FieldError(field: key, message: "unknown field"))
            }
            for problem in problems { reader.fail("\(prefix).\(problem.field)", problem.message) }
            if problems.isEmpty, let host, let port, let proto {
                let normalized = (try? TargetHost.validate(host).get()) ?? host
                targets.append(Target(host: normalized, port: port, path: path, protocol: proto))
            }
        }
        return targets
    }

    /// Replaces the owner's targets with `targets`, in the caller's transaction. The owner's row is
    /// locked first, so two concurrent replacements serialize (the second one deletes what the
    /// first one inserted) instead of merging their lists.
    static func replace(_ targets: [Target], of owner: Owner, uid: Int64, on db: PostgresConnection) async throws {
        switch owner {
        case .hub(let id):
            try await db.query("SELECT id FROM woow_hub WHERE id = \(id) FOR UPDATE")
            try await db.query("DELETE FROM woow_proxy_target WHERE hub_id = \(id)")
        case .tunnel(let id):
            try await db.query("SELECT id FROM woow_tunnel WHERE id = \(id) FOR UPDATE")
            try await db.query("DELETE FROM woow_proxy_target WHERE tunnel_id = \(id)")
        }
        guard !targets.isEmpty else { return }
        let hub: Int64? = { if case .hub(let id) = owner { return id } else { return nil } }()
        let tunnel: Int64? = { if case .tunnel(let id) = owner { return id } else { return nil } }()
        try await db.query(
            """
            INSERT INTO woow_proxy_target (hub_id, tunnel_id, sequence, host, port, path, protocol, create_uid, write_uid)
            SELECT \(hub), \(tunnel), t.n, t.host, t.port, t.path, t.protocol, \(uid), \(uid)
            FROM unnest(\(targets.map(\.host))::varchar[], \(targets.map { Int64($0.port) })::bigint[],
                        \(targets.map(\.path))::varchar[], \(targets.map(\.protocol))::varchar[])
                 WITH ORDINALITY AS t(host, port, path, protocol, n)
            """)
    }
}
