/// Separates RTP from RTCP when both share one transport (rtcp-mux).
package enum RTPDemux {
    /// RFC 5761 §4: with the marker bit masked off, a second byte of 64–95 is an RTCP packet
    /// type (192–223); anything else is RTP. Packets shorter than 2 bytes are not RTCP.
    package static func isRTCP(_ packet: ArraySlice<UInt8>) -> Bool {
        guard packet.count >= 2 else { return false }
        let payloadType = packet[packet.startIndex + 1] & 0x7F
        return (64...95).contains(payloadType)
    }

    /// Convenience overload for a whole array.
    package static func isRTCP(_ packet: [UInt8]) -> Bool { isRTCP(packet[...]) }
}
