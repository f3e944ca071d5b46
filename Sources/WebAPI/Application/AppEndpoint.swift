import Hummingbird
import JSONRPC
import NIOCore

/// One path of the application API with its verbs, serving REST and JSON-RPC.
struct AppEndpoint: Sendable {
    let path: String
    let routes: [AppRoute]
    let runner: AppRouteRunner
    let dispatcher: RPCDispatcher<RPCCallContext>
    let parameterNames: [String]

    /// What a JSON-RPC handler on this path needs from the HTTP request.
    struct RPCCallContext: Sendable {
        let request: Request
        let context: WoowRequestContext
        let rateLimit: RateLimitTracker
    }

    init(path: String, routes: [AppRoute], runner: AppRouteRunner) {
        self.path = path
        self.routes = routes
        self.runner = runner
        parameterNames = path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
        var table = RPCMethodTable<RPCCallContext>()
        let names = parameterNames
        func register(_ name: String, _ route: AppRoute) {
            table.register(name) { params, call in
                try await Self.rpc(route, params: params, call: call, runner: runner, parameterNames: names)
            }
        }
        for route in routes {
            switch route.method {
            case .get: register("get", route)
            case .post: register("post", route)
            case .put: register("put", route)
            case .delete: register("delete", route)
            case .patch: register("patch", route)
            default: break
            }
        }
        if let call = routes.first(where: { $0.method == .get }) ?? routes.first(where: { $0.method == .post }) {
            register("call", call)
        }
        dispatcher = RPCDispatcher(methods: table)
    }

    /// REST: the declared verb. The answer carries the `X-RateLimit-*` headers of the call.
    func rest(_ route: AppRoute, request: Request, context: WoowRequestContext) async -> Response {
        let tracker = RateLimitTracker()
        var response = await rest(route, request: request, context: context, rateLimit: tracker)
        tracker.apply(to: &response.headers)
        return response
    }

    /// POST: JSON-RPC or REST (see below). The answer carries the `X-RateLimit-*` headers of the
    /// call, or for a batch those of its most restrictive decision.
    func post(request: Request, context: WoowRequestContext) async -> Response {
        let tracker = RateLimitTracker()
        var response = await post(request: request, context: context, rateLimit: tracker)
        tracker.apply(to: &response.headers)
        return response
    }

