import Testing
import WebRTCCore
@testable import WebRTCPayload

/// A codec under test: how to make its frames and what the receiver must report.
struct CodecCase: CustomTestStringConvertible, Sendable {
    /// The format's name, which also selects its packetizer and depacketizer.
    var name: String
    /// True when every frame fits one payload (audio): frame sizes stay at most the MTU.
    var singlePayload: Bool
    /// True when the format marks frame starts (every intact frame survives a loss before it).
    var selfSyncing: Bool
    /// Makes frame `index` of `size` bytes (roughly) and says whether it is a keyframe.
    var makeFrame: @Sendable (RandomSource, Int, Int) -> (bytes: [UInt8], key: Bool)

    var testDescription: String { name }

    /// Every format under test.
    static let all: [CodecCase] = [
        CodecCase(name: "Opus", singlePayload: true, selfSyncing: true) { rng, _, size in (rng.bytes(size), true) },
        CodecCase(name: "PCMU", singlePayload: true, selfSyncing: true) { rng, _, size in (rng.bytes(size), true) },
        CodecCase(name: "VP8", singlePayload: false, selfSyncing: true) { rng, _, size in
            let f = rng.bytes(size)
            return (f, f[0] & 1 == 0)
        },
        CodecCase(name: "VP9", singlePayload: false, selfSyncing: true) { rng, _, size in
            let f = rng.bytes(size)
            return (f, VP9Packetizer.isKeyframe(f))
        },
        CodecCase(name: "H264", singlePayload: false, selfSyncing: false) { rng, k, size in
            (h264Frame(rng, key: k % 5 == 0, size: size), k % 5 == 0)
        },
        CodecCase(name: "AV1", singlePayload: false, selfSyncing: false) { rng, k, size in
            (av1Frame(rng, key: k % 5 == 0, size: size), k % 5 == 0)
        },
    ]

    /// Packetizes with this codec's packetizer.
    func packetize(_ frames: [[UInt8]], mtu: Int) -> [TestPacket] {
        switch name {
        case "Opus": var p = OpusPacketizer(); return packets(&p, frames, mtu: mtu)
        case "PCMU": var p = G711Packetizer(law: .pcmu); return packets(&p, frames, mtu: mtu)
        case "VP8": var p = VP8Packetizer(firstPictureID: 0x7FF0); return packets(&p, frames, mtu: mtu)
        case "VP9": var p = VP9Packetizer(firstPictureID: 0x7FF0); return packets(&p, frames, mtu: mtu)
        case "H264": var p = H264Packetizer(); return packets(&p, frames, mtu: mtu)
        default: var p = AV1Packetizer(); return packets(&p, frames, mtu: mtu)
        }
    }

    /// Assembles with this codec's depacketizer; returns the frames and the drop count.
    func assembleAll(_ packets: [TestPacket]) -> ([EncodedFrame], DropCounters) {
        func run<D: Depacketizer>(_ d: D) -> ([EncodedFrame], DropCounters) {
            var a = FrameAssembler(depacketizer: d, window: 1024)
            let frames = assemble(&a, packets)
            #expect(a.bufferedCount == 0)
            return (frames, a.drops)
        }
        switch name {
        case "Opus": return run(OpusDepacketizer())
        case "PCMU": return run(G711Depacketizer(law: .pcmu))
        case "VP8": return run(VP8Depacketizer())
        case "VP9": return run(VP9Depacketizer())
        case "H264": return run(H264Depacketizer())
        default: return run(AV1Depacketizer())
        }
    }

    /// `count` seeded frames for a payload size of `mtu`.
    func frames(seed: UInt64, count: Int, mtu: Int) -> [(bytes: [UInt8], key: Bool)] {
        let rng = RandomSource(seed: seed)
        return (0..<count).map { k in
            makeFrame(rng, k, singlePayload ? rng.uniform(1...mtu) : frameSize(rng))
        }
    }
}

/// The payload size limits every round trip runs at.
let mtus = [500, 1200, 1400]

