import FuzzSupport
import WebRTCPayload

/// libFuzzer entry point for the payload-format depacketizers and `FrameAssembler`.
///
/// The first byte picks the format (Opus, G.711, VP8, VP9, H.264, AV1). The rest is read as
/// records `length(1) flags(1) payload(length)`: flags bit 0 is the marker, bits 1–3 a sequence
/// step of −2…+5, bit 4 a timestamp step. The payloads go to the depacketizer as one frame and,
/// one by one, through an assembler with a small window. Properties: no trap; the assembler never
/// buffers more than its window and is empty after `flush()`; Annex B output starts with a start
/// code, AV1 output with a temporal delimiter; for VP8 and VP9 the remaining bytes also survive a
/// packetize/depacketize round trip unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDepacketize(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let selector = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    switch selector % 6 {
    case 0: run(OpusDepacketizer(), rest)
    case 1: run(G711Depacketizer(law: .pcmu), rest)
    case 2:
        run(VP8Depacketizer(), rest)
        var p = VP8Packetizer()
        roundTrip(&p, VP8Depacketizer(), rest)
    case 3:
        run(VP9Depacketizer(), rest)
        var p = VP9Packetizer()
        roundTrip(&p, VP9Depacketizer(), rest)
    case 4: run(H264Depacketizer(), rest)
    default: run(AV1Depacketizer(), rest)
    }
    return 0
}

/// One decoded input record: a payload and how its RTP header fields move.
struct Record {
    var step: Int
    var timestampStep: UInt32
    var marker: Bool
    var payload: [UInt8]
}

/// Splits the input into records (the last may be shorter than its length byte says).
func records(_ bytes: [UInt8]) -> [Record] {
    var out: [Record] = []
    var i = 0
    while i + 2 <= bytes.count {
        let length = Int(bytes[i]), flags = bytes[i + 1]
        let end = min(bytes.count, i + 2 + length)
        out.append(Record(step: Int(flags >> 1 & 0x07) - 2, timestampStep: UInt32(flags >> 4 & 1),
                          marker: flags & 1 != 0, payload: Array(bytes[(i + 2)..<end])))
        i = end
    }
    return out
}

/// Feeds the records to `depacketizer` directly and through a `FrameAssembler`, checking both.
func run<D: Depacketizer>(_ depacketizer: D, _ bytes: [UInt8]) {
    let input = records(bytes)
    check(depacketizer, depacketizer.depacketize(input.map { $0.payload[...] }))
    var assembler = FrameAssembler(depacketizer: depacketizer, window: 16)
    var seq: UInt16 = 65_530
    var timestamp: UInt32 = 0
    for r in input {
        _ = depacketizer.frameStart(r.payload[...])
        for frame in assembler.push(sequenceNumber: seq, timestamp: timestamp, marker: r.marker, payload: r.payload) {
            check(depacketizer, .frame(frame.bytes, isKeyframe: frame.isKeyframe))
        }
        require(assembler.bufferedCount <= 16, "assembler exceeds its window")
        seq = UInt16(truncatingIfNeeded: Int(seq) + r.step)
        timestamp &+= r.timestampStep
    }
    for frame in assembler.flush() { check(depacketizer, .frame(frame.bytes, isKeyframe: frame.isKeyframe)) }
    require(assembler.bufferedCount == 0, "flush leaves payloads behind")
}

/// Checks the shape of an emitted frame for the format.
func check<D: Depacketizer>(_ depacketizer: D, _ result: DepacketizeResult) {
    guard case .frame(let bytes, _) = result else { return }
    switch depacketizer {
    case is H264Depacketizer: require(bytes.isEmpty || bytes.starts(with: [0, 0, 0, 1]), "Annex B start code")
    case is AV1Depacketizer: require(bytes.starts(with: [0x12, 0x00]), "temporal delimiter first")
    default: require(!bytes.isEmpty, "frames are never empty")
    }
}

/// Packetizes `frame` (first byte sets the payload size) and requires the depacketizer to restore it.
func roundTrip<P: Packetizer, D: Depacketizer>(_ packetizer: inout P, _ depacketizer: D, _ frame: [UInt8]) {
    guard let mtuByte = frame.first else { return }
    let mtu = Int(mtuByte) + 1
    let payloads = packetizer.packetize(frame, maxPayloadSize: mtu)
    guard !payloads.isEmpty else { return }
    require(payloads.allSatisfy { $0.count <= mtu }, "payload over the size limit")
    guard case .frame(let back, _) = depacketizer.depacketize(payloads.map { $0[...] }) else {
        require(false, "own payloads rejected")
        return
    }
    require(back == frame, "round trip changed the frame")
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_depacketize_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzDepacketize(data, size) }
}
