import JSONRPC

/// A field of a model: its name, type and attributes, as `fields_get` reports them.
///
/// Declare fields with the static constructors:
/// ```swift
/// .char("name", string: "Name", required: true, index: true)
/// .many2one("parent_id", "res.partner", string: "Related Company", ondelete: .setNull)
/// ```
public struct FieldDefinition: Sendable {
    /// The field name (also the column name for stored, non-x2many fields).
    public let name: String
    /// The type.
    public let type: FieldType
    /// The label.
    public var string: String
    /// Help text.
    public var help: String?
    /// A value is required on create and cannot be emptied on write.
    public var required: Bool
    /// Clients may not write it (the server still may).
    public var readonly: Bool
    /// The column is indexed (documentation; the index itself is in schema.sql).
    public var index: Bool
    /// `copy()` copies the value.
    public var copy: Bool
    /// Stored in the model's table (x2many fields are stored through their comodel or relation).
    public var store: Bool
    /// The default for `create` and `default_get`.
    public var defaultValue: JSONValue?
    /// A default that depends on the caller (Odoo's `default=lambda self: …`, such as the user's
    /// current team); used when there is no ``defaultValue``.
    public var defaultFunction: (@Sendable (ORMEnvironment) async throws -> JSONValue?)?
    /// Only these groups (external ids) may read or write it; empty means everybody with model access.
    public var groups: [String]
    /// A password: reads answer `""` as Odoo does, and it is never searched, ordered or grouped
    /// (Odoo's non-stored computed `password` with an inverse); writing it stores a hash.
    public var writeOnly: Bool
    /// A server-only secret (token hashes, payment tokens, encrypted keys): no client reads,
    /// searches, orders, groups, describes or writes it, whatever its groups; only server code
    /// running `sudo` does (see ``ORMEnvironment/hasFieldAccess(_:for:)``).
    public var isSecret: Bool = false
    /// Values are stored as PBKDF2 password hashes, never as given (implies `writeOnly`).
    public var hashed: Bool = false
    /// Readable by everybody with model access, but set only by server code (`sudo`): a client
    /// value on `create` or `write` is an AccessError (status, balances, roles, tenancy keys).
    public var isSystemOnly: Bool = false
    /// A related field: the value of this path from the record (`["partner_id", "name"]`); reads,
    /// searches and writes go through to the related record.
    public var related: [String]?
    /// A computed field: its value comes from Swift code; stored computed fields are recomputed
    /// when the fields they depend on change.
    public var compute: FieldCompute?

    /// Creates a field; prefer the static constructors.
    public init(
        name: String, type: FieldType, string: String? = nil, help: String? = nil, required: Bool = false,
        readonly: Bool = false, index: Bool = false, copy: Bool? = nil, store: Bool = true,
        defaultValue: JSONValue? = nil, groups: [String] = [], writeOnly: Bool = false
    ) {
        self.name = name
        self.type = type
        self.string = string ?? FieldDefinition.label(for: name)
        self.help = help
        self.required = required
        self.readonly = readonly
        self.index = index
        // Odoo: one2many fields are not copied by default; everything else is.
        if case .one2many = type { self.copy = copy ?? false } else { self.copy = copy ?? true }
        self.store = store
        self.defaultValue = defaultValue
        self.groups = groups
        self.writeOnly = writeOnly
    }

    /// The column holding the value, if the field has one in its model's table.
    public var column: String? { store && !type.isX2Many && related == nil ? name : nil }

    /// "partner_id" → "Partner", "is_company" → "Is Company" (Odoo's default labels).
    static func label(for name: String) -> String {
        var base = name
        if base.hasSuffix("_ids") { base.removeLast(4) } else if base.hasSuffix("_id") { base.removeLast(3) }
        return base.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}

extension FieldDefinition {
    public static func char(
        _ name: String, string: String? = nil, required: Bool = false, readonly: Bool = false, index: Bool = false,
        defaultValue: JSONValue? = nil, help: String? = nil
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, type: .char, string: string, help: help, required: required, readonly: readonly, index: index,
            defaultValue: defaultValue)
    }

    public static func text(_ name: String, string: String? = nil, help: String? = nil) -> FieldDefinition {
        FieldDefinition(name: name, type: .text, string: string, help: help)
    }

    public static func integer(
        _ name: String, string: String? = nil, required: Bool = false, defaultValue: JSONValue? = nil
    ) -> FieldDefinition {
        FieldDefinition(name: name, type: .integer, string: string, required: required, defaultValue: defaultValue)
    }

    public static func float(_ name: String, string: String? = nil, defaultValue: JSONValue? = nil) -> FieldDefinition {
        FieldDefinition(name: name, type: .float, string: string, defaultValue: defaultValue)
    }

