import Testing
import WoowCrypto

@Suite struct ConstantTimeTests {
    @Test func equalCollections() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals(Array("héllo".utf8), "héllo".utf8))
        #expect(ConstantTime.equals([0, 1, 2, 3][1...] as ArraySlice<UInt8>, [1, 2, 3] as [UInt8]))
    }

    @Test func differencesAnywhere() {
        let base = [UInt8](repeating: 7, count: 64)
        for index in [0, 31, 63] {
            var other = base
            other[index] ^= 0x80
            #expect(!ConstantTime.equals(base, other), "difference at \(index)")
        }
    }

    @Test func lengthMismatch() {
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!ConstantTime.equals([UInt8](), [0] as [UInt8]))
    }
}
