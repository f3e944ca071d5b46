import Identity
import JSONRPC
import Logging
import PostgresDriver

/// An error as Odoo's JSON routes report it: `{code, message, data: {name, debug, message, arguments, context}}`.
///
/// `name` is the exception class Odoo clients branch on (`odoo.exceptions.AccessDenied`). `debug`
/// never holds a stack trace or a server path: only the exception line, as the last line of a
/// traceback would read.
public struct ServerFault: Error, Sendable, Equatable {
    /// The JSON-RPC `error.code`: 200 for ordinary errors, 100 for an expired session, 404 for not found.
    public var code: Int
    /// The exception class name clients match on.
    public var name: String
    /// The human-readable message.
    public var message: String
    /// The exception arguments (Odoo: `[message]`).
    public var arguments: [JSONValue]
    /// Extra context (usually `{}`).
    public var context: JSONObject

    /// Creates a fault.
    public init(code: Int = 200, name: String, message: String, arguments: [JSONValue]? = nil, context: JSONObject = [:]) {
        self.code = code
        self.name = name
        self.message = message
        self.arguments = arguments ?? [.string(message)]
        self.context = context
    }

    /// The envelope's `error.message` for this code.
    public var envelopeMessage: String {
        switch code {
        case 100: return "Odoo Session Expired"
        case 404: return "404: Not Found"
        default: return "Odoo Server Error"
        }
    }

    /// The `error` member of a JSON-RPC answer.
    public var json: JSONValue {
        var data = JSONObject()
        data.append("name", .string(name))
        data.append("debug", .string("\(name): \(message)\n"))
        data.append("message", .string(message))
        data.append("arguments", .array(arguments))
        data.append("context", .object(context))
        var error = JSONObject()
        error.append("code", .number(JSONNumber(code)))
        error.append("message", .string(envelopeMessage))
        error.append("data", .object(data))
        return .object(error)
    }

    // MARK: The faults Odoo clients know

    /// No or invalid session on an `auth=user` route.
    public static let sessionExpired = ServerFault(
        code: 100, name: "odoo.http.SessionExpiredException", message: "Session expired")
    /// werkzeug's NotFound, as raised inside a JSON route.
    public static let notFound = ServerFault(
        code: 404, name: "werkzeug.exceptions.NotFound",
        message:
            "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        arguments: [])

    /// `odoo.exceptions.AccessDenied`.
    public static func accessDenied(_ message: String = "Access Denied") -> ServerFault {
        ServerFault(name: "odoo.exceptions.AccessDenied", message: message)
    }
    /// `odoo.exceptions.AccessError`.
    public static func accessError(_ message: String) -> ServerFault {
        ServerFault(name: "odoo.exceptions.AccessError", message: message)
    }
    /// `odoo.exceptions.UserError`.
    public static func userError(_ message: String) -> ServerFault {
        ServerFault(name: "odoo.exceptions.UserError", message: message)
    }
    /// `odoo.exceptions.ValidationError`.
    public static func validationError(_ message: String) -> ServerFault {
        ServerFault(name: "odoo.exceptions.ValidationError", message: message)
    }
    /// `builtins.TypeError` (wrong arguments).
    public static func typeError(_ message: String) -> ServerFault {
        ServerFault(name: "builtins.TypeError", message: message)
    }
    /// `builtins.ValueError`.
    public static func valueError(_ message: String) -> ServerFault {
        ServerFault(name: "builtins.ValueError", message: message)
    }
    /// `builtins.KeyError`.
    public static func keyError(_ key: String) -> ServerFault {
        ServerFault(name: "builtins.KeyError", message: key)
    }
    /// A rate-limited call, as Odoo reports werkzeug's `TooManyRequests` raised in a JSON route
    /// (HTTP 200, `code` 200, `data.name` = `werkzeug.exceptions.TooManyRequests`).
    public static func tooManyRequests(_ decision: RateLimitDecision) -> ServerFault {
        ServerFault(name: "werkzeug.exceptions.TooManyRequests", message: "429 Too Many Requests: " + decision.message)
    }
    /// An unexpected failure: a generic message, never internal details.
    public static func internalError(requestID: String) -> ServerFault {
        ServerFault(
            name: "odoo.exceptions.UserError",
            message: "An internal error occurred. Please contact support with request id \(requestID).")
    }
}

extension ServerFault {
    /// Maps any error raised in a JSON route to the fault the client sees, logging unexpected ones.
    public static func from(_ error: any Error, requestID: String, logger: Logger) -> ServerFault {
        switch error {
        case let fault as ServerFault:
            return fault
        case let fault as any ServerFaultConvertible:
            return fault.serverFault
        case let error as PostgresError where error.code == .poolTimeout || error.code == .connectionFailed:
            logger.error("database unavailable", metadata: ["error": "\(error.debugDescription)"])
            return .userError("The database is unavailable right now. Please try again shortly.")
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError(requestID: requestID)
        }
    }
}

/// An error that knows which Odoo fault it is (lower layers' errors conform here, in the web layer).
public protocol ServerFaultConvertible: Error {
    /// The fault to report.
    var serverFault: ServerFault { get }
}

extension AuthenticationError: ServerFaultConvertible {
    public var serverFault: ServerFault { .accessDenied(message) }
}
