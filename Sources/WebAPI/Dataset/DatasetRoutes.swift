import JSONRPC
import ORM

/// `/web/dataset/call_kw[/<anything>]`: the web client's generic model RPC (auth user).
///
/// Params `model`, `method`, `args` (array) and `kwargs` (object, whose `context` becomes the
/// environment's context). The whole call is one transaction, retried on serialization failures.
public enum DatasetRoutes {
    /// The routes.
    public static var jsonRoutes: [JSONRoute] {
        [
            JSONRoute(
                "/web/dataset/call_kw", auth: .user, access: .transaction, guessesSession: callsAReadMethod,
                handler: callKW),
            JSONRoute(
                "/web/dataset/call_kw/**", auth: .user, access: .transaction, guessesSession: callsAReadMethod,
                handler: callKW),
        ]
    }

    /// Whether the call is one of the ORM's read methods, which compute nothing but the statement
    /// before their first read (see ``JSONRoute/guessesSession``).
    @Sendable static func callsAReadMethod(_ params: JSONObject) -> Bool {
        guard let method = params["method"]?.stringValue else { return false }
        return ModelCallDispatcher.readMethods.contains(method)
    }

    @Sendable static func callKW(_ call: JSONCall) async throws -> JSONValue {
        let model = try call.string("model")
        let method = try call.string("method")
        guard let args = call.params["args"]?.arrayValue else {
            throw ServerFault.typeError("call_kw() missing 1 required positional argument: 'args'")
        }
        var kwargs = call.params["kwargs"]?.objectValue ?? [:]
        let context = kwargs["context"]?.objectValue ?? [:]
        kwargs["context"] = nil
        let env = try call.ormEnvironment(context: context)
        // Odoo 18 looks the model up (`_call_kw_readonly`) before it checks the method name, so an
        // unknown model is NotFound (404) even when the method is private or unknown.
        _ = try env.model(model)
        return try await ModelCallDispatcher().call(env: env, model: model, method: method, args: args, kwargs: kwargs)
    }
}

extension JSONCall {
    /// An ORM environment for the session's user inside this request's connection.
    func ormEnvironment(context: JSONObject) throws -> ORMEnvironment {
        guard let registry = services.registry else {
            throw ServerFault.userError("No models are available on this server.")
        }
        let env = ORMEnvironment(registry: registry, transaction: ORMTransaction(connection: try db), uid: try uid, context: context)
        if let groups = session?.groups { env.assumeGroups(groups) }
        return env
    }
}
