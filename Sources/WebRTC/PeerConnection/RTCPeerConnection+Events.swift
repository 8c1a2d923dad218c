import WebRTCEngine
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

/// The legacy callback forms (webrtc-pc §4.4.3). Each call joins the operations chain at
/// once, so successive calls run in the order they were made; callbacks run on the connection's
/// executor.
extension RTCPeerConnection {
    private func legacy<T: Sendable>(_ operation: @escaping @Sendable (isolated PeerConnectionDriver) throws(RTCError) -> T,
                                     _ completion: @escaping @Sendable (Result<T, RTCError>) -> Void) {
        if isClosedForLegacy { completion(.failure(.closed)); return }
        driver.chain(operation, completion: completion)
    }

    /// Legacy `createOffer(successCallback, failureCallback, options)`.
    public func createOffer(_ successCallback: @escaping @Sendable (RTCSessionDescription) -> Void,
                            _ failureCallback: @escaping @Sendable (RTCError) -> Void,
                            _ options: RTCOfferOptions = RTCOfferOptions()) {
        legacy({ (d: isolated PeerConnectionDriver) throws(RTCError) in
            RTCSessionDescription(type: .offer, sdp: try d.run { e, _ throws(EngineError) in try e.createOffer(iceRestart: options.iceRestart) })
        }) { result in
            switch result { case .success(let s): successCallback(s); case .failure(let e): failureCallback(e) }
        }
    }

    /// Legacy `createAnswer(successCallback, failureCallback)`.
    public func createAnswer(_ successCallback: @escaping @Sendable (RTCSessionDescription) -> Void,
                             _ failureCallback: @escaping @Sendable (RTCError) -> Void) {
        legacy({ (d: isolated PeerConnectionDriver) throws(RTCError) in
            RTCSessionDescription(type: .answer, sdp: try d.run { e, _ throws(EngineError) in try e.createAnswer() })
        }) { result in
            switch result { case .success(let s): successCallback(s); case .failure(let e): failureCallback(e) }
        }
    }

    /// Legacy `setLocalDescription(description, successCallback, failureCallback)`.
    public func setLocalDescription(_ description: RTCSessionDescription,
                                    _ successCallback: @escaping @Sendable () -> Void,
                                    _ failureCallback: @escaping @Sendable (RTCError) -> Void) {
        legacy({ (d: isolated PeerConnectionDriver) throws(RTCError) in try d.setLocalDescription(description) }) { result in
            switch result { case .success: successCallback(); case .failure(let e): failureCallback(e) }
        }
    }

    /// Legacy `setRemoteDescription(description, successCallback, failureCallback)`.
    public func setRemoteDescription(_ description: RTCSessionDescription,
                                     _ successCallback: @escaping @Sendable () -> Void,
                                     _ failureCallback: @escaping @Sendable (RTCError) -> Void) {
        legacy({ (d: isolated PeerConnectionDriver) throws(RTCError) in
            try d.run { e, now throws(EngineError) in try e.setRemoteDescription(type: SdpType(description.type), sdp: description.sdp, now: now) }
        }) { result in
            switch result { case .success: successCallback(); case .failure(let e): failureCallback(e) }
        }
    }

    /// Legacy `addIceCandidate(candidate, successCallback, failureCallback)`.
    public func addIceCandidate(_ candidate: RTCIceCandidateInit,
                                _ successCallback: @escaping @Sendable () -> Void,
                                _ failureCallback: @escaping @Sendable (RTCError) -> Void) {
        legacy({ (d: isolated PeerConnectionDriver) throws(RTCError) in
            try d.run { e, now throws(EngineError) in
                try e.addIceCandidate(candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex,
                                      usernameFragment: candidate.usernameFragment, now: now)
            }
        }) { result in
            switch result { case .success: successCallback(); case .failure(let e): failureCallback(e) }
        }
    }

    /// `createOffer` with one completion (a Swift convenience over the legacy form).
    public func createOffer(_ options: RTCOfferOptions = RTCOfferOptions(), completion: @escaping @Sendable (Result<RTCSessionDescription, any Error>) -> Void) {
        createOffer({ completion(.success($0)) }, { completion(.failure($0)) }, options)
    }
    /// `createAnswer` with one completion.
    public func createAnswer(completion: @escaping @Sendable (Result<RTCSessionDescription, any Error>) -> Void) {
        createAnswer({ completion(.success($0)) }, { completion(.failure($0)) })
    }
    /// `setLocalDescription` with one completion (nil on success).
    public func setLocalDescription(_ d: RTCSessionDescription, completion: @escaping @Sendable ((any Error)?) -> Void) {
        setLocalDescription(d, { completion(nil) }, { completion($0) })
    }
    /// `setRemoteDescription` with one completion (nil on success).
    public func setRemoteDescription(_ d: RTCSessionDescription, completion: @escaping @Sendable ((any Error)?) -> Void) {
        setRemoteDescription(d, { completion(nil) }, { completion($0) })
    }
    /// `addIceCandidate` with one completion (nil on success).
    public func addIceCandidate(_ c: RTCIceCandidateInit, completion: @escaping @Sendable ((any Error)?) -> Void) {
        addIceCandidate(c, { completion(nil) }, { completion($0) })
    }
}
