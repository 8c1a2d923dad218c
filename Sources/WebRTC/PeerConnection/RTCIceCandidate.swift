import WebRTCSDP

/// What `addIceCandidate` takes and `icecandidate` gives (webrtc-pc §4.8.1 `RTCIceCandidateInit`).
public struct RTCIceCandidateInit: Sendable, Hashable, Codable {
    /// The `candidate:` attribute value; empty means end-of-candidates.
    public var candidate: String
    /// The mid of the m-section it belongs to.
    public var sdpMid: String?
    /// The index of the m-section it belongs to.
    public var sdpMLineIndex: Int?
    /// The ICE user fragment it belongs to.
    public var usernameFragment: String?

    /// Creates a candidate init.
    public init(candidate: String = "", sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }
}

/// The kind of an ICE candidate.
public enum RTCIceCandidateType: String, Sendable {
    /// A local interface address.
    case host
    /// A server-reflexive address learned from STUN.
    case srflx
    /// A peer-reflexive address learned from a check.
    case prflx
    /// A TURN relay address.
    case relay
}

/// An ICE candidate (webrtc-pc §4.8.1).
public struct RTCIceCandidate: Sendable, Hashable {
    /// The `candidate:` string.
    public let candidate: String
    /// The mid of its m-section.
    public let sdpMid: String?
    /// The index of its m-section.
    public let sdpMLineIndex: Int?
    /// Its ICE user fragment.
    public let usernameFragment: String?
    /// Parsed fields.
    public let foundation: String?
    /// The component (1 = RTP).
    public let component: Int?
    /// The priority.
    public let priority: UInt32?
    /// The address (an IP or an mDNS name).
    public let address: String?
    /// `udp` or `tcp`.
    public let `protocol`: String?
    /// The port.
    public let port: Int?
    /// The type.
    public let type: RTCIceCandidateType?
    /// The related (base) address.
    public let relatedAddress: String?
    /// The related port.
    public let relatedPort: Int?

    /// Parses a candidate; throws `TypeError` when neither `sdpMid` nor `sdpMLineIndex` is given.
    public init(_ initDict: RTCIceCandidateInit) throws {
        if initDict.sdpMid == nil && initDict.sdpMLineIndex == nil {
            throw RTCError(.typeError, "sdpMid and sdpMLineIndex are both null.")
        }
        candidate = initDict.candidate
        sdpMid = initDict.sdpMid
        sdpMLineIndex = initDict.sdpMLineIndex
        let parsed = try? CandidateAttribute.parse(initDict.candidate)
        usernameFragment = initDict.usernameFragment ?? parsed?.ufrag
        foundation = parsed?.foundation
        component = parsed.map { Int($0.component) }
        priority = parsed?.priority
        address = parsed?.address
        `protocol` = parsed?.transport
        port = parsed.map { Int($0.port) }
        type = parsed.flatMap { RTCIceCandidateType(rawValue: $0.type.rawValue) }
        relatedAddress = parsed?.relatedAddress
        relatedPort = parsed?.relatedPort.map { Int($0) }
    }

    /// The init dictionary form (what goes on the signaling wire).
    public func toJSON() -> RTCIceCandidateInit {
        RTCIceCandidateInit(candidate: candidate, sdpMid: sdpMid, sdpMLineIndex: sdpMLineIndex, usernameFragment: usernameFragment)
    }
}
