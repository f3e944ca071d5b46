@testable import PaaS
import Testing

/// The proxy target host rules and the token's masked form, without a database.
@Suite("PaaS: proxy target hosts and access tokens")
struct ProxyTargetHostTests {
    @Test func hostNamesAndIPLiterals() {
        let accepted: [(String, String)] = [
            ("homeassistant", "homeassistant"), ("NAS.Local", "nas.local"), ("printer-2.lan", "printer-2.lan"),
            ("192.168.1.20", "192.168.1.20"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("::1", "::1"), ("[::1]", "::1"), ("fd00::10", "fd00::10"), ("2001:db8:0:0:0:0:2:1", "2001:db8:0:0:0:0:2:1"),
            ("::ffff:10.0.0.1", "::ffff:10.0.0.1"), ("[FE80::1]", "fe80::1"), ("::", "::"),
        ]
        for (input, normalized) in accepted {
            #expect((try? TargetHost.validate(input).get()) == normalized, "\(input)")
        }
        let refused = [
            "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "host_name", "-lead.local", "trail-.local", "a..b", "exa mple",
            "1:2:3:4:5:6:7:8:9", "fe80::1::2", "12345::1", "[::1", "[nas.local]", "10.0.0.1:80", "fe80::1%eth0",
            "ok.123", String(repeating: "a", count: 64) + ".local", "::ffff:300.0.0.1", "g::1",
        ]
        for input in refused {
            #expect((try? TargetHost.validate(input).get()) == nil, "\(input)")
        }
    }

    @Test func tokensAreRandomHashedAndMaskedTheSameWayEverywhere() {
        let token = AccessToken.generate()
        #expect(token.value.hasPrefix("wht_"))
        #expect(token.value.count == 47)
        #expect(token.hash.count == 64)
        #expect(token.hash == AccessToken.hash(token.value))
        #expect(token.hint == String(token.value.suffix(4)))
        #expect(token.masked == "wht_••••••••" + token.hint)
        #expect(AccessToken.masked(hint: token.hint) == token.masked)
        #expect(AccessToken.generate().value != token.value)
        #expect(AccessToken.generate(prefix: AccessToken.apiPrefix).masked.hasPrefix("wha_••••••••"))
    }
}
