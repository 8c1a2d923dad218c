import WebRTCCore
import WebRTCDTLS
import WebRTCICE
import WebRTCSCTP
import WebRTCSDP

/// JSEP (RFC 9429): offers, answers, applying descriptions, trickled candidates — over the SDP
/// model; text only where the application hands it in or reads it.
extension PeerConnectionEngine {
    func checkOpen() throws(EngineError) {
        if isClosed { throw EngineError.closed }
    }

    // MARK: create

    package func createOffer(iceRestart: Bool) throws(EngineError) -> String {
        try checkOpen()
        if iceRestart || iceRestartRequested {
            iceRestartRequested = false
            restartLocalCredentials()
        }
        localParams.sessionVersion += 1
        let sections = offerSections()
        let text = LocalDescriptionBuilder.build(localParams, sections: sections, candidates: gatheredCandidates,
                                                 gatheringComplete: iceGatheringState == .complete).serialize()
        lastCreatedOffer = CreatedDescription(type: .offer, text: text, sections: sections)
        return text
    }

    package func createAnswer() throws(EngineError) -> String {
        try checkOpen()
        guard signalingState == .haveRemoteOffer || signalingState == .haveLocalPranswer, let remote = pendingRemote?.model else {
            throw EngineError(.invalidStateError, "createAnswer needs a remote offer (signaling state is \(signalingState.rawValue)).")
        }
        localParams.sessionVersion += 1
        let sections = answerSections(for: remote)
        let text = LocalDescriptionBuilder.build(localParams, sections: sections, candidates: gatheredCandidates,
                                                 gatheringComplete: iceGatheringState == .complete).serialize()
        lastCreatedAnswer = CreatedDescription(type: .answer, text: text, sections: sections)
        return text
    }

    private func offerSections() -> [LocalMediaSection] {
        // Keep the m-lines of the last negotiation in order (RFC 9429 §5.2.2), then add data.
        var sections: [LocalMediaSection] = []
        if let remote = (currentRemote ?? pendingRemote)?.model {
            for (i, m) in remote.media.enumerated() {
                let mid = m.mid ?? String(i)
                if mid == negotiatedDataMid {
                    sections.append(LocalMediaSection(kind: .data, mid: mid, setup: .actpass))
                } else {
                    sections.append(LocalMediaSection(kind: .rejected(kind: m.kind, proto: m.proto, formats: m.formats), mid: mid, setup: .actpass))
                }
            }
        } else if let mid = negotiatedDataMid {
            sections.append(LocalMediaSection(kind: .data, mid: mid, setup: .actpass))
        }
        if wantsDataSection && !sections.contains(where: \.isData) {
            var n = sections.count
            while sections.contains(where: { $0.mid == String(n) }) { n += 1 }
            sections.append(LocalMediaSection(kind: .data, mid: String(n), setup: .actpass))
        }
        return sections
    }

    private func answerSections(for remote: SessionDescription) -> [LocalMediaSection] {
        var sections: [LocalMediaSection] = []
        var dataTaken = false
        for (i, m) in remote.media.enumerated() {
            let mid = m.mid ?? String(i)
            let setup = answerSetup(remote: remote.setup(for: i))
            if !dataTaken, Self.isDataSection(m) {
                dataTaken = true
                sections.append(LocalMediaSection(kind: .data, mid: mid, setup: setup))
            } else {
                sections.append(LocalMediaSection(kind: .rejected(kind: m.kind, proto: m.proto, formats: m.formats), mid: mid, setup: setup))
            }
        }
        return sections
    }

    static func isDataSection(_ m: MediaDescription) -> Bool {
        m.kind == "application" && !m.isRejected && m.proto.uppercased().contains("DTLS/SCTP")
    }

    /// RFC 8842 §5.3: the answerer picks active for actpass (it then sends the ClientHello at
    /// once, saving a round trip); it keeps a role already negotiated.
    private func answerSetup(remote: SDPSetupRole?) -> SDPSetupRole {
        if let dtlsRole { return dtlsRole == .client ? .active : .passive }
        switch remote {
        case .active: return .passive
        default: return .active
        }
    }