    public static func monetary(
        _ name: String, string: String? = nil, required: Bool = false, readonly: Bool = false,
        defaultValue: JSONValue? = nil
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, type: .monetary, string: string, required: required, readonly: readonly,
            defaultValue: defaultValue)
    }

    public static func boolean(_ name: String, string: String? = nil, defaultValue: JSONValue? = nil) -> FieldDefinition {
        FieldDefinition(name: name, type: .boolean, string: string, defaultValue: defaultValue)
    }

    public static func selection(
        _ name: String, _ options: [SelectionOption], string: String? = nil, required: Bool = false,
        readonly: Bool = false, defaultValue: JSONValue? = nil
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, type: .selection(options), string: string, required: required, readonly: readonly,
            defaultValue: defaultValue)
    }

    public static func date(_ name: String, string: String? = nil, required: Bool = false) -> FieldDefinition {
        FieldDefinition(name: name, type: .date, string: string, required: required)
    }

    public static func datetime(_ name: String, string: String? = nil, readonly: Bool = false) -> FieldDefinition {
        FieldDefinition(name: name, type: .datetime, string: string, readonly: readonly)
    }

    public static func many2one(
        _ name: String, _ comodel: String, string: String? = nil, required: Bool = false, readonly: Bool = false,
        index: Bool = false, ondelete: OnDelete = .setNull
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, type: .many2one(comodel: comodel, ondelete: ondelete), string: string, required: required,
            readonly: readonly, index: index)
    }

    public static func one2many(_ name: String, _ comodel: String, inverse: String, string: String? = nil)
        -> FieldDefinition
    {
        FieldDefinition(name: name, type: .one2many(comodel: comodel, inverseName: inverse), string: string)
    }

    public static func many2many(
        _ name: String, _ comodel: String, relation: String, column1: String, column2: String, string: String? = nil
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, type: .many2many(comodel: comodel, relation: relation, column1: column1, column2: column2),
            string: string)
    }

    /// A password: write-only, stored hashed, writable only by `groups` (nobody else, not even the user).
    public static func password(_ name: String, string: String? = nil, groups: [String]) -> FieldDefinition {
        var field = FieldDefinition(name: name, type: .char, string: string, copy: false, groups: groups, writeOnly: true)
        field.hashed = true
        return field
    }

    /// A related field (not stored): `.related("name", type: .char, path: ["partner_id", "name"])`.
    public static func related(_ name: String, type: FieldType, path: [String], string: String? = nil, readonly: Bool = false)
        -> FieldDefinition
    {
        var field = FieldDefinition(name: name, type: type, string: string, readonly: readonly, copy: false, store: false)
        field.related = path
        return field
    }

    /// A computed field; `store: true` keeps the value in its column (recomputed when `depends` change).
    public static func computed(
        _ name: String, type: FieldType, string: String? = nil, store: Bool = false, depends: [String],
        compute: @escaping @Sendable (RecordSet) async throws -> [Int64: JSONValue]
    ) -> FieldDefinition {
        var field = FieldDefinition(name: name, type: type, string: string, readonly: true, copy: false, store: store)
        field.compute = FieldCompute(depends: depends, function: compute)
        return field
    }

    public static func json(_ name: String, string: String? = nil) -> FieldDefinition {
        FieldDefinition(name: name, type: .json, string: string)
    }

    public static func binary(_ name: String, string: String? = nil) -> FieldDefinition {
        FieldDefinition(name: name, type: .binary, string: string)
    }

    /// The same field with a default computed for the caller at `create` / `default_get`.
    public func defaulting(to function: @escaping @Sendable (ORMEnvironment) async throws -> JSONValue?) -> FieldDefinition {
        var field = self
        field.defaultFunction = function
        return field
    }

    /// The same field as a server-only secret (see ``isSecret``): never copied, never described.
    public func secret() -> FieldDefinition {
        var field = self
        field.isSecret = true
        field.isSystemOnly = true
        field.readonly = true
        field.copy = false
        return field
    }

    /// The same field, settable only by server code (see ``isSystemOnly``).
    public func systemOnly() -> FieldDefinition {
        var field = self
        field.isSystemOnly = true
        field.readonly = true
        return field
    }
}

/// How a computed field gets its values: a batch function over records, and the fields it depends on.
public struct FieldCompute: Sendable {
    /// Fields of the same model whose change triggers a recomputation (stored fields only).
    public let depends: [String]
    /// Computes the value of every record of the set, by id.
    public let function: @Sendable (RecordSet) async throws -> [Int64: JSONValue]
}
