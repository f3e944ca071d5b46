/// Every model of the server, built once at start-up by a ``RegistryBuilder`` and then frozen.
public struct ModelRegistry: Sendable {
    private let models: [String: ModelDefinition]

    init(models: [String: ModelDefinition]) { self.models = models }

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

    /// Starts an empty registry.
    public init() {}

    /// Adds a model; registering the same name twice is a programming error.
    public mutating func register(_ model: ModelDefinition) {
        precondition(models[model.name] == nil, "model \(model.name) registered twice")
        models[model.name] = model
        order.append(model.name)
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
        return ModelRegistry(models: models)
    }
}

/// A model declaration that cannot work (a relation to an unknown model, a bad inverse…).
public struct RegistryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
