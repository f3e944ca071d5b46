import JSONRPC
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    @Test("parses every kind of value")
    func parsesValues() throws {
        let value = try JSONParser.parse(#" { "a" : [1, -2.5, true, false, null, "x", {}, []] } "#)
        #expect(value == ["a": [1, -2.5, true, false, nil, "x", [:], []]])
        #expect(try JSONParser.parse("0") == 0)
        #expect(try JSONParser.parse("\"\"") == "")
        #expect(try JSONParser.parse("\t\r\n null \n") == .null)
    }

    @Test("decodes every escape")
    func escapes() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAé€\u{00}"))
        #expect(try JSONParser.parse(#""abc\ndef""#) == "abc\ndef")
    }

    @Test("combines surrogate pairs")
    func surrogatePairs() throws {
        #expect(try JSONParser.parse(#""\uD83D\uDE00""#) == "😀")
        #expect(try JSONParser.parse(#""a\ud834\udd1eb""#) == "a𝄞b")
    }

    @Test("rejects lone surrogates", arguments: [
        #""\uD800""#, #""\uDC00""#, #""\uD800x""#, #""\uD800\u0041""#, #""\uD800\uD800""#, #""\uDFFF\uD800""#,
    ])
    func loneSurrogates(_ text: String) {
        #expect(parseError(text)?.kind == .syntax)
    }

    @Test("rejects invalid escapes", arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, #""\'""#, #""\"#])
    func invalidEscapes(_ text: String) {
        #expect(parseError(text)?.kind == .syntax)
    }

    @Test("rejects invalid UTF-8 in strings", arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE0, 0x80, 0xAF, 0x22],
        [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22],
        [0x22, 0xE2, 0x82, 0x22], [0x22, 0xE2, 0x82],
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect(parseError(bytes)?.kind == .invalidUTF8)
    }

    @Test("accepts valid multi-byte UTF-8")
    func validUTF8() throws {
        let text = "\"héllo 世界 😀 \u{10FFFF}\""
        #expect(try JSONParser.parse(Array(text.utf8)) == .string("héllo 世界 😀 \u{10FFFF}"))
    }

    @Test("rejects raw control characters in strings")
    func controlCharacters() {
        for byte in UInt8(0)..<0x20 {
            #expect(parseError([0x22, 0x61, byte, 0x22])?.kind == .syntax)
        }
        #expect(parseError("\"a\tb\"")?.message.hasPrefix("Invalid control character") == true)
    }

    @Test("rejects grammar violations", arguments: [
        "01", "-01", "00", "+1", "1.", ".5", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity", "-Infinity",
        "[1,]", "[1,,2]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']",
        "[1] // c", "/* c */ 1", "[1 2]", "{\"a\":1 \"b\":2}", "tru", "nul", "True", "[", "{", "\"abc",
        "[1]]", "{} x", "1 2", "\u{FEFF}1", "[1]\u{00}", "\u{0B}1",
    ])
    func grammarViolations(_ text: String) {
        let error = parseError(text)
        #expect(error?.kind == .syntax, "\(text): \(String(describing: error))")
    }

    @Test("reports Python-style positions")
    func messages() {
        #expect(parseError("")?.message == "Expecting value: line 1 column 1 (char 0)")
        #expect(parseError("")?.kind == .empty)
        #expect(parseError("   ")?.kind == .empty)
        #expect(parseError("garbage")?.message == "Expecting value: line 1 column 1 (char 0)")
        #expect(parseError("[1]\n x")?.message == "Extra data: line 2 column 2 (char 5)")
        #expect(parseError("[1]\n x")?.offset == 5)
        #expect(parseError("{\"a\" 1}")?.message == "Expecting ':' delimiter: line 1 column 6 (char 5)")
    }

    @Test("rejects duplicate keys with a distinct kind")
    func duplicateKeys() {
        let error = parseError(#"{"a":1,"b":2,"a":3}"#)
        #expect(error?.kind == .duplicateKey)
        #expect(error?.offset == 13)
        #expect(parseError(#"[{"x":{"k":1,"k":1}}]"#)?.kind == .duplicateKey)
        // Escaped and raw spellings of the same key are duplicates.
        #expect(parseError(#"{"a":1,"\u0061":2}"#)?.kind == .duplicateKey)
        // Same key in sibling objects is fine.
        #expect((try? JSONParser.parse(#"[{"a":1},{"a":2}]"#)) != nil)
    }

    @Test("detects duplicates in large objects")
    func duplicateKeysLarge() throws {
        let members = (0..<5_000).map { "\"k\($0)\":\($0)" }
        let ok = try JSONParser.parse("{" + members.joined(separator: ",") + "}")
        #expect(ok.objectValue?.count == 5_000)
        #expect(ok["k4999"] == 4999)
        let dup = "{" + (members + ["\"k17\":0"]).joined(separator: ",") + "}"
        #expect(parseError(dup)?.kind == .duplicateKey)
    }

    @Test("fails fast on 100 000 nested brackets")
    func deepNesting() {
        let clock = ContinuousClock()
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let start = clock.now
        let error = parseError(bytes)
        let elapsed = clock.now - start
        #expect(error?.kind == .depthLimit)
        #expect(elapsed < .milliseconds(100))
        let objects = String(repeating: "{\"a\":", count: 100_000)
        #expect(parseError(objects)?.kind == .depthLimit)
    }

    @Test("honours maxDepth exactly")
    func depthBoundary() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(try JSONParser.parse(ok).arrayValue != nil)
        let tooDeep = "[" + ok + "]"
        #expect(parseError(tooDeep)?.kind == .depthLimit)
        let limits = JSONParser.Limits(maxDepth: 2)
        #expect(try JSONParser.parse("[[1]]", limits: limits) == [[1]])
        #expect(parseError("[[[1]]]", limits: limits)?.kind == .depthLimit)
        #expect(parseError("[{\"a\":[]}]", limits: limits)?.kind == .depthLimit)
    }

    @Test("honours maxStringLength")
    func stringLimit() throws {
        let limits = JSONParser.Limits(maxStringLength: 3)
        #expect(try JSONParser.parse("[\"abc\"]", limits: limits) == ["abc"])
        #expect(parseError("[\"abcd\"]", limits: limits)?.kind == .syntax)
        #expect(parseError("{\"abcd\":1}", limits: limits)?.kind == .syntax)
        #expect(parseError(#"["ab\ncd"]"#, limits: limits)?.kind == .syntax)
    }

    @Test("parses from raw buffers, arrays and strings alike")
    func entryPoints() throws {
        let text = #"{"k":[1,"é"]}"#
        let bytes = Array(text.utf8)
        let fromRaw = try bytes.withUnsafeBytes { raw in try JSONParser.parse(raw) }
        #expect(fromRaw == (try JSONParser.parse(bytes)))
        #expect(fromRaw == (try JSONParser.parse(text)))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(UnsafeRawBufferPointer(start: nil, count: 0)) }
    }
}
