/// What a many2one does when the record it points to is deleted.
public enum OnDelete: String, Sendable, Hashable {
    case cascade
    case restrict
    case setNull = "set null"
}

/// One allowed value of a selection field, with its label.
public struct SelectionOption: Sendable, Hashable {
    /// The stored value.
    public let value: String
    /// The label shown to users.
    public let label: String

    /// Creates an option.
    public init(_ value: String, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// The type of a field, with what the type needs (comodel, relation table, options).
public enum FieldType: Sendable, Hashable {
    case char
    case text
    case html
    case integer
    case float
    /// An exact decimal amount (stored as `NUMERIC`).
    case monetary
    case boolean
    case selection([SelectionOption])
    case date
    case datetime
    case many2one(comodel: String, ondelete: OnDelete)
    case one2many(comodel: String, inverseName: String)
    case many2many(comodel: String, relation: String, column1: String, column2: String)
    case json
    case binary

    /// Odoo's type name (`char`, `many2one`, …), as `fields_get` reports it.
    public var name: String {
        switch self {
        case .char: return "char"
        case .text: return "text"
        case .html: return "html"
        case .integer: return "integer"
        case .float: return "float"
        case .monetary: return "monetary"
        case .boolean: return "boolean"
        case .selection: return "selection"
        case .date: return "date"
        case .datetime: return "datetime"
        case .many2one: return "many2one"
        case .one2many: return "one2many"
        case .many2many: return "many2many"
        case .json: return "json"
        case .binary: return "binary"
        }
    }

    /// The model a relational field points to.
    public var comodel: String? {
        switch self {
        case .many2one(let comodel, _), .one2many(let comodel, _), .many2many(let comodel, _, _, _): return comodel
        default: return nil
        }
    }

    /// Whether the field is a one2many or many2many (no column of its own).
    public var isX2Many: Bool {
        switch self {
        case .one2many, .many2many: return true
        default: return false
        }
    }

    /// Whether the field is a one2many.
    public var isOne2many: Bool {
        if case .one2many = self { return true }
        return false
    }

    /// Whether values compare as text (`like` and `ilike` apply directly).
    public var isTextual: Bool {
        switch self {
        case .char, .text, .html, .selection: return true
        default: return false
        }
    }

    /// Whether values are numbers.
    public var isNumeric: Bool {
        switch self {
        case .integer, .float, .monetary: return true
        default: return false
        }
    }

    /// The PostgreSQL array type used to bind a list of this field's values (`= ANY($1::int8[])`).
    var arrayCast: String {
        switch self {
        case .integer, .many2one: return "int8[]"
        case .float: return "float8[]"
        case .monetary: return "numeric[]"
        case .boolean: return "bool[]"
        case .date: return "date[]"
        case .datetime: return "timestamp[]"
        default: return "text[]"
        }
    }
}
