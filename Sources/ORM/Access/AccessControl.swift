import JSONRPC
import PostgresDriver

extension ORMEnvironment {
    /// Checks the model access rights for an operation; throws Odoo's `AccessError`.
    public func checkAccess(_ operation: AccessOperation, on model: ModelDefinition) async throws {
        if isSuperuser { return }
        let groups = try await groups()
        let allowed = registry.access(for: model.name).contains { access in
            access.operations.contains(operation) && (access.group.map(groups.contains) ?? true)
        }
        guard allowed else {
            throw ORMError.access(
                "You are not allowed to \(operation.verb) '\(model.description)' (\(model.name)) records.")
        }
    }

    /// The record-rule domain for an operation: global rules AND-ed, applicable group rules OR-ed.
    /// A group rule with the empty domain (`[]`, every record) makes the other group rules moot:
    /// they are not even resolved, so a system administrator's global view costs no statement.
    public func ruleDomain(_ operation: AccessOperation, on model: ModelDefinition) async throws -> Domain {
        if isSuperuser { return .all }
        let rules = registry.rules(for: model.name).filter { $0.operations.contains(operation) }
        if rules.isEmpty { return .all }
        let groups = rules.allSatisfy(\.isGlobal) ? [] : try await groups()
        var global = Domain.all
        var applicable: [RecordRule] = []
        for rule in rules {
            if rule.isGlobal {
                global = global && (try await resolve(rule.domain))
            } else if rule.groups.contains(where: groups.contains) {
                applicable.append(rule)
            }
        }
        if applicable.isEmpty || applicable.contains(where: { $0.domain.matchesEverything }) { return global }
        var groupDomains: [Domain] = []
        for rule in applicable { groupDomains.append(try await resolve(rule.domain)) }
        return global && groupDomains.dropFirst().reduce(groupDomains[0]) { $0 || $1 }
    }

    /// Replaces `{"user": …}` and `{"var": …}` placeholders with this user's values, then parses.
    func resolve(_ template: JSONDomainTemplate) async throws -> Domain {
        try Domain(json: try await substitute(template.json))
    }

    private func substitute(_ value: JSONValue) async throws -> JSONValue {
        switch value {
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try await substitute(item)) }
            return .array(out)
        case .object(let object):
            if let key = object["user"]?.stringValue {
                switch key {
                case "id": return .number(JSONNumber(uid))
                case "partner_id": return .number(JSONNumber(try await partnerID()))
                default: throw ORMError.value("Unknown user attribute \(key) in a record rule")
            }
            }
            if let name = object["var"]?.stringValue {
                return .array(try await ruleVariable(name).map { .number(JSONNumber($0)) })
            }
            return value
        default:
            return value
        }
    }

    private func partnerID() async throws -> Int64 {
        if let cached = transaction.partnerByUser[uid] { return cached }
        let result = try await transaction.read("SELECT partner_id FROM res_users WHERE id = \(uid)")
        let partner = try result.first?.decode(Int64.self, at: 0) ?? 0
        transaction.partnerByUser[uid] = partner
        return partner
    }

    /// A module-declared rule variable for this user, computed once per transaction.
    public func ruleVariable(_ name: String) async throws -> [Int64] {
        if let cached = transaction.ruleVariables[uid]?[name] { return cached }
        guard let variable = registry.ruleVariables[name] else {
            throw ORMError.value("Unknown record-rule variable \(name)")
        }
        let result = try await transaction.read(PostgresQuery(unsafeSQL: variable.sql, binds: [uid.postgresBind]))
        let values = try result.first?.decode([Int64].self, at: 0) ?? []
        transaction.ruleVariables[uid, default: [:]][name] = values
        return values
    }
}

extension AccessOperation {
    var verb: String {
        switch self {
        case .read: return "access"
        case .write: return "modify"
        case .create: return "create"
        case .unlink: return "delete"
        }
    }
}
