import CLibPQ

/// The rows (or command status) a statement produced.
///
/// Owns the libpq `PGresult`; reading it is thread-safe because it is never modified after creation.
public final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    /// Number of rows.
    public let rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// Column names, in order.
    public let columnNames: [String]
    let columnTypes: [PostgresDataType]

    init(handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
        var names: [String] = []
        var types: [PostgresDataType] = []
        names.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            names.append(String(cString: PQfname(handle, Int32(column))))
            types.append(PostgresDataType(oid: PQftype(handle, Int32(column))))
        }
        columnNames = names
        columnTypes = types
    }

    deinit { PQclear(handle) }

    /// The number of rows an INSERT, UPDATE or DELETE touched (0 when not applicable).
    public var affectedRows: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    /// The index of the column with this name, if any.
    public func columnIndex(_ name: String) -> Int? {
        columnNames.firstIndex(of: name)
    }

    /// Whether the result has no rows.
    public var isEmpty: Bool { rowCount == 0 }

    /// The row at `index`.
    public subscript(index: Int) -> PostgresRow { PostgresRow(result: self, index: index) }

    /// The first row, if any.
    public var first: PostgresRow? { rowCount > 0 ? self[0] : nil }

    /// The raw text of one value as PostgreSQL sent it (`nil` for SQL NULL), without copying: for
    /// writers that turn values into output bytes directly. The buffer points into this result and
    /// is valid only while the result is alive (hold it with `withExtendedLifetime`).
    public func unsafeBytes(row: Int, column: Int) -> UnsafeBufferPointer<UInt8>? {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "value (\(row), \(column)) out of range")
        let r = Int32(row)
        let c = Int32(column)
        if PQgetisnull(handle, r, c) == 1 { return nil }
        let length = Int(PQgetlength(handle, r, c))
        return UnsafeBufferPointer(start: UnsafeRawPointer(PQgetvalue(handle, r, c)!).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// All rows, in order.
    public var rows: [PostgresRow] { (0..<rowCount).map { PostgresRow(result: self, index: $0) } }

    func cell(row: Int, column: Int) -> PostgresCell {
        let r = Int32(row)
        let c = Int32(column)
        if PQgetisnull(handle, r, c) == 1 {
            return PostgresCell(type: columnTypes[column], bytes: nil, columnName: columnNames[column])
        }
        let length = Int(PQgetlength(handle, r, c))
        let pointer = UnsafeRawPointer(PQgetvalue(handle, r, c)!).assumingMemoryBound(to: UInt8.self)
        return PostgresCell(
            type: columnTypes[column], bytes: UnsafeBufferPointer(start: pointer, count: length),
            columnName: columnNames[column])
    }
}

/// One row of a ``PostgresResult``; decode its columns by index or by name.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// Decodes the column at `column` as `type`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        guard column >= 0, column < result.columnCount else {
            throw PostgresError(code: .decoding, message: "column \(column) out of range")
        }
        return try withExtendedLifetime(result) { try T.decode(from: result.cell(row: index, column: column)) }
    }

    /// Decodes the column named `name` as `type`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, named name: String) throws -> T {
        guard let column = result.columnIndex(name) else {
            throw PostgresError(code: .decoding, message: "no column named \(name)")
        }
        return try decode(type, at: column)
    }

    /// A copy of the column's raw text as PostgreSQL sent it (`nil` for SQL NULL).
    public func rawValue(at column: Int) -> [UInt8]? {
        withExtendedLifetime(result) { result.unsafeBytes(row: index, column: column).map(Array.init) }
    }

    /// Whether the column's raw text is `value` (`nil`: SQL NULL), compared in place.
    public func hasRawValue(_ value: [UInt8]?, at column: Int) -> Bool {
        withExtendedLifetime(result) {
            switch (result.unsafeBytes(row: index, column: column), value) {
            case (nil, nil): return true
            case (let bytes?, let value?): return bytes.elementsEqual(value)
            default: return false
            }
        }
    }

    /// Whether the column at `column` is SQL NULL.
    public func isNull(at column: Int) -> Bool {
        PQgetisnull(result.handle, Int32(index), Int32(column)) == 1
    }

    /// The number of columns.
    public var columnCount: Int { result.columnCount }
    /// The column names.
    public var columnNames: [String] { result.columnNames }
    /// The type of the column at `column`.
    public func type(at column: Int) -> PostgresDataType { result.columnTypes[column] }
}
