import JSONRPC

/// The field-level check of a client's domain, made before it is compiled: every field the domain
/// compares — each step of a dotted path, the fields a related field stands for, the record name
/// searched when a relation is compared with a string, `any` subdomains, the parent field walked
/// by `child_of` / `parent_of` — must be searchable by the caller
/// (``ORMEnvironment/checkFieldAccess(_:of:for:)``).
///
/// It also collects the models whose records the compiled SQL reaches through subqueries, so that
/// those subqueries see only what the caller may read (their read rules): a domain never reveals
/// the existence or a value of a record the caller cannot read. Record rules themselves are
/// trusted code and are not checked.
struct DomainAccessCheck {
    let env: ORMEnvironment
    /// The comodels reached through subqueries (and hierarchies walked), by name.
    private(set) var reached: Set<String> = []

    init(env: ORMEnvironment) { self.env = env }

    /// Checks `domain` on `model`.
    mutating func check(_ domain: Domain, on model: ModelDefinition) async throws {
        switch domain {
        case .constant:
            return
        case .not(let inner):
            try await check(inner, on: model)
        case .and(let parts), .or(let parts):
            for part in parts { try await check(part, on: model) }
        case .condition(let condition):
            try await check(condition, on: model)
        }
    }

    private mutating func check(_ condition: DomainCondition, on model: ModelDefinition) async throws {
        // An unknown field is left to the compiler, which answers Odoo's ValueError naming it.
        guard let field = model.field(condition.path[0]) else { return }
        try await env.checkFieldAccess(field, of: model, for: .search)
        let rest = Array(condition.path.dropFirst())
        if let related = field.related {
            return try await check(DomainCondition(path: related + rest, op: condition.op, value: condition.value), on: model)
        }
        if field.name == "display_name", let recName = model.recName {
            return try await check(DomainCondition(path: [recName] + rest, op: condition.op, value: condition.value), on: model)
        }
        guard let comodelName = field.type.comodel, let comodel = env.registry[comodelName] else {
            if condition.op == .childOf || condition.op == .parentOf { try await checkHierarchy(of: model) }
            return
        }
        if !rest.isEmpty {
            reached.insert(comodelName)
            return try await check(DomainCondition(path: rest, op: condition.op, value: condition.value), on: comodel)
        }
        switch condition.op {
        case .any, .notAny:
            reached.insert(comodelName)
            // A malformed subdomain is left to the compiler's error.
            if let subdomain = try? Domain(json: condition.value) { try await check(subdomain, on: comodel) }
        case .childOf, .parentOf:
            try await checkHierarchy(of: comodel)
        default:
            if field.type.isX2Many { reached.insert(comodelName) }
            if condition.value.isTextual, let recName = comodel.recName, let nameField = comodel.field(recName) {
                // A relation compared with a string searches the comodel's record name.
                reached.insert(comodelName)
                try await env.checkFieldAccess(nameField, of: comodel, for: .search)
            }
        }
    }

    /// `child_of` / `parent_of` walk the model's parent field, through the records the caller may read.
    private mutating func checkHierarchy(of model: ModelDefinition) async throws {
        guard let parentName = model.parentName, let parent = model.field(parentName) else { return }
        try await env.checkFieldAccess(parent, of: model, for: .search)
        reached.insert(model.name)
    }
}

extension JSONValue {
    /// A string, or a list holding one (names searched on a relation).
    fileprivate var isTextual: Bool {
        if stringValue != nil { return true }
        return arrayValue?.contains { $0.stringValue != nil } ?? false
    }
}
