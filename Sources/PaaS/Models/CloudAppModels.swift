import ORM

/// `woow.app.template` (the marketplace catalogue), `woow.cloud.app` (a deployed app with its
/// lifecycle) and `woow.volume` (the storage of an app, a hub or a tunnel). The lifecycle fields (`status`, `deployment_id`,
/// `public_url`, the custom domain's state) are ``FieldDefinition/isSystemOnly``: they move only
/// through the application's actions and the worker, never by a client's `write`.
enum CloudAppModels {
    static let template = ModelDefinition(
        name: "woow.app.template", description: "App Template", order: "sequence, name, id", recName: "name",
        fields: [
            .char("code", string: "Template ID", required: true, index: true),
            .char("name", string: "Name", required: true),
            .text("description", string: "Description"),
            .char("icon_url", string: "Icon URL"),
            .json("categories", string: "Categories"),
            .monetary("monthly_price", string: "Monthly Price", required: true, defaultValue: 0),
            .char("cpu", string: "CPU"),
            .char("ram", string: "RAM"),
            .char("storage", string: "Storage"),
            .integer("sequence", string: "Sequence", defaultValue: 10),
            .boolean("active", string: "Active", defaultValue: true),
        ])

    static let app = ModelDefinition(
        name: "woow.cloud.app", description: "Cloud App", order: "id desc", recName: "name",
        fields: [
            .char("name", string: "Name", required: true),
            .many2one("workspace_id", "woow.workspace", string: "Workspace", required: true, index: true, ondelete: .restrict),
            .many2one("template_id", "woow.app.template", string: "Template", required: true, ondelete: .restrict)
                .systemOnly(),
            .selection("status", PaaSValues.options(PaaSValues.appStatuses), string: "Status", defaultValue: "deploying")
                .systemOnly(),
            .char("status_message", string: "Status Message").systemOnly(),
            .char("public_url", string: "Public URL").systemOnly(),
            .char("deployment_id", string: "Deployment ID").systemOnly(),
            .json("config", string: "Configuration"),
            .datetime("started_at", string: "Started On").systemOnly(),
            .char("custom_domain", string: "Custom Domain").systemOnly(),
            .char("domain_token", string: "Domain Verification Token").systemOnly(),
            .selection("domain_status", PaaSValues.options(["pending", "verified", "active"]), string: "Domain Status")
                .systemOnly(),
            .boolean("domain_ssl_enabled", string: "SSL", defaultValue: false).systemOnly(),
            .selection("domain_ssl_status", PaaSValues.options(["pending", "active"]), string: "SSL Status").systemOnly(),
            .one2many("volume_ids", "woow.volume", inverse: "app_id", string: "Volumes"),
        ])

    static let volume = ModelDefinition(
        name: "woow.volume", description: "Volume", order: "id", recName: "name",
        fields: [
            .many2one("app_id", "woow.cloud.app", string: "Cloud App", index: true, ondelete: .cascade).systemOnly(),
            .many2one("hub_id", "woow.hub", string: "Hub", index: true, ondelete: .cascade).systemOnly(),
            .many2one("tunnel_id", "woow.tunnel", string: "Tunnel", index: true, ondelete: .cascade).systemOnly(),
            .char("name", string: "Name", required: true),
            .char("mount_path", string: "Mount Path", required: true),
            .integer("size_gb", string: "Size (GB)", required: true),
        ])
}
