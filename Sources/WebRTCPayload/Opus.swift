/// Opus payload format (RFC 7587): one Opus packet per RTP payload, unchanged (§4.2).
package struct OpusPacketizer: Packetizer {
    /// A packetizer; Opus needs no per-stream state.
    package init() {}

    /// `[frame]`, or nothing when the frame is empty or larger than `maxPayloadSize`
    /// (RFC 7587 §4.2: an Opus packet is never split across RTP packets).
    package func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        guard !frame.isEmpty, frame.count <= maxPayloadSize else { return [] }
        return [frame]
    }
}

/// Opus receive side: every payload is one whole, independently decodable Opus packet.
package struct OpusDepacketizer: Depacketizer {
    /// A depacketizer.
    package init() {}

    /// Always true (RFC 7587 §4.2).
    package var oneFramePerPayload: Bool { true }

    /// Every payload starts a frame.
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart { .yes }

    /// The Opus packet; dropped when empty (RFC 6716 §3.2: at least the TOC byte).
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        guard payloads.count == 1, let p = payloads.first, !p.isEmpty else {
            return .dropped(reason: PayloadDropReason.opusEmpty)
        }
        return .frame(Array(p), isKeyframe: true)
    }
}
