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
        for header in request.headers[values: .cookie] {
            if let value = value(of: name, inCookieHeader: header) { return SessionID(cookieValue: value) }
        }
        return nil
    }

    /// The value of the first cookie called `cookieName` in a `Cookie` header (`a=1; session_id=…`),
    /// found by a byte scan: a request needs this one cookie, not all of them parsed.
    public static func value(of cookieName: String, inCookieHeader header: String) -> String? {
        let bytes = header.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            let pair = bytes[start..<end].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")), pair[..<equals].elementsEqual(cookieName.utf8) {
                return String(Substring(pair[bytes.index(after: equals)...]))
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return nil
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
