import Foundation
import WebRTCCore
@testable import WebRTCPayload

/// The bytes of `Media/<name>`, found from this file's path (the media are not bundled).
func mediaFile(_ name: String) throws -> [UInt8] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return [UInt8](try Data(contentsOf: root.appendingPathComponent("Media").appendingPathComponent(name)))
}

/// Bytes from a hex string (whitespace ignored).
func hex(_ s: String) -> [UInt8] {
    let digits = s.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        out.append(UInt8(digits[i..<j], radix: 16)!)
        i = j
    }
    return out
}

/// One RTP packet's worth of what the assembler takes.
struct TestPacket {
    /// The RTP sequence number.
    var sequenceNumber: UInt16
    /// The RTP timestamp (frame index × 3000).
    var timestamp: UInt32
    /// The RTP marker bit (last payload of the frame).
    var marker: Bool
    /// The payload bytes.
    var payload: [UInt8]
    /// The index of the frame the payload belongs to.
    var frameIndex: Int
}

/// Packetizes `frames` into consecutive packets starting at `firstSequence`, timestamps 3000 apart.
func packets<P: Packetizer>(_ packetizer: inout P, _ frames: [[UInt8]], mtu: Int, firstSequence: UInt16 = 65_000) -> [TestPacket] {
    var out: [TestPacket] = []
    var seq = firstSequence
    for (k, frame) in frames.enumerated() {
        let payloads = packetizer.packetize(frame, maxPayloadSize: mtu)
        for (i, p) in payloads.enumerated() {
            out.append(TestPacket(sequenceNumber: seq, timestamp: UInt32(k * 3000), marker: i == payloads.count - 1, payload: p, frameIndex: k))
            seq &+= 1
        }
    }
    return out
}

/// Feeds `packets` to `assembler` in order, then flushes; returns every emitted frame.
func assemble<D: Depacketizer>(_ assembler: inout FrameAssembler<D>, _ packets: [TestPacket]) -> [EncodedFrame] {
    var out: [EncodedFrame] = []
    for p in packets {
        out += assembler.push(sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, marker: p.marker, payload: p.payload)
    }
    return out + assembler.flush()
}

/// A frame size between 1 byte and 200 KB: mostly small, sometimes large.
func frameSize(_ rng: RandomSource) -> Int {
    switch rng.uniform(0...9) {
    case 0: return rng.uniform(1...8)
    case 1: return rng.uniform(50_000...200_000)
    default: return rng.uniform(1...6_000)
    }
}

/// Random bytes with no zero byte (so H.264 test NAL units cannot contain a start code).
func nonZeroBytes(_ rng: RandomSource, _ count: Int) -> [UInt8] {
    rng.bytes(count).map { $0 == 0 ? 0x5A : $0 }
}

/// An H.264 access unit: keyframes are SPS, PPS, IDR slices; others are non-IDR slices.
func h264Frame(_ rng: RandomSource, key: Bool, size: Int) -> [UInt8] {
    var nals: [[UInt8]] = []
    if key {
        nals.append([0x67] + nonZeroBytes(rng, rng.uniform(3...20)))
        nals.append([0x68] + nonZeroBytes(rng, rng.uniform(1...6)))
    }
    let sliceCount = rng.uniform(1...3)
    for s in 0..<sliceCount {
        // first_mb_in_slice = 0 (leading bit 1) on the first slice only.
        let first: UInt8 = s == 0 ? 0x88 : 0x48
        nals.append([key ? 0x65 : 0x41, first] + nonZeroBytes(rng, max(0, size / sliceCount)))
    }
    return AnnexB.join(nals)
}

/// An AV1 temporal unit: TD, a sequence header on keyframes, and one or two frame OBUs.
func av1Frame(_ rng: RandomSource, key: Bool, size: Int) -> [UInt8] {
    var unit = AV1OBU.temporalDelimiterBytes
    if key {
        unit += AV1OBU(header: 0x0A, extensionByte: nil, payload: rng.bytes(rng.uniform(8...12))[...]).bytesWithSize
    }
    let withExtension = rng.uniform(0...1) == 1
    unit += AV1OBU(header: withExtension ? 0x34 : 0x30, extensionByte: withExtension ? 0x08 : nil, payload: rng.bytes(size)[...]).bytesWithSize
    if rng.uniform(0...3) == 0 {
        unit += AV1OBU(header: 0x2A, extensionByte: nil, payload: rng.bytes(rng.uniform(1...300))[...]).bytesWithSize  // metadata
    }
    return unit
}
