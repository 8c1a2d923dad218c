/// Every event of the W3C interface, as a handler property and as an `AsyncStream`.
///
/// Handlers run on the connection's executor; events fired before anything listens are kept for
/// the first listener.
extension RTCPeerConnection {
    /// `negotiationneeded`.
    public var onNegotiationNeeded: (@Sendable () -> Void)? {
        get { shared.events.negotiationNeeded.voidHandler }
        set { shared.events.negotiationNeeded.voidHandler = newValue }
    }
    /// `negotiationneeded` events.
    public var negotiationNeededEvents: AsyncStream<Void> { shared.events.negotiationNeeded.stream }

    /// `icecandidate`: a local candidate, or nil once gathering is complete.
    public var onIceCandidate: (@Sendable (RTCIceCandidate?) -> Void)? {
        get { shared.events.iceCandidate.handler }
        set { shared.events.iceCandidate.handler = newValue }
    }
    /// `icecandidate` events (nil marks the end of gathering).
    public var iceCandidates: AsyncStream<RTCIceCandidate?> { shared.events.iceCandidate.stream }

    /// `icecandidateerror`.
    public var onIceCandidateError: (@Sendable (RTCPeerConnectionIceErrorEvent) -> Void)? {
        get { shared.events.iceCandidateError.handler }
        set { shared.events.iceCandidateError.handler = newValue }
    }
    /// `icecandidateerror` events.
    public var iceCandidateErrors: AsyncStream<RTCPeerConnectionIceErrorEvent> { shared.events.iceCandidateError.stream }

    /// `signalingstatechange`.
    public var onSignalingStateChange: (@Sendable (RTCSignalingState) -> Void)? {
        get { shared.events.signalingStateChange.handler }
        set { shared.events.signalingStateChange.handler = newValue }
    }
    /// `signalingstatechange` events.
    public var signalingStateChanges: AsyncStream<RTCSignalingState> { shared.events.signalingStateChange.stream }

    /// `icegatheringstatechange`.
    public var onIceGatheringStateChange: (@Sendable (RTCIceGatheringState) -> Void)? {
        get { shared.events.iceGatheringStateChange.handler }
        set { shared.events.iceGatheringStateChange.handler = newValue }
    }
    /// `icegatheringstatechange` events.
    public var iceGatheringStateChanges: AsyncStream<RTCIceGatheringState> { shared.events.iceGatheringStateChange.stream }

    /// `iceconnectionstatechange`.
    public var onIceConnectionStateChange: (@Sendable (RTCIceConnectionState) -> Void)? {
        get { shared.events.iceConnectionStateChange.handler }
        set { shared.events.iceConnectionStateChange.handler = newValue }
    }
    /// `iceconnectionstatechange` events.
    public var iceConnectionStateChanges: AsyncStream<RTCIceConnectionState> { shared.events.iceConnectionStateChange.stream }

    /// `connectionstatechange`.
    public var onConnectionStateChange: (@Sendable (RTCPeerConnectionState) -> Void)? {
        get { shared.events.connectionStateChange.handler }
        set { shared.events.connectionStateChange.handler = newValue }
    }
    /// `connectionstatechange` events.
    public var connectionStateChanges: AsyncStream<RTCPeerConnectionState> { shared.events.connectionStateChange.stream }

    /// `datachannel`: a channel the remote opened, already `open`.
    public var onDataChannel: (@Sendable (RTCDataChannel) -> Void)? {
        get { shared.events.dataChannel.handler }
        set { shared.events.dataChannel.handler = newValue }
    }
    /// `datachannel` events.
    public var dataChannels: AsyncStream<RTCDataChannel> { shared.events.dataChannel.stream }

    /// `track` (media is not implemented yet: it never fires).
    public var onTrack: (@Sendable (RTCTrackEvent) -> Void)? {
        get { shared.events.track.handler }
        set { shared.events.track.handler = newValue }
    }
    /// `track` events.
    public var tracks: AsyncStream<RTCTrackEvent> { shared.events.track.stream }
}

/// The legacy callback forms (webrtc-pc §4.4.3).
extension RTCPeerConnection {
    /// Legacy `createOffer(successCallback, failureCallback)`.
    public func createOffer(_ options: RTCOfferOptions = RTCOfferOptions(), completion: @escaping @Sendable (Result<RTCSessionDescription, any Error>) -> Void) {
        Task { do { completion(.success(try await createOffer(options))) } catch { completion(.failure(error)) } }
    }
    /// Legacy `createAnswer(successCallback, failureCallback)`.
    public func createAnswer(completion: @escaping @Sendable (Result<RTCSessionDescription, any Error>) -> Void) {
        Task { do { completion(.success(try await createAnswer())) } catch { completion(.failure(error)) } }
    }
    /// Legacy `setLocalDescription(description, successCallback, failureCallback)`.
    public func setLocalDescription(_ d: RTCSessionDescription, completion: @escaping @Sendable ((any Error)?) -> Void) {
        Task { do { try await setLocalDescription(d); completion(nil) } catch { completion(error) } }
    }
    /// Legacy `setRemoteDescription(description, successCallback, failureCallback)`.
    public func setRemoteDescription(_ d: RTCSessionDescription, completion: @escaping @Sendable ((any Error)?) -> Void) {
        Task { do { try await setRemoteDescription(d); completion(nil) } catch { completion(error) } }
    }
    /// Legacy `addIceCandidate(candidate, successCallback, failureCallback)`.
    public func addIceCandidate(_ c: RTCIceCandidateInit, completion: @escaping @Sendable ((any Error)?) -> Void) {
        Task { do { try await addIceCandidate(c); completion(nil) } catch { completion(error) } }
    }
}
