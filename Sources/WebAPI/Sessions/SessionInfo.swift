import Identity
import JSONRPC
import ORM

/// Builds Odoo 18's `session_info` object (the answer of `authenticate` and `get_session_info`).
enum SessionInfo {
    static func json(profile: UserAccounts.Profile, call: JSONCall) -> JSONValue {
        let uid = JSONValue.number(JSONNumber(profile.uid))
        let isSystem = profile.groups.contains(UserAccounts.GroupID.system)
        let isAdmin = isSystem || profile.groups.contains(UserAccounts.GroupID.accessRights)
        let isInternal = profile.groups.contains(UserAccounts.GroupID.user)
        let userContext: JSONValue = [
            "lang": .string(profile.lang), "tz": profile.tz.map(JSONValue.string) ?? false, "uid": uid,
        ]
        let host = call.authority ?? "localhost:8069"
        var info = JSONObject()
        info.append("uid", uid)
        info.append("is_system", .bool(isSystem))
        info.append("is_admin", .bool(isAdmin))
        info.append("is_public", false)
        info.append("is_internal_user", .bool(isInternal))
        info.append("user_context", userContext)
        info.append("db", .string(call.services.settings.databaseName))
        info.append("user_settings", ["id": uid, "user_id": ["id": uid]])
        info.append("server_version", ServerVersion.info["server_version"]!)
        info.append("server_version_info", ServerVersion.info["server_version_info"]!)
        info.append("support_url", "https://www.woowtech.io/support")
        info.append("name", .string(profile.name))
        info.append("username", .string(profile.login))
        info.append("partner_write_date", .string(profile.partnerWriteDate))
        info.append("partner_display_name", .string(profile.partnerDisplayName))
        info.append("partner_id", .number(JSONNumber(profile.partnerID)))
        info.append("web.base.url", .string("http://" + host))
        info.append("active_ids_limit", 20000)
        info.append("profile_session", nil)
        info.append("profile_collectors", nil)
        info.append("profile_params", nil)
        info.append("max_file_upload_size", .number(JSONNumber(call.services.settings.maxBodySize)))
        info.append("home_action_id", false)
        info.append("cache_hashes", ["translations": nil, "load_menus": nil])
        info.append("currencies", ["1": ["symbol": "$", "position": "before", "digits": [69, 2]]])
        info.append("bundle_params", ["lang": .string(profile.lang)])
        info.append("test_mode", false)
        info.append("view_info", [:])
        // Woow has a single company (res.company 1); Odoo clients expect it described here.
        let company = JSONValue.number(JSONNumber(CompanyModels.mainCompanyID))
        info.append(
            "user_companies",
            [
                "current_company": company,
                "allowed_companies": [
                    String(CompanyModels.mainCompanyID): [
                        "id": company, "name": .string(CompanyModels.mainCompanyName), "sequence": 0, "child_ids": [],
                        "parent_id": false,
                    ]
                ],
                "disallowed_ancestor_companies": [:],
            ])
        info.append("show_effect", true)
        info.append("display_switch_company_menu", false)
        return .object(info)
    }
}
