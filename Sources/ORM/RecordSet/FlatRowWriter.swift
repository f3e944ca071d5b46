import JSONRPC
import PostgresDriver

/// Turns the rows of a flat ``ReadPlan`` (every field a column of the statement) into the records'
/// values in one pass, either as ``JSONObject``s or straight into JSON bytes. Both read the same
/// column map, worked out once per statement instead of once per value, and give what
/// `RecordSet.assemble` gives: many2one `[id, name]` (the id alone without a name), `false` for
/// empty values (`0` and `0.0` for numbers), `""` for write-only fields.
struct FlatRowWriter {
    /// Where one field's value comes from in the row.
    enum Source {
        /// A write-only field (a password): always `""`.
        case writeOnly
        /// `display_name`: the selected display-name expression.
        case displayName(column: Int)
        /// A many2one: the id column and, when names are loaded, the joined display name's column.
        case many2one(column: Int, nameColumn: Int?)
        /// An integer: PostgreSQL's text is the JSON number itself.
        case integer(column: Int)
        /// A boolean (`t` / `f`).
        case boolean(column: Int)
        /// A value selected as text and answered as a string (char, text, html, selection, date,
        /// datetime, binary as base64).
        case text(column: Int)
        /// A value that needs converting (float, monetary, json): through `FieldColumnCodec`.
        case converted(column: Int, field: Int)
    }

    /// One field of the answer.
    struct Column {
        let name: String
        /// `,"name":`, ready to copy.
        let key: [UInt8]
        let source: Source
    }

    let fields: [FieldDefinition]
    let columns: [Column]

    /// The column map of `plan`, which must be flat (``ReadPlan/isFlat``).
    init(_ plan: ReadPlan) {
        precondition(plan.isFlat, "FlatRowWriter needs a plan whose fields are all columns")
        let displayNameIndex = plan.stored.count + 1
        let firstNameIndex = plan.stored.count + (plan.wantsDisplayName ? 2 : 1)
        var columns: [Column] = []
        columns.reserveCapacity(plan.fields.count)
        var storedIndex = 0
        for (position, field) in plan.fields.enumerated() {
            let source: Source
            if field.column == nil {
                source = .displayName(column: displayNameIndex)
            } else {
                storedIndex += 1
                if field.writeOnly {
                    source = .writeOnly
                } else {
                    switch field.type {
                    case .many2one:
                        let join = plan.nameJoins.firstIndex { $0.field.name == field.name }
                        source = .many2one(column: storedIndex, nameColumn: join.map { firstNameIndex + $0 })
                    case .integer: source = .integer(column: storedIndex)
                    case .boolean: source = .boolean(column: storedIndex)
                    case .char, .text, .html, .selection, .date, .datetime, .binary: source = .text(column: storedIndex)
                    case .float, .monetary, .json, .one2many, .many2many:
                        source = .converted(column: storedIndex, field: position)
                    }
                }
            }
            var key: [UInt8] = [UInt8(ascii: ",")]
            JSONWriter.writeString(field.name, into: &key)
            key.append(UInt8(ascii: ":"))
            columns.append(Column(name: field.name, key: key, source: source))
        }
        self.fields = plan.fields
        self.columns = columns
    }

    // MARK: Objects

    /// The records' objects in the order of the rows (a repeated id is skipped).
    func objects(_ result: PostgresResult) throws -> [JSONObject] {
        var objects: [JSONObject] = []
        objects.reserveCapacity(result.rowCount)
        var seen = Set<Int64>()
        for row in result.rows {
            let id = try row.decode(Int64.self, at: 0)
            guard seen.insert(id).inserted else { continue }
            var object = JSONObject()
            object.reserveCapacity(columns.count + 1)
            object.append("id", .number(JSONNumber(id)))
            for column in columns {
                object.append(column.name, try value(of: column.source, in: row))
            }
            objects.append(object)
        }
        return objects
    }

    private func value(of source: Source, in row: PostgresRow) throws -> JSONValue {
        switch source {
        case .writeOnly:
            return ""
        case .displayName(let column):
            return .string(try row.decode(String.self, at: column))
        case .many2one(let column, let nameColumn):
            guard let target = try row.decode(Int64?.self, at: column) else { return false }
            guard let nameColumn, let name = try row.decode(String?.self, at: nameColumn) else {
                return .number(JSONNumber(target))
            }
            return .array([.number(JSONNumber(target)), .string(name)])
        case .integer(let column):
            return .number(JSONNumber(try row.decode(Int64?.self, at: column) ?? 0))
        case .boolean(let column):
            return .bool(try row.decode(Bool?.self, at: column) ?? false)
        case .text(let column):
            return try row.decode(String?.self, at: column).map(JSONValue.string) ?? false
        case .converted(let column, let field):
            let type = fields[field].type
            return RecordSet.readValue(try FieldColumnCodec.decode(fields[field], row: row, at: column), type: type)
        }
    }

