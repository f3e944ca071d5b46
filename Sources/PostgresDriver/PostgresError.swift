/// An error raised by the PostgreSQL driver.
///
/// Like PostgresNIO's `PSQLError`, ``description`` is deliberately generic so that interpolating
/// the error into a message shown to a client never leaks SQL, data or server details; everything
/// is in ``debugDescription`` and in the typed properties.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure. A struct around a private enum so that kinds can be added later.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case server, connectionFailed, connectionLost, timeout, poolClosed, poolTimeout, decoding, client
        }
        let base: Base
        /// The server answered the statement with an error (see ``PostgresError/sqlState``).
        public static let server = Code(base: .server)
        /// A new connection could not be established.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// An established connection broke while in use.
        public static let connectionLost = Code(base: .connectionLost)
        /// The statement did not finish before the client-side deadline; it was cancelled.
        public static let timeout = Code(base: .timeout)
        /// The pool has shut down.
        public static let poolClosed = Code(base: .poolClosed)
        /// No connection became free before the lease timeout.
        public static let poolTimeout = Code(base: .poolTimeout)
        /// A value could not be decoded into the requested Swift type.
        public static let decoding = Code(base: .decoding)
        /// Misuse of the driver (for example a bind that cannot be encoded).
        public static let client = Code(base: .client)
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The SQLSTATE of a server error (`nil` for client-side failures).
    public let sqlState: SQLState?
    /// The primary message (from the server, or from libpq).
    public let message: String
    /// The server's `DETAIL` field, if any.
    public let detail: String?
    /// The server's `HINT` field, if any.
    public let hint: String?
    /// The constraint a violation refers to, if any.
    public let constraintName: String?
    /// The table a violation refers to, if any.
    public let tableName: String?
    /// The column a violation refers to, if any.
    public let columnName: String?
    /// The SQL text of the statement that failed (never shown to clients).
    public let query: String?

    /// Creates an error; drivers and tests use this.
    public init(
        code: Code, sqlState: SQLState? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraintName: String? = nil, tableName: String? = nil, columnName: String? = nil, query: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
        self.tableName = tableName
        self.columnName = columnName
        self.query = query
    }

    /// Whether the failure is a serialization failure or a deadlock, which a retried transaction may clear.
    public var isTransient: Bool {
        guard code == .server, let sqlState else { return false }
        return sqlState == .serializationFailure || sqlState == .deadlockDetected
    }

    /// Whether the failure means the connection (or the server) is gone rather than the statement being wrong.
    public var isConnectionFailure: Bool {
        if code == .connectionFailed || code == .connectionLost { return true }
        guard code == .server, let sqlState else { return false }
        return sqlState.class == "08" || sqlState == .adminShutdown || sqlState == .crashShutdown
            || sqlState == .cannotConnectNow
    }

    public var description: String {
        "PostgresError(code: \(code)\(sqlState.map { ", sqlState: \($0.rawValue)" } ?? "")) — see debugDescription"
    }

    public var debugDescription: String {
        var parts = ["code: \(code)"]
        if let sqlState { parts.append("sqlState: \(sqlState.rawValue)") }
        parts.append("message: \(message)")
        if let detail { parts.append("detail: \(detail)") }
        if let hint { parts.append("hint: \(hint)") }
        if let constraintName { parts.append("constraint: \(constraintName)") }
        if let query { parts.append("query: \(query)") }
        return "PostgresError(" + parts.joined(separator: ", ") + ")"
    }
}
