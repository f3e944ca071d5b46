import JSONRPC
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("writes compact output")
    func compact() {
        let value: JSONValue = ["a": [1, 2.5, true, false, nil], "b": "x", "c": [:], "d": []]
        #expect(value.jsonString == #"{"a":[1,2.5,true,false,null],"b":"x","c":{},"d":[]}"#)
        #expect(String(decoding: value.serialized(), as: UTF8.self) == value.jsonString)
        #expect(value.description == value.jsonString)
    }

    @Test("preserves key order")
    func keyOrder() throws {
        let text = #"{"zeta":1,"alpha":2,"mid":{"y":1,"b":2,"x":3},"beta":4}"#
        let value = try JSONParser.parse(text)
        #expect(value.jsonString == text)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid", "beta"])
        var object = JSONObject()
        object["z"] = 1
        object["a"] = 2
        object["z"] = 3
        #expect(JSONValue.object(object).jsonString == #"{"z":3,"a":2}"#)
    }

    @Test("escapes quotes, backslashes and control characters")
    func escapes() throws {
        let value = JSONValue.string("q\"b\\n\nt\tr\rb\u{08}f\u{0C}z\u{00}o\u{1F}/\u{7F}")
        #expect(value.jsonString == #""q\"b\\n\nt\tr\rb\bf\fz\u0000o\u001f/\#u{7F}""#)
        let all = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        #expect(try JSONParser.parse(JSONValue.string(all).serialized()) == .string(all))
    }

    @Test("keeps non-ASCII as raw UTF-8")
    func nonASCII() {
        let value = JSONValue.string("é世界😀\u{2028}")
        #expect(value.serialized() == Array("\"é世界😀\u{2028}\"".utf8))
        let key: JSONValue = ["ключ": "значение"]
        #expect(key.jsonString == #"{"ключ":"значение"}"#)
    }

    @Test("round-trips numbers digit for digit", arguments: [
        "9007199254740993", "123456789012345678901234567890", "-0.5e-3", "-0", "0", "1.0", "1E+2", "1e-07",
        "-123456789012345678901234567890.000000000000000000001", "18446744073709551616", "-9223372036854775809",
    ])
    func numberRoundTrip(_ literal: String) throws {
        let value = try JSONParser.parse(literal)
        #expect(value.numberValue?.literal == literal)
        #expect(value.jsonString == literal)
        #expect(try JSONParser.parse("[\(literal)]").jsonString == "[\(literal)]")
    }

    @Test("round-trips documents")
    func documentRoundTrip() throws {
        let texts = [
            #"{"jsonrpc":"2.0","method":"subtract","params":{"subtrahend":23,"minuend":42},"id":3}"#,
            #"[1,"two",{"three":[3,{"four":null}]},true,false,-0.0,"\u0000\"\\\n"]"#,
            #"{"":"","é":"😀","nested":[[[[]]]],"big":100000000000000000000000000000001}"#,
        ]
        for text in texts {
            let value = try JSONParser.parse(text)
            let written = value.serialized()
            #expect(try JSONParser.parse(written) == value)
            #expect(try JSONParser.parse(written).serialized() == written)
        }
    }

    @Test("writes long strings with sparse escapes correctly")
    func longStrings() throws {
        var s = ""
        for i in 0..<2_000 { s += i % 97 == 0 ? "\"\n" : "abcé" }
        let value = JSONValue.string(s)
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test("appends into an existing buffer")
    func writeInto() {
        var buffer = Array("prefix:".utf8)
        JSONValue.array([1, "a"]).write(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:[1,"a"]"#)
    }
}