    // MARK: Bytes

    /// The records as one JSON array of objects, written from the rows' bytes without building
    /// ``JSONValue``s: the same JSON that serialising ``objects(_:)`` gives.
    func encoded(_ result: PostgresResult) throws -> EncodedJSON {
        var out: [UInt8] = []
        out.reserveCapacity(2 + result.rowCount * (16 + columns.count * 24))
        out.append(UInt8(ascii: "["))
        var seen = Set<Int64>()
        try withExtendedLifetime(result) {
            for row in 0..<result.rowCount {
                guard let id = try Self.integerText(result, row, 0) else {
                    _ = try result[row].decode(Int64.self, at: 0)  // throws: the id is NULL
                    continue
                }
                guard seen.insert(id.value).inserted else { continue }
                if out.count > 1 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendStatic("{\"id\":", to: &out)
                out.append(contentsOf: id.text)
                for column in columns {
                    out.append(contentsOf: column.key)
                    try write(column.source, result, row, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(UInt8(ascii: "]"))
        return EncodedJSON(unchecked: out)
    }

    /// Writes one value (the result is kept alive by the caller).
    private func write(_ source: Source, _ result: PostgresResult, _ row: Int, to out: inout [UInt8]) throws {
        switch source {
        case .writeOnly:
            JSONWriter.appendStatic("\"\"", to: &out)
        case .displayName(let column):
            guard let text = result.unsafeBytes(row: row, column: column) else {
                _ = try result[row].decode(String.self, at: column)  // throws the decoding error
                return
            }
            Self.appendQuoted(text, to: &out)
        case .many2one(let column, let nameColumn):
            guard let id = try Self.integerText(result, row, column) else {
                return JSONWriter.appendStatic("false", to: &out)
            }
            guard let nameColumn, let name = result.unsafeBytes(row: row, column: nameColumn) else {
                return out.append(contentsOf: id.text)
            }
            out.append(UInt8(ascii: "["))
            out.append(contentsOf: id.text)
            out.append(UInt8(ascii: ","))
            Self.appendQuoted(name, to: &out)
            out.append(UInt8(ascii: "]"))
        case .integer(let column):
            guard let number = try Self.integerText(result, row, column) else {
                return out.append(UInt8(ascii: "0"))
            }
            out.append(contentsOf: number.text)
        case .boolean(let column):
            guard let flag = result.unsafeBytes(row: row, column: column) else {
                return JSONWriter.appendStatic("false", to: &out)
            }
            if flag.count == 1, flag[0] == UInt8(ascii: "t") || flag[0] == UInt8(ascii: "f") {
                JSONWriter.appendStatic(flag[0] == UInt8(ascii: "t") ? "true" : "false", to: &out)
            } else {
                _ = try result[row].decode(Bool.self, at: column)  // throws the decoding error
            }
        case .text(let column):
            guard let text = result.unsafeBytes(row: row, column: column) else {
                return JSONWriter.appendStatic("false", to: &out)
            }
            Self.appendQuoted(text, to: &out)
        case .converted:
            try value(of: source, in: result[row]).write(into: &out)
        }
    }

    private static func appendQuoted(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        JSONWriter.writeEscaped(text, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// An integer column's text (PostgreSQL writes integers as JSON does) and value, `nil` for
    /// NULL; a value that is not an integer's text throws the decoder's error, which names the column.
    private static func integerText(_ result: PostgresResult, _ row: Int, _ column: Int) throws
        -> (text: UnsafeBufferPointer<UInt8>, value: Int64)?
    {
        guard let bytes = result.unsafeBytes(row: row, column: column) else { return nil }
        if let value = shortInteger(bytes) { return (bytes, value) }
        // Nineteen digits, or not an integer at all: the decoder checks it (and throws for the latter).
        return (bytes, try result[row].decode(Int64.self, at: column))
    }

    /// The value of `-?[0-9]{1,18}` written without a superfluous leading zero, as PostgreSQL
    /// writes the integer types (valid JSON as it is), or `nil` for any other text.
    private static func shortInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1, digits.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return negative ? -value : value
    }
}
