import WebRTCCore
import WebRTCSTUN

extension ICEAgent {
    // MARK: - Local candidates

    /// Registers one bound UDP socket. The agent makes its host candidate (RFC 8445 §5.1.2:
    /// type preference 126, local preference by the order sockets are added) and uses the socket
    /// for server-reflexive and relay gathering.
    package func addHostSocket(id: Int, address: TransportAddress, now: Instant) {
        guard !stopped, !sockets.contains(where: { $0.id == id }) else { return }
        sockets.append((id, address))
        let pref = UInt16(clamping: 65535 - (sockets.count - 1) * 256)
        let c = ICECandidate(foundation: ICEPriority.foundation(type: .host, base: address.ip, server: nil),
                             priority: ICEPriority.candidate(type: .host, localPreference: pref),
                             address: address, type: .host)
        let lc = ICELocalCandidate(id: makeID(), candidate: c, route: .socket(id), base: address, localPreference: pref)
        locals.append(lc)
        if gatheringStarted {
            if !configuration.relayOnly { emit(.localCandidate(c)) }
            if gatheringState == .complete { setGathering(.gathering) }
            startServerJobs(socket: id, address: address, now: now)
            checkGatheringComplete()
        }
        if !configuration.relayOnly { formPairs(forLocal: lc.id, now: now) }
    }

    /// Starts gathering: host candidates at once, then STUN Binding and TURN Allocate per server
    /// and socket. Gathering completes when every server answered, failed or timed out.
    package func startGathering(now: Instant) {
        guard !stopped, !gatheringStarted else { return }
        gatheringStarted = true
        setGathering(.gathering)
        if !configuration.relayOnly {
            for l in locals where l.candidate.type == .host { emit(.localCandidate(l.candidate)) }
        }
        for s in sockets { startServerJobs(socket: s.id, address: s.address, now: now) }
        checkGatheringComplete()
    }

    func setGathering(_ s: ICEGatheringState) {
        guard s != gatheringState else { return }
        gatheringState = s
        emit(.gatheringStateChanged(s))
    }

    func checkGatheringComplete() {
        guard gatheringStarted, gatheringState == .gathering, jobs.allSatisfy(\.done) else { return }
        setGathering(.complete)
    }

    /// Adds a local candidate learned from a server or a check, unless one with the same address
    /// and route exists. Returns its id and whether it is new.
    @discardableResult
    func addLocal(_ c: ICECandidate, route: ICERoute, base: TransportAddress, localPreference: UInt16, signal: Bool, now: Instant) -> (Int, Bool) {
        if let existing = locals.first(where: { $0.route == route && $0.candidate.address == c.address }) { return (existing.id, false) }
        let lc = ICELocalCandidate(id: makeID(), candidate: c, route: route, base: base, localPreference: localPreference)
        locals.append(lc)
        if signal { emit(.localCandidate(c)) }
        return (lc.id, true)
    }

    /// Whether a local candidate is paired (RFC 8445 §6.1.2.4: server-reflexive candidates are
    /// replaced by their base, so only host and relay candidates pair; relay only with `relayOnly`).
    func isPairable(_ l: ICELocalCandidate) -> Bool {
        if configuration.relayOnly { return l.candidate.type == .relay }
        return l.candidate.type == .host || l.candidate.type == .relay
    }

    // MARK: - Remote candidates and credentials

    /// Sets the remote ufrag and password. A change of credentials without `restart` is treated as
    /// a remote ICE restart (a new generation keeping the local credentials).
    package func setRemoteCredentials(ufrag: String, password: String, now: Instant) {
        guard !stopped || connectionState == .failed else { return }
        if let u = credentials.remoteUfrag, let p = credentials.remotePassword, u != ufrag || p != password {
            beginGeneration(localUfrag: credentials.localUfrag, localPassword: credentials.localPassword, now: now)
        }
        credentials.remoteUfrag = ufrag
        credentials.remotePassword = password
        scheduleChecks(now: now)
    }

    /// Adds a signalled remote candidate (trickled or from the description). Candidates of other
    /// components or non-UDP transports are ignored; duplicates update a peer-reflexive entry.
    /// Unusable targets (port 0, broadcast, multicast, unspecified, scopeless link-local), exact
    /// duplicates (checked in O(1)) and candidates beyond `maxRemoteCandidates` for this
    /// generation are dropped and counted (`ICEDropReason`).
    package func addRemoteCandidate(_ c: ICECandidate, now: Instant) {
        guard !stopped else { return }
        guard c.component == 1, c.transport.lowercased() == "udp" else { drops.drop("ice.unsupportedRemoteCandidate"); return }
        if let reason = ICERemoteAddressScreen.rejection(for: c.address) { drops.drop(reason); return }
        let key = ICERemoteCandidateKey(c)
        guard !remoteKeys.contains(key) else { drops.drop(ICEDropReason.duplicateRemoteCandidate); return }
        if let i = remotes.firstIndex(where: { $0.generation == generation && $0.candidate.address == c.address }) {
            if remotes[i].candidate.type == .prflx {
                remotes[i].candidate = c
                remoteKeys.insert(key)
                recomputePriorities()
            } else {
                drops.drop(ICEDropReason.duplicateRemoteCandidate)
            }
            return
        }
        guard remotesInGeneration < configuration.maxRemoteCandidates else { drops.drop(ICEDropReason.tooManyRemoteCandidates); return }
        let rc = ICERemoteCandidate(id: makeID(), candidate: c, generation: generation)
        remotes.append(rc)
        remoteKeys.insert(key)
        remotesInGeneration += 1
        formPairs(forRemote: rc.id, now: now)
    }

