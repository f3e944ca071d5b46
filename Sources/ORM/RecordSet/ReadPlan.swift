import JSONRPC
import PostgresDriver

/// The columns of one read in one statement: the stored fields, `display_name`, and the display
/// name of every many2one value through a LEFT JOIN on its comodel (unrestricted, as Odoo reads
/// those names with sudo).
struct ReadPlan {
    /// A many2one field whose target's display name is selected with the row.
    struct NameJoin {
        let field: FieldDefinition
        let comodel: ModelDefinition
    }

    /// One record's selected values and many2one display names.
    struct Row {
        var values: JSONObject
        var names: [String: String]
    }

    let model: ModelDefinition
    let alias: String
    /// Every field the read returns (stored or not).
    let fields: [FieldDefinition]
    let nameJoins: [NameJoin]
    /// The fields with a column, in the order they are selected after `id`.
    let stored: [FieldDefinition]
    /// Whether `display_name` is selected (after the stored columns).
    let wantsDisplayName: Bool

    init(model: ModelDefinition, alias: String, fields: [FieldDefinition], nameJoins: [NameJoin]) {
        self.model = model
        self.alias = alias
        self.fields = fields
        self.nameJoins = nameJoins
        stored = fields.filter { $0.column != nil }
        wantsDisplayName = fields.contains { $0.name == "display_name" }
        isFlat = fields.allSatisfy { $0.column != nil || $0.name == "display_name" }
    }

    /// Whether every field comes from the statement's own columns (no x2many, related or
    /// non-stored computed field): the records are then written straight from the rows
    /// (``FlatRowWriter``).
    let isFlat: Bool

    /// ``writeSelect(into:)`` through the registry's fragment cache: the text depends only on the
    /// model, the alias, the selected columns and name joins, and the aliases made before it.
    func writeSelect(into writer: inout SQLWriter, cache: SQLFragmentCache) {
        var key = "select\u{1}\(model.name)\u{1}\(alias)\u{1}\(writer.aliasesMade)\u{1}\(wantsDisplayName)"
        for field in stored { key += "\u{1}" + field.name }
        key += "\u{2}"
        for join in nameJoins { key += "\u{1}" + join.field.name }
        writer.append(cached: key, in: cache) { writeSelect(into: &$0) }
    }

    /// `SELECT id, columns…, names… FROM table LEFT JOIN comodel …` (the caller adds the WHERE).
    func writeSelect(into writer: inout SQLWriter) {
        let joinAliases = nameJoins.map { writer.newAlias(for: $0.comodel.table) }
        writer.append("SELECT ")
        writer.column(alias, "id")
        for field in stored {
            writer.append(", ")
            writer.append(FieldColumnCodec.selectExpression(field, alias: alias))
        }
        if wantsDisplayName { writer.append(", " + model.displayNameExpression(alias: alias)) }
        for (join, joinAlias) in zip(nameJoins, joinAliases) {
            writer.append(", CASE WHEN ")
            writer.column(joinAlias, "id")
            writer.append(" IS NULL THEN NULL ELSE " + join.comodel.displayNameExpression(alias: joinAlias) + " END")
        }
        writer.from(model.table, as: alias)
        for (join, joinAlias) in zip(nameJoins, joinAliases) {
            writer.append(" LEFT JOIN ")
            writer.identifier(join.comodel.table)
            writer.append(" AS ")
            writer.identifier(joinAlias)
            writer.append(" ON ")
            writer.column(joinAlias, "id")
            writer.append(" = ")
            writer.column(alias, join.field.name)
        }
    }

    /// The rows by id, and the ids in the order the statement returned them.
    func decode(_ result: PostgresResult) throws -> (rows: [Int64: Row], ids: [Int64]) {
        let displayNameIndex = stored.count + 1
        let firstNameIndex = stored.count + (wantsDisplayName ? 2 : 1)
        var rows: [Int64: Row] = [:]
        var ids: [Int64] = []
        for row in result.rows {
            let id = try row.decode(Int64.self, at: 0)
            var values = JSONObject()
            values.reserveCapacity(stored.count + 1)
            for (index, field) in stored.enumerated() {
                values.append(field.name, try FieldColumnCodec.decode(field, row: row, at: index + 1))
            }
            if wantsDisplayName { values.append("display_name", .string(try row.decode(String.self, at: displayNameIndex))) }
            var names: [String: String] = [:]
            for (offset, join) in nameJoins.enumerated() {
                if let name = try row.decode(String?.self, at: firstNameIndex + offset) { names[join.field.name] = name }
            }
            if rows.updateValue(Row(values: values, names: names), forKey: id) == nil { ids.append(id) }
        }
        return (rows, ids)
    }
}
