import PostgresDriver

/// What one request's ORM work shares: its database connection (inside the request's transaction),
/// the per-transaction caches, and a statement counter (tests use it to prove there is no N+1).
///
/// `@unchecked Sendable`: a transaction belongs to one request task, which never uses it from two
/// places at once; the lock-free mutable state is only touched from that task.
public final class ORMTransaction: @unchecked Sendable {
    /// The connection, leased for the request.
    public let connection: PostgresConnection
    /// How many statements the ORM has run in this transaction.
    public private(set) var statementCount = 0
    /// Group external ids per user.
    var groupsByUser: [Int64: Set<String>] = [:]
    /// Values of rule variables per user and name.
    var ruleVariables: [Int64: [String: [Int64]]] = [:]
    /// Partner ids per user (for rules that refer to `{"user": "partner_id"}`).
    var partnerByUser: [Int64: Int64] = [:]

    /// Wraps a leased connection (the caller owns the transaction boundaries).
    public init(connection: PostgresConnection) { self.connection = connection }

    /// Runs a statement, counting it.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        statementCount += 1
        return try await connection.query(query)
    }

    /// Runs a statement that only reads (a plain `SELECT`), counting it. Until the request's
    /// first write it runs ahead of the transaction's `BEGIN` (see ``PostgresConnection/read(_:)``),
    /// so a request that only reads sends no `BEGIN` and waits for no `COMMIT`.
    @discardableResult
    public func read(_ query: PostgresQuery) async throws -> PostgresResult {
        statementCount += 1
        return try await connection.read(query)
    }
}
