import WebRTCSDP

/// What our side puts into every description it writes.
package struct LocalTransportParameters: Sendable {
    package var iceUfrag: String
    package var icePwd: String
    /// One fingerprint per certificate.
    package var fingerprints: [SDPFingerprint]
    package var sessionID: UInt64
    package var sessionVersion: UInt64
    package var sctpPort: UInt16 = 5000
    package var maxMessageSize: UInt64
}

/// One m-section of a description we write.
package struct LocalMediaSection: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case data
        case rejected(kind: String, proto: String, formats: [String])
    }
    package var kind: Kind
    package var mid: String
    package var setup: SDPSetupRole

    package var isData: Bool { kind == .data }
}

/// Builds our offers and answers as SDP *models* (RFC 9429 §5.2, §5.3; RFC 8841 for data). Text
/// exists only at the API boundary (`SessionDescription.serialize()`).
package enum LocalDescriptionBuilder {
    /// The description with the candidates gathered so far (webrtc-pc §4.4.1.6: the local
    /// description reflects gathered candidates) and `a=end-of-candidates` once gathering is complete.
    package static func build(_ p: LocalTransportParameters, sections: [LocalMediaSection],
                              candidates: [CandidateAttribute], gatheringComplete: Bool) -> SessionDescription {
        var session = SessionDescription(origin: SDPOrigin(sessionID: p.sessionID, sessionVersion: p.sessionVersion))
        let bundled = sections.filter(\.isData).map(\.mid)
        if !bundled.isEmpty { session.attributes.append(.group(semantics: "BUNDLE", ids: bundled)) }
        session.attributes.append(.msidSemantic(SDPMsidSemantic(semantic: "WMS")))
        var transportOwner = true
        for s in sections {
            var attributes: [SDPAttribute] = []
            let m: MediaDescription
            switch s.kind {
            case .rejected(let kind, let proto, let formats):
                // RFC 9429 §5.3.1: a rejected m-section has port 0 and keeps its mid. It still carries
                // ICE credentials, fingerprint and setup as Chromium writes them: some peers (aiortc)
                // refuse a description whose sections lack them.
                attributes += transportAttributes(p, setup: s.setup)
                attributes.append(.mid(s.mid))
                attributes.append(.direction(.inactive))
                m = MediaDescription(kind: kind, port: 0, proto: proto, formats: formats, connection: SDPConnection(), attributes: attributes)
            case .data:
                if transportOwner {
                    attributes += candidates.map { .candidate($0) }
                    if gatheringComplete { attributes.append(.endOfCandidates) }
                }
                attributes += transportAttributes(p, setup: s.setup)
                attributes.append(.mid(s.mid))
                attributes.append(.sctpPort(p.sctpPort))
                attributes.append(.maxMessageSize(p.maxMessageSize))
                transportOwner = false
                m = MediaDescription(kind: "application", port: 9, proto: "UDP/DTLS/SCTP", formats: ["webrtc-datachannel"],
                                     connection: SDPConnection(), attributes: attributes)
            }
            session.media.append(m)
        }
        return session
    }

    private static func transportAttributes(_ p: LocalTransportParameters, setup: SDPSetupRole) -> [SDPAttribute] {
        [.iceUfrag(p.iceUfrag), .icePwd(p.icePwd), .iceOptions(["trickle"])]
            + p.fingerprints.map { .fingerprint($0) }
            + [.setup(setup)]
    }

    /// The index of the m-section that carries our candidates: the first bundled (data) section.
    package static func transportIndex(of sections: [LocalMediaSection]) -> Int? {
        sections.firstIndex(where: \.isData)
    }
}