    private func rest(_ route: AppRoute, request: Request, context: WoowRequestContext, rateLimit: RateLimitTracker)
        async -> Response
    {
        var params = JSONObject()
        for (key, value) in request.uri.queryParameters { params[String(key)] = .string(String(value)) }
        if route.method != .get, route.method != .head {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(limit: runner.services.settings.maxBodySize)
            } catch {
                return AppResponse.envelope(AppError(.validationError, "Request body too large").envelope, status: .contentTooLarge)
            }
            if body.readableBytes > 0 {
                switch Self.decodeRESTBody(body, request: request) {
                case .success(let object): for (key, value) in object { params[key] = value }
                case .failure(let error): return AppResponse.envelope(error.envelope, status: error.code.status)
                }
            }
        }
        return await restAnswer(route, params: params, request: request, context: context, rateLimit: rateLimit)
    }

    /// POST: JSON-RPC when the body is a batch or carries `jsonrpc`, REST POST otherwise.
    private func post(request: Request, context: WoowRequestContext, rateLimit: RateLimitTracker) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(limit: runner.services.settings.maxBodySize)
        } catch {
            return AppResponse.envelope(AppError(.validationError, "Request body too large").envelope, status: .contentTooLarge)
        }
        let restPost = routes.first { $0.method == .post }
        if body.readableBytes > 0, !request.hasJSONContentType {
            return AppResponse.envelope(
                AppError(.unsupportedMediaType, "Content-Type must be application/json").envelope,
                status: .unsupportedMediaType)
        }
        let parsed = body.withUnsafeReadableBytes { bytes in Result { try JSONParser.parse(bytes) } }
        let isRPC: Bool
        switch parsed {
        case .success(.array): isRPC = true
        case .success(.object(let object)): isRPC = object.contains(key: "jsonrpc") || restPost == nil
        case .success: isRPC = restPost == nil
        case .failure: isRPC = restPost == nil || body.readableBytesView.containsJSONRPCMarker
        }
        if isRPC {
            let call = RPCCallContext(request: request, context: context, rateLimit: rateLimit)
            let reply: RPCReply
            if case .success(let value) = parsed {
                reply = await dispatcher.handle(value: value, context: call)
            } else {
                reply = await dispatcher.handle(body: Array(body.readableBytesView), context: call)
            }
            guard let bytes = reply.body else { return Response(status: .noContent) }
            return .json(bytes)
        }
        guard let restPost else {
            return AppResponse.envelope(AppError(.notFound, "Route not found").envelope, status: .notFound)
        }
        var params = JSONObject()
        for (key, value) in request.uri.queryParameters { params[String(key)] = .string(String(value)) }
        if body.readableBytes > 0 {
            switch Self.decodeRESTBody(body, request: request) {
            case .success(let object): for (key, value) in object { params[key] = value }
            case .failure(let error): return AppResponse.envelope(error.envelope, status: error.code.status)
            }
        }
        return await restAnswer(restPost, params: params, request: request, context: context, rateLimit: rateLimit)
    }

    private func restAnswer(
        _ route: AppRoute, params: JSONObject, request: Request, context: WoowRequestContext, rateLimit: RateLimitTracker
    ) async -> Response {
        let outcome = await runner.run(
            route, params: params, pathParameters: pathParameters(context), request: request, context: context,
            transport: .rest, rateLimit: rateLimit)
        switch outcome {
        case .success(let result):
            if let file = result.file { return AppResponse.attachment(file) }
            return AppResponse.envelope(result.envelope, status: result.status)
        case .failure(let error): return AppResponse.envelope(error.envelope, status: error.code.status)
        case .sessionExpired:
            let error = AppError(.authTokenExpired, "Session expired or missing")
            return AppResponse.envelope(error.envelope, status: .unauthorized)
        }
    }

    private func pathParameters(_ context: WoowRequestContext) -> [String: String] {
        Self.pathParameters(context, names: parameterNames)
    }

    static func pathParameters(_ context: WoowRequestContext, names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names { values[name] = context.parameters.get(name) }
        return values
    }

    static func rpc(
        _ route: AppRoute, params: RPCParams?, call: RPCCallContext, runner: AppRouteRunner, parameterNames: [String]
    ) async throws -> JSONValue {
        let object: JSONObject
        switch params {
        case nil: object = [:]
        case .named(let named)?: object = named
        case .positional?: throw RPCError.invalidParams("params must be an object of named parameters")
        }
        let outcome = await runner.run(
            route, params: object, pathParameters: pathParameters(call.context, names: parameterNames),
            request: call.request, context: call.context, transport: .jsonRPC, rateLimit: call.rateLimit)
        switch outcome {
        case .success(let result): return result.envelope
        case .failure(let error): return error.envelope
        case .sessionExpired:
            let fault = ServerFault.sessionExpired
            throw RPCError(code: fault.code, message: fault.envelopeMessage, data: fault.json["data"])
        }
    }

    /// A REST body as parameters: a JSON object, or a `multipart/form-data` upload (see ``MultipartForm``).
    static func decodeRESTBody(_ body: ByteBuffer, request: Request) -> Result<JSONObject, AppError> {
        if let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(contentType:)) {
            return MultipartForm.decode(Array(body.readableBytesView), boundary: boundary)
        }
        guard request.hasJSONContentType else {
            return .failure(AppError(.unsupportedMediaType, "Content-Type must be application/json or multipart/form-data"))
        }
        switch body.withUnsafeReadableBytes({ bytes in Result { try JSONParser.parse(bytes) } }) {
        case .success(.object(let object)): return .success(object)
        case .success: return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        case .failure: return .failure(AppError(.validationError, "Request body is not valid JSON"))
        }
    }
}

extension ByteBufferView {
    /// Whether the bytes mention `"jsonrpc"` (used to classify an unparsable POST body).
    fileprivate var containsJSONRPCMarker: Bool {
        let marker = Array("\"jsonrpc\"".utf8)
        let bytes = Array(self)
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if Array(bytes[start..<(start + marker.count)]) == marker { return true }
        }
        return false
    }
}
