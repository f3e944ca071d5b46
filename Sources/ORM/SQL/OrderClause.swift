/// An `ORDER BY` in Odoo's syntax (`name, id desc`, `date desc nulls last`), checked against the
/// model's stored fields so that nothing unchecked reaches the SQL text.
struct OrderClause {
    struct Term {
        let field: FieldDefinition
        let descending: Bool
        let nulls: String?
    }

    let terms: [Term]

    /// Parses and validates an order string; an unknown field or keyword is Odoo's `ValueError`.
    init(_ text: String, model: ModelDefinition) throws {
        var terms: [Term] = []
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ").map { $0.lowercased() }
            guard let name = words.first else { continue }
            let fieldName = part.split(separator: " ").first.map(String.init) ?? name
            guard let field = model.field(fieldName), field.column != nil else {
                throw ORMError.value("Invalid field \(fieldName) on model \(model.name) in order \(PythonRepr.quote(text))")
            }
            var descending = false
            var nulls: String?
            var index = 1
            if index < words.count, words[index] == "asc" || words[index] == "desc" {
                descending = words[index] == "desc"
                index += 1
            }
            if index + 1 < words.count, words[index] == "nulls", words[index + 1] == "first" || words[index + 1] == "last" {
                nulls = words[index + 1].uppercased()
                index += 2
            }
            guard index == words.count else { throw ORMError.value("Invalid order \(PythonRepr.quote(text))") }
            terms.append(Term(field: field, descending: descending, nulls: nulls))
        }
        self.terms = terms
    }

    /// Writes `ORDER BY …`, always ending with the id so pages are stable.
    func write(alias: String, into writer: inout SQLWriter) {
        writer.append(" ORDER BY ")
        var wroteID = false
        for (index, term) in terms.enumerated() {
            if index > 0 { writer.append(", ") }
            writer.column(alias, term.field.name)
            if term.descending { writer.append(" DESC") }
            if let nulls = term.nulls { writer.append(" NULLS \(nulls)") }
            if term.field.name == "id" { wroteID = true }
        }
        if !wroteID {
            if !terms.isEmpty { writer.append(", ") }
            writer.column(alias, "id")
        }
    }
}
