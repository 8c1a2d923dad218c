import Testing
import WebRTCEngine

/// Every (signaling state, operation, type) tuple of RFC 9429 §3.2 / webrtc-pc §4.4.1.5–6.
@Suite struct SignalingTableTests {
    typealias Row = (SignalingState, SignalingOperation, SdpType, SignalingState?)

    static let valid: [Row] = [
        (.stable, .setLocal, .offer, .haveLocalOffer),
        (.haveLocalOffer, .setLocal, .offer, .haveLocalOffer),
        (.haveRemoteOffer, .setLocal, .answer, .stable),
        (.haveLocalPranswer, .setLocal, .answer, .stable),
        (.haveRemoteOffer, .setLocal, .pranswer, .haveLocalPranswer),
        (.haveLocalPranswer, .setLocal, .pranswer, .haveLocalPranswer),
        (.haveLocalOffer, .setLocal, .rollback, .stable),
        (.stable, .setRemote, .offer, .haveRemoteOffer),
        (.haveRemoteOffer, .setRemote, .offer, .haveRemoteOffer),
        (.haveLocalOffer, .setRemote, .offer, .haveRemoteOffer),
        (.haveLocalOffer, .setRemote, .answer, .stable),
        (.haveRemotePranswer, .setRemote, .answer, .stable),
        (.haveLocalOffer, .setRemote, .pranswer, .haveRemotePranswer),
        (.haveRemotePranswer, .setRemote, .pranswer, .haveRemotePranswer),
        (.haveRemoteOffer, .setRemote, .rollback, .stable),
    ]

    @Test func everyTuple() {
        var checked = 0
        for state in SignalingState.allCases {
            for op in [SignalingOperation.setLocal, .setRemote] {
                for type in SdpType.allCases {
                    let expected = Self.valid.first { $0.0 == state && $0.1 == op && $0.2 == type }?.3
                    let result = SignalingTransition.next(from: state, op, type)
                    switch (result, expected) {
                    case (.success(let next), let want?):
                        #expect(next == want, "\(state) \(op) \(type)")
                    case (.failure(let error), nil):
                        #expect(error.name == .invalidStateError, "\(state) \(op) \(type)")
                    default:
                        Issue.record("\(state) \(op) \(type): got \(result), expected \(String(describing: expected))")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 6 * 2 * 4)
    }
}