    func restartLocalCredentials() {
        localParams.iceUfrag = random.iceString(8)
        localParams.icePwd = random.iceString(24)
        gatheredCandidates.removeAll()
        pendingIceRestart = true
    }

    // MARK: apply local

    /// Applies a local description; `sdp` nil (or empty) creates the right one first (implicit
    /// setLocalDescription, webrtc-pc §4.4.1.5). `type` nil picks offer or answer by state.
    package func setLocalDescription(type requested: SdpType?, sdp given: String?, now: Instant) throws(EngineError) {
        try checkOpen()
        var type = requested
        var text = given ?? ""
        if type == nil || (text.isEmpty && type != .rollback) {
            if type == nil {
                type = [.stable, .haveLocalOffer, .haveRemotePranswer].contains(signalingState) ? .offer : .answer
            }
            switch type! {
            case .offer: text = try createOffer(iceRestart: false)
            case .answer, .pranswer: text = try createAnswer()
            case .rollback: break
            }
        } else if type == .offer, text != lastCreatedOffer?.text {
            throw EngineError(.invalidModificationError, "The SDP does not match the last offer created by createOffer.")
        } else if type == .answer || type == .pranswer, text != lastCreatedAnswer?.text {
            throw EngineError(.invalidModificationError, "The SDP does not match the last answer created by createAnswer.")
        }
        let kind = type!
        let next = try SignalingTransition.next(from: signalingState, .setLocal, kind).get()
        switch kind {
        case .rollback:
            pendingLocal = nil
        case .offer:
            pendingLocal = applied(lastCreatedOffer!, as: .offer)
            ensureICEAgent(role: .controlling)
        case .pranswer, .answer:
            let description = applied(lastCreatedAnswer!, as: kind)
            if kind == .answer {
                currentLocal = description
                pendingLocal = nil
                if let r = pendingRemote { currentRemote = r }
                pendingRemote = nil
            } else {
                pendingLocal = description
            }
            if let data = description.sections.first(where: \.isData) {
                negotiatedDataMid = data.mid
                startTransports(role: data.setup == .active ? .client : .server, now: now)
            }
        }
        if pendingIceRestart && kind != .rollback, let ice {
            ice.restart(localUfrag: localParams.iceUfrag, localPassword: localParams.icePwd, now: now)
            pendingIceRestart = false
            resetFailedTransports()
        }
        requestGatheringIfNeeded()
        setSignalingState(next)
        emit(.descriptionsChanged)
        drive(now: now)
    }

    /// The model of a created description, with the candidates gathered since it was created.
    private func applied(_ created: CreatedDescription, as type: SdpType) -> AppliedDescription {
        let model = LocalDescriptionBuilder.build(localParams, sections: created.sections, candidates: gatheredCandidates,
                                                  gatheringComplete: iceGatheringState == .complete)
        var copy = model
        // Keep the origin version the application saw.
        if let parsedVersion = Self.sessionVersion(of: created.text) { copy.origin.sessionVersion = parsedVersion }
        return AppliedDescription(type: type, model: copy, sections: created.sections)
    }

    private static func sessionVersion(of text: String) -> UInt64? {
        guard let line = text.split(separator: "\r\n", maxSplits: 2).dropFirst().first, line.hasPrefix("o=") else { return nil }
        let words = line.split(separator: " ")
        return words.count > 2 ? UInt64(words[2]) : nil
    }

