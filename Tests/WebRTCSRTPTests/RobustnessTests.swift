import Testing
@testable import WebRTCSRTP

/// TESTING.md B.9: replays, tampered tags, short packets, sequence wrap with reordering.
@Suite("SRTP robustness")
struct RobustnessTests {
    func pair(_ profile: SRTPProfile) throws -> (tx: SRTPSession, rx: SRTPSession) {
        let blob = keyingBlob(profile, seed: 9)
        return (try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: true).outbound,
                try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: false).inbound)
    }

    @Test("a replayed SRTP packet is dropped and counted", arguments: SRTPProfile.allCases)
    func rtpReplay(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        var p = makeRTP(seq: 7, payload: [9, 9, 9, 9])
        try tx.protectRTP(&p)
        var first = p, second = p
        #expect(rx.unprotectRTP(&first))
        #expect(!rx.unprotectRTP(&second))
        #expect(rx.drops[SRTPDropReason.rtpReplay] == 1)
        #expect(rx.drops.total == 1)
    }

    @Test("a replayed SRTCP packet is dropped and counted", arguments: SRTPProfile.allCases)
    func rtcpReplay(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        var p = makeRTCP(extraWords: 2)
        try tx.protectRTCP(&p)
        var first = p, second = p
        #expect(rx.unprotectRTCP(&first))
        #expect(!rx.unprotectRTCP(&second))
        #expect(rx.drops[SRTPDropReason.rtcpReplay] == 1)
    }

    @Test("a packet older than the replay window is dropped as replayOld")
    func tooOld() throws {
        let blob = keyingBlob(.aes128CmSha1_80, seed: 9)
        let keys = try SRTPContextPair.KeyingMaterial(blob, profile: .aes128CmSha1_80)
        let tx = try SRTPSession(profile: .aes128CmSha1_80, key: keys.clientKey, salt: keys.clientSalt,
                                 direction: .outbound)
        let rx = try SRTPSession(profile: .aes128CmSha1_80, key: keys.clientKey, salt: keys.clientSalt,
                                 direction: .inbound, replayWindow: 64)
        var packets: [[UInt8]] = []
        for seq in UInt16(1)...200 {
            var p = makeRTP(seq: seq, payload: [1])
            try tx.protectRTP(&p)
            packets.append(p)
        }
        var last = packets[199], oldest = packets[0]
        #expect(rx.unprotectRTP(&last))
        #expect(!rx.unprotectRTP(&oldest))
        #expect(rx.drops[SRTPDropReason.rtpReplayOld] == 1)
    }

    /// Tampered packets must not create per-SSRC state: the first packet of an SSRC carries a
    /// far-ahead sequence number with a broken tag. Had libsrtp created the stream from it, the
    /// genuine seq 1 afterwards would fall behind the replay window, and the genuine copy of the
    /// far-ahead packet would count as a replay. Both must still be accepted.
    @Test("a tampered tag is dropped and creates no state", arguments: SRTPProfile.allCases)
    func tamperedTag(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        var early = makeRTP(seq: 1, ssrc: 0xAABB_CCDD, payload: [UInt8](repeating: 3, count: 100))
        var ahead = makeRTP(seq: 30_000, ssrc: 0xAABB_CCDD, payload: [UInt8](repeating: 4, count: 100))
        // Protect in sequence order: seq 1 … 30000 so the sender's index matches.
        try tx.protectRTP(&early)
        try tx.protectRTP(&ahead)

        for flip in [ahead.count - 1, ahead.count - profile.tagLength, 20, 2] {
            var bad = ahead
            bad[flip] ^= 0x01
            #expect(!rx.unprotectRTP(&bad))
        }
        #expect(rx.drops[SRTPDropReason.rtpAuthFail] == 4)
        #expect(rx.drops.total == 4)

        var good1 = early, goodAhead = ahead
        #expect(rx.unprotectRTP(&good1))
        #expect(rx.unprotectRTP(&goodAhead))
        #expect(rx.drops.total == 4)

        // SRTCP: tampered first, then the genuine packet with the same index.
        var rtcp = makeRTCP(ssrc: 0x0102_0304, extraWords: 3)
        try tx.protectRTCP(&rtcp)
        var badRTCP = rtcp
        badRTCP[badRTCP.count - 1] ^= 0x80
        #expect(!rx.unprotectRTCP(&badRTCP))
        #expect(rx.drops[SRTPDropReason.rtcpAuthFail] == 1)
        #expect(rx.unprotectRTCP(&rtcp))
    }

    @Test("a flood of forged packets from many SSRCs is dropped; a real stream still works")
    func forgedFlood() throws {
        let (tx, rx) = try pair(.aeadAes128Gcm)
        for i in UInt32(0)..<2000 {
            var forged = makeRTP(seq: UInt16(truncatingIfNeeded: i), ssrc: i &* 2_654_435_761,
                                 payload: [UInt8](repeating: 0, count: 40))
            forged.append(contentsOf: [UInt8](repeating: 0x55, count: 16))
            #expect(!rx.unprotectRTP(&forged))
        }
        #expect(rx.drops[SRTPDropReason.rtpAuthFail] == 2000)
        var real = makeRTP(seq: 5, payload: [1, 2, 3])
        try tx.protectRTP(&real)
        #expect(rx.unprotectRTP(&real))
    }

    @Test("every truncation of an SRTP packet is dropped without a trap", arguments: SRTPProfile.allCases)
    func truncatedRTP(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        var p = makeRTP(seq: 42, payload: [UInt8](repeating: 0xAB, count: 16))
        try tx.protectRTP(&p)
        for n in 0..<p.count {
            var cut = Array(p[0..<n])
            #expect(!rx.unprotectRTP(&cut), "length \(n)")
        }
        #expect(rx.drops[SRTPDropReason.rtpTooShort] == 12 + profile.tagLength)
        #expect(rx.drops.total == p.count)
        #expect(rx.unprotectRTP(&p))
    }

    @Test("every truncation of an SRTCP packet is dropped without a trap", arguments: SRTPProfile.allCases)
    func truncatedRTCP(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        var p = makeRTCP(extraWords: 2)
        try tx.protectRTCP(&p)
        for n in 0..<p.count {
            var cut = Array(p[0..<n])
            #expect(!rx.unprotectRTCP(&cut), "length \(n)")
        }
        #expect(rx.drops[SRTPDropReason.rtcpTooShort] == 8 + profile.rtcpOverhead)
        #expect(rx.drops.total == p.count)
        #expect(rx.unprotectRTCP(&p))
    }

    @Test("sequence number wrap 65535 → 0 with reordering still decrypts", arguments: SRTPProfile.allCases)
    func wrapWithReordering(_ profile: SRTPProfile) throws {
        let (tx, rx) = try pair(profile)
        let seqs: [UInt16] = [65528, 65529, 65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6]
        var plain: [UInt16: [UInt8]] = [:], protected: [UInt16: [UInt8]] = [:]
        for s in seqs {
            let p = makeRTP(seq: s, payload: [UInt8](repeating: UInt8(truncatingIfNeeded: s), count: 64))
            var q = p
            try tx.protectRTP(&q)
            plain[s] = p
            protected[s] = q
        }
        // Arrival order crosses the wrap in both directions.
        let arrival: [UInt16] = [65528, 65530, 65529, 0, 65532, 2, 65531, 1, 65535, 65533, 4, 65534, 3, 6, 5]
        for s in arrival {
            var q = protected[s]!
            #expect(rx.unprotectRTP(&q), "seq \(s)")
            #expect(q == plain[s])
        }
        #expect(rx.drops.total == 0)
        // After the wrap, a replay of a pre-wrap packet is still caught.
        var again = protected[65535]!
        #expect(!rx.unprotectRTP(&again))
        #expect(rx.drops[SRTPDropReason.rtpReplay] == 1)
    }

    @Test("malformed SRTP headers are dropped and the next valid packet is processed")
    func malformedHeaders() throws {
        let (tx, rx) = try pair(.aes128CmSha1_80)
        var good = makeRTP(seq: 10, payload: [UInt8](repeating: 1, count: 8))
        try tx.protectRTP(&good)
        var bad: [[UInt8]] = []
        var v1 = good; v1[0] = 0x40; bad.append(v1)                          // version 1
        var cc = good; cc[0] = 0x8F; bad.append(cc)                           // 15 CSRCs past the end
        var ext = good; ext[0] = 0x90; ext[14] = 0xFF; ext[15] = 0xFF; bad.append(ext) // extension overflow
        for var b in bad { #expect(!rx.unprotectRTP(&b)) }
        #expect(rx.drops.total == 3)
        #expect(rx.drops[SRTPDropReason.rtpBadHeader] == 3)
        #expect(rx.unprotectRTP(&good))
    }

    @Test("misuse is reported to the sender, not trapped")
    func misuse() throws {
        let (tx, rx) = try pair(.aes128CmSha1_80)
        var tiny: [UInt8] = [0x80, 0x60, 0, 1]
        #expect(throws: SRTPError(.badPacket)) { try tx.protectRTP(&tiny) }
        #expect(tiny == [0x80, 0x60, 0, 1])
        var p = makeRTP(seq: 1, payload: [1])
        #expect(throws: SRTPError(.wrongDirection)) { try rx.protectRTP(&p) }
        #expect(!tx.unprotectRTP(&p))
        #expect(tx.drops[SRTPDropReason.wrongDirection] == 1)
        // Re-protecting a used sequence number would reuse keystream: refused.
        var once = makeRTP(seq: 77, payload: [1, 2])
        try tx.protectRTP(&once)
        var twice = makeRTP(seq: 77, payload: [3, 4])
        #expect(throws: SRTPError.self) { try tx.protectRTP(&twice) }
        #expect(twice == makeRTP(seq: 77, payload: [3, 4]))
        #expect(throws: SRTPError(.badKeyLength)) {
            _ = try SRTPSession(profile: .aeadAes256Gcm, key: [UInt8](repeating: 0, count: 16),
                                salt: [UInt8](repeating: 0, count: 12), direction: .outbound)
        }
        #expect(throws: SRTPError(.badReplayWindow)) {
            _ = try SRTPSession(profile: .aeadAes128Gcm, key: [UInt8](repeating: 0, count: 16),
                                salt: [UInt8](repeating: 0, count: 12), direction: .inbound, replayWindow: 10)
        }
    }
}
