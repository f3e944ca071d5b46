import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONRPC
import NIOCore
import PostgresDriver
import Testing
import TestSupport

/// XML-RPC at `/xmlrpc/2/<service>` and the legacy `/xmlrpc/<service>` (odoo-protocol §3.4):
/// the services, the wire types, Odoo's fault codes, and a body reader that refuses DTDs,
/// bounds nesting and size, and never answers a 500.
@Suite("XML-RPC: services, types, faults and safe parsing")
struct XMLRPCTests {
    static let versionStruct: XMLRPCValue = .structure([
        "server_version": .string("18.0"),
        "server_version_info": .array([.int(18), .int(0), .int(0), .string("final"), .int(0), .string("")]),
        "server_serie": .string("18.0"),
        "protocol_version": .int(1),
    ])

    static func adminID(_ app: TestApp) async throws -> Int64 {
        try await app.client.query("SELECT id FROM res_users WHERE login = 'admin'")[0].decode(Int64.self, at: 0)
    }

    /// The arguments of `execute_kw` as admin.
    static func adminCall(_ app: TestApp, uid: Int64, _ model: String, _ method: String, _ args: JSONValue, _ kwargs: JSONValue? = nil)
        -> [JSONValue]
    {
        var params: [JSONValue] = [
            .string(app.database.name), .number(JSONNumber(uid)), "admin", .string(model), .string(method), args,
        ]
        if let kwargs { params.append(kwargs) }
        return params
    }

    // MARK: Services and types

