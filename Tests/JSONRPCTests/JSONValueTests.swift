import JSONRPC
import Testing

@Suite("JSONValue, JSONNumber and JSONObject")
struct JSONValueTests {
    @Test("literals and convenience initialisers")
    func literals() {
        #expect(JSONValue(nilLiteral: ()) == .null)
        #expect(JSONValue(5) == 5)
        #expect(JSONValue("s") == "s")
        #expect(JSONValue(true) == true)
        #expect(JSONValue(2.5) == .number(JSONNumber(2.5)))
        let array: JSONValue = [1, "a", nil]
        #expect(array == .array([.number(JSONNumber(1)), .string("a"), .null]))
    }

    @Test("typed accessors")
    func accessors() throws {
        let value = try JSONParser.parse(
            #"{"s":"x","b":true,"i":42,"f":1.5,"big":9223372036854775808,"n":null,"a":[1,2],"o":{"k":1}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["i"]?.intValue == 42)
        #expect(value["i"]?.int64Value == 42)
        #expect(value["i"]?.doubleValue == 42)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 1.5)
        #expect(value["big"]?.intValue == nil)
        #expect(value["big"]?.int64Value == nil)
        #expect(value["n"]?.isNull == true)
        #expect(value["a"]?.arrayValue == [1, 2])
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["o"]?.objectValue?["k"] == 1)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["s"]?["k"] == nil)
        #expect(value[0] == nil)
    }

    @Test("number grammar validation")
    func numberLiteral() {
        for good in ["0", "-0", "12", "-1.5", "1e9", "1E-9", "2.5e+3", "123456789012345678901234567890"] {
            #expect(JSONNumber(literal: good)?.literal == good)
        }
        for bad in ["", "01", "+1", "1.", ".1", "1e", "NaN", "inf", " 1", "1 ", "0x1", "1_000", "--1"] {
            #expect(JSONNumber(literal: bad) == nil, "\(bad)")
        }
    }

    @Test("exact integer conversion")
    func integerConversion() {
        #expect(JSONNumber(literal: "9223372036854775807")?.int64Value == .max)
        #expect(JSONNumber(literal: "-9223372036854775808")?.int64Value == .min)
        #expect(JSONNumber(literal: "9223372036854775808")?.int64Value == nil)
        #expect(JSONNumber(literal: "-9223372036854775809")?.int64Value == nil)
        #expect(JSONNumber(literal: "9007199254740993")?.int64Value == 9_007_199_254_740_993)
        #expect(JSONNumber(literal: "1e3")?.int64Value == 1000)
        #expect(JSONNumber(literal: "0e999999")?.int64Value == 0)
        #expect(JSONNumber(literal: "1e19")?.int64Value == nil)
        #expect(JSONNumber(literal: "1.0")?.int64Value == nil)
        #expect(JSONNumber(literal: "1.5e1")?.int64Value == nil)
        #expect(JSONNumber(literal: "10e-1")?.int64Value == nil)
        #expect(JSONNumber(literal: "-0")?.int64Value == 0)
        #expect(JSONNumber(literal: "12")?.isInteger == true)
        #expect(JSONNumber(literal: "1e3")?.isInteger == true)
        #expect(JSONNumber(literal: "1.0")?.isInteger == false)
        #expect(JSONNumber(literal: "1e-1")?.isInteger == false)
        #expect(JSONNumber(literal: "123456789012345678901234567890")?.isInteger == true)
        #expect(JSONNumber(literal: "-0.5e-3")?.doubleValue == -0.0005)
        #expect(JSONNumber(Int64.min).int64Value == .min)
        #expect(JSONNumber(-7).intValue == -7)
    }

    @Test("doubles are written re-parseably")
    func doubles() throws {
        for d in [2.0, 0.1, -0.0, 1e20, 1e-7, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 123456.789] {
            let n = JSONNumber(d)
            #expect(JSONNumber(literal: n.literal) != nil, "\(n.literal)")
            #expect(try JSONParser.parse(n.literal).doubleValue == d)
        }
        #expect(JSONNumber(2.0).literal == "2.0")
    }

    @Test("numbers compare by literal text")
    func numberEquality() {
        #expect(JSONNumber(literal: "1") != JSONNumber(literal: "1.0"))
        #expect(JSONNumber(literal: "1") == JSONNumber(1))
        #expect(Set([JSONNumber(literal: "1"), JSONNumber(literal: "1.0"), JSONNumber(1)]).count == 2)
    }

    @Test("objects: ordered, mutable, semantic equality")
    func objects() {
        var object: JSONObject = ["b": 1, "a": 2]
        #expect(object.keys == ["b", "a"])
        #expect(object.count == 2 && !object.isEmpty)
        object["c"] = 3
        object["b"] = 10
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["b"] == 10)
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["a"] == nil)
        object.append("d", 4)
        #expect(Array(object.map(\.key)) == ["b", "c", "d"])
        let reordered = JSONObject([("d", 4), ("c", 3), ("b", 10)])
        #expect(object == reordered)
        #expect(object.hashValue == reordered.hashValue)
        #expect(object != JSONObject([("d", 4), ("c", 3), ("b", 11)]))
        #expect(JSONObject().isEmpty)
    }

    @Test("large objects keep working through removals")
    func largeObjects() {
        var object = JSONObject()
        for i in 0..<60 { object.append("k\(i)", JSONValue(i)) }
        #expect(object["k59"] == 59)
        object["k10"] = nil
        #expect(object["k10"] == nil)
        #expect(object["k11"] == 11)
        #expect(object.count == 59)
        object["k10"] = 100
        #expect(object.keys.last == "k10")
        var small = JSONObject()
        for i in (0..<60).reversed() where i != 10 { small["k\(i)"] = JSONValue(i) }
        small["k10"] = 100
        #expect(small == object)
        #expect(small.hashValue == object.hashValue)
    }

    @Test("an encoded value is the value its bytes hold")
    func encodedValues() throws {
        let tree: JSONValue = [["id": 1, "name": "a \"q\""], ["id": 2, "name": false]]
        let encoded = JSONValue.encoded(EncodedJSON(tree))
        #expect(encoded == tree)
        #expect(tree == encoded)
        #expect(encoded != [["id": 1]])
        #expect(encoded.hashValue == tree.hashValue)
        #expect(Set([encoded, tree]).count == 1)
        #expect(encoded.serialized() == tree.serialized())
        #expect(encoded.arrayValue?.count == 2)
        #expect(encoded[1]?["name"] == false)
        #expect(encoded.resolved == tree)
        // Spliced verbatim inside another value.
        let wrapped: JSONValue = ["result": encoded]
        #expect(wrapped.jsonString == #"{"result":[{"id":1,"name":"a \"q\""},{"id":2,"name":false}]}"#)
        let scalar = JSONValue.encoded(EncodedJSON(unchecked: Array("7".utf8)))
        #expect(scalar.intValue == 7 && scalar.stringValue == nil && !scalar.isNull)
        #expect(JSONValue.encoded(EncodedJSON(unchecked: Array("null".utf8))).isNull)
    }
}
