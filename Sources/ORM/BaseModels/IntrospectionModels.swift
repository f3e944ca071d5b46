import JSONRPC
import PostgresDriver

/// `ir.model` and `ir.model.fields`: read-only views of the registry, kept in tables so that
/// searching them works like any model (clients check that a model exists this way).
public enum IntrospectionModels {
    static let model = ModelDefinition(
        name: "ir.model", description: "Models", order: "model", recName: "name",
        fields: [
            .char("model", string: "Model", required: true, readonly: true),
            .char("name", string: "Model Description", required: true, readonly: true),
            .one2many("field_id", "ir.model.fields", inverse: "model_id", string: "Fields"),
            FieldDefinition(name: "transient", type: .boolean, string: "Transient Model", readonly: true),
        ])

    static let fields = ModelDefinition(
        name: "ir.model.fields", description: "Fields", order: "model, name", recName: "name",
        fields: [
            .many2one("model_id", "ir.model", string: "Model", required: true, readonly: true, ondelete: .cascade),
            .char("model", string: "Model Name", readonly: true),
            .char("name", string: "Field Name", required: true, readonly: true),
            .char("field_description", string: "Field Label", readonly: true),
            .char("ttype", string: "Field Type", readonly: true),
            .char("relation", string: "Related Model", readonly: true),
            FieldDefinition(name: "required", type: .boolean, string: "Required", readonly: true),
            FieldDefinition(name: "readonly", type: .boolean, string: "Readonly", readonly: true),
            FieldDefinition(name: "store", type: .boolean, string: "Stored", readonly: true),
        ])

    /// Registers the two models, readable by every internal user.
    static func register(into builder: inout RegistryBuilder) {
        builder.register(model)
        builder.register(fields)
        builder.grant(ModelAccess("access_ir_model_user", model: "ir.model", group: BaseModule.Group.user, [.read]))
        builder.grant(ModelAccess("access_ir_model_fields_user", model: "ir.model.fields", group: BaseModule.Group.user, [.read]))
        builder.addMethod(getAvailableModels, to: "ir.model")
        builder.addMethod(displayNameFor, to: "ir.model")
    }

    /// `ir.model.get_available_models()` (Odoo's web module): the models the caller may read, as
    /// `[{"display_name": "Contact", "model": "res.partner"}, …]`; nothing for a non-internal
    /// user. Woow has no transient or abstract models.
    static let getAvailableModels = ModelMethod("get_available_models", binding: .model) { records, _, _ in
        let env = records.env
        var readable: [String] = []
        for name in env.registry.modelNames where try await env.mayReadModel(name) { readable.append(name) }
        return .array(displayNames(of: readable, env: env))
    }

    /// `ir.model.display_name_for(models)`: each name with its description when the caller may
    /// read the model; an unknown or unreadable model answers its own name (one cannot tell them apart).
    static let displayNameFor = ModelMethod("display_name_for", binding: .model) { records, args, kwargs in
        guard let names = (args.first ?? kwargs["models"])?.arrayValue?.compactMap(\.stringValue) else {
            throw ORMError.type("display_name_for() takes a list of model names")
        }
        let env = records.env
        var readable: [String] = []
        var others: [JSONValue] = []
        for name in names {
            if try await env.mayReadModel(name) {
                readable.append(name)
            } else {
                others.append(["display_name": .string(name), "model": .string(name)])
            }
        }
        return .array(displayNames(of: readable, env: env) + others)
    }

    private static func displayNames(of models: [String], env: ORMEnvironment) -> [JSONValue] {
        models.compactMap { name in
            env.registry[name].map { ["display_name": .string($0.description), "model": .string(name)] }
        }
    }
}

extension ModelRegistry {
    /// Rewrites `ir_model` and `ir_model_fields` from the registry (run at start-up, in a transaction).
    public func synchronizeIntrospection(on db: PostgresConnection) async throws {
        let names = modelNames
        try await db.query("DELETE FROM ir_model WHERE NOT (model = ANY(\(names)::varchar[]))")
        for name in names {
            let definition = self[name]!
            let modelID = try await db.query(
                """
                INSERT INTO ir_model (model, name) VALUES (\(name), \(definition.description))
                ON CONFLICT (model) DO UPDATE SET name = EXCLUDED.name, write_date = now() AT TIME ZONE 'UTC'
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
            let fieldNames = definition.fieldsInOrder.map(\.name)
            try await db.query(
                "DELETE FROM ir_model_fields WHERE model = \(name) AND NOT (name = ANY(\(fieldNames)::varchar[]))")
            try await db.query(
                """
                INSERT INTO ir_model_fields (model_id, model, name, field_description, ttype, relation, required, readonly, store)
                SELECT \(modelID), \(name), f.name, f.label, f.ttype, nullif(f.relation, ''), f.required, f.readonly, f.store
                FROM unnest(\(fieldNames)::varchar[], \(definition.fieldsInOrder.map(\.string))::varchar[],
                            \(definition.fieldsInOrder.map(\.type.name))::varchar[],
                            \(definition.fieldsInOrder.map { $0.type.comodel ?? "" })::varchar[],
                            \(definition.fieldsInOrder.map(\.required))::bool[], \(definition.fieldsInOrder.map(\.readonly))::bool[],
                            \(definition.fieldsInOrder.map(\.store))::bool[])
                     AS f(name, label, ttype, relation, required, readonly, store)
                ON CONFLICT (model, name) DO UPDATE SET field_description = EXCLUDED.field_description,
                    ttype = EXCLUDED.ttype, relation = EXCLUDED.relation, required = EXCLUDED.required,
                    readonly = EXCLUDED.readonly, store = EXCLUDED.store
                """)
        }
    }
}
