/// The two G.711 companding laws (RFC 3551 §4.5.14): static payload types 0 and 8.
package enum G711Law: Sendable {
    /// µ-law, "PCMU", payload type 0.
    case pcmu
    /// A-law, "PCMA", payload type 8.
    case pcma

    /// The static RTP payload type (RFC 3551 Table 4).
    package var payloadType: UInt8 { self == .pcmu ? 0 : 8 }
}

/// G.711 payload format (RFC 3551 §4.5.14): the samples, one byte each, as they are.
package struct G711Packetizer: Packetizer {
    /// The law of the stream (informational; the bytes are carried unchanged).
    package let law: G711Law

    /// A packetizer for `law`.
    package init(law: G711Law) { self.law = law }

    /// `[frame]`, or nothing when empty or larger than `maxPayloadSize`: a frame is one packet's
    /// worth of samples, because every RTP packet needs its own timestamp.
    package func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        guard !frame.isEmpty, frame.count <= maxPayloadSize else { return [] }
        return [frame]
    }
}

/// G.711 receive side: every payload is a frame, and every frame is decodable on its own.
package struct G711Depacketizer: Depacketizer {
    /// The law of the stream.
    package let law: G711Law

    /// A depacketizer for `law`.
    package init(law: G711Law) { self.law = law }

    /// Always true.
    package var oneFramePerPayload: Bool { true }

    /// Every payload starts a frame.
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart { .yes }

    /// The samples; dropped when empty.
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        guard payloads.count == 1, let p = payloads.first, !p.isEmpty else {
            return .dropped(reason: PayloadDropReason.g711Empty)
        }
        return .frame(Array(p), isKeyframe: true)
    }
}
