import Foundation
import HTTPTypes
import Hummingbird
import Identity

/// Reads and writes the `session_id` cookie.
public enum SessionCookie {
    /// The cookie name Odoo clients use.
    public static let name = "session_id"

    /// The session id carried by the request, if its shape is valid (other values are ignored).
    public static func sessionID(in request: Request) -> SessionID? {
        request.cookies[name].flatMap { SessionID(cookieValue: $0.value) }
    }

    /// The `Set-Cookie` value for a session id: HttpOnly, SameSite=Lax, Path=/, Secure when configured.
    public static func header(for id: SessionID, settings: WebSettings) -> String {
        let maxAge = Int(settings.sessionMaxAge.components.seconds)
        let cookie = Cookie(
            name: name, value: id.value, expires: Date(timeIntervalSinceNow: Double(maxAge)), maxAge: maxAge,
            path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .lax)
        return cookie.description
    }
}

/// Cookies a handler wants to set on its answer (used by one request task at a time).
public final class ResponseCookies: @unchecked Sendable {
    /// `Set-Cookie` header values, in order.
    public private(set) var headers: [String] = []

    /// Creates an empty set.
    public init() {}

    /// Sets the session cookie to `id`.
    public func setSession(_ id: SessionID, settings: WebSettings) {
        headers.append(SessionCookie.header(for: id, settings: settings))
    }

    /// Adds the collected cookies to a response.
    public func apply(to response: inout Response) {
        for header in headers { response.headers.append(HTTPField(name: .setCookie, value: header)) }
    }
}