    /// Appends an attribute (a gathered candidate, end-of-candidates) to the transport-owning
    /// m-section of our current and pending local descriptions; returns that section's mid and index.
    @discardableResult
    func appendToLocalDescriptions(_ attribute: SDPAttribute) -> (mid: String, index: Int)? {
        var owner: (mid: String, index: Int)?
        for keyPath in [\PeerConnectionEngine.currentLocal, \PeerConnectionEngine.pendingLocal] {
            guard var d = self[keyPath: keyPath], let i = LocalDescriptionBuilder.transportIndex(of: d.sections), i < d.model.media.count else { continue }
            let media = d.model.media[i]
            // a=candidate lines go before the transport attributes, a=end-of-candidates after the candidates.
            let insertAt = media.attributes.firstIndex { if case .iceUfrag = $0 { return true } else { return false } } ?? media.attributes.count
            d.model.media[i].attributes.insert(attribute, at: insertAt)
            self[keyPath: keyPath] = d
            owner = (d.sections[i].mid, i)
        }
        if owner != nil { emit(.descriptionsChanged) }
        return owner
    }

    // MARK: apply remote

    package func setRemoteDescription(type: SdpType, sdp: String, now: Instant) throws(EngineError) {
        try checkOpen()
        if type == .rollback {
            let next = try SignalingTransition.next(from: signalingState, .setRemote, .rollback).get()
            pendingRemote = nil
            setSignalingState(next)
            emit(.descriptionsChanged)
            return
        }
        // State first (webrtc-pc §4.4.1.6 checks the state before parsing).
        let next = try SignalingTransition.next(from: signalingState, .setRemote, type).get()
        let model: SessionDescription
        do {
            model = try SessionDescription.parse(sdp)
        } catch {
            throw EngineError(.operationError, "Invalid SDP: \(error.reason)", detail: .sdpSyntaxError, sdpLineNumber: error.line)
        }
        try validateRemote(model)
        if type == .offer && signalingState == .haveLocalOffer {
            // Implicit rollback of our offer (perfect negotiation): two state changes.
            pendingLocal = nil
            setSignalingState(.stable)
        }
        let dataIndex = model.media.firstIndex(where: Self.isDataSection)
        if let dataIndex {
            let fps = model.fingerprints(for: dataIndex)
            if let old = (currentRemote ?? pendingRemote)?.model, let oldIndex = old.media.firstIndex(where: Self.isDataSection),
               old.iceUfrag(for: oldIndex) == model.iceUfrag(for: dataIndex), Set(old.fingerprints(for: oldIndex)) != Set(fps), dtls != nil {
                throw EngineError(.invalidAccessError, "The remote fingerprint changed without an ICE restart.")
            }
            remoteFingerprints = fps
            remoteMaxMessageSize = model.media[dataIndex].maxMessageSize ?? 65_536
        }
        remoteCandidateLines = model.media.reduce(0) { $0 + $1.candidates.count }
        let description = AppliedDescription(type: type, model: model)
        switch type {
        case .offer:
            pendingRemote = description
            ensureICEAgent(role: model.iceLite ? .controlling : .controlled)
        case .pranswer, .answer:
            if type == .answer {
                currentRemote = description
                pendingRemote = nil
                if let l = pendingLocal { currentLocal = AppliedDescription(type: .offer, model: l.model, sections: l.sections) }
                pendingLocal = nil
            } else {
                pendingRemote = description
            }
            if let dataIndex {
                negotiatedDataMid = model.media[dataIndex].mid ?? String(dataIndex)
                // RFC 8842 §5.2: the answerer's active means we (the offerer) are the DTLS server.
                let role: DTLSRole = model.setup(for: dataIndex) == .passive ? .client : .server
                startTransports(role: role, now: now)
            }
        case .rollback:
            break
        }
        if let dataIndex, let ice {
            if let ufrag = model.iceUfrag(for: dataIndex), let pwd = model.icePwd(for: dataIndex) {
                if type == .offer, let old = previousRemoteUfrag, old != ufrag {
                    // RFC 9429 §5.3.1: an offer that restarts ICE gets an answer with new
                    // credentials; the agent starts its new generation now, before the remote's.
                    restartLocalCredentials()
                    ice.restart(localUfrag: localParams.iceUfrag, localPassword: localParams.icePwd, now: now)
                    pendingIceRestart = false
                    resetFailedTransports()
                }
                previousRemoteUfrag = ufrag
                ice.setRemoteCredentials(ufrag: ufrag, password: pwd, now: now)
            }
            for c in model.media[dataIndex].candidates {
                if let ic = CandidateMapping.iceCandidate(from: c) { ice.addRemoteCandidate(ic, now: now) }
            }
            if model.media[dataIndex].endOfCandidates { ice.remoteEndOfCandidates(now: now) }
        }
        setSignalingState(next)
        emit(.descriptionsChanged)
        drive(now: now)
    }

