/// Whether a payload begins a new frame, as far as the payload format can tell on its own.
package enum FrameStart: Sendable, Equatable {
    /// The payload is the first of a frame (for example VP8 S=1 with partition index 0).
    case yes
    /// The payload continues a frame.
    case no
    /// The format cannot tell from this payload alone.
    case unknown
}

/// The outcome of turning the ordered payloads of one frame back into the frame.
package enum DepacketizeResult: Sendable, Equatable {
    /// The reassembled frame and whether it can be decoded without earlier frames.
    case frame([UInt8], isKeyframe: Bool)
    /// The payloads were malformed; `reason` is one of the format's drop reason constants.
    case dropped(reason: String)
}

/// The codec-specific half of receiving: `FrameAssembler` orders payloads and finds frame
/// boundaries, a depacketizer interprets the payload format.
package protocol Depacketizer: Sendable {
    /// True for formats that carry exactly one frame per payload (Opus, G.711); the assembler then
    /// treats every payload as a whole frame regardless of the marker bit.
    var oneFramePerPayload: Bool { get }

    /// Whether `payload` starts a frame; used to resynchronise after lost payloads.
    func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart

    /// The frame carried by `payloads` (in sequence-number order, first to marker).
    func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult
}
