import JSONRPC
import PostgresDriver

extension RecordSet {
    /// The records matching `domain`, with Odoo's `search` semantics: access rights, record rules,
    /// archived records hidden unless the domain names `active` or the context says `active_test: false`.
    public func search(_ domain: Domain, offset: Int = 0, limit: Int? = nil, order: String? = nil) async throws -> RecordSet {
        try await env.checkAccess(.read, on: model)
        var writer = SQLWriter()
        writer.append("SELECT ")
        writer.column(alias, "id")
        writer.from(model.table, as: alias)
        writer.append(" WHERE ")
        try await writeWhere(domain, operation: .read, into: &writer)
        try await writePage(order: order, offset: offset, limit: limit, into: &writer)
        let result = try await readMapped(writer.query)
        return browse(try result.rows.map { try $0.decode(Int64.self, at: 0) })
    }

    /// `ORDER BY … [LIMIT n] [OFFSET m]` of a search (the model's order when `order` is nil; a
    /// client's order may only name fields the caller may sort by).
    func writePage(order: String?, offset: Int, limit: Int?, into writer: inout SQLWriter) async throws {
        if let order { try await env.checkOrderAccess(order, on: model) }
        let order = order ?? model.order
        try writer.append(cached: "order\u{1}\(model.name)\u{1}\(alias)\u{1}\(order)", in: env.registry.sqlFragments) {
            try OrderClause(order, model: model).write(alias: alias, into: &$0)
        }
        writer.page(limit: limit, offset: offset)
    }

    /// How many records match `domain` (with the same filtering as ``search(_:offset:limit:order:)``).
    public func searchCount(_ domain: Domain, limit: Int? = nil) async throws -> Int {
        try await env.checkAccess(.read, on: model)
        var writer = SQLWriter()
        writer.append("SELECT count(*) FROM ")
        if let limit {
            writer.append("(SELECT 1 FROM ")
            writer.identifier(model.table)
            writer.append(" AS ")
            writer.identifier(alias)
            writer.append(" WHERE ")
            try await writeWhere(domain, operation: .read, into: &writer)
            writer.page(limit: limit, offset: 0)
            writer.append(") AS counted")
        } else {
            writer.identifier(model.table)
            writer.append(" AS ")
            writer.identifier(alias)
            writer.append(" WHERE ")
            try await writeWhere(domain, operation: .read, into: &writer)
        }
        return try await readMapped(writer.query)[0].decode(Int.self, at: 0)
    }

    /// Writes the WHERE condition for a client's domain plus the active filter and the record
    /// rules. The domain's fields are checked first (``DomainAccessCheck``), and its subqueries
    /// on other models see only the records the caller may read there.
    func writeWhere(_ domain: Domain, operation: AccessOperation, into writer: inout SQLWriter) async throws {
        var filtered = domain
        if operation == .read, env.activeTest, model.hasActiveField, !domain.mentions(field: "active") {
            filtered = filtered && .leaf("active", .equal, true)
        }
        let rule = try await env.ruleDomain(operation, on: model)
        let domainCompiler = try await compiler(for: domain)
        if rule == .all { return try domainCompiler.compile(filtered, model: model, alias: alias, into: &writer) }
        writer.append("(")
        try domainCompiler.compile(filtered, model: model, alias: alias, into: &writer)
        writer.append(" AND ")
        try compiler().compile(rule, model: model, alias: alias, into: &writer)
        writer.append(")")
    }

    /// A compiler for trusted domains (record rules, server code): subqueries are not filtered.
    func compiler() -> DomainCompiler {
        DomainCompiler(registry: env.registry)
    }

    /// A compiler for a client's `domain` on this model, once its fields are checked: its
    /// subqueries on comodels (dotted paths, `any`, names, x2many, hierarchies) apply those
    /// comodels' read rules.
    func compiler(for domain: Domain) async throws -> DomainCompiler {
        if domain == .all { return compiler() }
        var check = DomainAccessCheck(env: env)
        try await check.check(domain, on: model)
        if check.reached.isEmpty || env.isSuperuser { return compiler() }
        var rules: [String: Domain] = [:]
        for name in check.reached {
            let rule = try await env.ruleDomain(.read, on: try env.registry.model(name))
            if rule != .all { rules[name] = rule }
        }
        if rules.isEmpty { return compiler() }
        let comodelRules = rules
        return DomainCompiler(registry: env.registry) { comodel in comodelRules[comodel.name] ?? .all }
    }

    /// Runs a statement, turning database errors into readable ORM errors.
    @discardableResult
    func runMapped(_ query: PostgresQuery) async throws -> PostgresResult {
        do {
            return try await env.transaction.query(query)
        } catch let error as PostgresError where error.code == .server {
            throw ORMError.from(error, model: model)
        }
    }

    /// Runs a plain `SELECT` (see ``ORMTransaction/read(_:)``), turning database errors into
    /// readable ORM errors.
    func readMapped(_ query: PostgresQuery) async throws -> PostgresResult {
        do {
            return try await env.transaction.read(query)
        } catch let error as PostgresError where error.code == .server {
            throw ORMError.from(error, model: model)
        }
    }
}