    /// RFC 9429 §5.8: every used m-section needs ICE credentials, a fingerprint and a setup role.
    private func validateRemote(_ model: SessionDescription) throws(EngineError) {
        var mids = Set<String>()
        for (i, m) in model.media.enumerated() {
            if let mid = m.mid {
                if mids.contains(mid) { throw EngineError(.invalidAccessError, "Duplicate a=mid:\(mid).") }
                mids.insert(mid)
            }
            guard !m.isRejected, m.kind == "application" else { continue }
            if model.iceUfrag(for: i) == nil || model.icePwd(for: i) == nil {
                throw EngineError(.invalidAccessError, "m-section \(i) has no a=ice-ufrag / a=ice-pwd.")
            }
            if model.fingerprints(for: i).isEmpty {
                throw EngineError(.invalidAccessError, "m-section \(i) has no a=fingerprint.")
            }
        }
    }

    // MARK: candidates

    /// `addIceCandidate`; `candidate` nil or "" is end-of-candidates.
    package func addIceCandidate(_ candidate: String?, sdpMid: String?, sdpMLineIndex: Int?, usernameFragment: String?, now: Instant) throws(EngineError) {
        try checkOpen()
        guard var remote = pendingRemote ?? currentRemote else {
            throw EngineError(.invalidStateError, "addIceCandidate needs a remote description.")
        }
        let model = remote.model
        guard let candidate, !candidate.isEmpty else {
            ice?.remoteEndOfCandidates(now: now)
            drive(now: now)
            return
        }
        if sdpMid == nil && sdpMLineIndex == nil {
            throw EngineError(.typeError, "sdpMid and sdpMLineIndex are both null.")
        }
        let index: Int
        if let mid = sdpMid {
            guard let i = model.mediaIndex(mid: mid) else {
                throw EngineError(.operationError, "No m-section with mid \(mid).")
            }
            index = i
        } else {
            index = sdpMLineIndex ?? 0
            guard index >= 0 && index < model.media.count else {
                throw EngineError(.operationError, "sdpMLineIndex \(index) is out of range.")
            }
        }
        if let ufrag = usernameFragment, ufrag != model.iceUfrag(for: index) {
            throw EngineError(.operationError, "usernameFragment \(ufrag) does not match the remote description.")
        }
        let parsed: CandidateAttribute
        do { parsed = try CandidateAttribute.parse(candidate) } catch {
            throw EngineError(.operationError, "Invalid candidate: \(error.reason)")
        }
        if let u = parsed.ufrag, u != model.iceUfrag(for: index) {
            throw EngineError(.operationError, "The candidate's ufrag \(u) does not match the remote description.")
        }
        if let ic = CandidateMapping.iceCandidate(from: parsed) { ice?.addRemoteCandidate(ic, now: now) }
        // webrtc-pc §4.4.1.3: the candidate becomes part of the remote description (appended to
        // the model: O(1), and bounded).
        if remoteCandidateLines < Self.maxRemoteCandidateLines {
            remoteCandidateLines += 1
            remote.model.media[index].attributes.append(.candidate(parsed))
            if pendingRemote != nil { pendingRemote = remote } else { currentRemote = remote }
            emit(.descriptionsChanged)
        } else {
            drops.drop(EngineDrop.remoteCandidateLinesFull)
        }
        drive(now: now)
    }