    @Test(arguments: ["/xmlrpc/2/common", "/xmlrpc/common"])
    func commonVersionLoginAndAuthenticate(_ path: String) async throws {
        let app = try await TestApp.make("xmlcommon")
        let uid = try await Self.adminID(app)
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.router) { client in
            let version = try await client.xmlrpc(path, "version")
            #expect(version.value == Self.versionStruct, "\(version)")
            #expect(try await client.xmlrpc(path, "login", [db, "admin", "admin"]).value == .int(uid))
            // Bad credentials are `False`, not a fault.
            #expect(try await client.xmlrpc(path, "login", [db, "admin", "wrong"]).value == .boolean(false))
            #expect(try await client.xmlrpc(path, "login", ["no_such_db", "admin", "admin"]).value == .boolean(false))
            #expect(try await client.xmlrpc(path, "authenticate", [db, "admin", "admin", [:]]).value == .int(uid))
            #expect(try await client.xmlrpc(path, "authenticate", [db, "admin", "nope", [:]]).value == .boolean(false))
            #expect(try await client.xmlrpc(path, "about").value?.stringValue?.isEmpty == false)
        }
        await app.shutdown()
    }

    @Test func executeKWAnswersEveryWireType() async throws {
        let app = try await TestApp.make("xmltypes")
        let uid = try await Self.adminID(app)
        let companies = try await app.client.query("SELECT count(*) FROM res_partner WHERE is_company AND active")[0]
            .decode(Int64.self, at: 0)
        try await app.application().test(.router) { client in
            func call(_ method: String, _ args: JSONValue, _ kwargs: JSONValue? = nil) async throws -> XMLRPCValue {
                let answer = try await client.xmlrpc(
                    "/xmlrpc/2/object", "execute_kw", Self.adminCall(app, uid: uid, "res.partner", method, args, kwargs))
                return try #require(answer.value, "\(method): \(answer)")
            }
            // int
            #expect(try await call("search_count", [[["is_company", "=", true]]]) == .int(companies))
            // create(struct) → int; create(array of structs) → array of ints.
            let company = try #require(
                try await call("create", [["name": "XML Company", "is_company": true, "email": "xml@example.com"]]).intValue)
            let people = try await call(
                "create", [[["name": "XML Person A", "parent_id": .number(JSONNumber(company))], ["name": "XML Person B"]]])
            let personItems = try #require(people.arrayValue, "\(people)")
            let personIDs = personItems.compactMap(\.intValue)
            #expect(personIDs.count == 2)
            // read: array of struct, with string, boolean, false for empty values, many2one as [int, string].
            let read = try await call(
                "read", [[.number(JSONNumber(company)), .number(JSONNumber(personIDs[0]))]],
                ["fields": ["name", "is_company", "email", "phone", "parent_id"]])
            let rows = try #require(read.arrayValue)
            #expect(rows.count == 2)
            let companyRow = try #require(rows.first { $0["id"] == .int(company) })
            #expect(
                companyRow
                    == .structure([
                        "id": .int(company), "name": .string("XML Company"), "is_company": .boolean(true),
                        "email": .string("xml@example.com"), "phone": .boolean(false), "parent_id": .boolean(false),
                    ]))
            let personRow = try #require(rows.first { $0["id"] == .int(personIDs[0]) })
            #expect(personRow["is_company"] == .boolean(false))
            #expect(personRow["parent_id"] == .array([.int(company), .string("XML Company")]))
            // write → boolean true.
            #expect(try await call("write", [[.number(JSONNumber(personIDs[1]))], ["city": "Liège"]]) == .boolean(true))
            // double: the average of two consecutive ids is a fraction.
            let groups = try await call(
                "read_group", [[["id", "in", [.number(JSONNumber(personIDs[0])), .number(JSONNumber(personIDs[1]))]]]],
                ["fields": ["id_avg:avg(id)"], "groupby": ["is_company"]])
            let average = try #require(groups.arrayValue?.first?["id_avg"])
            #expect(average == .double(Double(personIDs[0] + personIDs[1]) / 2), "\(groups)")
            // nil: check_access returns None.
            #expect(try await call("check_access", [[.number(JSONNumber(company))], "read"]) == .nil)
            // A `<nil/>` argument is an absent one (fields = None → every field).
            let withNil = try await call("search_read", [[["id", "=", .number(JSONNumber(company))]], .null, 0, 1])
            #expect(withNil[0]?["name"] == .string("XML Company"))
            #expect((withNil[0]?.structValue?.count ?? 0) > 5)
        }
        let city = try await app.client.query("SELECT city FROM res_partner WHERE name = 'XML Person B'")
        #expect(try city.first?.decode(String?.self, at: 0) == "Liège")
        await app.shutdown()
    }

    @Test func xmlRPCVariantsOfTheWireFormatAreRead() async throws {
        let app = try await TestApp.make("xmlvariants")
        let uid = try await Self.adminID(app)
        try await app.application().test(.router) { client in
            // <i4>, an untyped <value> (a string), whitespace, a comment and a CDATA section.
            let body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a client comment -->
                <methodCall>
                  <methodName> execute_kw </methodName>
                  <params>
                    <param><value>\(app.database.name)</value></param>
                    <param><value><i4> \(uid) </i4></value></param>
                    <param><value><![CDATA[admin]]></value></param>
                    <param><value><string>res.users</string></value></param>
                    <param><value><string>search_count</string></value></param>
                    <param><value><array><data>
                      <value><array><data>
                        <value><array><data>
                          <value><string>id</string></value><value><string>=</string></value><value><i8>\(uid)</i8></value>
                        </data></array></value>
                      </data></array></value>
                    </data></array></value></param>
                  </params>
                </methodCall>
                """
            let answer = try expectXMLRPCAnswer(try await client.postXML("/xmlrpc/2/object", body))
            #expect(answer.value == .int(1), "\(answer)")
        }
        await app.shutdown()
    }

    @Test func databaseService() async throws {
        let app = try await TestApp.make("xmldb")
        let db = JSONValue.string(app.database.name)
        try await app.application().test(.router) { client in
            let list = try await client.xmlrpc("/xmlrpc/2/db", "list")
            #expect(list.value == .array([.string(app.database.name)]), "\(list)")
            #expect(try await client.xmlrpc("/xmlrpc/2/db", "server_version").value == .string("18.0"))
            #expect(try await client.xmlrpc("/xmlrpc/2/db", "db_exist", [db]).value == .boolean(true))
            let drop = try await client.xmlrpc("/xmlrpc/2/db", "drop", ["admin", db])
            #expect(drop.faultCode == .int(3), "\(drop)")
            #expect(try await client.xmlrpc("/xmlrpc/db", "drop", ["admin", db]).faultCode == .string("AccessDenied"))
        }
        await app.shutdown()
    }

    // MARK: Faults

    @Test func faultCodesOnXMLRPC2() async throws {
        let app = try await TestApp.make("xmlfaults")
        let uid = try await Self.adminID(app)
        let before = try await app.client.query("SELECT count(*) FROM res_partner")[0].decode(Int64.self, at: 0)
        try await app.application().test(.router) { client in
            var badPassword = Self.adminCall(app, uid: uid, "res.partner", "search_count", [[]])
            badPassword[2] = "wrong"
            let denied = try await client.xmlrpc("/xmlrpc/2/object", "execute_kw", badPassword)
            #expect(denied.faultCode == .int(3), "\(denied)")
            #expect(denied.faultString == "Access Denied")

            let invalid = try await client.xmlrpc(
                "/xmlrpc/2/object", "execute_kw",
                Self.adminCall(app, uid: uid, "res.partner", "create", [["email": "nameless@example.com"]]))
            #expect(invalid.faultCode == .int(2), "\(invalid)")
            #expect(invalid.faultString?.hasPrefix("odoo.exceptions.ValidationError: ") == true, "\(invalid)")

            let noMethod = try await client.xmlrpc(
                "/xmlrpc/2/object", "execute_kw", Self.adminCall(app, uid: uid, "res.partner", "no_such_method", []))
            #expect(noMethod.faultCode == .int(1), "\(noMethod)")
            #expect(
                noMethod.faultString
                    == "builtins.AttributeError: The method 'no_such_method' does not exist on the model 'res.partner'")

            let privateMethod = try await client.xmlrpc(
                "/xmlrpc/2/object", "execute_kw",
                Self.adminCall(app, uid: uid, "res.partner", "_compute_display_name", [[1]]))
            #expect(privateMethod.faultCode == .int(4), "\(privateMethod)")

            let noModel = try await client.xmlrpc(
                "/xmlrpc/2/object", "execute_kw", Self.adminCall(app, uid: uid, "no.such.model", "search", [[]]))
            #expect(noModel.faultCode == .int(2), "\(noModel)")
            #expect(noModel.faultString == "odoo.exceptions.UserError: Object no.such.model doesn't exist")

            let noCommonMethod = try await client.xmlrpc("/xmlrpc/2/common", "no_such_method")
            #expect(noCommonMethod.faultCode == .int(1), "\(noCommonMethod)")

            for answer in [denied, invalid, noMethod, privateMethod, noModel, noCommonMethod] {
                let text = try #require(answer.faultString)
                for forbidden in ["Traceback", ".swift", "/work"] { #expect(!text.contains(forbidden), "\(text)") }
            }
        }
        let after = try await app.client.query("SELECT count(*) FROM res_partner")[0].decode(Int64.self, at: 0)
        #expect(after == before)
        await app.shutdown()
    }

    @Test func legacyRoutesUseStringFaultCodes() async throws {
        let app = try await TestApp.make("xmllegacy")
        let uid = try await Self.adminID(app)
        try await app.application().test(.router) { client in
            var badPassword = Self.adminCall(app, uid: uid, "res.partner", "search_count", [[]])
            badPassword[2] = "wrong"
            let denied = try await client.xmlrpc("/xmlrpc/object", "execute_kw", badPassword)
            #expect(denied.faultCode == .string("AccessDenied"), "\(denied)")

            let noModel = try await client.xmlrpc(
                "/xmlrpc/object", "execute_kw", Self.adminCall(app, uid: uid, "no.such.model", "search", [[]]))
            #expect(noModel.faultCode == .string("warning -- UserError\n\nObject no.such.model doesn't exist"), "\(noModel)")

            let invalid = try await client.xmlrpc(
                "/xmlrpc/object", "execute_kw", Self.adminCall(app, uid: uid, "res.partner", "create", [["email": "x@example.com"]]))
            #expect(invalid.faultCode?.stringValue?.hasPrefix("warning -- ValidationError\n\n") == true, "\(invalid)")

            // And the legacy object route works with good credentials.
            let count = try await client.xmlrpc(
                "/xmlrpc/object", "execute_kw", Self.adminCall(app, uid: uid, "res.users", "search_count", [[["login", "=", "admin"]]]))
            #expect(count.value == .int(1), "\(count)")
        }
        await app.shutdown()
    }

    // MARK: Safe parsing

    static let hostileDocuments: [String] = [
        // Billion laughs.
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <methodCall><methodName>login</methodName><params>
        <param><value><string>&lol9;</string></value></param>
        <param><value><string>&lol9;</string></value></param>
        <param><value><string>&lol9;</string></value></param>
        </params></methodCall>
        """,
        // An external entity.
        """
        <?xml version="1.0"?>
        <!DOCTYPE methodCall [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <methodCall><methodName>login</methodName><params>
        <param><value><string>&xxe;</string></value></param>
        <param><value><string>&xxe;</string></value></param>
        <param><value><string>&xxe;</string></value></param>
        </params></methodCall>
        """,
        // A parameter entity pulling an external DTD.
        """
        <!DOCTYPE methodCall [ <!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote; ]>
        <methodCall><methodName>version</methodName></methodCall>
        """,
        // An external DTD subset, no internal one.
        """
        <?xml version="1.0"?><!DOCTYPE methodCall SYSTEM "file:///etc/passwd"><methodCall><methodName>version</methodName></methodCall>
        """,
        // A declaration inside the document.
        """
        <methodCall><!ENTITY xxe SYSTEM "file:///etc/passwd"><methodName>version</methodName></methodCall>
        """,
        // A DOCTYPE after a comment.
        """
        <!-- hi --><!DOCTYPE x><methodCall><methodName>version</methodName></methodCall>
        """,
        // An entity that was never declared.
        """
        <methodCall><methodName>login</methodName><params><param><value><string>&xxe;</string></value></param></params></methodCall>
        """,
    ]

    @Test(arguments: hostileDocuments.indices)
    func documentTypeDeclarationsAndEntitiesAreRefused(_ index: Int) async throws {
        let app = try await TestApp.make("xmldtd", seedDemo: false)
        try await app.application().test(.router) { client in
            for path in ["/xmlrpc/2/common", "/xmlrpc/common"] {
                let response = try await client.postXML(path, Self.hostileDocuments[index])
                let answer = try expectXMLRPCAnswer(response)
                #expect(answer.faultCode != nil, "refused with a fault: \(answer)")
                #expect(answer.faultCode == (path == "/xmlrpc/2/common" ? .int(1) : .string("1")))
                let text = String(buffer: response.body)
                #expect(response.body.readableBytes < 2048, "nothing was expanded (\(response.body.readableBytes) bytes)")
                #expect(!text.contains("lollol"))
                #expect(!text.contains("root:"))
            }
            // The server is fine afterwards.
            #expect(try await client.xmlrpc("/xmlrpc/2/common", "version").value == Self.versionStruct)
        }
        await app.shutdown()
    }

    @Test func deepNestingIsRefusedWithoutACrash() async throws {
        let app = try await TestApp.make("xmldeep", seedDemo: false)
        try await app.application().test(.router) { client in
            let depth = 10_000
            let open = String(repeating: "<value><array><data>", count: depth)
            let close = String(repeating: "</data></array></value>", count: depth)
            let prefix = "<?xml version='1.0'?><methodCall><methodName>version</methodName><params><param>"
            let suffix = "</param></params></methodCall>"
            for body in [prefix + open + close + suffix, prefix + open + suffix, prefix + open] {
                let answer = try expectXMLRPCAnswer(try await client.postXML("/xmlrpc/2/common", body))
                #expect(answer.faultCode == .int(1), "\(answer)")
                #expect(answer.faultString?.contains("Invalid XML-RPC request") == true, "\(answer)")
            }
            // Reasonable nesting (eight arrays, as a nested domain might have) is fine.
            var nested: JSONValue = "leaf"
            for _ in 0..<8 { nested = [nested] }
            #expect(try await client.xmlrpc("/xmlrpc/2/common", "version", [nested]).value == Self.versionStruct)
        }
        await app.shutdown()
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        let app = try await TestApp.make("xmlbig", seedDemo: false) { $0.maxBodySize = 4096 }
        try await app.application().test(.router) { client in
            let big = XMLRPCTestCodec.call("version", [.string(String(repeating: "x", count: 8192))])
            for path in ["/xmlrpc/2/common", "/xmlrpc/2/object", "/xmlrpc/common"] {
                let response = try await client.postXML(path, big)
                #expect(response.status == .contentTooLarge, "\(path): \(response.status)")
            }
            // Under the limit, the same route answers.
            let small = XMLRPCTestCodec.call("version", [.string(String(repeating: "x", count: 1024))])
            let answer = try expectXMLRPCAnswer(try await client.postXML("/xmlrpc/2/common", small))
            #expect(answer.value == Self.versionStruct)
        }
        await app.shutdown()
    }

    static let malformedBodies: [[UInt8]] = [
        "", "not xml at all", "<methodCall>", "<methodCall><methodName>version</methodName>",
        "<methodCall><methodName>version</methodName></methodcall>",
        "<methodCall><methodName>version</methodName></methodCall><extra/>",
        "<methodResponse><params/></methodResponse>", "<methodCall><params/></methodCall>",
        "<methodCall><methodName></methodName></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><int>abc</int></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><int>1.5</int></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><boolean>2</boolean></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><double>NaN</double></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><blob>1</blob></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><struct><member><value><int>1</int></value></member></struct></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><string>&#xD800;</string></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><string>&#99999999999;</string></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><string>&amp</string></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><string><![CDATA[x</string></value></param></params></methodCall>",
        "<methodCall><methodName>login</methodName><params><param><value><string a=\"unterminated></string></value></param></params></methodCall>",
        "<?xml version='1.0'",
        "<!-- unterminated",
    ].map { Array($0.utf8) } + [
        // Invalid UTF-8 in a string.
        Array("<methodCall><methodName>login</methodName><params><param><value><string>".utf8) + [0xFF, 0xFE, 0xC3]
            + Array("</string></value></param></params></methodCall>".utf8)
    ]

    @Test(arguments: malformedBodies.indices)
    func malformedXMLIsAFaultNotA500(_ index: Int) async throws {
        let app = try await TestApp.make("xmlmalformed", seedDemo: false)
        try await app.application().test(.router) { client in
            for path in ["/xmlrpc/2/common", "/xmlrpc/2/object", "/xmlrpc/2/db"] {
                let response = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "text/xml"],
                    body: ByteBuffer(bytes: Self.malformedBodies[index]))
                let answer = try expectXMLRPCAnswer(response)
                #expect(answer.faultCode == .int(1), "\(path): \(answer)")
                #expect(answer.faultString?.hasPrefix("Invalid XML-RPC request") == true, "\(path): \(answer)")
            }
        }
        await app.shutdown()
    }

    @Test func entitiesAndCDATADecodeAndEncodeBack() async throws {
        let app = try await TestApp.make("xmlentities")
        let uid = try await Self.adminID(app)
        let expected = "a<b&c> été 😀 \"q\" 'é' <raw & text>"
        try await app.application().test(.router) { client in
            let placeholder = "__RAW_NAME__"
            let template = XMLRPCTestCodec.call(
                "execute_kw", Self.adminCall(app, uid: uid, "res.partner", "create", [["name": .string(placeholder)]]))
            let raw = "a&lt;b&amp;c&gt; &#233;t&#xE9; &#x1F600; &quot;q&quot; &apos;&#xe9;&apos; <![CDATA[<raw & text>]]>"
            let body = template.replacingOccurrences(of: placeholder, with: raw)
            #expect(body.contains(raw))
            let created = try expectXMLRPCAnswer(try await client.postXML("/xmlrpc/2/object", body))
            let id = try #require(created.value?.intValue, "\(created)")
            let stored = try await app.client.query("SELECT name FROM res_partner WHERE id = \(id)")
            #expect(try stored[0].decode(String.self, at: 0) == expected)
            // Read back: escaped on the way out, so the client decodes the same text.
            let response = try await client.postXML(
                "/xmlrpc/2/object",
                XMLRPCTestCodec.call(
                    "execute_kw",
                    Self.adminCall(app, uid: uid, "res.partner", "read", [[.number(JSONNumber(id))]], ["fields": ["name"]])))
            let text = String(buffer: response.body)
            #expect(!text.contains("a<b"), "markup characters are escaped: \(text)")
            let read = try expectXMLRPCAnswer(response)
            #expect(read.value?[0]?["name"] == .string(expected), "\(read)")
        }
        await app.shutdown()
    }

    @Test(arguments: ["/xmlrpc/2/common", "/xmlrpc/2/object", "/xmlrpc/2/db", "/xmlrpc/common", "/xmlrpc/object"])
    func getIsNotServed(_ path: String) async throws {
        let app = try await TestApp.make("xmlget", seedDemo: false)
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status != .ok)
            #expect(response.status.code >= 400 && response.status.code < 500, "\(response.status)")
        }
        await app.shutdown()
    }
}
