import WebRTCCore
import WebRTCSTUN

extension ICEAgent {
    /// Every datagram read on socket `socket`. STUN is consumed; TURN-wrapped data is unwrapped.
    /// Returns the application payload (DTLS/SRTP/…, RFC 7983) only when it comes from a remote
    /// address that proved itself — a check to it succeeded, or it sent an authenticated Binding
    /// request — else nil (dropped and counted as `ICEDropReason.uncheckedSource`). Returned
    /// payloads do not count as liveness: call `noteAuthenticatedActivity(from:now:)` once the
    /// layer above authenticated them.
    package func handleDatagram(_ bytes: [UInt8], from: TransportAddress, socket: Int, now: Instant) -> [UInt8]? {
        guard !stopped else { drops.drop("ice.stopped"); return nil }
        guard sockets.contains(where: { $0.id == socket }) else { drops.drop("ice.unknownSocket"); return nil }
        guard !bytes.isEmpty else { drops.drop("ice.empty"); return nil }
        if let ai = allocations.firstIndex(where: { $0.socket == socket && $0.server == from && $0.state != .closed && $0.transport == .udp }) {
            return handleFromTURNServer(bytes, allocation: ai, now: now)?.payload
        }
        if configuration.relayOnly && !isServerResponse(bytes, socket: socket, from: from) {
            drops.drop("ice.relayOnlyDirect")
            return nil
        }
        return handleInner(bytes, route: .socket(socket), from: from, now: now)
    }

    /// Gathering answers from a STUN server arrive on the socket directly even when relay-only.
    private func isServerResponse(_ bytes: [UInt8], socket: Int, from: TransportAddress) -> Bool {
        transactions.contains { t in
            if case .gather = t.kind, t.destination == from, t.route == .socket(socket) { return true }
            return false
        }
    }

    /// A datagram as seen on a local base: `route` is the socket or the relay it arrived through.
    func handleInner(_ bytes: [UInt8], route: ICERoute, from: TransportAddress, now: Instant) -> [UInt8]? {
        if PacketClass(bytes) == .stun {
            guard let msg = STUNMessage.decode(bytes) else { drops.drop("stun.malformed"); return nil }
            switch msg.cls {
            case .request:
                guard msg.method == .binding else { drops.drop("stun.unexpectedRequest"); return nil }
                handleCheckRequest(msg, route: route, from: from, now: now)
            case .successResponse, .errorResponse:
                handleResponse(msg, route: route, from: from, now: now)
            case .indication:
                // Binding indications are keepalives (RFC 8445 §11); nothing to do.
                if msg.method != .binding { drops.drop("stun.unexpectedIndication") }
            }
            return nil
        }
        // RFC 8445 §7.3 / RFC 7675 §5.2: only a peer that answered or sent an authenticated check
        // may hand data to DTLS; a mere signalled address (or a spoofed one) may not.
        guard checkedSources.contains(from) else { drops.drop(ICEDropReason.uncheckedSource); return nil }
        return bytes
    }

    /// The layer above authenticated a record (e.g. a DTLS record that decrypted and verified)
    /// from `from`. This, authenticated STUN and consent responses are what keep the selected
    /// pair out of `disconnected`; arbitrary non-STUN packets are not (anyone can spoof them).
    /// Consent itself (the 30 s expiry, RFC 7675 §5.1) is refreshed by consent responses only.
    package func noteAuthenticatedActivity(from: TransportAddress, now: Instant) {
        guard !stopped, checkedSources.contains(from) else { return }
        if let sid = selectedID, let i = pairIndex(sid), let r = remote(pairs[i].remote), r.candidate.address == from {
            pairs[i].lastReceived = now
            lastReceivedOnSelected = now
            if connectionState == .disconnected { setConnectionState(healthyState()) }
            return
        }
        for i in pairs.indices {
            guard let r = remote(pairs[i].remote), r.candidate.address == from else { continue }
            pairs[i].lastReceived = now
        }
    }

