import WebRTCCore
import WebRTCSTUN

extension ICEAgent {
    // MARK: - Pacing (RFC 8445 §6.1.4.2)

    /// Arms the pacer if there is check work and remote credentials are known.
    func scheduleChecks(now: Instant) {
        guard !stopped, nextCheckAt == nil, credentials.remotePassword != nil, hasCheckWork() else { return }
        let earliest = lastCheckSentAt.map { $0 + configuration.pacing } ?? now
        nextCheckAt = max(now, earliest)
    }

    /// Ordinary checks stop once a pair of this generation is selected (RFC 8445 §8.1.2); triggered
    /// checks (nominations, answers to the peer) always go.
    var checklistStopped: Bool {
        guard let s = selectedID.flatMap(pair) else { return false }
        return s.generation == generation
    }

    func hasCheckWork() -> Bool {
        if !triggered.isEmpty { return true }
        if checklistStopped { return false }
        return pairs.contains { $0.generation == generation && ($0.state == .waiting || $0.state == .frozen) }
    }

    /// One tick of Ta: a triggered check first, else the highest-priority Waiting pair, else the
    /// highest-priority Frozen pair.
    func runPacer(now: Instant) {
        nextCheckAt = nil
        guard credentials.remotePassword != nil else { return }
        var chosen: Int?
        while chosen == nil, !triggered.isEmpty {
            let id = triggered.removeFirst()
            if let i = pairIndex(id), pairs[i].generation == generation, pairs[i].state != .inProgress, pairs[i].state != .succeeded {
                chosen = i
            }
        }
        if chosen == nil, !checklistStopped {
            let current = pairs.indices.filter { pairs[$0].generation == generation }
            chosen = current.filter { pairs[$0].state == .waiting }.max { pairs[$0].priority < pairs[$1].priority }
                ?? current.filter { pairs[$0].state == .frozen }.max { pairs[$0].priority < pairs[$1].priority }
        }
        if let i = chosen {
            sendCheck(pairIndex: i, nominate: false, now: now)
            lastCheckSentAt = now
        }
        if hasCheckWork() { nextCheckAt = now + configuration.pacing }
    }

