import Testing
import WoowCrypto

@Suite struct SecureRandomTests {
    @Test func bytesHaveRequestedLengthAndDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
    }

    @Test(arguments: [(1, 2), (16, 22), (32, 43), (33, 44)])
    func urlSafeTokenLengthAndAlphabet(byteCount: Int, length: Int) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let token = SecureRandom.urlSafeToken(byteCount: byteCount)
        #expect(token.count == length)
        #expect(token.allSatisfy(allowed.contains))
    }

    @Test func urlSafeTokensDiffer() {
        #expect(SecureRandom.urlSafeToken(byteCount: 32) != SecureRandom.urlSafeToken(byteCount: 32))
    }

    @Test func hexLengthAlphabetAndDifference() {
        let allowed = Set("0123456789abcdef")
        let a = SecureRandom.hex(byteCount: 20), b = SecureRandom.hex(byteCount: 20)
        #expect(a.count == 40)
        #expect(a.allSatisfy(allowed.contains))
        #expect(a != b)
        #expect(SecureRandom.hex(byteCount: 0) == "")
    }
}