    func isKnownRemote(_ a: TransportAddress) -> Bool {
        remotes.contains { $0.candidate.address == a }
    }

    /// Traffic from a pair's remote: "most recently active" bookkeeping and recovery from
    /// `disconnected` (W3C: back to connected when traffic resumes).
    func noteActivity(route: ICERoute, from: TransportAddress, now: Instant) {
        // Fast path: media and data arrive on the selected pair.
        if let sid = selectedID, let i = pairIndex(sid), let l = local(pairs[i].local), l.route == route,
           let r = remote(pairs[i].remote), r.candidate.address == from {
            pairs[i].lastReceived = now
            lastReceivedOnSelected = now
            if connectionState == .disconnected { setConnectionState(healthyState()) }
            return
        }
        for i in pairs.indices {
            guard let l = local(pairs[i].local), l.route == route, let r = remote(pairs[i].remote), r.candidate.address == from else { continue }
            pairs[i].lastReceived = now
            if pairs[i].id == selectedID {
                lastReceivedOnSelected = now
                if connectionState == .disconnected { setConnectionState(healthyState()) }
            }
        }
    }

    // MARK: - Responses

    func handleResponse(_ msg: STUNMessage, route: ICERoute, from: TransportAddress, now: Instant) {
        guard let ti = transactions.firstIndex(where: { $0.id == msg.transactionID }) else { drops.drop("stun.unknownTransaction"); return }
        let tx = transactions[ti]
        // RFC 8445 §7.2.5.2.1: the response must come from where the request went, on the same base.
        guard tx.destination == from, tx.route == route else { drops.drop("stun.asymmetricResponse"); return }
        if msg.hasFingerprint && !msg.verifyFingerprint() { drops.drop("stun.badFingerprint"); return }
        switch tx.kind {
        case .check, .consent:
            guard let key = tx.responseKey, msg.verifyIntegrity(key: key) else { drops.drop("ice.badIntegrity"); return }
            transactions.remove(at: ti)
            handleCheckResponse(msg, tx: tx, now: now)
        case .gather(let job):
            transactions.remove(at: ti)
            handleGatherResponse(msg, job: job, now: now)
        case .turn(let aid, let kind):
            // Long-term-credential responses carry MESSAGE-INTEGRITY; 401/438 challenges may not.
            if let key = tx.responseKey, !msg.verifyIntegrity(key: key) {
                let challenge = msg.cls == .errorResponse && [401, 438].contains(msg.errorCode?.code ?? 0) && !msg.hasIntegrity
                guard challenge else { drops.drop("turn.badIntegrity"); return }
            }
            transactions.remove(at: ti)
            handleTURNResponse(msg, allocation: aid, kind: kind, now: now)
        }
    }

    // MARK: - Incoming checks (RFC 8445 §7.3)

