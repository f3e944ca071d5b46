import JSONRPC
import ORM
import WebAPI

/// `GET /marketplace/apps?category&search` (public): the active templates of the catalogue.
enum MarketplaceRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        [builder.route(.get, "/marketplace/apps", auth: .public, access: .connection, list)]
    }

    @Sendable static func list(_ request: PaaSRequest) async throws -> AppResult {
        var reader = ParamReader(request.call.params)
        let category = reader.string("category", allowed: PaaSValues.categories)
        let search = reader.string("search", maxLength: 128)
        try reader.finish()
        // The catalogue is public: read it as the server (no user, no record rules to apply).
        let templates = try request.env.sudo().model("woow.app.template")
        var domain = Domain.all
        if let search {
            domain = domain && (.leaf("name", .ilike, .string(search)) || .leaf("description", .ilike, .string(search)))
        }
        var rows = try await templates.search(domain).read(fields: TemplateFormat.fields)
        if let category {
            rows = rows.filter { $0["categories"]?.arrayValue?.contains(.string(category)) == true }
        }
        return .ok(["items": .array(rows.map(TemplateFormat.item)), "total": JSONValue(rows.count)])
    }
}
