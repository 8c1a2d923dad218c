/// One encoded audio or video frame leaving `FrameAssembler`.
package struct EncodedFrame: Sendable, Equatable {
    /// The frame in the codec's native form (Annex B for H.264, low-overhead OBUs for AV1).
    package var bytes: [UInt8]
    /// The RTP timestamp shared by the frame's payloads.
    package var timestamp: UInt32
    /// True when the frame can be decoded without earlier frames.
    package var isKeyframe: Bool
    /// True when one or more frames before this one were lost or dropped.
    package var gapBefore: Bool

    /// A frame with the given fields.
    package init(bytes: [UInt8], timestamp: UInt32, isKeyframe: Bool, gapBefore: Bool) {
        self.bytes = bytes
        self.timestamp = timestamp
        self.isKeyframe = isKeyframe
        self.gapBefore = gapBefore
    }
}
