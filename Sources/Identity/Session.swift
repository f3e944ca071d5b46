/// An authenticated server-side session, as loaded for a request.
public struct Session: Sendable, Equatable {
    /// The logged-in user.
    public let uid: Int64
    /// The database the session is bound to.
    public let database: String
    /// The user's login.
    public let login: String
    /// The user's language (`en_US`).
    public let lang: String
    /// The user's time zone, if set.
    public let tz: String?
    /// The user's groups (external ids), loaded with the session so access checks cost no query.
    public let groups: Set<String>

    /// Creates a session value.
    public init(uid: Int64, database: String, login: String, lang: String, tz: String?, groups: Set<String> = []) {
        self.groups = groups
        self.uid = uid
        self.database = database
        self.login = login
        self.lang = lang
        self.tz = tz
    }
}

/// A session id as carried by the `session_id` cookie: 84 URL-safe base64 characters (Odoo 18's shape).
public struct SessionID: Sendable, Hashable {
    /// The cookie value.
    public let value: String

    /// The length of a session id.
    public static let length = 84

    /// Validates the shape of a cookie value; anything else is ignored as Odoo does.
    public init?(cookieValue: String) {
        guard cookieValue.utf8.count == Self.length,
            cookieValue.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            })
        else { return nil }
        value = cookieValue
    }

    init(unchecked value: String) { self.value = value }
}
