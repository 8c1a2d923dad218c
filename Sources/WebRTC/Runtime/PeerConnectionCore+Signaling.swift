import NIOCore
import WebRTCCore
import WebRTCDTLS
import WebRTCICE
import WebRTCSCTP
import WebRTCSDP

/// JSEP (RFC 9429): offers, answers, applying descriptions, trickled candidates.
extension PeerConnectionCore {
    func checkOpen() throws(RTCError) {
        if isClosed { throw RTCError.closed }
    }

    // MARK: create

    func createOffer(_ options: RTCOfferOptions) throws(RTCError) -> RTCSessionDescription {
        try checkOpen()
        if options.iceRestart || iceRestartRequested {
            iceRestartRequested = false
            restartLocalCredentials()
        }
        localParams.sessionVersion += 1
        let sdp = SDPWriter.write(localParams, sections: offerSections(), candidates: gatheredCandidates,
                                  gatheringComplete: iceGatheringState == .complete)
        lastCreatedOffer = sdp
        return RTCSessionDescription(type: .offer, sdp: sdp)
    }

    func createAnswer() throws(RTCError) -> RTCSessionDescription {
        try checkOpen()
        guard signalingState == .haveRemoteOffer || signalingState == .haveLocalPranswer, let remote = pendingRemoteModel else {
            throw RTCError(.invalidStateError, "createAnswer needs a remote offer (signaling state is \(signalingState.rawValue)).")
        }
        localParams.sessionVersion += 1
        let sdp = SDPWriter.write(localParams, sections: answerSections(for: remote), candidates: gatheredCandidates,
                                  gatheringComplete: iceGatheringState == .complete)
        lastCreatedAnswer = sdp
        return RTCSessionDescription(type: .answer, sdp: sdp)
    }

