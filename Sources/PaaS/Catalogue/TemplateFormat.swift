import JSONRPC

/// The marketplace's `AppTemplate` shape: `{id, name, description, icon_url, categories,
/// monthly_price, specs: {cpu, ram, storage}}`, `id` being the template's string code.
enum TemplateFormat {
    static let fields = ["code", "name", "description", "icon_url", "categories", "monthly_price", "cpu", "ram", "storage"]

    static func item(_ row: JSONObject) -> JSONValue {
        [
            "id": APIFormat.text(row["code"]),
            "name": APIFormat.text(row["name"]),
            "description": APIFormat.text(row["description"]),
            "icon_url": APIFormat.text(row["icon_url"]),
            "categories": row["categories"]?.arrayValue.map(JSONValue.array) ?? [],
            "monthly_price": APIFormat.money(row["monthly_price"]),
            "specs": [
                "cpu": APIFormat.text(row["cpu"]), "ram": APIFormat.text(row["ram"]),
                "storage": APIFormat.text(row["storage"]),
            ],
        ]
    }
}
