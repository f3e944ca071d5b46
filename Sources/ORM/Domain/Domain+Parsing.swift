import JSONRPC

extension Domain {
    /// Parses a domain as clients send it (Polish notation: `["|", [a], [b]]`, implicit AND),
    /// failing with the same exception classes and messages as Odoo 18.
    public init(json: JSONValue) throws {
        guard case .array(let items) = json else {
            throw ORMError(
                .assertionError,
                "Domains to normalize must have a 'domain' form: a list or tuple of domain components")
        }
        var stack: [Domain] = []
        // Odoo reads the list right to left: operators pop their operands from the stack.
        for item in items.reversed() {
            switch item {
            case .string("&"), .string("|"):
                guard stack.count >= 2 else { throw ORMError.value("Domain \(PythonRepr.of(json)) is syntactically not correct.") }
                let first = stack.removeLast()
                let second = stack.removeLast()
                stack.append(item == .string("&") ? first && second : first || second)
            case .string("!"):
                guard let operand = stack.popLast() else {
                    throw ORMError.value("Domain \(PythonRepr.of(json)) is syntactically not correct.")
                }
                stack.append(.not(operand))
            case .array(let leaf):
                stack.append(try Self.leaf(leaf))
            case .bool(true):
                stack.append(.constant(true))
            case .bool(false):
                stack.append(.constant(false))
            default:
                throw ORMError.value("Invalid leaf \(PythonRepr.of(item))")
            }
        }
        // Remaining terms are implicitly AND-ed, in their original order.
        self = stack.reversed().reduce(Domain.all) { $0 && $1 }
    }

    private static func leaf(_ items: [JSONValue]) throws -> Domain {
        guard items.count == 3 else {
            throw ORMError.value(
                items.count < 3
                    ? "not enough values to unpack (expected 3, got \(items.count))"
                    : "too many values to unpack (expected 3)")
        }
        // Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
        if case .number(let left) = items[0], items[1] == .string("="), case .number(let right) = items[2],
            right.intValue == 1, let l = left.intValue, l == 0 || l == 1
        {
            return .constant(l == 1)
        }
        guard case .string(let path) = items[0], !path.isEmpty else {
            throw ORMError.value("Invalid leaf \(PythonRepr.tuple(items))")
        }
        guard case .string(let text) = items[1], let op = DomainOperator(text: text) else {
            throw ORMError.value("Invalid leaf \(PythonRepr.tuple(items))")
        }
        return .condition(DomainCondition(path: path, op: op, value: items[2]))
    }
}

/// Formats JSON values the way Python's `repr` prints the equivalent objects, so error messages
/// read exactly like Odoo's (`('name', 'bogus_op', 'x')`).
enum PythonRepr {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .number(let number): return number.literal
        case .string(let string): return quote(string)
        case .array(let items): return "[" + items.map(of).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.map { "\(quote($0.key)): \(of($0.value))" }.joined(separator: ", ") + "}"
        case .encoded(let encoded): return of(encoded.value)
        }
    }

    static func tuple(_ items: [JSONValue]) -> String {
        "(" + items.map(of).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    }

    static func quote(_ string: String) -> String {
        let useDouble = string.contains("'") && !string.contains("\"")
        let delimiter: Character = useDouble ? "\"" : "'"
        var out = String(delimiter)
        for character in string {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case delimiter: out += "\\" + String(delimiter)
            default: out.append(character)
            }
        }
        out.append(delimiter)
        return out
    }
}
