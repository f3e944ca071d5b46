import PostgresDriver

/// A model: its dotted name, table, fields, default order and naming, as Odoo declares them.
///
/// ```swift
/// ModelDefinition(name: "res.partner", description: "Contact", order: "name, id", fields: [
///     .char("name", required: true, index: true),
///     .many2one("parent_id", "res.partner", ondelete: .setNull),
/// ])
/// ```
/// Every model also gets `id`, `display_name`, `create_uid`, `create_date`, `write_uid` and
/// `write_date`, as in Odoo.
public struct ModelDefinition: Sendable {
    /// The dotted model name (`res.partner`).
    public let name: String
    /// The table (`res_partner`).
    public let table: String
    /// A human description (`Contact`).
    public var description: String
    /// The default `ORDER BY`, in Odoo's syntax (`name, id desc`).
    public var order: String
    /// The field used as the record's name (`display_name`, `name_search`), if any.
    public var recName: String?
    /// The many2one to the parent record, for `child_of` / `parent_of`.
    public var parentName: String?
    /// SQL computing `display_name` for the table alias given (trusted code, e.g. "Company, Person"
    /// for contacts); by default the `rec_name` field, else `model,id` as Odoo does.
    public var displayNameSQL: (@Sendable (_ alias: String) -> String)?
    /// Readable messages for named database constraints (`res_users_login_key` → "…").
    public var constraintMessages: [String: String]
    /// The fields, in declaration order.
    public private(set) var fieldsInOrder: [FieldDefinition]
    private var fieldIndex: [String: Int]

    /// Declares a model; `table` defaults to the name with `.` replaced by `_`.
    public init(
        name: String, table: String? = nil, description: String, order: String = "id", recName: String? = nil,
        parentName: String? = nil, constraintMessages: [String: String] = [:],
        displayNameSQL: (@Sendable (_ alias: String) -> String)? = nil, fields: [FieldDefinition]
    ) {
        self.displayNameSQL = displayNameSQL
        self.name = name
        self.table = table ?? name.replacingOccurrences(of: ".", with: "_")
        self.description = description
        self.order = order
        self.constraintMessages = constraintMessages
        self.parentName = parentName
        var all: [FieldDefinition] = [FieldDefinition(name: "id", type: .integer, string: "ID", readonly: true)]
        all += fields
        all += [
            FieldDefinition(name: "display_name", type: .char, string: "Display Name", readonly: true, store: false),
            FieldDefinition(
                name: "create_uid", type: .many2one(comodel: "res.users", ondelete: .setNull), string: "Created by",
                readonly: true, copy: false),
            FieldDefinition(name: "create_date", type: .datetime, string: "Created on", readonly: true, copy: false),
            FieldDefinition(
                name: "write_uid", type: .many2one(comodel: "res.users", ondelete: .setNull), string: "Last Updated by",
                readonly: true, copy: false),
            FieldDefinition(name: "write_date", type: .datetime, string: "Last Updated on", readonly: true, copy: false),
        ]
        fieldsInOrder = all
        fieldIndex = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.name, $0) })
        hasRestrictedFields = all.contains { $0.isRestricted }
        self.recName = recName ?? (fieldIndex["name"] != nil ? "name" : nil)
    }

    /// Whether some field has groups, is secret or write-only (an order or a domain on the
    /// model's other fields needs no access check).
    public private(set) var hasRestrictedFields: Bool

    /// The model with more fields (an application module extending a model of another, as Odoo's
    /// `_inherit` does): they come after the declared ones, before the automatic `display_name`,
    /// `create_uid`, … fields.
    func adding(_ fields: [FieldDefinition]) -> ModelDefinition {
        var extended = self
        let automatic = extended.fieldsInOrder.firstIndex { $0.name == "display_name" } ?? extended.fieldsInOrder.endIndex
        extended.fieldsInOrder.insert(contentsOf: fields, at: automatic)
        extended.fieldIndex = Dictionary(uniqueKeysWithValues: extended.fieldsInOrder.enumerated().map { ($1.name, $0) })
        extended.hasRestrictedFields = extended.fieldsInOrder.contains { $0.isRestricted }
        return extended
    }

    /// The field with this name.
    public func field(_ name: String) -> FieldDefinition? {
        fieldIndex[name].map { fieldsInOrder[$0] }
    }

    /// The SQL expression of `display_name` for rows of this model's table aliased `alias`.
    public func displayNameExpression(alias: String) -> String {
        if let displayNameSQL { return displayNameSQL(alias) }
        let quotedAlias = PostgresQuery.quoteIdentifier(alias)
        if let recName, field(recName)?.column != nil {
            return "coalesce(\(quotedAlias).\(PostgresQuery.quoteIdentifier(recName))::text, '')"
        }
        return "'\(name.replacingOccurrences(of: "'", with: "''")),' || \(quotedAlias).\"id\""
    }

    /// Whether the model has an `active` field (archived records are hidden from searches).
    public var hasActiveField: Bool { field("active")?.type == .boolean }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, utf8.firstRange(of: target.utf8) != nil else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
