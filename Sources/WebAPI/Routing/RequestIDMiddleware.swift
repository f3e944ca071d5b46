import HTTPTypes
import Hummingbird
import Logging

/// Tags the request's logger with `request.id`, honours a well-formed incoming `X-Request-ID`,
/// returns the id in the answer, and logs one line per request.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = WoowRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: WoowRequestContext,
        next: (Request, WoowRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let incoming = request.headers[.xRequestID], Self.isAcceptable(incoming) {
            context.requestID = incoming
        }
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Router-level errors (unknown path, wrong verb) are answers too: they carry the id.
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            response = Response(status: .internalServerError)
        }
        response.headers[.xRequestID] = context.requestID
        response.headers[.xContentTypeOptions] = "nosniff"
        let elapsed = ContinuousClock.now - start
        context.logger.debug(
            "request",
            metadata: [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)",
                "http.duration_ms": "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
            ])
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        id.utf8.count <= 64 && !id.isEmpty
            && id.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`.
    public static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// `X-Content-Type-Options`.
    public static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
