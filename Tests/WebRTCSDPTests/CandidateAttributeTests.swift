import Testing
@testable import WebRTCSDP

/// A candidate string and what it must parse to.
struct GoodCandidate: CustomTestStringConvertible, Sendable {
    var text: String
    var check: @Sendable (CandidateAttribute) -> Bool
    var canonical: String?
    var testDescription: String { text }
}

@Suite struct CandidateAttributeTests {
    static let good: [GoodCandidate] = [
        GoodCandidate(text: "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host",
                      check: { $0.foundation == "1" && $0.component == 1 && $0.transport == "udp" && $0.priority == 2130706431
                          && $0.address == "127.0.0.1" && $0.port == 50000 && $0.type == .host && $0.extensions.isEmpty }),
        GoodCandidate(text: "candidate:842163049 1 udp 1677729535 1.2.3.4 61015 typ srflx raddr 192.168.0.87 rport 61015 generation 0 network-cost 999",
                      check: { $0.type == .srflx && $0.relatedAddress == "192.168.0.87" && $0.relatedPort == 61015
                          && $0.generation == 0 && $0.extensionValue("network-cost") == "999" }),
        GoodCandidate(text: "candidate:3 1 udp 41885439 203.0.113.5 3478 typ relay raddr 0.0.0.0 rport 0 generation 0 ufrag JNRa network-id 3 network-cost 50",
                      check: { $0.type == .relay && $0.relatedPort == 0 && $0.ufrag == "JNRa"
                          && $0.extensions.map(\.name) == ["generation", "ufrag", "network-id", "network-cost"] }),
        GoodCandidate(text: "candidate:750991856 2 udp 25108222 237.30.30.30 51472 typ prflx raddr 47.61.61.61 rport 54763",
                      check: { $0.type == .prflx && $0.component == 2 }),
        GoodCandidate(text: "candidate:1936595596 1 tcp 1518214911 192.168.99.58 9 typ host tcptype active generation 0",
                      check: { $0.transport == "tcp" && $0.tcpType == "active" && $0.port == 9 }),
        GoodCandidate(text: "candidate:2 1 tcp 1 10.0.0.1 443 typ host tcptype passive", check: { $0.tcpType == "passive" }),
        GoodCandidate(text: "candidate:2 1 tcp 1 10.0.0.1 443 typ host tcptype so", check: { $0.tcpType == "so" }),
        GoodCandidate(text: "candidate:3112724013 1 udp 2113937151 9f5fa4cc-74b1-4c9c-8d8d-48080f6ae122.local 54409 typ host generation 0 network-cost 999",
                      check: { $0.isMDNS && $0.address.hasSuffix(".local") }),
        GoodCandidate(text: "candidate:2665802302 1 udp 2122262783 2a02:a03f:3eb0:e000:b0aa:d60a:cff2:933c 38475 typ host",
                      check: { $0.address == "2a02:a03f:3eb0:e000:b0aa:d60a:cff2:933c" && !$0.isMDNS }),
        GoodCandidate(text: "candidate:1 1 UDP 2122187007 192.168.99.58 45791 typ host",
                      check: { $0.transport == "udp" }, canonical: "candidate:1 1 udp 2122187007 192.168.99.58 45791 typ host"),
        GoodCandidate(text: "a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 fd00::2 60514 typ host",
                      check: { $0.foundation.count == 32 },
                      canonical: "candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 fd00::2 60514 typ host"),
        GoodCandidate(text: "1 1 udp 1 1.1.1.1 0 typ host", check: { $0.port == 0 }, canonical: "candidate:1 1 udp 1 1.1.1.1 0 typ host"),
        GoodCandidate(text: "candidate:1 1 udp 4294967295 1.1.1.1 65535 typ host x-future 7 generation 1",
                      check: { $0.priority == UInt32.max && $0.port == 65535 && $0.extensions == [CandidateExtension("x-future", "7"), CandidateExtension("generation", "1")] }),
        GoodCandidate(text: "candidate:a+/Z 256 udp 1 h 1 typ host", check: { $0.foundation == "a+/Z" && $0.component == 256 }),
        GoodCandidate(text: "candidate:1 1 udp 1 1.1.1.1 5 typ host\r\n", check: { _ in true }, canonical: "candidate:1 1 udp 1 1.1.1.1 5 typ host"),
        GoodCandidate(text: "candidate:1 1 tcp 1 1.1.1.1 5 typ host generation 0 tcptype active",
                      check: { $0.tcpType == "active" }, canonical: "candidate:1 1 tcp 1 1.1.1.1 5 typ host tcptype active generation 0"),
    ]

    @Test(arguments: good)
    func parses(_ c: GoodCandidate) throws {
        let parsed = try CandidateAttribute.parse(c.text)
        #expect(c.check(parsed), "\(parsed)")
        #expect(parsed.description == (c.canonical ?? c.text))
        #expect(try CandidateAttribute.parse(parsed.description) == parsed)
    }

    static let bad: [String] = [
        "",
        "candidate:",
        "candidate:1 1 udp 1 1.1.1.1 5 typ",
        "candidate:1 1 udp 1 1.1.1.1 5 host host",
        "candidate:1 1 udp 1 1.1.1.1 5 typ unknown",
        "candidate:1 0 udp 1 1.1.1.1 5 typ host",
        "candidate:1 257 udp 1 1.1.1.1 5 typ host",
        "candidate:1 1 udp 4294967296 1.1.1.1 5 typ host",
        "candidate:1 1 udp -1 1.1.1.1 5 typ host",
        "candidate:1 1 udp 1 1.1.1.1 65536 typ host",
        "candidate:1 1 udp 1 1.1.1.1 x typ host",
        "candidate:1 1 udp 1 1.1.1.1 5 typ host raddr",
        "candidate:1 1 udp 1 1.1.1.1 5 typ srflx raddr 1.1.1.1 rport 70000",
        "candidate:1 1 tcp 1 1.1.1.1 5 typ host tcptype sideways",
        "candidate:1 1 tcp 1 1.1.1.1 5 typ host tcptype active tcptype passive",
        "candidate:123456789012345678901234567890123 1 udp 1 1.1.1.1 5 typ host",
        "candidate:a-b 1 udp 1 1.1.1.1 5 typ host",
        "candidate:1 1 u(p 1 1.1.1.1 5 typ host",
        "candidate:1 1 udp 1 1.1.1.1 5 typ host generation",
        "candidate:1 1 udp 1 1.1.1.1\t5 typ host",
    ]

    @Test(arguments: bad)
    func rejects(_ text: String) {
        #expect(throws: SDPParseError.self) { try CandidateAttribute.parse(text) }
        do { _ = try CandidateAttribute.parse(text) } catch { #expect(error.line == 1) }
    }
}
