/// A SQL statement with its parameters.
///
/// Interpolated values become bind parameters (`$1`, `$2`, …), so values are never spliced into
/// the SQL text. Raw SQL fragments must be asked for by name with `\(unescaped:)` and are meant
/// for identifiers already quoted by ``PostgresQuery/quoteIdentifier(_:)``.
///
/// ```swift
/// let rows = try await db.query("SELECT id, name FROM res_users WHERE login = \(login)")
/// ```
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// The parameters, in placeholder order.
    public var binds: [PostgresBind]

    /// A statement from SQL text and explicit binds (`$1` is `binds[0]`).
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// Appends a bind and returns its placeholder, for builders that assemble SQL piece by piece.
    public mutating func appendBind(_ value: some PostgresBindable) -> String {
        binds.append(value.postgresBind)
        return "$\(binds.count)"
    }

    /// Quotes an identifier (table or column name) for SQL: `"name"`, with embedded quotes doubled.
    /// This is the one function through which identifiers reach SQL text.
    public static func quoteIdentifier(_ name: String) -> String {
        var quoted = ""
        appendQuotedIdentifier(name, to: &quoted)
        return quoted
    }

    /// Appends `name` quoted as by ``quoteIdentifier(_:)`` (no intermediate string; a byte scan,
    /// not Foundation's string search, which showed in profiles of every ORM statement).
    public static func appendQuotedIdentifier(_ name: String, to sql: inout String) {
        sql.append("\"")
        if name.utf8.contains(UInt8(ascii: "\"")) {
            for character in name.unicodeScalars {
                if character == "\"" { sql.append("\"\"") } else { sql.unicodeScalars.append(character) }
            }
        } else {
            sql.append(name)
        }
        sql.append("\"")
    }

    /// Builds the SQL text and binds from an interpolated string literal.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var binds: [PostgresBind]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { sql.append(literal) }

        /// Appends a value as a bind parameter.
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            binds.append(value.postgresBind)
            sql.append("$\(binds.count)")
        }

        /// Appends an optional value as a bind parameter: SQL `NULL` when it is `nil`. (Spelled out
        /// so that an optional is visibly a bind, never text: without it the generic overload above
        /// takes it just the same, and the compiler warns about an optional in an interpolation.)
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            binds.append(value.postgresBind)
            sql.append("$\(binds.count)")
        }

        /// Appends raw SQL. Only for trusted fragments such as quoted identifiers.
        public mutating func appendInterpolation(unescaped fragment: String) { sql.append(fragment) }
    }
}
