/// Reasons `FrameAssembler` and the depacketizers record in `DropCounters`. Stable identifiers.
package enum PayloadDropReason {
    /// A payload larger than any RTP packet could carry.
    package static let tooLarge = "payload.tooLarge"
    /// A sequence number already buffered.
    package static let duplicate = "payload.duplicate"
    /// A payload for a frame already emitted or given up on.
    package static let late = "payload.late"
    /// A frame given up on because some of its payloads never arrived in the window (one per frame).
    package static let incompleteFrame = "payload.incompleteFrame"
    /// A payload discarded after a loss while waiting for a payload that starts a frame.
    package static let noFrameStart = "payload.noFrameStart"

    /// Opus: an empty payload (RFC 6716 §3.2 requires at least the TOC byte).
    package static let opusEmpty = "opus.empty"
    /// G.711: an empty payload.
    package static let g711Empty = "g711.empty"

    /// VP8: the payload descriptor ends before its fields do (RFC 7741 §4.2).
    package static let vp8TruncatedDescriptor = "vp8.truncatedDescriptor"
    /// VP8: the frame's first payload is not the start of partition 0.
    package static let vp8NoPartitionStart = "vp8.noPartitionStart"
    /// VP8: a payload carries a descriptor but no VP8 data.
    package static let vp8EmptyPayload = "vp8.emptyPayload"

    /// VP9: the payload descriptor ends before its fields do (RFC 9628 §4.2).
    package static let vp9TruncatedDescriptor = "vp9.truncatedDescriptor"
    /// VP9: the scalability structure ends before its fields do (RFC 9628 §4.2.1).
    package static let vp9TruncatedScalability = "vp9.truncatedScalability"
    /// VP9: the first payload of the picture does not have B=1.
    package static let vp9NoFrameStart = "vp9.noFrameStart"
    /// VP9: the last payload of the picture does not have E=1.
    package static let vp9NoFrameEnd = "vp9.noFrameEnd"
    /// VP9: a payload carries a descriptor but no VP9 data.
    package static let vp9EmptyPayload = "vp9.emptyPayload"

    /// H.264: an empty payload.
    package static let h264EmptyPayload = "h264.emptyPayload"
    /// H.264: a NAL unit type packetization-mode 1 does not allow (STAP-B, MTAP, FU-B, 0, 30, 31).
    package static let h264UnsupportedType = "h264.unsupportedType"
    /// H.264: a STAP-A NAL unit size runs past the end of the payload (RFC 6184 §5.7.1).
    package static let h264StapALengthPastEnd = "h264.stapALengthPastEnd"
    /// H.264: a STAP-A with no NAL unit or a zero-length one.
    package static let h264StapAEmpty = "h264.stapAEmpty"
    /// H.264: an FU-A shorter than its two header bytes.
    package static let h264FuATruncated = "h264.fuATruncated"
    /// H.264: an FU-A continuation without a preceding start fragment (RFC 6184 §5.8).
    package static let h264FuAWithoutStart = "h264.fuAWithoutStart"
    /// H.264: a new NAL unit or the frame end arrived while an FU-A was unfinished.
    package static let h264FuAWithoutEnd = "h264.fuAWithoutEnd"

    /// AV1: a payload shorter than the aggregation header.
    package static let av1EmptyPayload = "av1.emptyPayload"
    /// AV1: an OBU element length that is truncated, over 8 bytes, or past the payload end.
    package static let av1BadLEB128 = "av1.badLEB128"
    /// AV1: fewer OBU elements than the aggregation header's W field says.
    package static let av1ElementCountMismatch = "av1.elementCountMismatch"
    /// AV1: Z=1 without a fragment left open by the previous payload (or Z=0 with one open).
    package static let av1FragmentMismatch = "av1.fragmentMismatch"
    /// AV1: the frame's last payload left an OBU fragment open (Y=1).
    package static let av1FragmentNotFinished = "av1.fragmentNotFinished"
    /// AV1: an empty OBU element or an OBU header with the forbidden bit set or cut short.
    package static let av1BadOBU = "av1.badOBU"
}
