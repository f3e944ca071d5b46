import Testing
@testable import WoowCrypto

@Suite struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func standardRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8), alphabet: .standard) == encoded)
        #expect(Base64.decode(encoded, alphabet: .standard) == Array(plain.utf8))
    }

    @Test func alphabetsDifferOnlyInSymbols62And63() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0xfb]
        #expect(Base64.encode(bytes, alphabet: .standard) == "+/+/+w==")
        #expect(Base64.encode(bytes, alphabet: .urlSafe) == "-_-_-w")
        #expect(Base64.encode(bytes, alphabet: .ab64) == "././.w")
        #expect(Base64.decode("././.w", alphabet: .ab64) == bytes)
        #expect(Base64.decode("+/+/+w", alphabet: .ab64) == bytes)
        #expect(Base64.decode("-_-_-w", alphabet: .urlSafe) == bytes)
    }

    @Test func rejectsInvalidInput() {
        #expect(Base64.decode("Zg", alphabet: .standard) == nil)  // missing padding
        #expect(Base64.decode("Zg==", alphabet: .ab64) == nil)  // padding not allowed
        #expect(Base64.decode("Z", alphabet: .ab64) == nil)  // impossible length
        #expect(Base64.decode("Zm9v!", alphabet: .ab64) == nil)
        #expect(Base64.decode("-_", alphabet: .ab64) == nil)
        #expect(Base64.decode("é", alphabet: .ab64) == nil)
    }
}
