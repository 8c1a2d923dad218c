import WebRTCCore

/// Which signalled remote addresses the agent refuses to send checks to. A peer that signals
/// them would make us spray a broadcast or multicast group, or hit a socket error on every check.
enum ICERemoteAddressScreen {
    /// The drop reason for `address`, or nil when it is a usable unicast target. Loopback stays
    /// allowed (tests and same-host peers use it).
    static func rejection(for address: TransportAddress) -> String? {
        // RFC 8839 §5.1 allows any port, but port 0 cannot be a destination (connection-address
        // with port 9/0 are TCP-active placeholders, and only UDP candidates are used).
        if address.port == 0 { return ICEDropReason.remotePortZero }
        switch address.ip {
        case .v4(let v):
            return v4Rejection(v)
        case .v6(let hi, let lo):
            // IPv4-mapped (::ffff:a.b.c.d, RFC 4291 §2.5.5.2): judge the IPv4 address.
            if hi == 0, lo >> 32 == 0xFFFF { return v4Rejection(UInt32(truncatingIfNeeded: lo)) }
            if hi == 0 && lo == 0 { return ICEDropReason.remoteUnspecified }
            if hi >> 56 == 0xFF { return ICEDropReason.remoteMulticast }  // RFC 4291 §2.7
            // fe80::/10 (RFC 4291 §2.5.6) needs a zone; `IPAddress` carries none, so it is unusable.
            if address.ip.isLinkLocal { return ICEDropReason.remoteLinkLocalWithoutScope }
            return nil
        }
    }

    private static func v4Rejection(_ v: UInt32) -> String? {
        if v == 0 { return ICEDropReason.remoteUnspecified }
        if v == 0xFFFF_FFFF { return ICEDropReason.remoteBroadcast }  // RFC 919 limited broadcast
        if v >> 28 == 0xE { return ICEDropReason.remoteMulticast }  // 224.0.0.0/4, RFC 5771
        return nil
    }
}

/// The identity of a signalled remote candidate for duplicate detection: the same transport
/// address, type and protocol is the same candidate whatever its foundation or priority.
struct ICERemoteCandidateKey: Hashable {
    /// The candidate's transport address.
    var address: TransportAddress
    /// host, srflx, prflx or relay.
    var type: ICECandidateType
    /// The transport protocol, lowercased.
    var transport: String

    /// The key of `c`.
    init(_ c: ICECandidate) {
        address = c.address
        type = c.type
        transport = c.transport.lowercased()
    }
}
