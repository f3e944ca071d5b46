import JSONRPC

/// A set of records of one model, as Odoo's recordsets: an environment, a model and ids.
///
/// CRUD is split by concern: `RecordSet+Search`, `+Read`, `+Create`, `+Write`, `+Names`, `+Metadata`.
public struct RecordSet: Sendable {
    /// The environment (user, context, transaction).
    public let env: ORMEnvironment
    /// The model.
    public let model: ModelDefinition
    /// The record ids, in order.
    public let ids: [Int64]

    /// Creates a recordset.
    public init(env: ORMEnvironment, model: ModelDefinition, ids: [Int64]) {
        self.env = env
        self.model = model
        self.ids = ids
    }

    /// The same model with other ids (Odoo's `browse`).
    public func browse(_ ids: [Int64]) -> RecordSet { RecordSet(env: env, model: model, ids: ids) }

    /// The same records in another environment.
    public func with(env: ORMEnvironment) -> RecordSet { RecordSet(env: env, model: model, ids: ids) }

    /// The same records bypassing access control.
    public func sudo() -> RecordSet { with(env: env.sudo()) }

    /// Whether the set is empty.
    public var isEmpty: Bool { ids.isEmpty }

    /// The table alias used for the model's own table in generated SQL.
    var alias: String { model.table }

    /// The field, or Odoo's error for an unknown one.
    func field(_ name: String) throws -> FieldDefinition {
        guard let field = model.field(name) else {
            throw ORMError.value("Invalid field \(PythonRepr.quote(name)) on model \(PythonRepr.quote(model.name))")
        }
        return field
    }
}
