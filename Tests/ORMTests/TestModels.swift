import ORM

/// A small registry for compiler tests: partners in a hierarchy, categories, users.
enum TestModels {
    static let registry: ModelRegistry = {
        var builder = RegistryBuilder()
        builder.register(
            ModelDefinition(
                name: "res.partner", description: "Contact", order: "name, id", parentName: "parent_id",
                fields: [
                    .char("name", required: true),
                    .char("email"),
                    .boolean("is_company"),
                    .boolean("active", defaultValue: true),
                    .integer("color"),
                    .monetary("credit_limit"),
                    .date("birthday"),
                    .selection("type", [SelectionOption("contact", "Contact"), SelectionOption("invoice", "Invoice")]),
                    .many2one("parent_id", "res.partner", ondelete: .setNull),
                    .one2many("child_ids", "res.partner", inverse: "parent_id"),
                    .many2many(
                        "category_id", "res.partner.category", relation: "res_partner_res_partner_category_rel",
                        column1: "partner_id", column2: "category_id"),
                    .many2one("user_id", "res.users"),
                ]))
        builder.register(
            ModelDefinition(name: "res.partner.category", description: "Tag", fields: [.char("name", required: true)]))
        builder.register(
            ModelDefinition(
                name: "res.users", description: "User", recName: "login",
                fields: [.char("login", required: true), .many2one("partner_id", "res.partner", required: true)]))
        return try! builder.build()
    }()

    static var partner: ModelDefinition { registry["res.partner"]! }
}
