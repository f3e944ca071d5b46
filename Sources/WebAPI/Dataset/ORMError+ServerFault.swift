import ORM

extension ORMError: ServerFaultConvertible {
    /// The Odoo fault: the exception class as `data.name`; werkzeug's NotFound as code 404.
    public var serverFault: ServerFault {
        if kind == .notFound { return .notFound }
        return ServerFault(name: kind.exceptionName, message: message)
    }
}
