import JSONRPC
import PostgresDriver

/// How a stored field's column is selected and turned into the ORM's value (Odoo's "cache format"
/// as JSON): integers and floats as numbers, monetary as exact decimals, dates `YYYY-MM-DD`,
/// datetimes `YYYY-MM-DD HH:MM:SS` (UTC), many2one as the id, binary as base64, NULL as `null`.
enum FieldColumnCodec {
    /// The SELECT expression for the field's column in table `alias`. A write-only field (a
    /// password hash) is never selected: its value never leaves the database through a read.
    static func selectExpression(_ field: FieldDefinition, alias: String) -> String {
        if field.writeOnly { return "NULL::text" }
        let column = PostgresQuery.quoteIdentifier(alias) + "." + PostgresQuery.quoteIdentifier(field.name)
        switch field.type {
        case .datetime: return "to_char(\(column), 'YYYY-MM-DD HH24:MI:SS')"
        case .date, .json: return "\(column)::text"
        case .binary: return "translate(encode(\(column), 'base64'), E'\\n', '')"
        case .monetary: return "\(column)::text"
        default: return column
        }
    }

    /// Decodes the column value selected by ``selectExpression(_:alias:)``.
    static func decode(_ field: FieldDefinition, row: PostgresRow, at index: Int) throws -> JSONValue {
        if row.isNull(at: index) { return .null }
        switch field.type {
        case .integer, .many2one:
            return .number(JSONNumber(try row.decode(Int64.self, at: index)))
        case .float:
            return .number(JSONNumber(try row.decode(Double.self, at: index)))
        case .monetary:
            let text = try row.decode(String.self, at: index)
            return JSONNumber(literal: text).map(JSONValue.number) ?? .string(text)
        case .boolean:
            return .bool(try row.decode(Bool.self, at: index))
        case .json:
            let text = try row.decode(String.self, at: index)
            return (try? JSONParser.parse(text)) ?? .null
        case .char, .text, .html, .selection, .date, .datetime, .binary:
            return .string(try row.decode(String.self, at: index))
        case .one2many, .many2many:
            return .null
        }
    }
}
