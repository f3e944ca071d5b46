import Identity
import JSONRPC
import ORM
import PostgresDriver

/// `/jsonrpc`: Odoo's stateless services (auth none; credentials travel in `args`).
///
/// - `common`: `version`, `login(db, login, password)` → uid or `false`,
///   `authenticate(db, login, password, env)` → uid or `false`, `about`;
/// - `object`: `execute_kw(db, uid, password, model, method, args[, kwargs])` and
///   `execute(db, uid, password, model, method, *args)`, checking the password on every call;
/// - `db`: `list`, `server_version`, `db_exist`, `list_lang` (the master-password methods answer AccessDenied).
public enum RPCServiceRoutes {
    /// The route.
    public static var jsonRoutes: [JSONRoute] {
        [
            JSONRoute(
                "/jsonrpc", auth: .none, access: .connection,
                rateLimit: { params in
                    RPCServices.rateLimit(
                        service: params["service"]?.stringValue, method: params["method"]?.stringValue,
                        args: params["args"]?.arrayValue ?? [])
                }, handler: dispatch)
        ]
    }

    @Sendable static func dispatch(_ call: JSONCall) async throws -> JSONValue {
        let service = try call.string("service")
        let method = try call.string("method")
        let args = call.params["args"]?.arrayValue ?? []
        return try await RPCServices(services: call.services, remoteAddress: call.remoteAddress)
            .call(service: service, method: method, args: args, connection: try call.db)
    }
}

/// The `common`, `object` and `db` services, shared by the JSON-RPC and XML-RPC transports.
public struct RPCServices: Sendable {
    let services: WebServices
    let remoteAddress: String?

    /// Creates the services for one request.
    public init(services: WebServices, remoteAddress: String?) {
        self.services = services
        self.remoteAddress = remoteAddress
    }

    /// What `service.method(args)` is counted as: `common.login` / `common.authenticate` are login
    /// attempts for `args[1]` (`authentication`, per address and login); the other methods are not
    /// rate-limited (each `object` call checks the password under the failed-login throttle).
    public static func rateLimit(service: String?, method: String?, args: [JSONValue]) -> RateLimitCharge? {
        guard service == "common", method == "login" || method == "authenticate" else { return nil }
        return .loginAttempt(args.count > 1 ? args[1].stringValue : nil)
    }

    /// Runs `service.method(args)`.
    public func call(service: String, method: String, args: [JSONValue], connection db: PostgresConnection) async throws
        -> JSONValue
    {
        switch service {
        case "common": return try await common(method, args, db)
        case "object": return try await object(method, args, db)
        case "db": return try database(method, args)
        default: throw ServerFault.keyError(service)
        }
    }

    private func common(_ method: String, _ args: [JSONValue], _ db: PostgresConnection) async throws -> JSONValue {
        switch method {
        case "version":
            return ServerVersion.info
        case "login", "authenticate":
            guard args.count >= 3, let database = args[0].stringValue, let login = args[1].stringValue,
                let password = args[2].stringValue
            else { throw ServerFault.typeError("\(method)() takes db, login and password") }
            guard database == services.settings.databaseName else { return false }
            do {
                let uid = try await services.authenticator.authenticate(
                    login: login, password: password, remoteAddress: remoteAddress, on: db)
                return .number(JSONNumber(uid))
            } catch is AuthenticationError {
                return false
            }
        case "about":
            let about = "Woow — an Odoo 18.0-compatible application server"
            return args.first?.boolValue == true ? [.string(about), .string(ServerVersion.version)] : .string(about)
        case "set_loglevel":
            return true
        default:
            throw ServerFault(name: "builtins.Exception", message: "Method not found: \(method)")
        }
    }

    private func object(_ method: String, _ args: [JSONValue], _ db: PostgresConnection) async throws -> JSONValue {
        guard method == "execute" || method == "execute_kw" else {
            throw ServerFault(name: "builtins.NameError", message: "Method not available \(method)")
        }
        guard args.count >= 5, let database = args[0].stringValue, let uid = args[1].int64Value,
            let password = args[2].stringValue, let model = args[3].stringValue, let name = args[4].stringValue
        else { throw ServerFault.typeError("\(method)() takes db, uid, password, model, method and arguments") }
        guard database == services.settings.databaseName else { throw ServerFault.accessDenied() }
        // The check commits on its own, so a failure is counted even though the call fails.
        _ = try await services.authenticator.verify(uid: uid, password: password, remoteAddress: remoteAddress, on: db)
        let positional: [JSONValue]
        var kwargs: JSONObject = [:]
        if method == "execute_kw" {
            positional = args.count > 5 ? (args[5].arrayValue ?? []) : []
            kwargs = args.count > 6 ? (args[6].objectValue ?? [:]) : [:]
        } else {
            positional = Array(args.dropFirst(5))
        }
        let context = kwargs["context"]?.objectValue ?? [:]
        kwargs["context"] = nil
        guard let registry = services.registry else { throw ServerFault.userError("No models are available on this server.") }
        do {
            return try await db.transaction {
                let env = ORMEnvironment(registry: registry, transaction: ORMTransaction(connection: db), uid: uid, context: context)
                return try await ModelCallDispatcher().call(env: env, model: model, method: name, args: positional, kwargs: kwargs)
            }
        } catch let error as ORMError where error.kind == .notFound {
            // The object service words an unknown model as a UserError (capture 12c).
            throw ServerFault.userError(error.message)
        }
    }

    private func database(_ method: String, _ args: [JSONValue]) throws -> JSONValue {
        switch method {
        case "list":
            guard services.settings.listDatabases else { throw ServerFault.accessDenied() }
            return [.string(services.settings.databaseName)]
        case "server_version":
            return .string(ServerVersion.version)
        case "db_exist":
            return .bool(args.first?.stringValue == services.settings.databaseName)
        case "list_lang":
            return [["en_US", "English (US)"]]
        case "create_database", "duplicate_database", "drop", "dump", "restore", "rename", "change_admin_password",
            "migrate_databases", "list_countries":
            throw ServerFault.accessDenied()
        default:
            throw ServerFault.keyError(method)
        }
    }
}
