import Testing
@testable import WebRTCPayload

/// One malformed frame and the reason its depacketizer must give.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    /// Which depacketizer runs.
    var codec: String
    /// What is wrong with the payloads.
    var note: String
    /// The frame's payloads.
    var payloads: [[UInt8]]
    /// The drop reason expected.
    var reason: String
    var testDescription: String { "\(codec): \(note)" }

    /// Runs the codec's depacketizer on the payloads.
    func run() -> DepacketizeResult {
        let slices = payloads.map { $0[...] }
        switch codec {
        case "Opus": return OpusDepacketizer().depacketize(slices)
        case "G711": return G711Depacketizer(law: .pcma).depacketize(slices)
        case "VP8": return VP8Depacketizer().depacketize(slices)
        case "VP9": return VP9Depacketizer().depacketize(slices)
        case "H264": return H264Depacketizer().depacketize(slices)
        default: return AV1Depacketizer().depacketize(slices)
        }
    }
}

/// Short name for the drop reasons in the table.
typealias R = PayloadDropReason

/// One or more malformed frames per depacketizer.
let malformedCases: [MalformedCase] = [
    MalformedCase(codec: "Opus", note: "empty", payloads: [[]], reason: R.opusEmpty),
    MalformedCase(codec: "G711", note: "empty", payloads: [[]], reason: R.g711Empty),
    MalformedCase(codec: "VP8", note: "X without extension byte", payloads: [hex("80")], reason: R.vp8TruncatedDescriptor),
    MalformedCase(codec: "VP8", note: "M=1 PictureID cut short", payloads: [hex("90 80 92")], reason: R.vp8TruncatedDescriptor),
    MalformedCase(codec: "VP8", note: "L without TL0PICIDX", payloads: [hex("90 40")], reason: R.vp8TruncatedDescriptor),
    MalformedCase(codec: "VP8", note: "second payload truncated", payloads: [hex("10 9D"), hex("80")], reason: R.vp8TruncatedDescriptor),
    MalformedCase(codec: "VP8", note: "first payload not a partition start", payloads: [hex("80 80 92 34 AA")], reason: R.vp8NoPartitionStart),
    MalformedCase(codec: "VP8", note: "descriptor only", payloads: [hex("10")], reason: R.vp8EmptyPayload),
    MalformedCase(codec: "VP9", note: "I without picture ID", payloads: [hex("8C")], reason: R.vp9TruncatedDescriptor),
    MalformedCase(codec: "VP9", note: "M=1 picture ID cut short", payloads: [hex("8C 81")], reason: R.vp9TruncatedDescriptor),
    MalformedCase(codec: "VP9", note: "L without TL0PICIDX", payloads: [hex("2C 20")], reason: R.vp9TruncatedDescriptor),
    MalformedCase(codec: "VP9", note: "four chained P_DIFF", payloads: [hex("5C 03 03 03 AA")], reason: R.vp9TruncatedDescriptor),
    MalformedCase(codec: "VP9", note: "SS sizes cut short", payloads: [hex("0E 18 01")], reason: R.vp9TruncatedScalability),
    MalformedCase(codec: "VP9", note: "SS P_DIFF past the end", payloads: [hex("0E 08 01 0C 01")], reason: R.vp9TruncatedScalability),
    MalformedCase(codec: "VP9", note: "first payload without B", payloads: [hex("04 AA")], reason: R.vp9NoFrameStart),
    MalformedCase(codec: "VP9", note: "last payload without E", payloads: [hex("08 AA")], reason: R.vp9NoFrameEnd),
    MalformedCase(codec: "VP9", note: "descriptor only", payloads: [hex("0C")], reason: R.vp9EmptyPayload),
    MalformedCase(codec: "H264", note: "empty", payloads: [[]], reason: R.h264EmptyPayload),
    MalformedCase(codec: "H264", note: "STAP-A header only", payloads: [hex("78")], reason: R.h264StapAEmpty),
    MalformedCase(codec: "H264", note: "STAP-A zero size", payloads: [hex("78 0000")], reason: R.h264StapAEmpty),
    MalformedCase(codec: "H264", note: "STAP-A length past the end", payloads: [hex("78 0005 6742")], reason: R.h264StapALengthPastEnd),
    MalformedCase(codec: "H264", note: "STAP-A half a size field", payloads: [hex("78 0002 6742 00")], reason: R.h264StapALengthPastEnd),
    MalformedCase(codec: "H264", note: "FU-A without start", payloads: [hex("7C 05 AA")], reason: R.h264FuAWithoutStart),
    MalformedCase(codec: "H264", note: "FU-A without end", payloads: [hex("7C 85 AA")], reason: R.h264FuAWithoutEnd),
    MalformedCase(codec: "H264", note: "FU-A interrupted by a NAL unit", payloads: [hex("7C 85 AA"), hex("41 9A")], reason: R.h264FuAWithoutEnd),
    MalformedCase(codec: "H264", note: "FU-A restarted", payloads: [hex("7C 85 AA"), hex("7C 85 BB")], reason: R.h264FuAWithoutEnd),
    MalformedCase(codec: "H264", note: "FU-A headers only", payloads: [hex("7C 85")], reason: R.h264FuATruncated),
    MalformedCase(codec: "H264", note: "STAP-B (mode 2 only)", payloads: [hex("19 0000 0002 6742")], reason: R.h264UnsupportedType),
    MalformedCase(codec: "H264", note: "FU-B", payloads: [hex("1D 85 0000 AA")], reason: R.h264UnsupportedType),
    MalformedCase(codec: "H264", note: "type 0", payloads: [hex("00 AA")], reason: R.h264UnsupportedType),
    MalformedCase(codec: "AV1", note: "empty", payloads: [[]], reason: R.av1EmptyPayload),
    MalformedCase(codec: "AV1", note: "aggregation header only", payloads: [hex("00")], reason: R.av1EmptyPayload),
    MalformedCase(codec: "AV1", note: "LEB128 cut short", payloads: [hex("00 80")], reason: R.av1BadLEB128),
    MalformedCase(codec: "AV1", note: "LEB128 over 8 bytes", payloads: [hex("00 8080808080808080 01 30")], reason: R.av1BadLEB128),
    MalformedCase(codec: "AV1", note: "element past the end", payloads: [hex("00 05 30")], reason: R.av1BadLEB128),
    MalformedCase(codec: "AV1", note: "W=3 with one element", payloads: [hex("30 01 30")], reason: R.av1ElementCountMismatch),
    MalformedCase(codec: "AV1", note: "Z=1 with nothing open", payloads: [hex("80 01 30")], reason: R.av1FragmentMismatch),
    MalformedCase(codec: "AV1", note: "Z=0 after Y=1", payloads: [hex("40 01 30"), hex("00 01 30")], reason: R.av1FragmentMismatch),
    MalformedCase(codec: "AV1", note: "frame ends with Y=1", payloads: [hex("40 02 30 01")], reason: R.av1FragmentNotFinished),
    MalformedCase(codec: "AV1", note: "forbidden bit", payloads: [hex("00 01 B0")], reason: R.av1BadOBU),
    MalformedCase(codec: "AV1", note: "extension byte missing", payloads: [hex("00 01 34")], reason: R.av1BadOBU),
    MalformedCase(codec: "AV1", note: "kept size field past the end", payloads: [hex("00 03 32 05 00")], reason: R.av1BadOBU),
    MalformedCase(codec: "AV1", note: "empty element", payloads: [hex("00 00")], reason: R.av1BadOBU),
]

