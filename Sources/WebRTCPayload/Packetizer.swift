/// Splits one encoded frame into RTP payloads for a codec's payload format.
///
/// The caller puts each payload in its own RTP packet, all with the frame's timestamp, consecutive
/// sequence numbers, and the marker bit on the last one. Implementations are value types that carry
/// whatever per-stream state the format needs (for example the VP8 PictureID).
package protocol Packetizer {
    /// The payloads for `frame`, each at most `maxPayloadSize` bytes; empty when the frame cannot be
    /// carried (empty input, a size limit too small for the format's headers, or a single-packet
    /// format whose frame is larger than `maxPayloadSize`).
    mutating func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]]
}
