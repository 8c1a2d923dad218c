import WebRTCCore

/// A picture loss indication (PSFB, PT 206, FMT 1), RFC 4585 §6.3.1: no FCI.
package struct RTCPPictureLossIndication: Sendable, Equatable {
    /// The feedback message type in the count field.
    package static let format: UInt8 = 1

    /// The sender of the feedback.
    package var senderSSRC: UInt32
    /// The media source whose picture was lost.
    package var mediaSSRC: UInt32

    /// A PLI from `senderSSRC` about `mediaSSRC`.
    package init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// Parses the body after the common header.
    package init(body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let sender = r.u32(), let media = r.u32() else { throw .truncated }
        senderSSRC = sender
        mediaSSRC = media
    }

    /// Writes the whole packet, header included.
    package func write(into w: inout ByteWriter) {
        RTCPHeader.write(into: &w, count: Self.format, type: RTCPHeader.payloadFeedback) { w in
            w.u32(senderSSRC)
            w.u32(mediaSSRC)
        }
    }
}
