/// Which operation changes the signaling state.
package enum SignalingOperation: Sendable {
    case setLocal, setRemote
}

/// The JSEP signaling state machine (RFC 9429 §3.2, webrtc-pc §4.4.1.5–6) as a pure function,
/// so every (state, operation, type) tuple is one table row in the tests.
package enum SignalingTransition {
    /// The state after applying a description of `type` by `op` in `state`, or the error the
    /// spec gives. A remote offer in `have-local-offer` is valid: it implies a local rollback
    /// (perfect negotiation), which the caller performs first.
    package static func next(from state: SignalingState, _ op: SignalingOperation, _ type: SdpType) -> Result<SignalingState, EngineError> {
        if state == .closed { return .failure(.closed) }
        switch (op, type, state) {
        case (.setLocal, .offer, .stable), (.setLocal, .offer, .haveLocalOffer):
            return .success(.haveLocalOffer)
        case (.setLocal, .answer, .haveRemoteOffer), (.setLocal, .answer, .haveLocalPranswer):
            return .success(.stable)
        case (.setLocal, .pranswer, .haveRemoteOffer), (.setLocal, .pranswer, .haveLocalPranswer):
            return .success(.haveLocalPranswer)
        case (.setLocal, .rollback, .haveLocalOffer):
            return .success(.stable)
        case (.setRemote, .offer, .stable), (.setRemote, .offer, .haveRemoteOffer), (.setRemote, .offer, .haveLocalOffer):
            return .success(.haveRemoteOffer)
        case (.setRemote, .answer, .haveLocalOffer), (.setRemote, .answer, .haveRemotePranswer):
            return .success(.stable)
        case (.setRemote, .pranswer, .haveLocalOffer), (.setRemote, .pranswer, .haveRemotePranswer):
            return .success(.haveRemotePranswer)
        case (.setRemote, .rollback, .haveRemoteOffer):
            return .success(.stable)
        default:
            let side = op == .setLocal ? "local" : "remote"
            return .failure(EngineError(.invalidStateError, "Cannot set a \(side) \(type.rawValue) in signaling state \(state.rawValue)."))
        }
    }
}
