import JSONRPC
import ORM
import Testing

@Suite("Domain parsing: Odoo's error shapes")
struct DomainParsingTests {
    func error(_ json: String) -> ORMError? {
        do {
            let domain = try Domain(json: try JSONParser.parse(json))
            var writer = SQLWriter()
            try DomainCompiler(registry: TestModels.registry).compile(
                domain, model: TestModels.partner, alias: "res_partner", into: &writer)
            return nil
        } catch let error as ORMError {
            return error
        } catch {
            return nil
        }
    }

    // The messages of ../shared/spec/odoo18-captures/07*.
    @Test func badOperator() {
        let error = error(#"[["name", "bogus_op", "x"]]"#)
        #expect(error?.kind == .valueError)
        #expect(error?.message == "Invalid leaf ('name', 'bogus_op', 'x')")
    }

    @Test func shortLeaf() {
        let error = error(#"[["name", "="]]"#)
        #expect(error?.kind == .valueError)
        #expect(error?.message == "not enough values to unpack (expected 3, got 2)")
        #expect(self.error(#"[["name", "=", 1, 2]]"#)?.message == "too many values to unpack (expected 3)")
    }

    @Test func notAList() {
        let error = error(#""name = x""#)
        #expect(error?.kind == .assertionError)
        #expect(error?.message == "Domains to normalize must have a 'domain' form: a list or tuple of domain components")
    }

    @Test func unknownField() {
        let error = error(#"[["no_such_field", "=", 1]]"#)
        #expect(error?.kind == .valueError)
        #expect(error?.message == "Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)")
        #expect(self.error(#"[["parent_id.nope", "=", 1]]"#)?.message == "Invalid field res.partner.nope in leaf ('nope', '=', 1)")
    }

    @Test func malformedOperatorsAndValues() {
        #expect(error(#"["|", ["name", "=", "a"]]"#)?.kind == .valueError)
        #expect(error(#"["!"]"#)?.kind == .valueError)
        #expect(error(#"[42]"#)?.kind == .valueError)
        #expect(error(#"[["color", "=", "abc"]]"#)?.kind == .valueError)
        #expect(error(#"[["birthday", "=", "tomorrow"]]"#)?.kind == .valueError)
        #expect(error(#"[["name", "any", []]]"#)?.kind == .valueError)
        #expect(error(#"[["email", "child_of", 1]]"#)?.kind == .valueError)
        #expect(error(#"[["name.x", "=", 1]]"#)?.kind == .valueError)
    }

    @Test func pythonReprOfValues() {
        #expect(error(#"[["name", "nope", [1, true, null, "it's"]]]"#)?.message == #"Invalid leaf ('name', 'nope', [1, True, None, "it's"])"#)
    }
}
