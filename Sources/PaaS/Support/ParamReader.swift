import Foundation
import JSONRPC
import WebAPI

/// Reads and validates a route's parameters, collecting every problem into one
/// `VALIDATION_ERROR` with per-field `details`.
///
/// Unknown parameters are **refused** (`"unknown field"`): a body can never set a field the route
/// does not read (no mass assignment of `team_id`, `role`, `credits`, `status`). Query-string values
/// arrive as text, so numbers and booleans are also accepted in their text form.
///
/// ```swift
/// var reader = ParamReader(call.params)
/// let name = reader.string("name", required: true, maxLength: 128)
/// let page = reader.integer("page", default: 1, range: 1...1_000_000)
/// try reader.finish()
/// ```
public struct ParamReader {
    private let params: JSONObject
    private var known: Set<String> = []
    /// The problems found so far.
    public private(set) var errors: [FieldError] = []

    /// Reads `params`.
    public init(_ params: JSONObject) { self.params = params }

    /// Records a problem with a field.
    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Whether the parameter was given (even as `null`).
    public mutating func has(_ name: String) -> Bool {
        known.insert(name)
        return params[name] != nil
    }

    /// The raw value, marking the parameter as known.
    public mutating func raw(_ name: String) -> JSONValue? {
        known.insert(name)
        guard let value = params[name], value != .null else { return nil }
        return value
    }

    /// A string, trimmed; empty counts as missing.
    public mutating func string(
        _ name: String, required: Bool = false, maxLength: Int = 255, allowed: [String]? = nil
    ) -> String? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        guard let text = value.stringValue else {
            fail(name, "must be a string")
            return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { fail(name, "is required") }
            return nil
        }
        if trimmed.count > maxLength {
            fail(name, "must be at most \(maxLength) characters")
            return nil
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail(name, "must not contain control characters")
            return nil
        }
        if let allowed, !allowed.contains(trimmed) {
            fail(name, "must be one of: \(allowed.joined(separator: ", "))")
            return nil
        }
        return trimmed
    }

    /// An integer (a JSON number or, from a query string, its text).
    public mutating func integer(_ name: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        let number: Int?
        switch value {
        case .number(let n): number = n.intValue
        case .string(let text): number = Int(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number else {
            fail(name, "must be a whole number")
            return nil
        }
        if let range, !range.contains(number) {
            fail(name, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    /// A record id (a positive integer).
    public mutating func id(_ name: String, required: Bool = false) -> Int64? {
        integer(name, required: required, range: 1...Int.max).map(Int64.init)
    }

    /// A boolean (JSON `true`/`false`, or `true`/`false`/`1`/`0` as text).
    public mutating func boolean(_ name: String, required: Bool = false) -> Bool? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        default: break
        }
        fail(name, "must be true or false")
        return nil
    }

    /// A JSON object.
    public mutating func object(_ name: String, required: Bool = false) -> JSONObject? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        guard let object = value.objectValue else {
            fail(name, "must be an object")
            return nil
        }
        return object
    }

    /// A JSON array.
    public mutating func array(_ name: String, required: Bool = false, maxCount: Int = 1000) -> [JSONValue]? {
        guard let value = raw(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        guard let array = value.arrayValue else {
            fail(name, "must be a list")
            return nil
        }
        if array.count > maxCount {
            fail(name, "must have at most \(maxCount) items")
            return nil
        }
        return array
    }

    /// Marks parameters as known without reading them (path parameters repeated in the body).
    public mutating func ignore(_ names: String...) { known.formUnion(names) }

    /// Throws the collected problems (and any unknown parameter) as one `VALIDATION_ERROR`.
    public func finish() throws {
        var all = errors
        for key in params.keys where !known.contains(key) {
            all.append(FieldError(field: key, message: "unknown field"))
        }
        if !all.isEmpty { throw AppError.validation(all) }
    }
}

extension ParamReader {
    /// `page` (from 1) and `per_page` (default 20, clamped to 100).
    public mutating func pagination(defaultPerPage: Int = 20) -> Pagination {
        let page = integer("page", range: 1...1_000_000) ?? 1
        let perPage = integer("per_page", range: 1...Int.max).map { min($0, Pagination.maxPerPage) } ?? defaultPerPage
        return Pagination(page: page, perPage: perPage)
    }
}

/// A page of a list: `page` from 1, `per_page` at most 100.
public struct Pagination: Sendable, Hashable {
    /// The largest page size; bigger requests are clamped.
    public static let maxPerPage = 100
    /// The page number, from 1.
    public let page: Int
    /// Rows per page.
    public let perPage: Int
    /// Rows skipped.
    public var offset: Int { (page - 1) * perPage }

    /// The list envelope data `{items, total, page, per_page}`.
    public func list(_ items: [JSONValue], total: Int) -> JSONValue {
        ["items": .array(items), "total": JSONValue(total), "page": JSONValue(page), "per_page": JSONValue(perPage)]
    }
}
