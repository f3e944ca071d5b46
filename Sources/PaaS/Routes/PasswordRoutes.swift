import Hummingbird
import Identity
import JSONRPC
import WebAPI

/// `PUT /settings/password {current_password, new_password}`.
///
/// - The new password must have at least 8 characters, not be only digits, and differ from the
///   current one (checked first, before any slow hash).
/// - The current password is checked with the login throttle (``Authenticator``): a wrong one is
///   400 `VALIDATION_ERROR` on `current_password` and counts as a failed login; too many failures
///   are 429 `RATE_LIMITED`. The check commits on its own so a failure is counted even though the
///   request fails.
/// - Then, in one transaction: the new PBKDF2 hash is stored, every **other** session of the user
///   is revoked, the caller's session is re-bound to the new credentials (it keeps working), and
///   the activity "changed password" is recorded.
///
/// Passwords are taken as given (never trimmed).
enum PasswordRoutes {
    static let minimumLength = 8
    static let maximumLength = 4096

    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.put, "/settings/password", access: .connection, change)]
    }

    /// A password parameter: a non-empty string, untrimmed.
    static func password(_ reader: inout ParamReader, _ name: String) -> String? {
        guard let value = reader.raw(name) else {
            reader.fail(name, "is required")
            return nil
        }
        guard let text = value.stringValue else {
            reader.fail(name, "must be a string")
            return nil
        }
        guard !text.isEmpty else {
            reader.fail(name, "is required")
            return nil
        }
        guard text.count <= maximumLength else {
            reader.fail(name, "must be at most \(maximumLength) characters")
            return nil
        }
        return text
    }

    /// Why `candidate` is not an acceptable new password, if it is not.
    static func weakness(of candidate: String, current: String?) -> String? {
        if candidate.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if candidate.allSatisfy(\.isASCIIDigit) { return "must not be only digits" }
        if candidate == current { return "must differ from the current password" }
        return nil
    }

    @Sendable static func change(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let current = password(&reader, "current_password")
        let new = password(&reader, "new_password")
        if let new, let problem = weakness(of: new, current: current) { reader.fail("new_password", problem) }
        try reader.finish()
        let call = request.call
        guard let session = call.session, let current, let new,
            let sessionID = Cookies(from: call.headers[values: .cookie])[SessionCookie.name].flatMap({
                SessionID(cookieValue: $0.value)
            })
        else { throw AppError(.authTokenExpired, "Session expired or missing") }
        let db = try request.db
        do {
            _ = try await call.services.authenticator.verify(
                uid: session.uid, password: current, remoteAddress: call.remoteAddress, on: db)
        } catch let error as AuthenticationError {
            if error.reason == .cooldown { throw AppError(.rateLimited, error.message) }
            throw AppError.validation(
                [FieldError(field: "current_password", message: "is incorrect")], message: "Current password is incorrect")
        }
        try await db.transaction {
            try await call.services.accounts.setPassword(login: session.login, password: new, on: db)
            try await call.services.sessions.revokeOthers(uid: session.uid, keeping: sessionID, on: db)
            let name = try await db.query(
                "SELECT p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = \(session.uid)"
            )[0].decode(String.self, at: 0)
            try await SettingsActivity.record("changed password", request: request, target: name)
        }
        return .ok(["message": "Password changed successfully"])
    }
}
