import JSONRPC
import PostgresDriver

/// Checks a domain value against its field's type and turns it into a bind, so a wrong value is
/// Odoo's `ValueError` rather than a PostgreSQL error.
enum FieldValueBinder {
    static func bind(_ value: JSONValue, for field: FieldDefinition, leaf: LeafText) throws -> PostgresBind {
        .text(try text(value, for: field, leaf: leaf))
    }

    /// The value's text form for its field's column type.
    static func text(_ value: JSONValue, for field: FieldDefinition, leaf: LeafText) throws -> String {
        func invalid() -> ORMError {
            ORMError.value("Invalid value \(PythonRepr.of(value)) for field \(field.name) (\(field.type.name)) in leaf \(leaf)")
        }
        switch field.type {
        case .integer, .many2one:
            switch value {
            case .number(let number):
                guard let integer = number.int64Value else { throw invalid() }
                return String(integer)
            case .bool(let flag): return flag ? "1" : "0"
            case .string(let string) where Int64(string) != nil: return string
            default: throw invalid()
            }
        case .float, .monetary:
            switch value {
            case .number(let number): return number.literal
            case .string(let string) where Double(string) != nil: return string
            default: throw invalid()
            }
        case .boolean:
            switch value {
            case .bool(let flag): return flag ? "t" : "f"
            case .number(let number) where number.intValue == 0 || number.intValue == 1: return number.intValue == 1 ? "t" : "f"
            case .null: return "f"
            default: throw invalid()
            }
        case .char, .text, .html, .selection, .json:
            switch value {
            case .string(let string): return string
            case .number(let number): return number.literal
            default: throw invalid()
            }
        case .date:
            guard case .string(let string) = value, let date = PostgresDate(string.prefix(10)) else { throw invalid() }
            return date.description
        case .datetime:
            guard case .string(let string) = value else { throw invalid() }
            let full = string.count == 10 ? string + " 00:00:00" : string
            guard PostgresTimestamp.parse(full) != nil else { throw invalid() }
            return full
        case .binary:
            guard case .string(let string) = value else { throw invalid() }
            return string
        case .one2many, .many2many:
            throw invalid()
        }
    }
}