@Test("in-order round trip restores every frame, timestamp and keyframe flag", arguments: CodecCase.all, mtus)
func roundTripInOrder(codec: CodecCase, mtu: Int) {
    let frames = codec.frames(seed: UInt64(mtu), count: 16, mtu: mtu)
    let sent = codec.packetize(frames.map(\.bytes), mtu: mtu)
    #expect(sent.allSatisfy { $0.payload.count <= mtu })
    let (got, drops) = codec.assembleAll(sent)
    #expect(drops.total == 0)
    #expect(got.count == frames.count)
    for (k, f) in got.enumerated() where k < frames.count {
        #expect(f.bytes == frames[k].bytes, "frame \(k)")
        #expect(f.timestamp == UInt32(k * 3000))
        #expect(f.isKeyframe == frames[k].key, "frame \(k)")
        #expect(!f.gapBefore)
    }
}

@Test("reordered payloads still give every frame once, in order, without a gap", arguments: CodecCase.all, mtus)
func roundTripShuffled(codec: CodecCase, mtu: Int) {
    let frames = codec.frames(seed: 100 + UInt64(mtu), count: 16, mtu: mtu)
    var sent = codec.packetize(frames.map(\.bytes), mtu: mtu)
    // Shuffle in chunks of 40 (inside the window); the stream's first payload stays first.
    let rng = RandomSource(seed: 7)
    var start = 1
    while start < sent.count {
        let end = min(start + 40, sent.count)
        for i in stride(from: end - 1, to: start, by: -1) { sent.swapAt(i, rng.uniform(start...i)) }
        start = end
    }
    let (got, drops) = codec.assembleAll(sent)
    #expect(drops.total == 0)
    #expect(got.map(\.bytes) == frames.map(\.bytes))
    #expect(got.allSatisfy { !$0.gapBefore })
}

@Test("dropped payloads: no corrupt frame, gaps marked, intact frames recovered", arguments: CodecCase.all, mtus)
func roundTripWithLoss(codec: CodecCase, mtu: Int) {
    let frames = codec.frames(seed: 200 + UInt64(mtu), count: 24, mtu: mtu)
    let all = codec.packetize(frames.map(\.bytes), mtu: mtu)
    let rng = RandomSource(seed: 11 + UInt64(mtu))
    // Lose every payload of frame 3, the first payload of frame 7, and 3% of the rest at random.
    let kept = all.filter { p in
        if p.frameIndex == 3 { return false }
        if p.frameIndex == 7, p.sequenceNumber == all.first(where: { $0.frameIndex == 7 })!.sequenceNumber { return false }
        return rng.uniform(0...99) >= 3
    }
    let intact = Set(frames.indices.filter { k in
        all.filter { $0.frameIndex == k }.count == kept.filter { $0.frameIndex == k }.count
    })
    let (got, drops) = codec.assembleAll(kept)
    // A lost audio payload is a lost frame, not a broken one: nothing is left to drop.
    #expect(drops.total > 0 || codec.singlePayload)
    var previous = -1
    var emitted = Set<Int>()
    for f in got {
        let k = Int(f.timestamp / 3000)
        #expect(k > previous, "frames leave in order")
        #expect(intact.contains(k), "frame \(k) lost payloads but was emitted")
        #expect(f.bytes == frames[k].bytes, "frame \(k) corrupt")
        if previous >= 0 { #expect(f.gapBefore == (k != previous + 1), "gap flag of frame \(k)") }
        previous = k
        emitted.insert(k)
    }
    #expect(!emitted.contains(3) && !emitted.contains(7))
    for k in intact.sorted() where k > 0 {
        if codec.selfSyncing || frames[k].key || emitted.contains(k - 1) {
            #expect(emitted.contains(k), "intact frame \(k) not recovered")
        }
    }
}

@Test("single-payload formats refuse frames larger than the payload size or empty")
func singlePayloadLimits() {
    let opus = OpusPacketizer()
    #expect(opus.packetize([UInt8](repeating: 1, count: 1201), maxPayloadSize: 1200).isEmpty)
    #expect(opus.packetize([], maxPayloadSize: 1200).isEmpty)
    let pcma = G711Packetizer(law: .pcma)
    #expect(pcma.packetize([UInt8](repeating: 0xD5, count: 160), maxPayloadSize: 1200) == [[UInt8](repeating: 0xD5, count: 160)])
    #expect(G711Law.pcma.payloadType == 8 && G711Law.pcmu.payloadType == 0)
}
