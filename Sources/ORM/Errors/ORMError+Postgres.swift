import PostgresDriver

extension ORMError {
    /// A readable error for a constraint or data error PostgreSQL reported; never raw SQL text.
    /// Transient errors (serialization, deadlock) and connection failures are rethrown as they are,
    /// so that the transaction is retried or the request fails as unavailable.
    static func from(_ error: PostgresError, model: ModelDefinition) -> any Error {
        if error.isTransient || error.isConnectionFailure { return error }
        guard let state = error.sqlState else { return error }
        switch state {
        case .uniqueViolation:
            if let name = error.constraintName, let message = model.constraintMessages[name] {
                return ORMError.validation(message)
            }
            let columns = error.detail.flatMap(Self.keyColumns) ?? "a value"
            return ORMError.validation(
                "The operation cannot be completed: another \(model.description) record already has the same \(columns).")
        case .notNullViolation:
            let column = error.columnName.flatMap { model.field($0) }
            let label = column.map { "'\($0.string)' (\($0.name))" } ?? "a mandatory field"
            return ORMError.validation("The operation cannot be completed: \(label) is required.")
        case .foreignKeyViolation:
            if error.message.contains("update or delete") {
                return ORMError.validation(
                    "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.")
            }
            return ORMError.validation(
                "The operation cannot be completed: a related record does not exist (\(error.constraintName ?? "reference")).")
        case .checkViolation:
            if let name = error.constraintName, let message = model.constraintMessages[name] {
                return ORMError.validation(message)
            }
            return ORMError.validation("The operation cannot be completed: a value is not allowed (\(error.constraintName ?? "check")).")
        case .queryCanceled:
            return ORMError.user("The operation took too long and was cancelled.")
        default:
            if state.class == "22" { return ORMError.validation("The operation cannot be completed: invalid value.") }
            return error
        }
    }

    /// `Key (login)=(bob) already exists.` → `login`.
    private static func keyColumns(_ detail: String) -> String? {
        guard let open = detail.firstIndex(of: "("), let close = detail[open...].firstIndex(of: ")") else { return nil }
        return String(detail[detail.index(after: open)..<close])
    }
}
