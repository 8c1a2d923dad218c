import Testing
@testable import WebRTCCore

@Suite struct IPAddressTests {
    @Test(arguments: ["127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "fe80::1", "2001:db8::ff00:42:8329"])
    func roundTrip(_ text: String) throws {
        let ip = try #require(IPAddress(text))
        #expect(ip.description == text)
        #expect(IPAddress(bytes: ip.bytes[...]) == ip)
    }

    @Test(arguments: ["", "1.2.3", "256.0.0.1", "::g", "a.b.c.d", "1.2.3.4.5"])
    func rejects(_ text: String) { #expect(IPAddress(text) == nil) }

    @Test func classification() throws {
        #expect(try #require(IPAddress("127.0.0.5")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(try #require(IPAddress("169.254.3.4")).isLinkLocal)
        #expect(try #require(IPAddress("fe80::abcd")).isLinkLocal)
        #expect(!(try #require(IPAddress("10.0.0.1")).isLinkLocal))
        #expect(TransportAddress("[::1]:5000")?.port == 5000)
        #expect(TransportAddress("1.2.3.4:65535")?.description == "1.2.3.4:65535")
        #expect(TransportAddress("1.2.3.4:65536") == nil)
    }
}

@Suite struct RandomAndBytesTests {
    @Test func seededIsDeterministic() {
        let a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let xa = (0..<8).map { _ in a.next() }
        #expect(xa == (0..<8).map { _ in b.next() })
        #expect(xa != (0..<8).map { _ in c.next() })
        #expect(RandomSource(seed: 1).iceString(16).count == 16)
    }

    @Test func readerNeverReadsPastEnd() {
        var r = ByteReader([1, 2, 3])
        #expect(r.u16() == 0x0102)
        #expect(r.u16() == nil)
        #expect(r.u8() == 3)
        #expect(r.u8() == nil)
        #expect(r.take(-1) == nil)
        var w = ByteWriter()
        w.u16(0xABCD); w.u32(1); w.u64(2); w.patchU16(0x1234, at: 0)
        #expect(w.bytes.count == 14 && w.bytes[0] == 0x12)
    }

    @Test(arguments: [(UInt8(0), PacketClass.stun), (3, .stun), (20, .dtls), (63, .dtls), (64, .turnChannel), (128, .rtpOrRtcp), (200, .unknown), (17, .zrtp)])
    func demux(_ b: UInt8, _ c: PacketClass) { #expect(PacketClass(firstByte: b) == c) }

    @Test func instants() {
        let t = Instant.milliseconds(10) + .milliseconds(5)
        #expect(t == .milliseconds(15))
        #expect((t - Instant.milliseconds(5)).milliseconds == 10)
        #expect(Instant.earliest(nil, t) == t)
    }
}
