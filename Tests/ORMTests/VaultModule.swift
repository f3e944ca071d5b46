import ORM

/// A test module for field-level access: boxes with a secret (`key_hash`), a field for user
/// managers (`pin`), a related window on the parent's secret, a hierarchy, tags and links.
/// Users read only their own boxes and tags (global rules); links are readable by everybody.
enum VaultModule {
    static let setupSQL = """
        CREATE TABLE vault_box (id bigserial PRIMARY KEY, name varchar NOT NULL, key_hash varchar, pin integer,
            owner_id bigint REFERENCES res_users(id), parent_id bigint REFERENCES vault_box(id),
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        CREATE TABLE vault_tag (id bigserial PRIMARY KEY, name varchar NOT NULL, owner_id bigint REFERENCES res_users(id),
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        CREATE TABLE vault_box_tag_rel (box_id bigint REFERENCES vault_box(id), tag_id bigint REFERENCES vault_tag(id));
        CREATE TABLE vault_link (id bigserial PRIMARY KEY, name varchar NOT NULL, box_id bigint REFERENCES vault_box(id),
            create_uid bigint, create_date timestamp, write_uid bigint, write_date timestamp);
        """

    static func registry() throws -> ModelRegistry {
        var builder = RegistryBuilder()
        builder.passwordRounds = 1000
        BaseModule.register(into: &builder)
        builder.register(
            ModelDefinition(
                name: "vault.box", description: "Box", order: "id", parentName: "parent_id",
                fields: [
                    .char("name", required: true),
                    .char("key_hash", string: "Key Hash").secret(),
                    FieldDefinition(name: "pin", type: .integer, string: "PIN", groups: [BaseModule.Group.accessRights]),
                    .many2one("owner_id", "res.users"),
                    .many2one("parent_id", "vault.box"),
                    .one2many("child_ids", "vault.box", inverse: "parent_id"),
                    .many2many("tag_ids", "vault.tag", relation: "vault_box_tag_rel", column1: "box_id", column2: "tag_id"),
                    .related("parent_key", type: .char, path: ["parent_id", "key_hash"], string: "Parent Key"),
                    .related("owner_login", type: .char, path: ["owner_id", "login"], string: "Owner Login"),
                ]))
        builder.register(
            ModelDefinition(
                name: "vault.tag", description: "Tag", fields: [.char("name", required: true), .many2one("owner_id", "res.users")]))
        builder.register(
            ModelDefinition(
                name: "vault.link", description: "Link", fields: [.char("name", required: true), .many2one("box_id", "vault.box")]))
        let all = Set(AccessOperation.allCases)
        for model in ["vault.box", "vault.tag", "vault.link"] {
            builder.grant(ModelAccess("access_\(model)", model: model, group: BaseModule.Group.user, all))
        }
        builder.restrict(RecordRule("vault_box_owner", model: "vault.box", domain: .init([["owner_id", "=", ["user": "id"]]])))
        builder.restrict(RecordRule("vault_tag_owner", model: "vault.tag", domain: .init([["owner_id", "=", ["user": "id"]]])))
        return try builder.build()
    }
}
