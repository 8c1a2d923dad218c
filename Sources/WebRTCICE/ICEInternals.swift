import WebRTCCore

/// How a local candidate's packets leave: straight out of a bound socket, or through a TURN
/// allocation (wrapped in ChannelData or a Send indication).
enum ICERoute: Equatable, Sendable {
    case socket(Int)
    case relay(Int)
}

/// A local candidate and where it sends from.
struct ICELocalCandidate {
    let id: Int
    var candidate: ICECandidate
    var route: ICERoute
    var base: TransportAddress
    /// Local preference used for this candidate's priority (kept for PRIORITY in checks).
    var localPreference: UInt16
}

/// A remote candidate tagged with the ICE generation (restart count) it belongs to.
struct ICERemoteCandidate {
    let id: Int
    var candidate: ICECandidate
    var generation: Int
}

/// RFC 8445 §6.1.2.6 pair states.
enum ICEPairState: Equatable {
    case frozen, waiting, inProgress, succeeded, failed
}

/// One entry of the checklist.
struct ICECandidatePair {
    let id: Int
    var local: Int
    var remote: Int
    var generation: Int
    var state: ICEPairState = .frozen
    var priority: UInt64 = 0
    var foundation: String
    var nominated = false
    /// Controlled side: USE-CANDIDATE arrived before the pair succeeded (RFC 8445 §7.3.1.5).
    var nominateOnSuccess = false
    /// The local candidate the success response mapped to when it differs (a peer-reflexive one).
    var validLocal: Int?
    var rtt: Duration?
    var lastReceived: Instant?
}

/// Short-term credentials of one ICE generation.
struct ICECredentials {
    var localUfrag: String
    var localPassword: String
    var remoteUfrag: String?
    var remotePassword: String?
}

/// What an outstanding STUN transaction is for.
enum ICETransactionKind {
    case check(pair: Int, nominate: Bool, role: ICERole)
    case consent(pair: Int)
    case gather(job: Int)
    case turn(allocation: Int, request: TURNRequestKind)
}

/// TURN requests the client makes (RFC 8656).
enum TURNRequestKind: Equatable {
    case allocate, refresh(lifetime: UInt32), createPermission(IPAddress), channelBind(TransportAddress, UInt16)
}

/// An outstanding STUN request with its retransmission schedule (RFC 8489 §6.2.1).
struct ICETransaction {
    var id: [UInt8]
    var kind: ICETransactionKind
    var route: ICERoute
    var destination: TransportAddress
    var bytes: [UInt8]
    /// Key that the response's MESSAGE-INTEGRITY must verify with; nil = none expected.
    var responseKey: [UInt8]?
    var sentAt: Instant
    var nextAt: Instant
    var rto: Duration
    var maxRTO: Duration
    var transmissions: Int
    var maxTransmissions: Int
}

/// One gathering job: a STUN or TURN server on one host socket.
struct ICEGatherJob {
    let id: Int
    var url: String
    var socket: Int
    var deadline: Instant
    var done = false
}

