import PostgresDriver

/// Accumulates SQL text and its bind parameters in order, so fragments written one after another
/// number their placeholders correctly. Values only ever enter as binds (the one exception is a
/// page's `LIMIT`, a Swift integer, see ``page(limit:offset:)``); identifiers only through
/// ``identifier(_:)`` (one quoting function).
public struct SQLWriter: Sendable {
    /// The SQL so far.
    public private(set) var sql: String = ""
    /// The binds so far (`$1` is `binds[0]`).
    public private(set) var binds: [PostgresBind] = []
    private var aliasCounter = 0

    /// Starts empty.
    public init() {}

    /// Appends trusted SQL text (keywords, operators, already-quoted identifiers).
    public mutating func append(_ text: String) { sql += text }

    /// Appends a value as a bind placeholder.
    public mutating func bind(_ value: some PostgresBindable) {
        binds.append(value.postgresBind)
        sql += "$\(binds.count)"
    }

    /// Appends ` LIMIT n` (when `limit` is given) and ` OFFSET $k` (when `offset` is positive).
    ///
    /// The limit is written as an integer literal, not a bind. With `LIMIT $k` PostgreSQL plans a
    /// prepared statement again at every execution whenever its plan for the actual value looks
    /// cheaper than the generic one, as it does for small pages: search_read of 20 partners spent
    /// more time planning than executing (pgbench of the same statement: +60 % with the limit
    /// written out). Page sizes are few, so each stays one prepared statement. The offset stays a
    /// bind: every page would otherwise be a statement of its own.
    public mutating func page(limit: Int?, offset: Int) {
        if let limit { sql += " LIMIT " + String(max(0, limit)) }
        if offset > 0 {
            sql += " OFFSET "
            bind(offset)
        }
    }

    /// Appends a bind with an explicit cast (`$3::int8[]`).
    public mutating func bind(_ value: some PostgresBindable, cast: String) {
        bind(value)
        sql += "::" + cast
    }

    /// Appends a quoted identifier.
    public mutating func identifier(_ name: String) { PostgresQuery.appendQuotedIdentifier(name, to: &sql) }

    /// Appends `"alias"."column"`.
    public mutating func column(_ alias: String, _ column: String) {
        identifier(alias)
        sql += "."
        identifier(column)
    }

    /// Appends ` FROM "table" AS "alias"`.
    public mutating func from(_ table: String, as alias: String) {
        sql += " FROM "
        identifier(table)
        sql += " AS "
        identifier(alias)
    }

    /// Appends `"alias"."column" = ANY($n::int8[])`: one array bind, whatever the number of ids.
    public mutating func column(_ alias: String, _ column: String, in ids: [Int64]) {
        self.column(alias, column)
        sql += " = ANY("
        bind(ids, cast: "int8[]")
        sql += ")"
    }

    /// A fresh table alias for a subquery (`t1`, `t2`, …).
    public mutating func newAlias(for table: String) -> String {
        aliasCounter += 1
        return "\(table)__\(aliasCounter)"
    }

    /// The statement.
    public var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }

    /// Appends a fragment written by `write` into a fresh writer (no binds allowed in it), through
    /// `cache` under `key`: the same text either way, built once per key.
    mutating func append(
        cached key: String, in cache: SQLFragmentCache, _ write: (inout SQLWriter) throws -> Void
    ) rethrows {
        let fragment = try cache.fragment(key) {
            var fresh = SQLWriter()
            fresh.aliasCounter = aliasCounter
            try write(&fresh)
            precondition(fresh.binds.isEmpty, "a cached SQL fragment cannot hold binds")
            return SQLFragmentCache.Fragment(sql: fresh.sql, aliasCounter: fresh.aliasCounter - aliasCounter)
        }
        sql += fragment.sql
        aliasCounter += fragment.aliasCounter
    }

    /// The alias counter, part of a cache key whenever the fragment makes aliases.
    var aliasesMade: Int { aliasCounter }
}
