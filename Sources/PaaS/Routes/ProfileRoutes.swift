import JSONRPC
import PostgresDriver
import WebAPI

/// `GET /settings/profile` and `PUT /settings/profile`: the caller's name, e-mail, avatar and
/// two-factor flag.
///
/// The avatar arrives as a multipart file part (REST `PUT` only), a base64 string or a
/// `data:image/…;base64,` URL; its type is found from its bytes (``AvatarImage``), its size is
/// bounded by ``PaaSConfiguration/maxAvatarSize``, and it is stored in `res_users.avatar`.
/// `avatar: null` removes it.
///
/// `avatar_version` carries the cache-busting version **and** whether there is an avatar: it is
/// positive while there is one (each upload sets it to `abs(version) + 1`) and zero or negative
/// when there is none (a removal negates it), so ``AvatarURL`` stays `null` exactly when there is
/// no image, and a new upload never reuses an older URL.
enum ProfileRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [
            builder.route(.get, "/settings/profile", access: .connection, get),
            builder.route(.put, "/settings/profile", rateLimit: .upload, update),
        ]
    }

    /// `{id, name, email, avatar_url, two_factor_enabled}` of a user, in one statement.
    static func profile(uid: Int64, on db: PostgresConnection) async throws -> JSONValue {
        guard
            let row = try await db.query(
                """
                SELECT u.id, p.name, coalesce(p.email, u.login), u.avatar_version, u.two_factor_enabled
                FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                WHERE u.id = \(uid)
                """
            ).first
        else { throw AppError(.notFound, "User not found") }
        return [
            "id": JSONValue(try row.decode(Int64.self, at: 0)),
            "name": .string(try row.decode(String.self, at: 1)),
            "email": .string(try row.decode(String.self, at: 2)),
            "avatar_url": AvatarURL.for(user: uid, version: try row.decode(Int.self, at: 3)),
            "two_factor_enabled": .bool(try row.decode(Bool.self, at: 4)),
        ]
    }

    @Sendable static func get(_ request: PaaSRequest) async throws -> AppResult {
        let reader = ParamReader(request.call.params)
        try reader.finish()
        return .ok(try await profile(uid: try request.uid, on: try request.db))
    }

    /// What a profile update changes: the name, the avatar (`.some(nil)` removes it), or both.
    struct Change {
        var name: String?
        var avatar: AvatarImage??
    }

    /// Reads `name` and `avatar`; at least one is required and unknown fields are refused.
    static func change(_ params: JSONObject, maxAvatarSize: Int) throws -> Change {
        var reader = ParamReader(params)
        var change = Change()
        let hasName = reader.has("name")
        change.name = reader.string("name", required: hasName, maxLength: 128)
        if reader.has("avatar") {
            if let value = reader.raw("avatar") {
                do {
                    change.avatar = .some(try AvatarImage(parameter: value, maxSize: maxAvatarSize))
                } catch {
                    reader.fail("avatar", error.message)
                }
            } else {
                change.avatar = .some(nil)
            }
        } else if !hasName {
            reader.fail("name", "name or avatar is required")
        }
        try reader.finish()
        return change
    }

    @Sendable static func update(_ request: PaaSRequest) async throws -> AppResult {
        let change = try change(request.call.params, maxAvatarSize: request.configuration.maxAvatarSize)
        let uid = try request.uid
        let db = try request.db
        if let name = change.name {
            try await db.query(
                """
                UPDATE res_partner p SET name = \(name), write_date = now() AT TIME ZONE 'UTC'
                FROM res_users u WHERE u.id = \(uid) AND p.id = u.partner_id
                """)
        }
        switch change.avatar {
        case .some(.some(let image)):
            try await db.query(
                """
                UPDATE res_users SET avatar = \(PostgresBytes(image.bytes)), avatar_mimetype = \(image.kind.rawValue),
                       avatar_version = abs(avatar_version) + 1, write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(uid)
                """)
        case .some(.none):
            try await db.query(
                """
                UPDATE res_users SET avatar = NULL, avatar_mimetype = NULL, avatar_version = -abs(avatar_version),
                       write_date = now() AT TIME ZONE 'UTC'
                WHERE id = \(uid)
                """)
        case .none:
            break
        }
        let profile = try await profile(uid: uid, on: db)
        try await SettingsActivity.record("updated profile", request: request, target: profile["name"]?.stringValue ?? "")
        return .ok(["avatar_url": profile["avatar_url"] ?? .null, "message": "Profile updated successfully"])
    }
}

/// Activities of the settings routes: recorded in the caller's current team (a user without a
/// team changes their settings without an activity, since activities belong to a team).
enum SettingsActivity {
    static func record(_ action: String, request: PaaSRequest, target: String) async throws {
        let uid = try request.uid
        guard
            let team = try await request.env.transaction.query("SELECT team_id FROM woow_current_member(\(uid))").first
        else { return }
        try await request.record(action, target: target, model: "res.users", id: uid, team: try team.decode(Int64.self, at: 0))
    }
}