    private func offerSections() -> [LocalMediaSection] {
        // Keep the m-lines of the last negotiation in order (RFC 9429 §5.2.2), then add data.
        var sections: [LocalMediaSection] = []
        if let remote = currentRemoteModel ?? pendingRemoteModel {
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
        if wantsDataSection && !sections.contains(where: { if case .data = $0.kind { return true } else { return false } }) {
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
            if !dataTaken, m.kind == "application", m.proto.uppercased().contains("DTLS/SCTP"), !m.isRejected {
                dataTaken = true
                sections.append(LocalMediaSection(kind: .data, mid: mid, setup: answerSetup(remote: remote.setup(for: i))))
            } else {
                sections.append(LocalMediaSection(kind: .rejected(kind: m.kind, proto: m.proto, formats: m.formats), mid: mid, setup: .active))
            }
        }
        return sections
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

    private func restartLocalCredentials() {
        localParams.iceUfrag = random.iceString(8)
        localParams.icePwd = random.iceString(24)
        gatheredCandidates.removeAll()
        pendingIceRestart = true
    }

    // MARK: apply local

    func setLocalDescription(_ description: RTCSessionDescription?) throws(RTCError) {
        try checkOpen()
        var type = description?.type
        var sdp = description?.sdp ?? ""
        if type == nil || (sdp.isEmpty && type != .rollback) {
            // Implicit setLocalDescription (webrtc-pc §4.4.1.5).
            if type == nil {
                type = [.stable, .haveLocalOffer, .haveRemotePranswer].contains(signalingState) ? .offer : .answer
            }
            switch type! {
            case .offer: sdp = try createOffer(RTCOfferOptions()).sdp
            case .answer, .pranswer: sdp = try createAnswer().sdp
            case .rollback: break
            }
        } else if type == .offer, sdp != lastCreatedOffer {
            throw RTCError(.invalidModificationError, "The SDP does not match the last offer created by createOffer.")
        } else if type == .answer || type == .pranswer, sdp != lastCreatedAnswer {
            throw RTCError(.invalidModificationError, "The SDP does not match the last answer created by createAnswer.")
        }
        let type_ = type!
        let next = try SignalingTransition.next(from: signalingState, .setLocal, type_).get()
        let now = MonotonicClock.now()
        switch type_ {
        case .rollback:
            pendingLocal = nil
        case .offer:
            // A queued negotiationneeded nobody listened to is answered by this offer.
            shared.events.negotiationNeeded.clearPending()
            pendingLocal = (.offer, offerSectionsFromText(sdp))
            ensureICEAgent(role: .controlling, now: now)
        case .pranswer, .answer:
            let sections = offerSectionsFromText(sdp)
            if type_ == .answer {
                currentLocal = (.answer, sections)
                pendingLocal = nil
                if let r = pendingRemote { currentRemote = r; currentRemoteModel = pendingRemoteModel }
                pendingRemote = nil
                pendingRemoteModel = nil
            } else {
                pendingLocal = (.pranswer, sections)
            }
            if let data = sections.first(where: { if case .data = $0.kind { return true } else { return false } }) {
                negotiatedDataMid = data.mid
                startTransports(role: data.setup == .active ? .client : .server, now: now)
            }
        }
        if pendingIceRestart && type_ != .rollback, let ice {
            ice.restart(localUfrag: localParams.iceUfrag, localPassword: localParams.icePwd, now: now)
            pendingIceRestart = false
        }
        startGatheringIfNeeded()
        setSignalingState(next)
        publishLocalDescription()
        publishRemoteDescription()
        pump()
    }

    /// Our own description's m-sections, recovered from text we wrote.
    private func offerSectionsFromText(_ sdp: String) -> [LocalMediaSection] {
        guard let model = try? SessionDescription.parse(sdp) else { return [] }
        return model.media.enumerated().map { i, m in
            let mid = m.mid ?? String(i)
            if m.isRejected { return LocalMediaSection(kind: .rejected(kind: m.kind, proto: m.proto, formats: m.formats), mid: mid, setup: .actpass) }
            return LocalMediaSection(kind: .data, mid: mid, setup: m.setup ?? .actpass)
        }
    }

    // MARK: apply remote

    func setRemoteDescription(_ description: RTCSessionDescription) throws(RTCError) {
        try checkOpen()
        let now = MonotonicClock.now()
        if description.type == .rollback {
            let next = try SignalingTransition.next(from: signalingState, .setRemote, .rollback).get()
            pendingRemote = nil
            pendingRemoteModel = nil
            setSignalingState(next)
            publishRemoteDescription()
            return
        }
        let model: SessionDescription
        do {
            model = try SessionDescription.parse(description.sdp)
        } catch {
            throw RTCError(.operationError, "Invalid SDP: \(error.reason)", detail: .sdpSyntaxError, sdpLineNumber: error.line)
        }
        let next = try SignalingTransition.next(from: signalingState, .setRemote, description.type).get()
        try validateRemote(model)
        if description.type == .offer && signalingState == .haveLocalOffer {
            // Implicit rollback of our offer (perfect negotiation): two state changes.
            pendingLocal = nil
            setSignalingState(.stable)
        }
        let dataIndex = model.media.firstIndex { $0.kind == "application" && !$0.isRejected && $0.proto.uppercased().contains("DTLS/SCTP") }
        if let dataIndex {
            let fps = model.fingerprints(for: dataIndex)
            if let old = (currentRemoteModel ?? pendingRemoteModel), let oldIndex = old.media.firstIndex(where: { $0.kind == "application" && !$0.isRejected }),
               old.iceUfrag(for: oldIndex) == model.iceUfrag(for: dataIndex), Set(old.fingerprints(for: oldIndex)) != Set(fps), dtls != nil {
                throw RTCError(.invalidAccessError, "The remote fingerprint changed without an ICE restart.")
            }
            remoteFingerprints = fps
            remoteMaxMessageSize = model.media[dataIndex].maxMessageSize ?? 65_536
        }
        switch description.type {
        case .offer:
            pendingRemote = description
            pendingRemoteModel = model
            ensureICEAgent(role: model.iceLite ? .controlling : .controlled, now: now)
        case .pranswer, .answer:
            if description.type == .answer {
                currentRemote = description
                currentRemoteModel = model
                pendingRemote = nil
                pendingRemoteModel = nil
                if let l = pendingLocal { currentLocal = (.offer, l.sections) }
                pendingLocal = nil
            } else {
                pendingRemote = description
                pendingRemoteModel = model
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
                ice.setRemoteCredentials(ufrag: ufrag, password: pwd, now: now)
            }
            for c in model.media[dataIndex].candidates {
                if let ic = CandidateMapping.iceCandidate(from: c) { ice.addRemoteCandidate(ic, now: now) }
            }
            if model.media[dataIndex].endOfCandidates { ice.remoteEndOfCandidates(now: now) }
        }
        setSignalingState(next)
        publishLocalDescription()
        publishRemoteDescription()
        pump()
    }

    /// RFC 9429 §5.8: every used m-section needs ICE credentials, a fingerprint and a setup role.
    private func validateRemote(_ model: SessionDescription) throws(RTCError) {
        var mids = Set<String>()
        for (i, m) in model.media.enumerated() {
            if let mid = m.mid {
                if mids.contains(mid) { throw RTCError(.invalidAccessError, "Duplicate a=mid:\(mid).") }
                mids.insert(mid)
            }
            guard !m.isRejected, m.kind == "application" else { continue }
            if model.iceUfrag(for: i) == nil || model.icePwd(for: i) == nil {
                throw RTCError(.invalidAccessError, "m-section \(i) has no a=ice-ufrag / a=ice-pwd.")
            }
            if model.fingerprints(for: i).isEmpty {
                throw RTCError(.invalidAccessError, "m-section \(i) has no a=fingerprint.")
            }
        }
    }

    // MARK: candidates

    func addIceCandidate(_ candidate: RTCIceCandidateInit?) throws(RTCError) {
        try checkOpen()
        guard let remoteText = (pendingRemote ?? currentRemote), let model = pendingRemoteModel ?? currentRemoteModel else {
            throw RTCError(.invalidStateError, "addIceCandidate needs a remote description.")
        }
        let now = MonotonicClock.now()
        guard let candidate, !candidate.candidate.isEmpty else {
            if let candidate, candidate.sdpMid == nil, candidate.sdpMLineIndex == nil, candidate.candidate.isEmpty {
                // End of candidates for every m-section.
            }
            ice?.remoteEndOfCandidates(now: now)
            pump()
            return
        }
        if candidate.sdpMid == nil && candidate.sdpMLineIndex == nil {
            throw RTCError(.typeError, "sdpMid and sdpMLineIndex are both null.")
        }
        var index: Int
        if let mid = candidate.sdpMid {
            guard let i = model.media.firstIndex(where: { $0.mid == mid }) else {
                throw RTCError(.operationError, "No m-section with mid \(mid).")
            }
            index = i
        } else {
            index = candidate.sdpMLineIndex ?? 0
            guard index >= 0 && index < model.media.count else {
                throw RTCError(.operationError, "sdpMLineIndex \(index) is out of range.")
            }
        }
        if let ufrag = candidate.usernameFragment, ufrag != model.iceUfrag(for: index) {
            throw RTCError(.operationError, "usernameFragment \(ufrag) does not match the remote description.")
        }
        let parsed: CandidateAttribute
        do { parsed = try CandidateAttribute.parse(candidate.candidate) } catch {
            throw RTCError(.operationError, "Invalid candidate: \(error.reason)")
        }
        if let u = parsed.ufrag, u != model.iceUfrag(for: index) {
            throw RTCError(.operationError, "The candidate's ufrag \(u) does not match the remote description.")
        }
        if let ic = CandidateMapping.iceCandidate(from: parsed) { ice?.addRemoteCandidate(ic, now: now) }
        // webrtc-pc §4.4.1.3: the candidate becomes part of the remote description.
        let updated = RTCSessionDescription(type: remoteText.type, sdp: SDPText.insertingAttribute("a=" + parsed.description, intoMedia: index, of: remoteText.sdp))
        if pendingRemote != nil { pendingRemote = updated } else { currentRemote = updated }
        publishRemoteDescription()
        pump()
    }

    // MARK: transports

    func ensureICEAgent(role: ICERole, now: Instant) {
        guard ice == nil else { return }
        var config = ICEAgentConfiguration()
        config.servers = configuration.iceServers.map { ICEServer(urls: $0.urls, username: $0.username, credential: $0.credential) }
        config.relayOnly = configuration.iceTransportPolicy == .relay
        if let pem = configuration.turnTrustedCertificatesPEM { config.turnTLSVerification = .trustedCertificatesPEM(pem) }
        ice = ICEAgent(role: role, localUfrag: localParams.iceUfrag, localPassword: localParams.icePwd, configuration: config, random: random)
    }

    private func startTransports(role: DTLSRole, now: Instant) {
        createDTLSIfNeeded(role: role, now: now)
        createSCTPIfNeeded(isDTLSClient: dtlsRole == .client)
    }

    /// Binds one UDP socket per usable local address, then lets ICE gather on them.
    func startGatheringIfNeeded() {
        guard !gatheringStarted, let ice else { return }
        gatheringStarted = true
        let addresses = InterfaceEnumerator.hostAddresses(includeLoopback: configuration.includeLoopbackCandidates,
                                                          loopbackOnly: configuration.loopbackOnly)
        let loop = eventLoop
        let bufferSize = configuration.socketBufferSize
        let futures = addresses.enumerated().map { i, ip in
            UDPSocket.bind(id: i + 1, ip: ip, bufferSize: bufferSize, on: loop, onRead: { [weak self] id, buffer, from in
                self?.assumeIsolated { $0.receive(socket: id, buffer: buffer, from: from) }
            }, onReadComplete: { [weak self] in
                self?.assumeIsolated { $0.pump() }
            })
        }
        _ = ice
        EventLoopFuture.whenAllComplete(futures, on: loop).whenSuccess { [weak self] results in
            self?.assumeIsolated { core in
                let now = MonotonicClock.now()
                for case .success(let socket) in results {
                    if core.isClosed { socket.close(); continue }
                    core.sockets[socket.id] = socket
                    core.ice?.addHostSocket(id: socket.id, address: socket.localAddress, now: now)
                }
                core.ice?.startGathering(now: now)
                core.pump()
            }
        }
    }

    // MARK: publishing

    func setSignalingState(_ s: RTCSignalingState) {
        guard s != signalingState else { return }
        signalingState = s
        shared.update { $0.signalingState = s }
        shared.events.signalingStateChange.emit(s)
        if s == .stable { fireNegotiationNeededIfNeeded() }
    }

    func publishLocalDescription() {
        func text(_ l: (type: RTCSdpType, sections: [LocalMediaSection])?) -> RTCSessionDescription? {
            guard let l else { return nil }
            return RTCSessionDescription(type: l.type, sdp: SDPWriter.write(localParams, sections: l.sections, candidates: gatheredCandidates,
                                                                             gatheringComplete: iceGatheringState == .complete))
        }
        let current = text(currentLocal), pending = text(pendingLocal)
        shared.update { $0.currentLocalDescription = current; $0.pendingLocalDescription = pending }
    }

    func publishRemoteDescription() {
        let current = currentRemote, pending = pendingRemote
        let trickle: Bool? = (pending ?? current).map { $0.sdp.contains("a=ice-options:trickle") || $0.sdp.contains("a=ice-options: trickle") }
        shared.update {
            $0.currentRemoteDescription = current
            $0.pendingRemoteDescription = pending
            $0.canTrickle = trickle
        }
    }

    /// webrtc-pc §4.7.3: fires only in `stable`, once per need.
    func fireNegotiationNeededIfNeeded() {
        guard negotiationNeeded, signalingState == .stable, !isClosed else { return }
        negotiationNeeded = false
        if wantsDataSection && negotiatedDataMid != nil && !iceRestartRequested { return }
        shared.events.negotiationNeeded.emit(())
    }
}

/// Small edits of SDP text that keep every other line as it was.
enum SDPText {
    /// Inserts an attribute line at the end of the `index`th m-section.
    static func insertingAttribute(_ line: String, intoMedia index: Int, of sdp: String) -> String {
        var lines = sdp.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        var m = -1
        var insertAt = lines.count
        for (i, l) in lines.enumerated() where l.hasPrefix("m=") {
            m += 1
            if m == index + 1 { insertAt = i; break }
        }
        lines.insert(line, at: insertAt)
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
