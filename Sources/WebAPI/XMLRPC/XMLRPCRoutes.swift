import Hummingbird
import JSONRPC
import NIOCore

/// XML-RPC at `/xmlrpc/2/<service>` (and the legacy `/xmlrpc/<service>`): the `common`, `object`
/// and `db` services of ``RPCServices`` with Odoo's fault codes — on `/xmlrpc/2/*`: 3 AccessDenied,
/// 4 AccessError, 2 UserError / ValidationError, 1 anything else; on the legacy routes: strings
/// (`AccessDenied`, `warning -- UserError\n\n<message>`).
public enum XMLRPCRoutes {
    /// Registers the routes (POST only).
    public static func register(on router: Router<WoowRequestContext>, services: WebServices) {
        for service in ["common", "object", "db"] {
            router.post("/xmlrpc/2/\(service)") { request, context in
                await respond(request, context, services: services, service: service, legacy: false)
            }
            router.post("/xmlrpc/\(service)") { request, context in
                await respond(request, context, services: services, service: service, legacy: true)
            }
        }
    }

    static func respond(
        _ request: Request, _ context: WoowRequestContext, services: WebServices, service: String, legacy: Bool
    ) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(limit: services.settings.maxBodySize)
        } catch {
            return .text("Request body too large", status: .contentTooLarge)
        }
        let call: (method: String, params: [JSONValue])
        do {
            call = try XMLRPCCodec.decodeCall(Array(body.readableBytesView))
        } catch {
            return xml(XMLRPCCodec.fault(code: legacy ? "1" : 1, message: "Invalid XML-RPC request: \(error)"))
        }
        let decision = RPCServices.rateLimit(service: service, method: call.method, args: call.params).flatMap {
            services.rateLimiter.acquire($0.category, for: $0.subject(uid: nil, remoteAddress: context.remoteAddress))
        }
        var response = await answer(call, context, services: services, service: service, legacy: legacy, decision: decision)
        decision?.apply(to: &response.headers)
        return response
    }

    /// The call's answer: refused (a fault, nothing run) when over the rate limit.
    static func answer(
        _ call: (method: String, params: [JSONValue]), _ context: WoowRequestContext, services: WebServices,
        service: String, legacy: Bool, decision: RateLimitDecision?
    ) async -> Response {
        if let decision, !decision.allowed {
            let fault = ServerFault.tooManyRequests(decision)
            return xml(XMLRPCCodec.fault(code: faultCode(fault, legacy: legacy), message: faultString(fault, legacy: legacy)))
        }
        do {
            let result = try await services.database.withConnection { db in
                try await RPCServices(services: services, remoteAddress: context.remoteAddress)
                    .call(service: service, method: call.method, args: call.params, connection: db)
            }
            return xml(XMLRPCCodec.response(result))
        } catch {
            let fault = ServerFault.from(error, requestID: context.requestID, logger: context.logger)
            return xml(XMLRPCCodec.fault(code: faultCode(fault, legacy: legacy), message: faultString(fault, legacy: legacy)))
        }
    }

    static func faultCode(_ fault: ServerFault, legacy: Bool) -> JSONValue {
        if legacy {
            switch fault.name {
            case "odoo.exceptions.AccessDenied": return "AccessDenied"
            case "odoo.exceptions.UserError", "odoo.exceptions.ValidationError", "odoo.exceptions.AccessError",
                "odoo.exceptions.MissingError":
                return .string("warning -- \(fault.name.split(separator: ".").last!)\n\n\(fault.message)")
            default: return .string(fault.message)
            }
        }
        switch fault.name {
        case "odoo.exceptions.AccessDenied": return 3
        case "odoo.exceptions.AccessError": return 4
        case "odoo.exceptions.UserError", "odoo.exceptions.ValidationError", "odoo.exceptions.MissingError": return 2
        default: return 1
        }
    }

    static func faultString(_ fault: ServerFault, legacy: Bool) -> String {
        fault.name == "odoo.exceptions.AccessDenied" ? "Access Denied" : "\(fault.name): \(fault.message)"
    }

    static func xml(_ text: String) -> Response {
        .text(text, status: .ok, contentType: "text/xml; charset=utf-8")
    }
}
