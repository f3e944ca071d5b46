/// A transport-agnostic JSON-RPC 2.0 engine: turns a request body into a reply.
///
/// Semantics (JSON-RPC 2.0, plus documented choices):
/// - a body that is not valid JSON → a single `-32700 Parse error` with id `null`;
/// - a body with a duplicated member name in any object → a single
///   `-32600 Invalid Request` with id `null` (the JSON is well-formed but ambiguous);
/// - a top-level scalar, or an empty array `[]` → a single `-32600` (not an array);
/// - a batch (non-empty array) → the responses of its non-notification members, in
///   request order, or ``RPCReply/none`` when every member was a notification;
/// - a batch with more than ``Limits/maxBatchSize`` members → a single `-32600`
///   whose `data` explains the limit; nothing in it is executed;
/// - an invalid member (not an object, nested array, bad fields) → its own `-32600`,
///   echoing the member's id when that id was present and valid, `null` otherwise;
/// - notifications are executed but never answered, even when they fail or name an
///   unknown method;
/// - an unknown method or a reserved `rpc.*` name → `-32601` echoing the id;
/// - a handler throwing ``RPCError`` → that error; any other error → `mapError`
///   (by default `-32603 Internal error`, never the Swift error's text).
///
/// Batch members are processed sequentially.
public struct RPCDispatcher<Context: Sendable>: Sendable {
    /// Size limits for request bodies.
    public struct Limits: Sendable {
        /// The maximum number of members in a batch.
        public var maxBatchSize: Int
        /// Limits passed to ``JSONParser``.
        public var parser: JSONParser.Limits

        /// Creates limits (defaults: 100 batch members, default parser limits).
        public init(maxBatchSize: Int = 100, parser: JSONParser.Limits = .init()) {
            self.maxBatchSize = maxBatchSize
            self.parser = parser
        }
    }

    /// The methods this dispatcher serves.
    public let methods: RPCMethodTable<Context>
    /// The limits in force.
    public let limits: Limits
    private let mapError: @Sendable (any Error) -> RPCError

    /// Creates a dispatcher.
    ///
    /// - Parameter mapError: converts a non-``RPCError`` error thrown by a handler
    ///   into the error object sent to the client. The default returns an
    ///   ``RPCError`` unchanged and maps anything else to ``RPCError/internalError``
    ///   with no internal text.
    public init(
        methods: RPCMethodTable<Context>,
        limits: Limits = .init(),
        mapError: @escaping @Sendable (any Error) -> RPCError = RPCDispatcher.defaultMapError
    ) {
        self.methods = methods
        self.limits = limits
        self.mapError = mapError
    }

    /// The default error mapping: ``RPCError`` as is, anything else → "Internal error".
    @Sendable
    public static func defaultMapError(_ error: any Error) -> RPCError {
        (error as? RPCError) ?? .internalError
    }

    /// Handles a raw request body. The buffer is only read before the first suspension.
    public func handle(body: UnsafeRawBufferPointer, context: Context) async -> RPCReply {
        switch parse(body: body) {
        case .success(let value): return await handle(value: value, context: context)
        case .failure(let error): return Self.errorReply(for: error)
        }
    }

    /// Parses a body synchronously with this dispatcher's parser limits.
    ///
    /// Use this when the body is only reachable inside a synchronous closure (such
    /// as `withUnsafeBytes`): pass a success to ``handle(value:context:)`` and send
    /// ``errorReply(for:)`` for a failure.
    public func parse(body: UnsafeRawBufferPointer) -> Result<JSONValue, JSONParseError> {
        Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(body, limits: limits.parser) }
    }

    /// Handles a request body held in a byte array.
    public func handle(body: [UInt8], context: Context) async -> RPCReply {
        switch body.withUnsafeBytes({ parse(body: $0) }) {
        case .success(let value): return await handle(value: value, context: context)
        case .failure(let error): return Self.errorReply(for: error)
        }
    }

    /// Handles an already-parsed body (a single request or a batch).
    public func handle(value: JSONValue, context: Context) async -> RPCReply {
        guard case .array(let members) = value else {
            guard let response = await handle(member: value, context: context) else { return .none }
            return .single(response.json)
        }
        if members.isEmpty {
            return .single(RPCResponse.failure(id: .null, error: .invalidRequest).json)
        }
        if members.count > limits.maxBatchSize {
            var error = RPCError.invalidRequest
            error.data = .string(
                "Batch of \(members.count) requests exceeds the limit of \(limits.maxBatchSize)")
            return .single(RPCResponse.failure(id: .null, error: error).json)
        }
        var responses: [JSONValue] = []
        responses.reserveCapacity(members.count)
        for member in members {
            if let response = await handle(member: member, context: context) {
                responses.append(response.json)
            }
        }
        return responses.isEmpty ? .none : .batch(responses)
    }

    /// Executes one validated request. Returns `nil` for notifications.
    public func handle(request: RPCRequest, context: Context) async -> RPCResponse? {
        guard let id = request.id else {
            if let handler = methods.handler(for: request.method) {
                _ = try? await handler(request.params, context)
            }
            return nil
        }
        guard let handler = methods.handler(for: request.method) else {
            return .failure(id: id, error: .methodNotFound)
        }
        do {
            return .success(id: id, result: try await handler(request.params, context))
        } catch let error as RPCError {
            return .failure(id: id, error: error)
        } catch {
            return .failure(id: id, error: mapError(error))
        }
    }

    /// Validates and executes one request object (a batch member or the whole body).
    private func handle(member: JSONValue, context: Context) async -> RPCResponse? {
        switch RPCRequest.decode(member) {
        case .success(let request):
            return await handle(request: request, context: context)
        case .failure(let failure):
            return .failure(id: failure.responseID, error: failure.error)
        }
    }

    /// The reply for a body that failed to parse: `-32600 Invalid Request` for a
    /// duplicated member name, `-32700 Parse error` otherwise; id `null` either way.
    public static func errorReply(for error: JSONParseError) -> RPCReply {
        let rpcError: RPCError = error.kind == .duplicateKey ? .invalidRequest : .parseError
        return .single(RPCResponse.failure(id: .null, error: rpcError).json)
    }
}
