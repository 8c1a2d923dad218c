import WebRTCCore

/// One RTCP packet of a type this layer interprets.
package enum RTCPPacket: Sendable, Equatable {
    /// SR, RFC 3550 §6.4.1.
    case senderReport(RTCPSenderReport)
    /// RR, RFC 3550 §6.4.2.
    case receiverReport(RTCPReceiverReport)
    /// SDES, RFC 3550 §6.5.
    case sourceDescription(RTCPSourceDescription)
    /// BYE, RFC 3550 §6.6.
    case bye(RTCPBye)
    /// Generic NACK, RFC 4585 §6.2.1.
    case nack(RTCPGenericNACK)
    /// Picture loss indication, RFC 4585 §6.3.1.
    case pictureLossIndication(RTCPPictureLossIndication)
    /// Full intra request, RFC 5104 §4.3.1.
    case fullIntraRequest(RTCPFullIntraRequest)
    /// Receiver estimated maximum bitrate.
    case remb(RTCPREMB)
    /// Transport-wide congestion control feedback.
    case transportFeedback(RTCPTransportFeedback)

    /// Writes the packet, header included.
    package func write(into w: inout ByteWriter) {
        switch self {
        case .senderReport(let p): p.write(into: &w)
        case .receiverReport(let p): p.write(into: &w)
        case .sourceDescription(let p): p.write(into: &w)
        case .bye(let p): p.write(into: &w)
        case .nack(let p): p.write(into: &w)
        case .pictureLossIndication(let p): p.write(into: &w)
        case .fullIntraRequest(let p): p.write(into: &w)
        case .remb(let p): p.write(into: &w)
        case .transportFeedback(let p): p.write(into: &w)
        }
    }

    /// Interprets one sub-packet's body. Returns nil for a type or feedback format this layer does
    /// not know (the caller skips it); throws for a known one that is malformed.
    package static func decode(type: UInt8, count: UInt8, body: ArraySlice<UInt8>) throws(RTCPBodyError) -> RTCPPacket? {
        switch (type, count) {
        case (RTCPHeader.senderReport, _): return .senderReport(try RTCPSenderReport(count: count, body: body))
        case (RTCPHeader.receiverReport, _): return .receiverReport(try RTCPReceiverReport(count: count, body: body))
        case (RTCPHeader.sourceDescription, _): return .sourceDescription(try RTCPSourceDescription(count: count, body: body))
        case (RTCPHeader.bye, _): return .bye(try RTCPBye(count: count, body: body))
        case (RTCPHeader.transportFeedback, RTCPGenericNACK.format): return .nack(try RTCPGenericNACK(body: body))
        case (RTCPHeader.transportFeedback, RTCPTransportFeedback.format):
            return .transportFeedback(try RTCPTransportFeedback(body: body))
        case (RTCPHeader.payloadFeedback, RTCPPictureLossIndication.format):
            return .pictureLossIndication(try RTCPPictureLossIndication(body: body))
        case (RTCPHeader.payloadFeedback, RTCPFullIntraRequest.format): return .fullIntraRequest(try RTCPFullIntraRequest(body: body))
        case (RTCPHeader.payloadFeedback, RTCPREMB.format) where RTCPREMB.matches(body: body): return .remb(try RTCPREMB(body: body))
        default: return nil
        }
    }
}
