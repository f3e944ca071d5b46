import HTTPTypes
import Hummingbird
import JSONRPC
import NIOCore

/// Mounts ``AppRoute``s under a prefix (`/paas/api/v1`) so that each declaration answers both
/// transports on the same path:
///
/// - **REST**: the declared verb; GET reads the query string, other verbs a JSON object body; the
///   answer is the envelope with the mapped HTTP status.
/// - **JSON-RPC 2.0**: `POST` with a body that is an array (batch) or an object carrying `jsonrpc`.
///   `method` picks the verb: `call` (GET if the path has one, else POST), `get`, `post`, `put`,
///   `delete`. The envelope is the `result`; malformed calls get the JSON-RPC error codes; a missing
///   session is Odoo's code-100 error.
///
/// Any other path below the prefix answers a 404 envelope.
public struct ApplicationAPI: Sendable {
    /// The path prefix.
    public let prefix: String
    /// The routes.
    public let routes: [AppRoute]

    /// Creates the API.
    public init(prefix: String = "/paas/api/v1", routes: [AppRoute]) {
        self.prefix = prefix
        self.routes = routes
    }

    /// Registers every route (both transports) and the 404 fallback on `router`.
    public func register(on router: Router<WoowRequestContext>, services: WebServices) {
        let runner = AppRouteRunner(services: services)
        var byPath: [String: [AppRoute]] = [:]
        var order: [String] = []
        for route in routes {
            if byPath[route.path] == nil { order.append(route.path) }
            byPath[route.path, default: []].append(route)
        }
        for path in order {
            let pathRoutes = byPath[path]!
            let endpoint = AppEndpoint(path: path, routes: pathRoutes, runner: runner)
            let fullPath = RouterPath(prefix + path)
            for route in pathRoutes where route.method != .post {
                router.on(fullPath, method: route.method) { request, context in
                    await endpoint.rest(route, request: request, context: context)
                }
            }
            // POST carries JSON-RPC for every path, and REST POST where declared.
            router.on(fullPath, method: .post) { request, context in
                await endpoint.post(request: request, context: context)
            }
        }
        // Unknown paths count against the caller's address (`general`): path scanning is throttled too.
        let limiter = services.rateLimiter
        let notFound: @Sendable (Request, WoowRequestContext) async throws -> Response = { _, context in
            let decision = limiter.acquire(.general, for: .of(uid: nil, remoteAddress: context.remoteAddress))
            let error = decision?.allowed == false
                ? AppError(.rateLimited, decision!.message) : AppError(.notFound, "Route not found")
            var response = AppResponse.envelope(error.envelope, status: error.code.status)
            decision?.apply(to: &response.headers)
            return response
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on(RouterPath(prefix + "/**"), method: method, use: notFound)
            router.on(RouterPath(prefix), method: method, use: notFound)
        }
    }
}

/// Helpers to write envelopes.
enum AppResponse {
    static func envelope(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        .json(value.serialized(), status: status)
    }

    /// A file as a download: its type, `Content-Disposition: attachment` with the (quoted,
    /// sanitised) file name, `nosniff`, and no caching by shared caches.
    static func attachment(_ file: AppFile) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        let name = String(file.filename.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }.map(Character.init))
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        headers[.cacheControl] = "private, no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        var buffer = ByteBuffer()
        buffer.writeBytes(file.bytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }
}
