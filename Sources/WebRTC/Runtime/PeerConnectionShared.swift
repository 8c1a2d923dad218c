import Synchronization
import WebRTCEngine
import WebRTCICE

/// What the public facades read synchronously: a snapshot the connection's executor publishes
/// after each change, plus the event channels. The lock guards this snapshot only — protocol
/// state lives in the actor and is never locked.
final class PeerConnectionShared: Sendable {
    struct Snapshot {
        var signalingState: RTCSignalingState = .stable
        var iceGatheringState: RTCIceGatheringState = .new
        var iceConnectionState: RTCIceConnectionState = .new
        var connectionState: RTCPeerConnectionState = .new
        var dtlsState: RTCDtlsTransportState = .new
        var dtlsRole: RTCDtlsRole = .unknown
        var dtlsCipher: String?
        var sctpState: RTCSctpTransportState?
        var sctpMaxMessageSize: Double = 65_536
        var sctpMaxChannels: Int?
        /// The four descriptions as SDP models; text is made when the application reads one.
        var descriptions = DescriptionSet()
        var selectedPair: ICESelectedPair?
        var configuration: RTCConfiguration
        var remoteCertificates: [[UInt8]] = []
        /// Set by `close()`: the states below stay `closed` whatever the executor publishes later.
        var isClosed = false
    }

    /// Every event of the W3C `RTCPeerConnection` interface.
    final class Events: Sendable {
        let negotiationNeeded = EventChannel<Void>()
        let iceCandidate = EventChannel<RTCIceCandidate?>()
        let iceCandidateError = EventChannel<RTCPeerConnectionIceErrorEvent>()
        let signalingStateChange = EventChannel<RTCSignalingState>(bufferLimit: 0)
        let iceGatheringStateChange = EventChannel<RTCIceGatheringState>(bufferLimit: 0)
        let iceConnectionStateChange = EventChannel<RTCIceConnectionState>(bufferLimit: 0)
        let connectionStateChange = EventChannel<RTCPeerConnectionState>(bufferLimit: 0)
        let dataChannel = EventChannel<RTCDataChannel>()
        let track = EventChannel<RTCTrackEvent>()

        func finishAll() {
            negotiationNeeded.finish(); iceCandidate.finish(); iceCandidateError.finish()
            signalingStateChange.finish(); iceGatheringStateChange.finish()
            iceConnectionStateChange.finish(); connectionStateChange.finish()
            dataChannel.finish(); track.finish()
        }
    }

    /// Events of the DTLS and SCTP transport objects.
    final class TransportEvents: Sendable {
        let stateChange = EventChannel<RTCDtlsTransportState>(bufferLimit: 0)
        let error = EventChannel<RTCError>()
    }

    private let snapshot: Mutex<Snapshot>
    let events = Events()
    let dtlsTransport = TransportEvents()
    let sctpStateChange = EventChannel<RTCSctpTransportState>(bufferLimit: 0)

    init(configuration: RTCConfiguration) {
        snapshot = Mutex(Snapshot(configuration: configuration))
    }

    private let channelRegistry = Mutex<[RTCDataChannel]>([])

    /// Remembers a channel so `close()` can mark it closed synchronously from any thread.
    func register(_ channel: RTCDataChannel) {
        channelRegistry.withLock { list in
            list.removeAll { $0.readyState == .closed }
            list.append(channel)
        }
    }

    func registeredChannels() -> [RTCDataChannel] { channelRegistry.withLock { $0 } }

    /// Ends every event stream of the connection and its transports (close is final).
    func finishEvents() {
        events.finishAll()
        dtlsTransport.stateChange.finish()
        dtlsTransport.error.finish()
        sctpStateChange.finish()
    }

    /// Forgets every channel (after close: channels hold the connection's core).
    func clearRegistry() { channelRegistry.withLock { $0.removeAll() } }

    func read<T>(_ body: (Snapshot) -> T) -> T { snapshot.withLock { body($0) } }
    func update(_ body: (inout Snapshot) -> Void) {
        snapshot.withLock { s in
            body(&s)
            // close() is final (webrtc-pc §4.4.1.7), also against a change the executor made
            // before it ran the scheduled close.
            if s.isClosed {
                s.signalingState = .closed
                s.iceConnectionState = .closed
                s.connectionState = .closed
                if s.sctpState != nil { s.sctpState = .closed }
            }
        }
    }
}

/// The `icecandidateerror` event (webrtc-pc §4.8.2).
public struct RTCPeerConnectionIceErrorEvent: Sendable, Hashable {
    /// The local address used to reach the server, if known.
    public var address: String?
    /// The local port used.
    public var port: Int?
    /// The STUN/TURN URL that failed.
    public var url: String
    /// STUN error code, or 701 when the server could not be reached.
    public var errorCode: Int
    /// The STUN reason phrase or a description.
    public var errorText: String
}

/// The `track` event (media is not implemented yet; no track event fires).
public struct RTCTrackEvent: Sendable, Hashable {
    /// The mid of the m-section the track belongs to.
    public var mid: String?
}