@Test("malformed payloads are dropped with a named reason", arguments: malformedCases)
func malformedPayload(_ c: MalformedCase) {
    #expect(c.run() == .dropped(reason: c.reason))
}

@Test("a malformed frame in the assembler is counted under its reason and the next frame has gapBefore")
func malformedThroughAssembler() {
    var a = FrameAssembler(depacketizer: H264Depacketizer())
    #expect(a.push(sequenceNumber: 10, timestamp: 0, marker: true, payload: hex("78 0005 6742")).isEmpty)
    let next = a.push(sequenceNumber: 11, timestamp: 3000, marker: true, payload: hex("41 9A"))
    #expect(a.drops[R.h264StapALengthPastEnd] == 1)
    #expect(next == [EncodedFrame(bytes: AnnexB.join([hex("41 9A")]), timestamp: 3000, isKeyframe: false, gapBefore: true)])
}

@Test("every truncation of valid payloads is handled without trapping", arguments: ["VP8", "VP9", "H264", "AV1"])
func truncationsNeverTrap(codec: String) {
    let samples: [[UInt8]] = [
        hex("80 F0 81 02 17 A5 50"), hex("AE 81 23 20 05 18 0140 00F0 01 04 01 AA"),
        hex("78 0004 6742C01E 0003 68CE3C"), hex("7C 85 01020304"), hex("20 02 0801 30AA"), hex("48 04 30F0F1F2"),
    ]
    var results = 0
    for s in samples {
        for n in 0...s.count {
            _ = MalformedCase(codec: codec, note: "", payloads: [Array(s.prefix(n))], reason: "").run()
            results += 1
        }
    }
    #expect(results == samples.reduce(0) { $0 + $1.count + 1 })
}
