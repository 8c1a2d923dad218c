import Testing
import WebRTCCore
@testable import WebRTCDTLS

@Suite struct DTLSJunkTests {
    /// Junk of three kinds: random bytes whose first byte is in the DTLS range 20–63 (RFC 7983),
    /// bytes of any value, and well-framed DTLS records that are not from the peer (epochs ≥ 1 with
    /// random contents, which OpenSSL must buffer or drop after failing to decrypt them).
    /// Epoch-0 plaintext records are left out on purpose: in DTLS 1.2 they are unauthenticated, and a
    /// forged epoch-0 alert or handshake message can end any handshake — no engine can tell it apart.
    static func junk(_ random: RandomSource) -> [UInt8] {
        switch random.uniform(0...2) {
        case 0:
            var d = random.bytes(random.uniform(1...1500))
            d[0] = UInt8(random.uniform(20...63))
            return d
        case 1:
            return random.bytes(random.uniform(0...300))
        default:
            var d: [UInt8] = []
            for _ in 0..<random.uniform(1...3) {
                let length = random.uniform(0...400)
                let type = UInt8(random.uniform(20...23))
                let epoch = UInt16(random.uniform(1...3))
                d += [type, 0xFE, 0xFD, UInt8(epoch >> 8), UInt8(epoch & 0xFF)] + random.bytes(6)
                d += [UInt8(length >> 8), UInt8(length & 0xFF)] + random.bytes(length)
            }
            return d
        }
    }

    @Test(arguments: [UInt64(7), 8, 9])
    func floodBeforeAndDuringHandshake(seed: UInt64) throws {
        print("DTLS junk flood seed \(seed)")
        let random = RandomSource(seed: seed)
        let (pipe, _, _) = try makePair(mode: .replay, seed: seed)
        let client = pipe.a, server = pipe.b

        // 5,000 before start, to both.
        for i in 0..<5000 {
            (i % 2 == 0 ? server : client).handleDatagram(Self.junk(random), now: .zero)
            #expect(server.queuedDatagramCount <= DTLSEngine.maxQueuedDatagrams)
            #expect(client.queuedDatagramCount <= DTLSEngine.maxQueuedDatagrams)
        }
        #expect(server.drops["dtls.notDTLS"] > 1000)
        #expect(server.drops["dtls.queueFull"] > 0)

        // 5,000 more while the handshake runs: 500 before every real delivery.
        var injected = 0
        pipe.beforeDelivery = { engine, now in
            for _ in 0..<1250 where injected < 5000 {
                engine.handleDatagram(Self.junk(random), now: now)
                injected += 1
            }
        }
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(30), until: DTLSPipe.bothConnected))
        #expect(injected == 5000)
        #expect(server.drops["dtls.earlyDataLimit"] + client.drops["dtls.earlyDataLimit"] > 0 || injected < 5000)
        pipe.beforeDelivery = nil
        print("seed \(seed): injected \(injected), connected at \(pipe.now), server drops \(server.drops.counts), client drops \(client.drops.counts)")

        // Still works for data afterwards, and junk after connect is harmless too.
        for _ in 0..<1000 { client.handleDatagram(Self.junk(random), now: pipe.now) }
        try client.send([42])
        try server.send([43])
        pipe.run(for: .seconds(1)) { p in !p.applicationData(\.eventsA).isEmpty && !p.applicationData(\.eventsB).isEmpty }
        #expect(pipe.applicationData(\.eventsB) == [[42]])
        #expect(pipe.applicationData(\.eventsA) == [[43]])
        #expect(client.state == .connected && server.state == .connected)
    }

    /// Forged records of every content type in current and future epochs, including records too
    /// short to be genuine (OpenSSL 3.0 would fail the connection on those), leave a connected
    /// association intact.
    @Test(arguments: [UInt8(20), 21, 22, 23], [UInt16(0), 1, 2, 3])
    func forgedRecordsAfterConnect(type: UInt8, epoch: UInt16) throws {
        let random = RandomSource(seed: UInt64(type) * 10 + UInt64(epoch))
        let (pipe, _, _) = try makePair()
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        for _ in 0..<300 {
            let length = random.uniform(0...60)
            var d: [UInt8] = [type, 0xFE, 0xFD, UInt8(epoch >> 8), UInt8(epoch & 0xFF)] + random.bytes(6)
            d += [UInt8(length >> 8), UInt8(length & 0xFF)] + random.bytes(length)
            pipe.a.handleDatagram(d, now: pipe.now)
        }
        if epoch != 0 {
            #expect(pipe.a.state == .connected, "type \(type) epoch \(epoch)")
            #expect(pipe.a.drops["dtls.notDTLS"] > 0)
        }
        // Epoch 0 after the handshake: OpenSSL ignores old-epoch records, so that holds too.
        #expect(pipe.a.state == .connected)
    }

    @Test func emptyAndTruncatedDatagramsAreDropped() throws {
        let (pipe, _, _) = try makePair()
        pipe.startBoth()
        for bytes: [UInt8] in [[], [22], [22, 0xFE, 0xFD], [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1]] {
            pipe.b.handleDatagram(bytes, now: .zero)
        }
        #expect(pipe.b.drops["dtls.notDTLS"] == 4)
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
    }
}
