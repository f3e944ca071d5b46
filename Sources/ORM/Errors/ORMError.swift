/// An error raised by the ORM, shaped like the Odoo exception clients expect.
///
/// The web layer renders ``kind`` as Odoo's `data.name` (`odoo.exceptions.ValidationError`,
/// `builtins.ValueError`, …) and ``message`` as `data.message`; messages are safe to show.
public struct ORMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Odoo exception class this error stands for.
    public struct Kind: Sendable, Hashable {
        /// The fully qualified Python class name clients match on.
        public let exceptionName: String

        public static let userError = Kind(exceptionName: "odoo.exceptions.UserError")
        public static let accessError = Kind(exceptionName: "odoo.exceptions.AccessError")
        public static let accessDenied = Kind(exceptionName: "odoo.exceptions.AccessDenied")
        public static let missingError = Kind(exceptionName: "odoo.exceptions.MissingError")
        public static let validationError = Kind(exceptionName: "odoo.exceptions.ValidationError")
        public static let valueError = Kind(exceptionName: "builtins.ValueError")
        public static let typeError = Kind(exceptionName: "builtins.TypeError")
        public static let keyError = Kind(exceptionName: "builtins.KeyError")
        public static let attributeError = Kind(exceptionName: "builtins.AttributeError")
        public static let assertionError = Kind(exceptionName: "builtins.AssertionError")
        /// werkzeug's NotFound (unknown model on `call_kw`), answered with code 404.
        public static let notFound = Kind(exceptionName: "werkzeug.exceptions.NotFound")
    }

    /// The exception class.
    public let kind: Kind
    /// The user-facing message.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.exceptionName): \(message)" }

    /// `ValueError` (malformed domains, bad values).
    public static func value(_ message: String) -> ORMError { ORMError(.valueError, message) }
    /// `ValidationError` (required fields, selection values, constraints).
    public static func validation(_ message: String) -> ORMError { ORMError(.validationError, message) }
    /// `AccessError` (rights, record rules, private methods).
    public static func access(_ message: String) -> ORMError { ORMError(.accessError, message) }
    /// `MissingError` (records deleted or never existing).
    public static func missing(_ message: String) -> ORMError { ORMError(.missingError, message) }
    /// `UserError`.
    public static func user(_ message: String) -> ORMError { ORMError(.userError, message) }
    /// `TypeError` (wrong arguments).
    public static func type(_ message: String) -> ORMError { ORMError(.typeError, message) }
}