    /// Accepts an mDNS (`.local`) remote candidate that the agent cannot resolve: it is recorded
    /// and the peer is reached through the peer-reflexive candidate its first check creates
    /// (RFC 8445 §7.3.1.3; draft-ietf-mmusic-mdns-ice-candidates §3.2.2).
    package func addRemoteCandidate(mdnsName: String, port: UInt16, priority: UInt32, foundation: String, now: Instant) {
        guard mdnsRemoteNames.count < configuration.maxRemoteCandidates, !mdnsRemoteNames.contains(mdnsName) else { return }
        mdnsRemoteNames.append(mdnsName)
    }

    /// The remote side signalled end-of-candidates (RFC 8838 §8.2).
    package func remoteEndOfCandidates(now: Instant) {
        remoteEndOfCandidates = true
        evaluateFailure(now: now)
    }

    // MARK: - Pairs

    func formPairs(forLocal id: Int, now: Instant) {
        guard let l = local(id), isPairable(l) else { return }
        for r in remotes where r.generation == generation { addPair(local: l, remote: r) }
        unfreezeInitial()
        scheduleChecks(now: now)
    }

    func formPairs(forRemote id: Int, now: Instant) {
        guard let r = remote(id) else { return }
        for l in locals where isPairable(l) { addPair(local: l, remote: r) }
        unfreezeInitial()
        scheduleChecks(now: now)
    }

    @discardableResult
    func addPair(local l: ICELocalCandidate, remote r: ICERemoteCandidate) -> Int? {
        guard l.candidate.address.ip.isIPv4 == r.candidate.address.ip.isIPv4 else { return nil }
        if let existing = pairs.first(where: { $0.local == l.id && $0.remote == r.id }) { return existing.id }
        var p = ICECandidatePair(id: makeID(), local: l.id, remote: r.id, generation: r.generation,
                                 foundation: l.candidate.foundation + ":" + r.candidate.foundation)
        p.priority = pairPriority(local: l.candidate.priority, remote: r.candidate.priority)
        pairs.append(p)
        return p.id
    }

    func pairPriority(local: UInt32, remote: UInt32) -> UInt64 {
        role == .controlling ? ICEPriority.pair(controlling: local, controlled: remote) : ICEPriority.pair(controlling: remote, controlled: local)
    }

    func recomputePriorities() {
        for i in pairs.indices {
            guard let l = local(pairs[i].local), let r = remote(pairs[i].remote) else { continue }
            pairs[i].priority = pairPriority(local: l.candidate.priority, remote: r.candidate.priority)
            pairs[i].foundation = l.candidate.foundation + ":" + r.candidate.foundation
        }
    }

    /// RFC 8445 §6.1.2.6: per foundation, the highest-priority frozen pair becomes Waiting when no
    /// pair of that foundation is already Waiting, In-Progress or Succeeded.
    func unfreezeInitial() {
        var active = Set(pairs.filter { $0.generation == generation && $0.state != .frozen && $0.state != .failed }.map(\.foundation))
        let order = pairs.indices.filter { pairs[$0].generation == generation && pairs[$0].state == .frozen }
            .sorted { pairs[$0].priority > pairs[$1].priority }
        for i in order where !active.contains(pairs[i].foundation) {
            pairs[i].state = .waiting
            active.insert(pairs[i].foundation)
        }
    }

    /// After remote candidates were dropped (a restart, or the old generation retired): forget
    /// the addresses that proved themselves through them, and release their TURN state.
    func forgetDroppedRemotes() {
        let live = Set(remotes.map(\.candidate.address))
        checkedSources = checkedSources.filter { live.contains($0) }
        pruneRelayPeers(keeping: live)
    }

    // MARK: - Restart

    /// ICE restart (RFC 8445 §9): new local credentials, remote credentials and candidates to come.
    /// The selected pair keeps carrying data (and its consent checks keep the old credentials)
    /// until a pair of the new generation is selected. Local candidates are re-announced.
    package func restart(localUfrag: String, localPassword: String, now: Instant) {
        guard connectionState != .closed else { return }
        beginGeneration(localUfrag: localUfrag, localPassword: localPassword, now: now)
        if gatheringStarted {
            setGathering(.gathering)
            for l in locals where l.candidate.type != .prflx && (!configuration.relayOnly || l.candidate.type == .relay) {
                emit(.localCandidate(l.candidate))
            }
            checkGatheringComplete()
        }
    }

    func beginGeneration(localUfrag: String, localPassword: String, now: Instant) {
        let keep = selectedID.flatMap(pair)
        previous = keep.map { _ in (generation, credentials) }
        if keep == nil { selectedID = nil }
        generation += 1
        credentials = ICECredentials(localUfrag: localUfrag, localPassword: localPassword)
        pairs.removeAll { $0.id != keep?.id }
        remotes.removeAll { $0.id != keep?.remote }
        remoteKeys = []
        remotesInGeneration = 0
        forgetDroppedRemotes()
        locals.removeAll { $0.candidate.type == .prflx && $0.id != keep?.validLocal }
        transactions.removeAll { if case .check = $0.kind { return true } else { return false } }
        triggered = []
        nominationInFlight = nil
        remoteEndOfCandidates = false
        checkingStartedAt = nil
        nextCheckAt = nil
        if stopped && connectionState == .failed {
            // Restart revives a failed agent (W3C: restartIce from failed).
            stopped = false
            selectedID = nil
            previous = nil
        }
    }
}
