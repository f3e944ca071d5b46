import PostgresDriver

extension ModelRegistry {
    /// Checks every model's table and stored columns (and many2many relation tables) against the
    /// live database; throws a ``RegistryError`` naming the first thing missing.
    public func verifySchema(on db: PostgresConnection) async throws {
        let result = try await db.query(
            """
            SELECT table_name, coalesce(array_agg(column_name::text), '{}')
            FROM information_schema.columns WHERE table_schema = current_schema()
            GROUP BY table_name
            """)
        var columns: [String: Set<String>] = [:]
        for row in result.rows {
            columns[try row.decode(String.self, at: 0)] = Set(try row.decode([String].self, at: 1))
        }
        for name in modelNames {
            let model = self[name]!
            guard let tableColumns = columns[model.table] else {
                throw RegistryError("model \(name): table \(model.table) is missing from the database (see schema.sql)")
            }
            for field in model.fieldsInOrder {
                if let column = field.column, !tableColumns.contains(column) {
                    throw RegistryError(
                        "model \(name): column \(model.table).\(column) is missing from the database (see schema.sql)")
                }
                if case .many2many(_, let relation, let column1, let column2) = field.type {
                    guard let relationColumns = columns[relation], relationColumns.contains(column1),
                        relationColumns.contains(column2)
                    else {
                        throw RegistryError(
                            "model \(name): relation table \(relation)(\(column1), \(column2)) is missing from the database")
                    }
                }
            }
        }
    }
}
