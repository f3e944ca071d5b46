import JSONRPC

/// `res.company` and `res.currency`: the one company the server runs (id 1, "WoowTech", created
/// with the schema) and its currency (id 1, USD), as Odoo clients expect to read them
/// (`env.user.company_id.currency_id.name`) and as `session_info` describes them. Every user
/// belongs to it (`res.users.company_id`, `company_ids`).
public enum CompanyModels {
    /// The company's id and name, as the schema creates them and `session_info` reports them.
    public static let mainCompanyID: Int64 = 1
    public static let mainCompanyName = "WoowTech"

    static let currency = ModelDefinition(
        name: "res.currency", description: "Currency", order: "active desc, name", recName: "name",
        fields: [
            .char("name", string: "Currency", required: true),
            .char("symbol", string: "Symbol", required: true),
            .float("rounding", string: "Rounding Factor"),
            .integer("decimal_places", string: "Decimal Places"),
            .selection("position", [SelectionOption("after", "After Amount"), SelectionOption("before", "Before Amount")],
                string: "Symbol Position", defaultValue: "before"),
            .boolean("active", string: "Active", defaultValue: true),
        ])

    static let company = ModelDefinition(
        name: "res.company", description: "Companies", order: "sequence, name", recName: "name",
        fields: [
            .char("name", string: "Company Name", required: true),
            .many2one("partner_id", "res.partner", string: "Partner", required: true, ondelete: .restrict),
            .many2one("currency_id", "res.currency", string: "Currency", required: true, ondelete: .restrict),
            .integer("sequence", string: "Sequence", defaultValue: 10),
            .boolean("active", string: "Active", defaultValue: true),
        ])

    /// `res.users.company_id`: the main company, set by the server.
    static var userCompany: FieldDefinition {
        var field = FieldDefinition.many2one("company_id", "res.company", string: "Company", required: true, ondelete: .restrict)
            .systemOnly()
        field.defaultValue = .number(JSONNumber(mainCompanyID))
        return field
    }

    /// Registers the models: every user reads them; they are the server's, so nobody changes
    /// them through RPC (`session_info` describes the same company and currency).
    static func register(into builder: inout RegistryBuilder) {
        builder.register(currency)
        builder.register(company)
        builder.grant(ModelAccess("access_res_currency_user", model: "res.currency", group: BaseModule.Group.user, [.read]))
        builder.grant(ModelAccess("access_res_company_user", model: "res.company", group: BaseModule.Group.user, [.read]))
    }

    /// `res.users.share`: not an internal user (Odoo's portal and public users), by id.
    static func shareFlags(_ records: RecordSet) async throws -> [Int64: JSONValue] {
        let internalUsers = try await records.env.transaction.read(
            """
            SELECT coalesce(array_agg(r.uid), '{}') FROM res_groups_users_rel AS r JOIN res_groups AS g ON g.id = r.gid
            WHERE g.xmlid = 'base.group_user' AND r.uid = ANY(\(records.ids))
            """)[0].decode([Int64].self, at: 0)
        return Dictionary(uniqueKeysWithValues: records.ids.map { ($0, .bool(!internalUsers.contains($0))) })
    }
}
