import JSONRPC
import NIOPosix
import PostgresDriver
import WoowCrypto

/// Converts a client value for a stored column into a bind (Odoo's `convert_to_column`), refusing
/// values of the wrong type with a `ValidationError` that names the field.
enum FieldValueWriter {
    /// The bind for a value, hashing it first for password fields (off the cooperative pool).
    static func bind(_ value: JSONValue, for field: FieldDefinition, model: ModelDefinition, registry: ModelRegistry)
        async throws -> PostgresBind
    {
        guard field.hashed else { return try bind(value, for: field, model: model) }
        guard case .string(let password) = value, !password.isEmpty else {
            throw ORMError.validation("Setting empty passwords is not allowed for security reasons!")
        }
        let hasher = PasswordHasher(rounds: registry.passwordRounds)
        return .text(try await NIOThreadPool.singleton.runIfActive { hasher.hash(password) })
    }

    static func bind(_ value: JSONValue, for field: FieldDefinition, model: ModelDefinition) throws -> PostgresBind {
        func wrong() -> ORMError {
            ORMError.validation("Wrong value for \(model.name).\(field.name): \(PythonRepr.of(value))")
        }
        if value.isNull || (value == .bool(false) && field.type != .boolean) { return .null }
        switch field.type {
        case .char, .text, .html:
            switch value {
            case .string(let string): return .text(string)
            case .number(let number): return .text(number.literal)
            default: throw wrong()
            }
        case .selection(let options):
            guard case .string(let string) = value else { throw wrong() }
            guard options.contains(where: { $0.value == string }) else { throw wrong() }
            return .text(string)
        case .integer, .many2one:
            switch value {
            case .number(let number):
                guard let integer = number.int64Value, field.type == .integer || integer > 0 else { throw wrong() }
                return .text(String(integer))
            case .bool(true) where field.type == .integer: return .text("1")
            default: throw wrong()
            }
        case .float, .monetary:
            guard case .number(let number) = value else { throw wrong() }
            return .text(number.literal)
        case .boolean:
            switch value {
            case .bool(let flag): return .text(flag ? "t" : "f")
            case .number(let number) where number.intValue == 0 || number.intValue == 1:
                return .text(number.intValue == 1 ? "t" : "f")
            default: throw wrong()
            }
        case .date:
            guard case .string(let string) = value, let date = PostgresDate(string.prefix(10)) else { throw wrong() }
            return .text(date.description)
        case .datetime:
            guard case .string(let string) = value else { throw wrong() }
            let full = string.count == 10 ? string + " 00:00:00" : string
            guard PostgresTimestamp.parse(full) != nil else { throw wrong() }
            return .text(full)
        case .json:
            return .text(value.jsonString)
        case .binary:
            guard case .string(let string) = value, let bytes = Base64Text.decode(string) else { throw wrong() }
            return .binary(bytes)
        case .one2many, .many2many:
            throw wrong()
        }
    }

    /// Whether a value counts as empty for `required`.
    static func isEmpty(_ value: JSONValue?) -> Bool {
        guard let value else { return true }
        switch value {
        case .null, .bool(false): return true
        case .string(let string): return string.isEmpty
        default: return false
        }
    }
}

/// Standard base64 decoding for binary field values.
enum Base64Text {
    static func decode(_ text: String) -> [UInt8]? {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") || byte == 10 || byte == 13 { continue }
            let value = table[Int(byte)]
            guard value != 255 else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return output
    }
}
