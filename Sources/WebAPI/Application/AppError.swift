import HTTPTypes
import JSONRPC

/// An application error code of the `/paas/api/v1` envelope, with the HTTP status it maps to.
public struct AppErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The code as sent (`WORKSPACE_NOT_FOUND`).
    public let rawValue: String
    /// The HTTP status over REST.
    public let status: HTTPResponse.Status

    /// Declares a code.
    public init(_ rawValue: String, status: HTTPResponse.Status) {
        self.rawValue = rawValue
        self.status = status
    }

    public var description: String { rawValue }

    public static let authInvalidCredentials = AppErrorCode("AUTH_INVALID_CREDENTIALS", status: .unauthorized)
    public static let authTokenExpired = AppErrorCode("AUTH_TOKEN_EXPIRED", status: .unauthorized)
    public static let authInsufficientPermissions = AppErrorCode("AUTH_INSUFFICIENT_PERMISSIONS", status: .forbidden)
    public static let workspaceNotFound = AppErrorCode("WORKSPACE_NOT_FOUND", status: .notFound)
    public static let workspaceLimitReached = AppErrorCode("WORKSPACE_LIMIT_REACHED", status: .unprocessableContent)
    public static let appDeploymentFailed = AppErrorCode("APP_DEPLOYMENT_FAILED", status: .unprocessableContent)
    public static let billingInsufficientCredits = AppErrorCode(
        "BILLING_INSUFFICIENT_CREDITS", status: .unprocessableContent)
    public static let billingPaymentFailed = AppErrorCode("BILLING_PAYMENT_FAILED", status: .unprocessableContent)
    public static let teamMemberLimitReached = AppErrorCode("TEAM_MEMBER_LIMIT_REACHED", status: .unprocessableContent)
    public static let validationError = AppErrorCode("VALIDATION_ERROR", status: .badRequest)
    public static let notFound = AppErrorCode("NOT_FOUND", status: .notFound)
    public static let conflict = AppErrorCode("CONFLICT", status: .conflict)
    public static let rateLimited = AppErrorCode("RATE_LIMITED", status: .tooManyRequests)
    public static let internalError = AppErrorCode("INTERNAL_ERROR", status: .internalServerError)
    public static let unsupportedMediaType = AppErrorCode("VALIDATION_ERROR", status: .unsupportedMediaType)
    public static let serviceUnavailable = AppErrorCode("INTERNAL_ERROR", status: .serviceUnavailable)
}

/// One invalid input field of a `VALIDATION_ERROR` (`{"field": "name", "message": "is required"}`).
public struct FieldError: Sendable, Hashable {
    /// The field path (`name`, `proxy_targets[0].port`).
    public let field: String
    /// What is wrong with it.
    public let message: String

    /// Creates a field error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// An application error, answered as `{"success": false, "error": …, "code": …, "details": […]}`.
public struct AppError: Error, Sendable, Hashable {
    /// The machine-readable code and its HTTP status.
    public let code: AppErrorCode
    /// The human-readable message.
    public let message: String
    /// Per-field problems (validation errors only).
    public let details: [FieldError]

    /// Creates an error.
    public init(_ code: AppErrorCode, _ message: String, details: [FieldError] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// A `VALIDATION_ERROR` for the given fields.
    public static func validation(_ details: [FieldError], message: String = "Invalid input") -> AppError {
        AppError(.validationError, message, details: details)
    }

    /// The envelope.
    public var envelope: JSONValue {
        var object = JSONObject()
        object.append("success", false)
        object.append("error", .string(message))
        object.append("code", .string(code.rawValue))
        if !details.isEmpty {
            object.append(
                "details",
                .array(details.map { ["field": .string($0.field), "message": .string($0.message)] }))
        }
        return .object(object)
    }
}
