import Testing
import WebRTCCore
@testable import WebRTCPayload

private func vp8(_ start: Bool, _ byte: UInt8 = 0x50) -> [UInt8] {
    VP8Descriptor(startOfPartition: start, pictureID: 1).bytes + [byte]
}

@Test("sequence numbers wrap: a frame spanning 65535 → 0 is assembled")
func assemblerWrap() {
    var a = FrameAssembler(depacketizer: VP8Depacketizer())
    #expect(a.push(sequenceNumber: 65_535, timestamp: 9, marker: false, payload: vp8(true, 0x50)).isEmpty)
    let f = a.push(sequenceNumber: 0, timestamp: 9, marker: true, payload: vp8(false, 0x51))
    #expect(f == [EncodedFrame(bytes: [0x50, 0x51], timestamp: 9, isKeyframe: true, gapBefore: false)])
}

@Test("duplicates, late payloads and oversized payloads are dropped and counted")
func assemblerDuplicatesAndLate() {
    var a = FrameAssembler(depacketizer: VP8Depacketizer())
    _ = a.push(sequenceNumber: 100, timestamp: 0, marker: false, payload: vp8(true))
    _ = a.push(sequenceNumber: 100, timestamp: 0, marker: false, payload: vp8(true))
    #expect(a.drops[PayloadDropReason.duplicate] == 1)
    #expect(a.push(sequenceNumber: 101, timestamp: 0, marker: true, payload: vp8(false)).count == 1)
    _ = a.push(sequenceNumber: 101, timestamp: 0, marker: true, payload: vp8(false))
    _ = a.push(sequenceNumber: 90, timestamp: 0, marker: true, payload: vp8(true))
    #expect(a.drops[PayloadDropReason.late] == 2)
    _ = a.push(sequenceNumber: 102, timestamp: 1, marker: true, payload: [UInt8](repeating: 0x10, count: 70_000))
    #expect(a.drops[PayloadDropReason.tooLarge] == 1)
}

@Test("a timestamp change ends a frame whose sender set no marker")
func assemblerTimestampChange() {
    var a = FrameAssembler(depacketizer: VP8Depacketizer())
    #expect(a.push(sequenceNumber: 1, timestamp: 0, marker: false, payload: vp8(true, 0x50)).isEmpty)
    let f = a.push(sequenceNumber: 2, timestamp: 3000, marker: false, payload: vp8(true, 0x51))
    #expect(f.map(\.bytes) == [[0x50]])
}

@Test("a missing payload is waited for inside the window, then the frame is dropped and the gap marked")
func assemblerWindowMovesOn() {
    var a = FrameAssembler(depacketizer: VP8Depacketizer(), window: 8)
    _ = a.push(sequenceNumber: 0, timestamp: 0, marker: false, payload: vp8(true))
    // Sequence 1 (the rest of frame 0) is lost; frames of one payload follow.
    var out: [EncodedFrame] = []
    for s in 2...9 {
        out += a.push(sequenceNumber: UInt16(s), timestamp: UInt32(s * 10), marker: true, payload: vp8(true))
        if s < 8 { #expect(out.isEmpty, "still waiting at \(s)") }
    }
    #expect(out.first?.timestamp == 20 && out.first?.gapBefore == true)
    #expect(out.dropFirst().allSatisfy { !$0.gapBefore })
    #expect(a.drops[PayloadDropReason.incompleteFrame] == 1)
}

@Test("memory stays bounded: a stream that never sets a marker keeps at most `window` payloads")
func assemblerBounded() {
    var a = FrameAssembler(depacketizer: VP8Depacketizer(), window: 64)
    var maxBuffered = 0
    for s in 0..<3000 {
        _ = a.push(sequenceNumber: UInt16(truncatingIfNeeded: s * 7), timestamp: 0, marker: false, payload: vp8(s % 5 == 0))
        maxBuffered = max(maxBuffered, a.bufferedCount)
    }
    #expect(maxBuffered <= 64)
    #expect(a.drops.total > 0)
}

@Test("after a loss, H.264 payloads are discarded until a payload that opens an access unit")
func assemblerH264Resync() {
    var a = FrameAssembler(depacketizer: H264Depacketizer(), window: 4)
    var out: [EncodedFrame] = []
    out += a.push(sequenceNumber: 0, timestamp: 0, marker: true, payload: hex("67 42"))
    // 1 lost; 2 is a P slice (cannot be shown to start a frame), 3 an SPS that does.
    out += a.push(sequenceNumber: 2, timestamp: 2, marker: true, payload: hex("41 9A"))
    out += a.push(sequenceNumber: 3, timestamp: 3, marker: false, payload: hex("67 42"))
    out += a.push(sequenceNumber: 4, timestamp: 3, marker: true, payload: hex("65 88"))
    out += a.flush()
    #expect(out.map(\.timestamp) == [0, 3])
    #expect(out[1].gapBefore && out[1].isKeyframe)
    #expect(a.drops[PayloadDropReason.noFrameStart] == 1)
}

@Test("random payload streams never trap and never exceed the window", arguments: [1, 2, 3] as [UInt64])
func assemblerRandomStreams(seed: UInt64) {
    let rng = RandomSource(seed: seed)
    var vp9 = FrameAssembler(depacketizer: VP9Depacketizer(), window: 32)
    var av1 = FrameAssembler(depacketizer: AV1Depacketizer(), window: 32)
    for _ in 0..<2000 {
        let seq = UInt16(truncatingIfNeeded: rng.uniform(0...200))
        let ts = UInt32(rng.uniform(0...5))
        let payload = rng.bytes(rng.uniform(0...12))
        _ = vp9.push(sequenceNumber: seq, timestamp: ts, marker: rng.uniform(0...3) == 0, payload: payload)
        _ = av1.push(sequenceNumber: seq, timestamp: ts, marker: rng.uniform(0...3) == 0, payload: payload)
        #expect(vp9.bufferedCount <= 32 && av1.bufferedCount <= 32)
    }
    _ = vp9.flush()
    _ = av1.flush()
    #expect(vp9.bufferedCount == 0 && av1.bufferedCount == 0)
    #expect(vp9.drops.total > 0)
}
