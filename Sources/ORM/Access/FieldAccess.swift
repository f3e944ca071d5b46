/// What a call does with a field. Every ORM path that touches a field a client named asks
/// ``ORMEnvironment/checkFieldAccess(_:of:for:)`` first: it is the one place that decides.
public enum FieldUse: String, Sendable, CaseIterable {
    /// Its value is read (`read`, `search_read`, `web_read`, `default_get`, `copy`, related fields).
    case read
    /// It is given a value (`create`, `write`).
    case write
    /// It is compared in a domain (`search*`, `read_group`, `name_search`, dotted paths, `any`).
    case search
    /// Records are ordered by it (`order`, `web_search_read`).
    case order
    /// Records are grouped by it or its values aggregated (`read_group`).
    case group

    var verb: String {
        switch self {
        case .read: return "access"
        case .write: return "modify"
        case .search: return "search on"
        case .order: return "sort by"
        case .group: return "group by"
        }
    }
}

extension FieldDefinition {
    /// Whether the field carries a restriction that ``ORMEnvironment/checkFieldAccess(_:of:for:)``
    /// must look at (groups, a secret, a write-only value). Unrestricted fields cost nothing.
    public var isRestricted: Bool { isSecret || writeOnly || !groups.isEmpty }
}

extension ORMEnvironment {
    /// Whether the caller may use the field this way.
    ///
    /// - A **secret** field (token hashes, payment tokens, encrypted keys) is server-only: no use
    ///   at all unless the environment is `sudo` (server code).
    /// - A **write-only** field (a password) behaves like Odoo's non-stored computed password: it
    ///   reads as `""` and can never be searched, ordered or grouped, not even by server code.
    /// - A field restricted to **groups** is usable only by their members (and server code).
    public func hasFieldAccess(_ field: FieldDefinition, for use: FieldUse) async throws -> Bool {
        if field.writeOnly, use == .search || use == .order || use == .group { return false }
        if isSuperuser { return true }
        if field.isSecret { return false }
        if field.groups.isEmpty { return true }
        let mine = try await groups()
        return field.groups.contains(where: mine.contains)
    }

    /// Throws Odoo's `AccessError` unless the caller may use the field this way. The message
    /// names the field and the model, never a value.
    public func checkFieldAccess(_ field: FieldDefinition, of model: ModelDefinition, for use: FieldUse) async throws {
        if !field.isRestricted { return }
        if try await hasFieldAccess(field, for: use) { return }
        throw ORMError.access(
            "You do not have enough rights to \(use.verb) the field '\(field.name)' on \(model.description) (\(model.name)) records.")
    }
}
