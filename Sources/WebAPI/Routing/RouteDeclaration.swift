import HTTPTypes

/// How a route reads its request and writes its answer, as Odoo's `@http.route(type=…)`.
public enum RouteType: Sendable {
    /// JSON-RPC over POST with `Content-Type: application/json`; errors are in-band.
    case json
    /// Plain HTTP (redirects, files, text).
    case http
}

/// Who may call a route, as Odoo's `@http.route(auth=…)`.
public enum AuthLevel: Sendable {
    /// A valid session is required; otherwise the session-expired answer.
    case user
    /// A session is loaded when present; anonymous callers are allowed.
    case `public`
    /// No session is looked at.
    case none
}

/// How a route uses the database for one request.
public enum DatabaseAccess: Sendable {
    /// No database connection (e.g. version information).
    case none
    /// One leased connection; each statement commits on its own (reads, or handlers that manage commits).
    case connection
    /// One transaction for the whole request, committed on success, rolled back on error, and
    /// retried on serialization failures and deadlocks.
    case transaction
}