    /// `restartIce()`: new credentials at the next offer, and `negotiationneeded`.
    package func restartIce() {
        guard !isClosed else { return }
        iceRestartRequested = true
        updateNegotiationNeeded()
    }

    /// `setConfiguration`: ICE servers and policy for the next gathering.
    package func updateICEServers(_ servers: [ICEServer], relayOnly: Bool) {
        iceServers = servers
        relayOnlyOverride = relayOnly
    }

    // MARK: transports

    func ensureICEAgent(role: ICERole) {
        guard ice == nil else { return }
        var config = configuration.ice
        config.servers = iceServers
        if let relayOnlyOverride { config.relayOnly = relayOnlyOverride }
        ice = ICEAgent(role: role, localUfrag: localParams.iceUfrag, localPassword: localParams.icePwd, configuration: config, random: random)
    }

    /// After an ICE restart, a failed or closed DTLS session (and its SCTP association) is
    /// replaced by a new one at the next answer: `restartIce()` recovers a failed connection.
    func resetFailedTransports() {
        guard dtlsState == .failed || dtlsState == .closed else { return }
        sctp?.teardown()
        sctp = nil
        sctpStarted = false
        dtls = nil
        earlyDTLS.removeAll()
        dtlsState = .new
        emit(.dtlsStateChanged(.new))
        updateConnectionState()
    }

    func startTransports(role: DTLSRole, now: Instant) {
        createDTLSIfNeeded(role: role, now: now)
        createSCTPIfNeeded(isDTLSClient: dtlsRole == .client)
    }

    /// Asks the driver for host sockets once; `addHostSockets` starts gathering on them.
    func requestGatheringIfNeeded() {
        guard !gatheringRequested, ice != nil else { return }
        gatheringRequested = true
        emit(.bindHostSockets)
    }

    // MARK: publishing

    func setSignalingState(_ s: SignalingState) {
        guard s != signalingState else { return }
        signalingState = s
        emit(.signalingStateChanged(s))
        if s == .stable {
            // webrtc-pc §4.4.1.6: back in stable, a need that outlived the negotiation (a rollback,
            // an answer that rejected our data section) fires the event again.
            let before = negotiationNeeded
            updateNegotiationNeeded()
            if before && negotiationNeeded { emit(.negotiationNeeded) }
        }
    }

    /// The four descriptions, for the driver to publish.
    package func descriptions() -> DescriptionSet {
        let remote = (pendingRemote ?? currentRemote)?.model
        var trickle: Bool?
        if let remote {
            trickle = remote.media.isEmpty ? remote.iceOptions(for: 0).contains("trickle")
                : remote.media.indices.contains { remote.iceOptions(for: $0).contains("trickle") }
        }
        return DescriptionSet(currentLocal: currentLocal, pendingLocal: pendingLocal, currentRemote: currentRemote,
                              pendingRemote: pendingRemote, remoteCanTrickle: trickle)
    }

    /// webrtc-pc §4.7.3 "update the negotiation-needed flag": outside `stable` nothing happens
    /// (it runs again on return to `stable`); when no negotiation is needed the flag clears;
    /// when one is and the flag was clear, it is set and the event fires. The flag is not cleared
    /// by firing, so a rollback or an answer that leaves the need unmet fires it again.
    func updateNegotiationNeeded() {
        guard !isClosed, signalingState == .stable else { return }
        guard isNegotiationNeeded() else { negotiationNeeded = false; return }
        guard !negotiationNeeded else { return }
        negotiationNeeded = true
        emit(.negotiationNeeded)
    }

    /// webrtc-pc §4.7.3 "check if negotiation is needed", for what this stack negotiates.
    func isNegotiationNeeded() -> Bool {
        if iceRestartRequested { return true }
        // A data channel exists but no applied description has a data section.
        return wantsDataSection && negotiatedDataMid == nil
    }
}