    /// Sends a connectivity check (RFC 8445 §7.2.2) on the pair at `i`.
    func sendCheck(pairIndex i: Int, nominate: Bool, now: Instant) {
        let p = pairs[i]
        guard let creds = credentials(for: p.generation), let ru = creds.remoteUfrag, let rp = creds.remotePassword,
              let l = local(p.local), let r = remote(p.remote) else { return }
        pairs[i].state = pairs[i].state == .succeeded ? .succeeded : .inProgress
        var attrs: [STUNAttribute] = [
            .username("\(ru):\(creds.localUfrag)"),
            .priority(ICEPriority.candidate(type: .prflx, localPreference: l.localPreference)),
            role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker),
        ]
        if nominate { attrs.append(.useCandidate) }
        let msg = STUNMessage(method: .binding, cls: .request, random: random, attributes: attrs)
        let key = STUNCrypto.shortTermKey(password: rp)
        startTransaction(.check(pair: p.id, nominate: nominate, role: role), route: l.route, destination: r.candidate.address,
                         message: msg, integrityKey: key, responseKey: key, fingerprint: true,
                         rto: configuration.checkInitialRTO, maxRTO: configuration.checkMaxRTO,
                         maxTransmissions: configuration.checkMaxTransmissions, now: now)
        if case .relay(let aid) = l.route, let ai = allocationIndex(aid) { ensurePermission(allocation: ai, peer: r.candidate.address.ip, now: now) }
        if connectionState == .new || (connectionState == .failed && !stopped) { setConnectionState(.checking) }
        if checkingStartedAt == nil { checkingStartedAt = now }
    }

    /// Sends a consent freshness check on the selected pair (RFC 7675 §5.1): a fresh transaction.
    func sendConsent(now: Instant) {
        guard let id = selectedID, let p = pair(id), let creds = credentials(for: p.generation),
              let ru = creds.remoteUfrag, let rp = creds.remotePassword, let l = local(p.local), let r = remote(p.remote) else { return }
        let attrs: [STUNAttribute] = [
            .username("\(ru):\(creds.localUfrag)"),
            .priority(ICEPriority.candidate(type: .prflx, localPreference: l.localPreference)),
            role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker),
        ]
        let msg = STUNMessage(method: .binding, cls: .request, random: random, attributes: attrs)
        let key = STUNCrypto.shortTermKey(password: rp)
        startTransaction(.consent(pair: id), route: l.route, destination: r.candidate.address, message: msg,
                         integrityKey: key, responseKey: key, fingerprint: true,
                         rto: .milliseconds(500), maxRTO: .seconds(1), maxTransmissions: 3, now: now)
        if pendingConsentSince == nil { pendingConsentSince = now }
    }

    // MARK: - Responses to our checks

    /// A verified response to a check or consent transaction.
    func handleCheckResponse(_ msg: STUNMessage, tx: ICETransaction, now: Instant) {
        switch tx.kind {
        case .consent(let pid):
            guard msg.cls == .successResponse else { return }
            if let i = pairIndex(pid) { pairs[i].lastReceived = now; pairs[i].rtt = now - tx.sentAt }
            consentRefreshed(pairID: pid, now: now)
        case .check(let pid, let nominate, let sentRole):
            guard let i = pairIndex(pid) else { return }
            if nominationInFlight == pid, nominate { nominationInFlight = nil }
            if msg.cls == .errorResponse {
                if msg.errorCode?.code == STUNErrorCode.roleConflict {
                    // RFC 8445 §7.2.5.1: switch to the role opposite to the one in the request and retry.
                    if role == sentRole { switchRole(sentRole == .controlling ? .controlled : .controlling, now: now) }
                    pairs[i].state = .waiting
                    if !triggered.contains(pid) { triggered.append(pid) }
                    scheduleChecks(now: now)
                } else {
                    pairs[i].state = .failed
                    evaluateFailure(now: now)
                }
                return
            }
            pairs[i].state = .succeeded
            pairs[i].rtt = now - tx.sentAt
            if let r = remote(pairs[i].remote) { checkedSources.insert(r.candidate.address) }
            pairs[i].lastReceived = now
            if let mapped = msg.xorMappedAddress, let l = local(pairs[i].local), mapped != l.candidate.address {
                // RFC 8445 §7.2.5.3.1: a new peer-reflexive local candidate (not signalled).
                let c = ICECandidate(foundation: ICEPriority.foundation(type: .prflx, base: l.base.ip, server: nil),
                                     priority: ICEPriority.candidate(type: .prflx, localPreference: l.localPreference),
                                     address: mapped, type: .prflx, relatedAddress: l.base)
                let (lid, _) = addLocal(c, route: l.route, base: l.base, localPreference: l.localPreference, signal: false, now: now)
                pairs[i].validLocal = lid
            }
            // RFC 8445 §7.2.5.3.3: unfreeze pairs of the same foundation.
            let f = pairs[i].foundation
            for j in pairs.indices where pairs[j].state == .frozen && pairs[j].foundation == f { pairs[j].state = .waiting }
            if selectedID == pid { consentRefreshed(pairID: pid, now: now) }
            if nominate && role == .controlling {
                pairs[i].nominated = true
            } else if pairs[i].nominateOnSuccess && role == .controlled {
                pairs[i].nominated = true
            }
            updateSelection(now: now)
            nominateIfNeeded(now: now)
            scheduleChecks(now: now)
            refreshHealthyState(now: now)
        default:
            return
        }
    }

    /// A check or consent transaction gave up.
    func checkTimedOut(_ tx: ICETransaction, now: Instant) {
        switch tx.kind {
        case .check(let pid, let nominate, _):
            if nominate, nominationInFlight == pid { nominationInFlight = nil }
            if let i = pairIndex(pid), pairs[i].state == .inProgress { pairs[i].state = .failed }
            if nominate {
                // Nominate the next valid pair, if any (RFC 8445 §8.1.1).
                if let i = pairIndex(pid) { pairs[i].state = .failed }
                nominateIfNeeded(now: now)
            }
            evaluateFailure(now: now)
            refreshHealthyState(now: now)
        default:
            return
        }
    }

    // MARK: - Nomination and selection

    /// Controlling side, regular nomination as soon as a pair is valid: the highest-priority valid
    /// pair of this generation gets a check with USE-CANDIDATE (RFC 8445 §8.1.1).
    func nominateIfNeeded(now: Instant) {
        guard role == .controlling, nominationInFlight == nil, !checklistStopped else { return }
        guard let i = pairs.indices.filter({ pairs[$0].generation == generation && pairs[$0].state == .succeeded && !pairs[$0].nominated })
            .max(by: { pairs[$0].priority < pairs[$1].priority }) else { return }
        nominationInFlight = pairs[i].id
        sendCheck(pairIndex: i, nominate: true, now: now)
    }

    /// Selects the highest-priority nominated pair of the current generation.
    func updateSelection(now: Instant) {
        guard let best = pairs.filter({ $0.generation == generation && $0.nominated && $0.state == .succeeded })
            .max(by: { $0.priority < $1.priority }), best.id != selectedID else { return }
        selectedID = best.id
        if let p = previous, p.generation != generation {
            // The new generation carries data now: forget the old one (RFC 8445 §9).
            previous = nil
            pairs.removeAll { $0.generation != generation }
            remotes.removeAll { $0.generation != generation }
            forgetDroppedRemotes()
        }
        lastConsentAt = now
        lastReceivedOnSelected = now
        pendingConsentSince = nil
        nextConsentAt = now + consentDelay()
        if let l = local(best.local), case .relay(let aid) = l.route, let ai = allocationIndex(aid), let r = remote(best.remote) {
            ensureChannel(allocation: ai, peer: r.candidate.address, now: now)
        }
        if role == .controlling {
            // Checklist over: cancel other checks in flight (RFC 8445 §8.1.2).
            transactions.removeAll { if case .check(let pid, _, _) = $0.kind { return pid != best.id } else { return false } }
            for i in pairs.indices where pairs[i].generation == generation && pairs[i].state == .inProgress && pairs[i].id != best.id {
                pairs[i].state = .failed
            }
        }
        if let d = describe(best) { emit(.selectedPairChanged(d)); lastSelectedReported = d }
        // W3C order: connected first, then completed once checks are over.
        setConnectionState(.connected)
        setConnectionState(healthyState())
    }

    /// 4–6 s, uniformly (RFC 7675 §5.1: 0.8–1.2 × the 5 s base).
    func consentDelay() -> Duration {
        let base = configuration.consentInterval.nanoseconds
        let jitter = Int64(Double(base) * (0.8 + 0.4 * random.unit()))
        return .nanoseconds(jitter)
    }

    func consentRefreshed(pairID: Int, now: Instant) {
        guard pairID == selectedID else { return }
        lastConsentAt = now
        lastReceivedOnSelected = now
        pendingConsentSince = nil
        if connectionState == .disconnected { setConnectionState(healthyState()) }
    }

    /// After checks end, a controlling agent moves from connected to completed.
    func refreshHealthyState(now: Instant) {
        if connectionState == .connected || connectionState == .completed, selectedID != nil { setConnectionState(healthyState()) }
    }

    func switchRole(_ newRole: ICERole, now: Instant) {
        guard newRole != role else { return }
        role = newRole
        nominationInFlight = nil
        recomputePriorities()
    }

    // MARK: - Failure

    /// `failed` when checking found nothing: every pair failed and no more candidates are coming
    /// (remote end-of-candidates and local gathering complete), or `connectTimeout` passed.
    func evaluateFailure(now: Instant) {
        guard !stopped, selectedID == nil, let start = checkingStartedAt else { return }
        let current = pairs.filter { $0.generation == generation }
        if current.contains(where: { $0.state == .succeeded }) { return }
        let pending = current.contains { $0.state != .failed } || !triggered.isEmpty
        if (!pending && remoteEndOfCandidates && gatheringState == .complete) || now - start >= configuration.connectTimeout {
            fail()
        }
    }

    // MARK: - Timers

    /// Runs every timer due at `now`: pacing, retransmissions, gathering, TURN refreshes, consent.
    package func handleTimeout(now: Instant) {
        guard !stopped else { return }
        if let t = nextCheckAt, t <= now { runPacer(now: now) }
        runTransactionTimers(now: now)
        runGatheringTimers(now: now)
        runTURNTimers(now: now)
        runConsentTimers(now: now)
        if !stopped { evaluateFailure(now: now) }
    }

    func runTransactionTimers(now: Instant) {
        var expired: [ICETransaction] = []
        var i = 0
        while i < transactions.count {
            if transactions[i].nextAt <= now {
                if transactions[i].transmissions < transactions[i].maxTransmissions {
                    transactions[i].transmissions += 1
                    transactions[i].sentAt = now
                    transactions[i].rto = min(transactions[i].rto * 2, transactions[i].maxRTO)
                    transactions[i].nextAt = now + transactions[i].rto
                    sendTransactionBytes(transactions[i], now: now)
                } else {
                    expired.append(transactions.remove(at: i))
                    continue
                }
            }
            i += 1
        }
        for tx in expired {
            switch tx.kind {
            case .check, .consent: checkTimedOut(tx, now: now)
            case .gather(let job): finishJob(job, error: (701, "STUN server did not answer"), now: now)
            case .turn(let aid, let kind): turnTimedOut(allocation: aid, kind: kind, now: now)
            }
        }
    }

    func runConsentTimers(now: Instant) {
        guard !stopped, selectedID != nil else { return }
        if let last = lastConsentAt, now - last >= configuration.consentTimeout {
            fail()  // RFC 7675 §5.1: consent expired.
            return
        }
        if let t = nextConsentAt, t <= now {
            sendConsent(now: now)
            nextConsentAt = now + consentDelay()
        }
        if let p = pendingConsentSince, now - p >= configuration.disconnectedTimeout,
           (lastReceivedOnSelected ?? .zero) < p, connectionState == .connected || connectionState == .completed {
            setConnectionState(.disconnected)
        }
    }
}
