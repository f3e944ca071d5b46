/// Every model of the server, built once at start-up by a ``RegistryBuilder`` and then frozen.
public struct ModelRegistry: Sendable {
    private let models: [String: ModelDefinition]
    /// Access rights by model.
    let accessRights: [String: [ModelAccess]]
    /// Record rules by model.
    let recordRules: [String: [RecordRule]]
    /// Variables record rules may use, by name.
    let ruleVariables: [String: RuleVariable]
    /// Public methods beyond the standard ones, by model then name.
    let methods: [String: [String: ModelMethod]]
    /// PBKDF2 rounds for password fields.
    public let passwordRounds: Int
    /// SQL text of statement parts already built (shared by every copy of the registry).
    let sqlFragments = SQLFragmentCache()

    init(
        models: [String: ModelDefinition], accessRights: [ModelAccess], recordRules: [RecordRule],
        ruleVariables: [RuleVariable], methods: [String: [String: ModelMethod]], passwordRounds: Int
    ) {
        self.passwordRounds = passwordRounds
        self.models = models
        self.accessRights = Dictionary(grouping: accessRights, by: \.model)
        self.recordRules = Dictionary(grouping: recordRules, by: \.model)
        self.ruleVariables = Dictionary(uniqueKeysWithValues: ruleVariables.map { ($0.name, $0) })
        self.methods = methods
    }

    /// The access rights declared for a model.
    public func access(for model: String) -> [ModelAccess] { accessRights[model] ?? [] }

    /// The record rules declared for a model.
    public func rules(for model: String) -> [RecordRule] { recordRules[model] ?? [] }

    /// A model's extra public method.
    public func method(_ name: String, of model: String) -> ModelMethod? { methods[model]?[name] }

    /// The model with this dotted name.
    public subscript(name: String) -> ModelDefinition? { models[name] }

    /// All model names, sorted.
    public var modelNames: [String] { models.keys.sorted() }

    /// The model with this name, or Odoo's error for an unknown one.
    public func model(_ name: String) throws -> ModelDefinition {
        guard let model = models[name] else { throw ORMError(.notFound, "Object \(name) doesn't exist") }
        return model
    }
}

/// Collects model declarations (application modules register theirs), validates them and freezes
/// them into a ``ModelRegistry``.
public struct RegistryBuilder {
    private var models: [String: ModelDefinition] = [:]
    private var order: [String] = []
    private var accessRights: [ModelAccess] = []
    private var recordRules: [RecordRule] = []
    private var ruleVariables: [RuleVariable] = []
    private var methods: [String: [String: ModelMethod]] = [:]
    /// PBKDF2 rounds for new password hashes (Odoo's minimum, 600 000, unless configured).
    public var passwordRounds = 600_000

    /// Starts an empty registry.
    public init() {}

    /// Adds a model; registering the same name twice is a programming error.
    public mutating func register(_ model: ModelDefinition) {
        precondition(models[model.name] == nil, "model \(model.name) registered twice")
        models[model.name] = model
        order.append(model.name)
    }

    /// Adds fields to a model registered earlier (Odoo's `_inherit`): an application module
    /// extends a base model with its own fields (their columns are in its DDL).
    public mutating func extend(_ model: String, with fields: [FieldDefinition]) {
        guard let existing = models[model] else { preconditionFailure("model \(model) is extended before it is registered") }
        for field in fields { precondition(existing.field(field.name) == nil, "field \(model).\(field.name) declared twice") }
        models[model] = existing.adding(fields)
    }

    /// Grants an access right.
    public mutating func grant(_ access: ModelAccess) { accessRights.append(access) }

    /// Adds a record rule.
    public mutating func restrict(_ rule: RecordRule) { recordRules.append(rule) }

    /// Declares a variable record rules may refer to.
    public mutating func declare(_ variable: RuleVariable) { ruleVariables.append(variable) }

    /// Adds a public method to a model (callable through `call_kw`). Names starting with `_` are
    /// never callable remotely, so they cannot be registered.
    public mutating func addMethod(_ method: ModelMethod, to model: String) {
        precondition(!method.name.hasPrefix("_"), "private method \(method.name) cannot be public")
        methods[model, default: [:]][method.name] = method
    }

    /// Checks every relation (comodels, inverse fields, parent fields) and freezes the registry.
    public func build() throws -> ModelRegistry {
        for name in order {
            let model = models[name]!
            for field in model.fieldsInOrder {
                guard let comodel = field.type.comodel else { continue }
                guard let target = models[comodel] else {
                    throw RegistryError("\(model.name).\(field.name) points to unknown model \(comodel)")
                }
                if case .one2many(_, let inverse) = field.type {
                    guard case .many2one(let back, _)? = target.field(inverse)?.type, back == model.name else {
                        throw RegistryError(
                            "\(model.name).\(field.name): \(comodel).\(inverse) must be a many2one to \(model.name)")
                    }
                }
            }
            if let parent = model.parentName {
                guard case .many2one(let comodel, _)? = model.field(parent)?.type, comodel == model.name else {
                    throw RegistryError("\(model.name): parent field \(parent) must be a many2one to the model itself")
                }
            }
        }
        for access in accessRights where models[access.model] == nil {
            throw RegistryError("access right \(access.name) names unknown model \(access.model)")
        }
        for rule in recordRules where models[rule.model] == nil {
            throw RegistryError("record rule \(rule.name) names unknown model \(rule.model)")
        }
        return ModelRegistry(
            models: models, accessRights: accessRights, recordRules: recordRules, ruleVariables: ruleVariables,
            methods: methods, passwordRounds: passwordRounds)
    }
}

/// A model declaration that cannot work (a relation to an unknown model, a bad inverse…).
public struct RegistryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
