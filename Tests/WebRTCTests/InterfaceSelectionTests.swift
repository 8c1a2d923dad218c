import Testing
import WebRTCCore
@testable import WebRTC

/// Host-candidate address selection on a machine with several interfaces and IPv6 (issue 4),
/// with an injected interface list.
@Suite struct InterfaceSelectionTests {
    let machine = ["127.0.0.1", "127.0.1.1", "::1", "192.0.2.2", "fe80::1", "169.254.9.9", "fd00::2",
                   "198.51.100.7", "2001:db8::5", "0.0.0.0", "192.0.2.2"].compactMap { IPAddress($0) }

    @Test func defaultSkipsLoopbackLinkLocalAndDuplicates() {
        let chosen = InterfaceEnumerator.select(from: machine, includeLoopback: false, loopbackOnly: false)
        #expect(chosen.map(\.description) == ["192.0.2.2", "fd00::2", "198.51.100.7", "2001:db8::5"])
    }

    @Test func includeLoopbackAddsOnly127001AndV6Loopback() {
        let chosen = InterfaceEnumerator.select(from: machine, includeLoopback: true, loopbackOnly: false)
        #expect(chosen.map(\.description) == ["192.0.2.2", "fd00::2", "198.51.100.7", "2001:db8::5", "127.0.0.1", "::1"])
    }

    @Test func loopbackOnlyForTests() {
        let chosen = InterfaceEnumerator.select(from: machine, includeLoopback: false, loopbackOnly: true)
        #expect(chosen.map(\.description) == ["127.0.0.1", "::1"])
    }

    @Test func loopbackWhenNothingElseExists() {
        let namespace = ["127.0.0.1", "::1", "fe80::1"].compactMap { IPAddress($0) }
        let chosen = InterfaceEnumerator.select(from: namespace, includeLoopback: false, loopbackOnly: false)
        #expect(chosen.map(\.description) == ["127.0.0.1", "::1"])
    }
}
