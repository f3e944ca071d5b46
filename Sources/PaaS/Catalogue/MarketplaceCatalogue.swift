import JSONRPC
import PostgresDriver

/// The marketplace catalogue every installation starts with (`woow.app.template`): the apps the
/// seed names (Odoo, n8n, PostgreSQL, Home Assistant) and at least one per category. Applied at
/// start-up by code: new templates are added and the shipped ones updated; templates an
/// operator added are left alone.
public enum MarketplaceCatalogue {
    /// One catalogue entry.
    public struct Entry: Sendable {
        public let code, name, description: String
        public let categories: [String]
        public let monthlyPrice: String
        public let cpu, ram, storage: String
    }

    /// The shipped templates, in display order.
    public static let entries: [Entry] = [
        Entry(code: "odoo", name: "Odoo", description: "Open-source ERP and CRM: sales, invoicing, inventory, website.",
              categories: ["cms", "analytics"], monthlyPrice: "29.00", cpu: "2 vCPU", ram: "4 GB", storage: "40 GB"),
        Entry(code: "n8n", name: "n8n", description: "Workflow automation with 400+ integrations and a visual editor.",
              categories: ["automation", "ai"], monthlyPrice: "12.00", cpu: "1 vCPU", ram: "2 GB", storage: "10 GB"),
        Entry(code: "postgresql", name: "PostgreSQL", description: "Managed PostgreSQL 16 with daily backups.",
              categories: ["database"], monthlyPrice: "15.00", cpu: "1 vCPU", ram: "2 GB", storage: "20 GB"),
        Entry(code: "home-assistant", name: "Home Assistant", description: "Home automation hub reachable from anywhere through a secure tunnel.",
              categories: ["automation"], monthlyPrice: "8.00", cpu: "1 vCPU", ram: "1 GB", storage: "10 GB"),
        Entry(code: "node-red", name: "Node-RED", description: "Flow-based programming for IoT and home automation.",
              categories: ["automation", "devops"], monthlyPrice: "6.00", cpu: "1 vCPU", ram: "1 GB", storage: "5 GB"),
        Entry(code: "ollama", name: "Ollama", description: "Run open large language models (Llama, Mistral, Gemma) behind an API.",
              categories: ["ai"], monthlyPrice: "49.00", cpu: "4 vCPU", ram: "16 GB", storage: "80 GB"),
        Entry(code: "open-webui", name: "Open WebUI", description: "A ChatGPT-style web interface for local and hosted models.",
              categories: ["ai"], monthlyPrice: "9.00", cpu: "1 vCPU", ram: "2 GB", storage: "10 GB"),
        Entry(code: "mysql", name: "MySQL", description: "Managed MySQL 8 with point-in-time recovery.",
              categories: ["database"], monthlyPrice: "15.00", cpu: "1 vCPU", ram: "2 GB", storage: "20 GB"),
        Entry(code: "redis", name: "Redis", description: "In-memory data store for caching, queues and sessions.",
              categories: ["database"], monthlyPrice: "7.00", cpu: "1 vCPU", ram: "1 GB", storage: "2 GB"),
        Entry(code: "metabase", name: "Metabase", description: "Dashboards and questions over your databases, no SQL needed.",
              categories: ["analytics"], monthlyPrice: "18.00", cpu: "2 vCPU", ram: "4 GB", storage: "10 GB"),
        Entry(code: "grafana", name: "Grafana", description: "Observability dashboards for metrics, logs and traces.",
              categories: ["analytics", "devops"], monthlyPrice: "10.00", cpu: "1 vCPU", ram: "2 GB", storage: "10 GB"),
        Entry(code: "gitea", name: "Gitea", description: "Lightweight self-hosted Git service with CI runners.",
              categories: ["devops"], monthlyPrice: "8.00", cpu: "1 vCPU", ram: "2 GB", storage: "20 GB"),
        Entry(code: "uptime-kuma", name: "Uptime Kuma", description: "Uptime monitoring with status pages and alerts.",
              categories: ["devops"], monthlyPrice: "4.00", cpu: "1 vCPU", ram: "512 MB", storage: "2 GB"),
        Entry(code: "wordpress", name: "WordPress", description: "The most popular CMS for websites and blogs.",
              categories: ["cms"], monthlyPrice: "10.00", cpu: "1 vCPU", ram: "2 GB", storage: "20 GB"),
        Entry(code: "ghost", name: "Ghost", description: "Publishing platform for newsletters and memberships.",
              categories: ["cms"], monthlyPrice: "9.00", cpu: "1 vCPU", ram: "1 GB", storage: "10 GB"),
    ]

    /// Inserts or updates the shipped templates, in one statement.
    public static func apply(on db: PostgresConnection) async throws {
        var codes: [String] = [], names: [String] = [], descriptions: [String] = [], categories: [String] = []
        var prices: [String] = [], cpus: [String] = [], rams: [String] = [], storages: [String] = [], sequences: [Int] = []
        for (index, entry) in entries.enumerated() {
            codes.append(entry.code)
            names.append(entry.name)
            descriptions.append(entry.description)
            categories.append(String(decoding: JSONValue.array(entry.categories.map(JSONValue.string)).serialized(), as: UTF8.self))
            prices.append(entry.monthlyPrice)
            cpus.append(entry.cpu)
            rams.append(entry.ram)
            storages.append(entry.storage)
            sequences.append((index + 1) * 10)
        }
        try await db.query(
            """
            INSERT INTO woow_app_template (code, name, description, icon_url, categories, monthly_price, cpu, ram, storage, sequence)
            SELECT c.code, c.name, c.description, '/paas/static/icons/' || c.code || '.svg', c.categories::jsonb,
                   c.price::numeric, c.cpu, c.ram, c.storage, c.sequence
            FROM unnest(\(codes)::text[], \(names)::text[], \(descriptions)::text[], \(categories)::text[], \(prices)::text[],
                        \(cpus)::text[], \(rams)::text[], \(storages)::text[], \(sequences)::int[])
                 AS c(code, name, description, categories, price, cpu, ram, storage, sequence)
            ON CONFLICT (code) DO UPDATE SET
                name = excluded.name, description = excluded.description, icon_url = excluded.icon_url,
                categories = excluded.categories, monthly_price = excluded.monthly_price, cpu = excluded.cpu,
                ram = excluded.ram, storage = excluded.storage, sequence = excluded.sequence,
                write_date = now() AT TIME ZONE 'UTC'
            """)
    }
}
