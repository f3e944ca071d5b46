extension ORMEnvironment {
    /// Whether the caller may read the field; a related field also needs every field along its
    /// path (a related field must not become a window on a field its target keeps to itself).
    func mayRead(_ field: FieldDefinition, of model: ModelDefinition) async throws -> Bool {
        if !field.isRestricted, field.related == nil { return true }
        if try await !hasFieldAccess(field, for: .read) { return false }
        guard let path = field.related else { return true }
        var current = model
        for name in path {
            guard let step = current.field(name) else { return false }
            if try await !hasFieldAccess(step, for: .read) { return false }
            if let comodel = step.type.comodel { current = try registry.model(comodel) }
        }
        return true
    }

    /// Throws `AccessError` unless the caller may read the field (and, for a related field, every
    /// field along its path).
    func checkReadAccess(_ field: FieldDefinition, of model: ModelDefinition) async throws {
        if !field.isRestricted, field.related == nil { return }
        try await checkFieldAccess(field, of: model, for: .read)
        guard let path = field.related else { return }
        var current = model
        for name in path {
            guard let step = current.field(name) else { return }
            try await checkFieldAccess(step, of: current, for: .read)
            if let comodel = step.type.comodel { current = try registry.model(comodel) }
        }
    }

    /// Checks the fields of an `ORDER BY` in Odoo's syntax (`name desc, id`); unknown fields are
    /// left to the order parser, which names them.
    func checkOrderAccess(_ order: String, on model: ModelDefinition) async throws {
        guard model.hasRestrictedFields else { return }
        for part in order.split(separator: ",") {
            guard let name = part.split(separator: " ").first, let field = model.field(String(name)) else { continue }
            try await checkFieldAccess(field, of: model, for: .order)
        }
    }
}
