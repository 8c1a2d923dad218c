import WebRTCCore

/// Constants and the common 4-byte header shared by every RTCP packet, RFC 3550 §6.4.1.
package enum RTCPHeader {
    /// Sender report.
    package static let senderReport: UInt8 = 200
    /// Receiver report.
    package static let receiverReport: UInt8 = 201
    /// Source description.
    package static let sourceDescription: UInt8 = 202
    /// Goodbye.
    package static let bye: UInt8 = 203
    /// Transport-layer feedback (RFC 4585 §6.2).
    package static let transportFeedback: UInt8 = 205
    /// Payload-specific feedback (RFC 4585 §6.3).
    package static let payloadFeedback: UInt8 = 206

    /// Writes one RTCP packet: header with `count` and `type`, then `body`, and patches the length
    /// field (in 32-bit words minus one). `body` must write a multiple of 4 bytes.
    package static func write(into w: inout ByteWriter, count: UInt8, type: UInt8, body: (inout ByteWriter) -> Void) {
        let start = w.bytes.count
        w.u8(0x80 | count & 0x1F)
        w.u8(type)
        w.u16(0)
        body(&w)
        while (w.bytes.count - start) % 4 != 0 { w.u8(0) }
        w.patchU16(UInt16(truncatingIfNeeded: (w.bytes.count - start) / 4 - 1), at: start + 2)
    }
}