    func handleCheckRequest(_ msg: STUNMessage, route: ICERoute, from: TransportAddress, now: Instant) {
        // Authenticate before keeping anything: no state for strangers.
        guard let username = msg.username, msg.hasIntegrity else { drops.drop("ice.unauthenticated"); return }
        if msg.hasFingerprint && !msg.verifyFingerprint() { drops.drop("stun.badFingerprint"); return }
        let localPart = username.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        var gen: Int?
        var password = ""
        if localPart == credentials.localUfrag, msg.verifyIntegrity(key: STUNCrypto.shortTermKey(password: credentials.localPassword)) {
            gen = generation
            password = credentials.localPassword
        } else if let p = previous, localPart == p.credentials.localUfrag,
                  msg.verifyIntegrity(key: STUNCrypto.shortTermKey(password: p.credentials.localPassword)) {
            gen = p.generation
            password = p.credentials.localPassword
        }
        guard let generationOfRequest = gen else { drops.drop("ice.badCredentials"); return }
        let key = STUNCrypto.shortTermKey(password: password)

        // RFC 8445 §7.3.1.1 role conflict.
        if role == .controlling, let theirs = msg.iceControlling {
            if tieBreaker >= theirs {
                respond(to: msg, route: route, from: from, key: key, error: STUNErrorCode.roleConflict, now: now)
                return
            }
            switchRole(.controlled, now: now)
        } else if role == .controlled, let theirs = msg.iceControlled {
            if tieBreaker >= theirs {
                switchRole(.controlling, now: now)
            } else {
                respond(to: msg, route: route, from: from, key: key, error: STUNErrorCode.roleConflict, now: now)
                return
            }
        }
        respond(to: msg, route: route, from: from, key: key, error: nil, now: now)

        guard generationOfRequest == generation else {
            if isKnownRemote(from) { checkedSources.insert(from) }
            noteActivity(route: route, from: from, now: now)
            return
        }

        // RFC 8445 §7.3.1.3: an unknown source is a peer-reflexive remote candidate.
        var rid = remotes.first { $0.generation == generation && $0.candidate.address == from }?.id
        if rid == nil {
            guard remotesInGeneration < configuration.maxRemoteCandidates else { drops.drop(ICEDropReason.tooManyRemoteCandidates); return }
            let prio = msg.priority ?? ICEPriority.candidate(type: .prflx, localPreference: 65535)
            let c = ICECandidate(foundation: "p" + random.iceString(8), priority: prio, address: from, type: .prflx)
            let rc = ICERemoteCandidate(id: makeID(), candidate: c, generation: generation)
            remotes.append(rc)
            remotesInGeneration += 1
            rid = rc.id
        }
        // It knows our password: its non-STUN packets are accepted from now on.
        checkedSources.insert(from)
        // RFC 8445 §7.3.1.4: the pair whose local candidate is the base the request arrived on.
        guard let remoteID = rid, let base = locals.first(where: { $0.route == route && isPairable($0) }),
              let r = remote(remoteID), let pid = addPair(local: base, remote: r), let i = pairIndex(pid) else { return }
        pairs[i].lastReceived = now
        if pid == selectedID { lastReceivedOnSelected = now; if connectionState == .disconnected { setConnectionState(healthyState()) } }

        // RFC 8445 §7.3.1.5: USE-CANDIDATE at the controlled agent.
        if role == .controlled && msg.useCandidate {
            if pairs[i].state == .succeeded {
                pairs[i].nominated = true
                updateSelection(now: now)  // may drop an older generation's pairs: look the index up again
            } else {
                pairs[i].nominateOnSuccess = true
            }
        }
        guard let i = pairIndex(pid) else { return }
        switch pairs[i].state {
        case .succeeded, .inProgress:
            break
        case .waiting, .frozen, .failed:
            pairs[i].state = .waiting
            if !triggered.contains(pid) { triggered.append(pid) }
            if checkingStartedAt == nil, credentials.remotePassword == nil { /* answered before credentials: queued */ }
            scheduleChecks(now: now)
        }
    }

    /// A Binding success (XOR-MAPPED-ADDRESS = source) or an error, authenticated with the local
    /// password and fingerprinted (RFC 8445 §7.3.1.2).
    func respond(to req: STUNMessage, route: ICERoute, from: TransportAddress, key: [UInt8], error: Int?, now: Instant) {
        var res: STUNMessage
        if let code = error {
            res = STUNMessage(method: .binding, cls: .errorResponse, transactionID: req.transactionID,
                              attributes: [.errorCode(code, reason: code == STUNErrorCode.roleConflict ? "Role Conflict" : "Error")])
        } else {
            res = STUNMessage(method: .binding, cls: .successResponse, transactionID: req.transactionID,
                              attributes: [.xorAddress(.xorMappedAddress, from, transactionID: req.transactionID)])
        }
        sendRaw(route: route, to: from, bytes: res.encode(integrityKey: key, fingerprint: true), now: now)
    }
}
