import Testing
import WoowCrypto

@Suite struct PasswordHasherTests {
    @Test(arguments: PassLibVector.fromPassLib + PassLibVector.acceptedByPassLib)
    func verifiesPassLibHashes(_ vector: PassLibVector) {
        let hasher = PasswordHasher(rounds: vector.rounds)
        #expect(hasher.verify(vector.password, against: vector.stored) == .valid(needsRehash: false))
        #expect(hasher.verify(vector.password + "x", against: vector.stored) == .invalid)
        #expect(hasher.verify("", against: vector.stored) == .invalid)
        #expect(PasswordHasher.isHash(vector.stored))
    }

    @Test func rejectsWrongPasswords() {
        let vector = PassLibVector.fromPassLib[1]  // "pässwörd €"
        let hasher = PasswordHasher(rounds: 1000)
        for wrong in ["passwörd €", "pässwörd", "PÄSSWÖRD €", "pässwörd € ", "pa\u{0308}sswörd €"] {
            #expect(hasher.verify(wrong, against: vector.stored) == .invalid, "\(wrong)")
        }
    }

    @Test func flagsRehashWhenRoundsDiffer() {
        let vector = PassLibVector.fromPassLib[0]  // 1000 rounds
        #expect(PasswordHasher(rounds: 2000).verify(vector.password, against: vector.stored)
            == .valid(needsRehash: true))
        #expect(PasswordHasher().verify(vector.password, against: vector.stored)
            == .valid(needsRehash: true))
        #expect(PasswordHasher(rounds: 2000).verify("nope", against: vector.stored) == .invalid)
    }

    @Test func acceptsPlusInAb64() {
        let vector = PassLibVector.fromPassLib[0]
        let plus = String(vector.stored.map { $0 == "." ? "+" : $0 })
        #expect(plus != vector.stored)
        #expect(PasswordHasher(rounds: 1000).verify(vector.password, against: plus)
            == .valid(needsRehash: false))
    }

    @Test(arguments: [
        "", "$pbkdf2-sha512$", "$pbkdf2-sha512$abc$x$y", "password", "admin",
        "$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg",
        "$pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$0$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$01000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$-1000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$99999999999999999999$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$1000$MDEy!zQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw",
        "$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNg",
        "$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw$",
        "$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl.K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw==",
    ])
    func rejectsMalformedStrings(_ stored: String) {
        #expect(PasswordHasher(rounds: 1000).verify("password", against: stored) == .invalid)
        #expect(!PasswordHasher.isHash(stored))
    }

    @Test func hashHasPassLibShape() throws {
        let stored = PasswordHasher(rounds: 1000).hash("pässwörd €")
        let match = try #require(
            stored.wholeMatch(of: /\$pbkdf2-sha512\$(\d+)\$([A-Za-z0-9.\/]{22})\$([A-Za-z0-9.\/]{86})/))
        #expect(match.1 == "1000")
        #expect(PasswordHasher.isHash(stored))
    }

    @Test func hashRoundTripsAndSaltIsRandom() {
        let hasher = PasswordHasher(rounds: 1000)
        let first = hasher.hash("密码🔐"), second = hasher.hash("密码🔐")
        #expect(first != second)
        #expect(hasher.verify("密码🔐", against: first) == .valid(needsRehash: false))
        #expect(hasher.verify("密码🔐", against: second) == .valid(needsRehash: false))
        #expect(hasher.verify("密码", against: first) == .invalid)
    }

    @Test func emptyPasswordNeverVerifies() {
        let hasher = PasswordHasher(rounds: 1000)
        #expect(hasher.verify("", against: hasher.hash("")) == .invalid)
    }

    @Test func defaultRounds() {
        #expect(PasswordHasher.defaultRounds == 600_000)
        #expect(PasswordHasher().rounds == 600_000)
        #expect(PasswordHasher().hash("x").hasPrefix("$pbkdf2-sha512$600000$"))
    }
}
