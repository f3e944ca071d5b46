import JSONRPC

/// The base models every installation has: contacts, users and groups, with their access rights.
public enum BaseModule {
    /// Group external ids of the base module.
    public enum Group {
        /// Internal users.
        public static let user = "base.group_user"
        /// Settings (system administrators).
        public static let system = "base.group_system"
        /// Access rights (user administrators).
        public static let accessRights = "base.group_erp_manager"
    }

    /// Registers the base models, their access rights and the `user` rule variables.
    public static func register(into builder: inout RegistryBuilder) {
        builder.register(partner)
        builder.register(users)
        builder.register(groups)
        CompanyModels.register(into: &builder)
        IntrospectionModels.register(into: &builder)
        let all = Set(AccessOperation.allCases)
        builder.grant(ModelAccess("access_res_partner_user", model: "res.partner", group: Group.user, all))
        builder.grant(ModelAccess("access_res_users_user", model: "res.users", group: Group.user, [.read]))
        builder.grant(ModelAccess("access_res_users_manager", model: "res.users", group: Group.accessRights, all))
        builder.grant(ModelAccess("access_res_groups_user", model: "res.groups", group: Group.user, [.read]))
        builder.grant(ModelAccess("access_res_groups_manager", model: "res.groups", group: Group.accessRights, all))
        builder.addMethod(contextGet, to: "res.users")
    }

    /// `res.users.context_get()`: the calling user's context `{lang, tz, uid}` (odoorpc calls it at login).
    static let contextGet = ModelMethod("context_get", binding: .model) { records, _, _ in
        let env = records.env
        let result = try await env.transaction.read("SELECT lang, tz FROM res_users WHERE id = \(env.uid)")
        guard let row = result.first else { throw ORMError.missing("Record does not exist or has been deleted.") }
        var context = JSONObject()
        context.append("lang", .string(try row.decode(String.self, at: 0)))
        context.append("tz", try row.decode(String?.self, at: 1).map(JSONValue.string) ?? false)
        context.append("uid", .number(JSONNumber(env.uid)))
        return .object(context)
    }

    /// `res.partner`: contacts and companies, in a hierarchy (`parent_id` / `child_ids`).
    static let partner = ModelDefinition(
        name: "res.partner", description: "Contact", order: "name, id", parentName: "parent_id",
        displayNameSQL: { alias in
            let a = "\"\(alias)\""
            return """
                CASE WHEN \(a)."parent_id" IS NOT NULL AND NOT \(a)."is_company" \
                THEN coalesce((SELECT p."name" FROM "res_partner" AS p WHERE p."id" = \(a)."parent_id"), '') || ', ' || coalesce(\(a)."name", '') \
                ELSE coalesce(\(a)."name", '') END
                """
        },
        fields: [
            .char("name", string: "Name", required: true, index: true),
            .char("email", string: "Email"),
            .char("phone", string: "Phone"),
            .char("street", string: "Street"),
            .char("city", string: "City"),
            .char("zip", string: "Zip"),
            .char("country", string: "Country"),
            .boolean("is_company", string: "Is a Company", defaultValue: false),
            .many2one("parent_id", "res.partner", string: "Related Company", index: true, ondelete: .setNull),
            .one2many("child_ids", "res.partner", inverse: "parent_id", string: "Contact"),
            .many2one("company_id", "res.company", string: "Company", index: true, ondelete: .setNull),
            .boolean("active", string: "Active", defaultValue: true),
        ])

    /// `res.users`: logins. The password reads as `""`, is stored hashed, and only user managers
    /// may set it through the generic model API (users change their own elsewhere, with the old one).
    static let users = ModelDefinition(
        name: "res.users", description: "User", order: "login", recName: "login",
        constraintMessages: ["res_users_login_key": "You can not have two users with the same login!"],
        displayNameSQL: { alias in
            "coalesce((SELECT p.\"name\" FROM \"res_partner\" AS p WHERE p.\"id\" = \"\(alias)\".\"partner_id\"), \"\(alias)\".\"login\")"
        },
        fields: [
            .char("login", string: "Login", required: true, index: true),
            .password("password", string: "Password", groups: [Group.accessRights]),
            .many2one("partner_id", "res.partner", string: "Related Partner", required: true, ondelete: .restrict),
            .related("name", type: .char, path: ["partner_id", "name"], string: "Name"),
            .related("email", type: .char, path: ["partner_id", "email"], string: "Email"),
            .boolean("active", string: "Active", defaultValue: true),
            .char("lang", string: "Language", defaultValue: "en_US"),
            .char("tz", string: "Timezone"),
            .selection(
                "plan",
                [SelectionOption("free", "Free"), SelectionOption("pro", "Pro"), SelectionOption("enterprise", "Enterprise")],
                string: "Plan", defaultValue: "free"),
            FieldDefinition(
                name: "groups_id",
                type: .many2many(comodel: "res.groups", relation: "res_groups_users_rel", column1: "uid", column2: "gid"),
                string: "Groups", groups: [Group.accessRights]),
            CompanyModels.userCompany,
            FieldDefinition(
                name: "company_ids",
                type: .many2many(comodel: "res.company", relation: "res_company_users_rel", column1: "user_id", column2: "cid"),
                string: "Companies"
            ).systemOnly(),
            .computed("share", type: .boolean, string: "Share User", depends: []) { records in
                try await CompanyModels.shareFlags(records)
            },
        ])

    /// `res.groups`: user groups.
    static let groups = ModelDefinition(
        name: "res.groups", description: "Access Groups", order: "name", recName: "name",
        fields: [
            .char("name", string: "Name", required: true),
            .char("xmlid", string: "External ID", readonly: true),
            .many2many("users", "res.users", relation: "res_groups_users_rel", column1: "gid", column2: "uid", string: "Users"),
        ])
}
