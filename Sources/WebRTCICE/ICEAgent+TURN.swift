import WebRTCCore
import WebRTCSTUN

extension ICEAgent {
    // MARK: - Requests

    func sendTURNRequest(allocation ai: Int, method: STUNMethod, attributes: [STUNAttribute], kind: TURNRequestKind, now: Instant) {
        let a = allocations[ai]
        var attrs = attributes
        if let realm = a.realm, let nonce = a.nonce, a.key != nil {
            attrs += [.username(a.username), .realm(bytes: realm), .nonce(bytes: nonce)]
        }
        var msg = STUNMessage(method: method, cls: .request, random: random, attributes: [])
        // XOR addresses depend on the transaction id, so build attributes once it exists.
        msg.attributes = attrs.map { attr in
            if attr.type == .xorPeerAddress, let peer = STUNAddressCodec.decodeXOR(attr.value, transactionID: [UInt8](repeating: 0, count: 12)) {
                return .xorAddress(.xorPeerAddress, peer, transactionID: msg.transactionID)
            }
            return attr
        }
        // RFC 8489 §6.2.2: no retransmission over a reliable transport; give up after Ti = 39.5 s.
        let reliable = a.transport != .udp
        startTransaction(.turn(allocation: a.id, request: kind), route: .socket(a.socket), destination: a.server, message: msg,
                         integrityKey: a.key, responseKey: a.key, fingerprint: true,
                         rto: reliable ? .milliseconds(39_500) : .milliseconds(250), maxRTO: reliable ? .milliseconds(39_500) : .seconds(2),
                         maxTransmissions: reliable ? 1 : 7, now: now)
    }

    /// XOR-PEER-ADDRESS placeholder encoded against a zero transaction id; `sendTURNRequest`
    /// re-encodes it against the real one.
    private func peerAttribute(_ peer: TransportAddress) -> STUNAttribute {
        .xorAddress(.xorPeerAddress, peer, transactionID: [UInt8](repeating: 0, count: 12))
    }

    func sendAllocate(allocation ai: Int, now: Instant) {
        sendTURNRequest(allocation: ai, method: .allocate, attributes: [.requestedTransport(17), .lifetime(configuration.turnLifetime)],
                        kind: .allocate, now: now)
    }

    /// CreatePermission for `peer` unless one exists or is pending (RFC 8656 §9).
    func ensurePermission(allocation ai: Int, peer: IPAddress, now: Instant) {
        guard allocations[ai].state == .allocated, !allocations[ai].permissions.contains(where: { $0.ip == peer }) else { return }
        allocations[ai].permissions.append(.init(ip: peer, inFlight: true, refreshAt: now + .seconds(240)))
        sendTURNRequest(allocation: ai, method: .createPermission, attributes: [peerAttribute(TransportAddress(ip: peer, port: 0))],
                        kind: .createPermission(peer), now: now)
    }

    /// ChannelBind for the data path to `peer` (RFC 8656 §12); Send indications until it is bound.
    func ensureChannel(allocation ai: Int, peer: TransportAddress, now: Instant) {
        let a = allocations[ai]
        guard a.state == .allocated, !a.channels.contains(where: { $0.peer == peer }), a.nextChannel <= 0x4FFF else { return }
        let number = a.nextChannel
        allocations[ai].nextChannel += 1
        allocations[ai].channels.append(.init(peer: peer, number: number, inFlight: true, refreshAt: now + .seconds(540)))
        sendTURNRequest(allocation: ai, method: .channelBind, attributes: [.channelNumber(number), peerAttribute(peer)],
                        kind: .channelBind(peer, number), now: now)
    }

    /// Drops the permissions and channel bindings whose peers are no longer remote candidates
    /// (their generation ended), and cancels their pending requests, so they are not refreshed:
    /// the server lets them lapse (RFC 8656 §9: 300 s, §12: 600 s). Without this every ICE
    /// restart would add permissions that are refreshed forever.
    func pruneRelayPeers(keeping live: Set<TransportAddress>) {
        let liveIPs = Set(live.map(\.ip))
        for ai in allocations.indices {
            let aid = allocations[ai].id
            let goneIPs = Set(allocations[ai].permissions.map(\.ip).filter { !liveIPs.contains($0) })
            let gonePeers = Set(allocations[ai].channels.map(\.peer).filter { !live.contains($0) })
            guard !goneIPs.isEmpty || !gonePeers.isEmpty else { continue }
            allocations[ai].permissions.removeAll { goneIPs.contains($0.ip) }
            allocations[ai].channels.removeAll { gonePeers.contains($0.peer) }
            transactions.removeAll { tx in
                guard case .turn(let x, let kind) = tx.kind, x == aid else { return false }
                switch kind {
                case .createPermission(let ip): return goneIPs.contains(ip)
                case .channelBind(let peer, _): return gonePeers.contains(peer)
                case .allocate, .refresh: return false
                }
            }
        }
    }

    func refreshDelay(lifetime: UInt32) -> Duration {
        lifetime > 120 ? .seconds(Int(lifetime) - 60) : .seconds(max(Int(lifetime) / 2, 1))
    }

    func runTURNTimers(now: Instant) {
        for ai in allocations.indices where allocations[ai].state == .allocated {
            if !allocations[ai].refreshInFlight, let t = allocations[ai].refreshAt, t <= now {
                allocations[ai].refreshInFlight = true
                let lt = configuration.turnLifetime
                sendTURNRequest(allocation: ai, method: .refresh, attributes: [.lifetime(lt)], kind: .refresh(lifetime: lt), now: now)
            }
            for pi in allocations[ai].permissions.indices where !allocations[ai].permissions[pi].inFlight && allocations[ai].permissions[pi].refreshAt <= now {
                allocations[ai].permissions[pi].inFlight = true
                let ip = allocations[ai].permissions[pi].ip
                sendTURNRequest(allocation: ai, method: .createPermission, attributes: [peerAttribute(TransportAddress(ip: ip, port: 0))],
                                kind: .createPermission(ip), now: now)
            }
            for ci in allocations[ai].channels.indices where !allocations[ai].channels[ci].inFlight && allocations[ai].channels[ci].refreshAt <= now {
                allocations[ai].channels[ci].inFlight = true
                let c = allocations[ai].channels[ci]
                sendTURNRequest(allocation: ai, method: .channelBind, attributes: [.channelNumber(c.number), peerAttribute(c.peer)],
                                kind: .channelBind(c.peer, c.number), now: now)
            }
        }
    }

    // MARK: - Responses

    /// Takes REALM and NONCE from a 401/438 and derives the long-term key. False if unusable.
    private func absorbChallenge(_ msg: STUNMessage, allocation ai: Int) -> Bool {
        guard allocations[ai].authAttempts < 3, let nonce = msg.attribute(.nonce)?.value else { return false }
        allocations[ai].authAttempts += 1
        allocations[ai].nonce = nonce
        if let realm = msg.attribute(.realm)?.value { allocations[ai].realm = realm }
        guard let realm = allocations[ai].realm else { return false }
        allocations[ai].key = STUNCrypto.longTermKey(username: allocations[ai].username,
                                                     realm: String(decoding: realm, as: UTF8.self), password: allocations[ai].password)
        return true
    }

    func handleTURNResponse(_ msg: STUNMessage, allocation aid: Int, kind: TURNRequestKind, now: Instant) {
        guard let ai = allocationIndex(aid), allocations[ai].state != .closed else { return }
        let code = msg.cls == .errorResponse ? (msg.errorCode?.code ?? 400) : 0
        let retryable = (code == 401 && kind == .allocate) || code == STUNErrorCode.staleNonce
        if retryable, absorbChallenge(msg, allocation: ai) {
            switch kind {
            case .allocate: sendAllocate(allocation: ai, now: now)
            case .refresh(let lt): sendTURNRequest(allocation: ai, method: .refresh, attributes: [.lifetime(lt)], kind: kind, now: now)
            case .createPermission(let ip):
                sendTURNRequest(allocation: ai, method: .createPermission, attributes: [peerAttribute(TransportAddress(ip: ip, port: 0))], kind: kind, now: now)
            case .channelBind(let peer, let n):
                sendTURNRequest(allocation: ai, method: .channelBind, attributes: [.channelNumber(n), peerAttribute(peer)], kind: kind, now: now)
            }
            return
        }
        if code != 0 { allocations[ai].authAttempts = 0 }
        switch kind {
        case .allocate:
            guard code == 0, let relayed = msg.xorRelayedAddress else {
                allocations[ai].state = .failed
                releaseStream(forAllocation: aid)
                finishJob(allocations[ai].job, error: (code == 0 ? 701 : code, msg.errorCode?.reason ?? "No relayed address"), now: now)
                return
            }
            let lifetime = msg.lifetime ?? configuration.turnLifetime
            allocations[ai].state = .allocated
            allocations[ai].authAttempts = 0
            allocations[ai].relayed = relayed
            allocations[ai].mapped = msg.xorMappedAddress
            allocations[ai].expiresAt = now + .seconds(Int(lifetime))
            allocations[ai].refreshAt = now + refreshDelay(lifetime: lifetime)
            let socket = allocations[ai].socket
            let transport = allocations[ai].transport
            // Stream allocations take the local preference of the host socket that started the
            // job, lowered so that UDP relays are preferred to TCP, and TCP to TLS.
            let hostSocket = transport == .udp ? socket : (jobs.first { $0.id == allocations[ai].job }?.socket ?? socket)
            let hostPref = locals.first { $0.route == .socket(hostSocket) && $0.candidate.type == .host }?.localPreference ?? 65535
            let pref = transport == .udp ? hostPref : hostPref - min(hostPref, transport == .tcp ? 64 : 128)
            let foundationTransport = transport == .udp ? "udp" : (transport == .tcp ? "udp/tcp" : "udp/tls")
            let c = ICECandidate(foundation: ICEPriority.foundation(type: .relay, base: relayed.ip, server: allocations[ai].server.ip,
                                                                    transport: foundationTransport),
                                 priority: ICEPriority.candidate(type: .relay, localPreference: pref),
                                 address: relayed, type: .relay, relatedAddress: msg.xorMappedAddress)
            // Over a stream the mapped address is the TCP connection's: no UDP srflx candidate.
            if transport == .udp, let mapped = msg.xorMappedAddress {
                addServerReflexive(mapped: mapped, socket: socket, server: allocations[ai].server.ip, now: now)
            }
            let (lid, isNew) = addLocal(c, route: .relay(aid), base: relayed, localPreference: pref, signal: true, now: now)
            if isNew { formPairs(forLocal: lid, now: now) }
            finishJob(allocations[ai].job, error: nil, now: now)
        case .refresh(let lt):
            allocations[ai].refreshInFlight = false
            if code != 0 { allocations[ai].state = .failed; releaseStream(forAllocation: aid); return }
            if lt == 0 { allocations[ai].state = .closed; releaseStream(forAllocation: aid); return }
            let granted = msg.lifetime ?? lt
            allocations[ai].expiresAt = now + .seconds(Int(granted))
            allocations[ai].refreshAt = now + refreshDelay(lifetime: granted)
        case .createPermission(let ip):
            guard let pi = allocations[ai].permissions.firstIndex(where: { $0.ip == ip }) else { return }
            if code != 0 { allocations[ai].permissions.remove(at: pi); return }
            allocations[ai].permissions[pi].installed = true
            allocations[ai].permissions[pi].inFlight = false
            allocations[ai].permissions[pi].refreshAt = now + .seconds(240)
        case .channelBind(let peer, _):
            guard let ci = allocations[ai].channels.firstIndex(where: { $0.peer == peer }) else { return }
            if code != 0 { allocations[ai].channels.remove(at: ci); return }
            allocations[ai].channels[ci].bound = true
            allocations[ai].channels[ci].inFlight = false
            allocations[ai].channels[ci].refreshAt = now + .seconds(540)
        }
    }

    func turnTimedOut(allocation aid: Int, kind: TURNRequestKind, now: Instant) {
        guard let ai = allocationIndex(aid) else { return }
        switch kind {
        case .allocate:
            allocations[ai].state = .failed
            releaseStream(forAllocation: aid)
            finishJob(allocations[ai].job, error: (701, "TURN server did not answer"), now: now)
        case .refresh:
            allocations[ai].refreshInFlight = false
            allocations[ai].state = .failed
            releaseStream(forAllocation: aid)
        case .createPermission(let ip):
            allocations[ai].permissions.removeAll { $0.ip == ip }
        case .channelBind(let peer, _):
            allocations[ai].channels.removeAll { $0.peer == peer }
        }
    }

    // MARK: - Data from the server

    /// Unwraps Data indications and ChannelData (RFC 8656 §11.6, §12.6); handles TURN responses.
    /// Returns application data with the peer it came from.
    func handleFromTURNServer(_ bytes: [UInt8], allocation ai: Int, now: Instant) -> (payload: [UInt8], from: TransportAddress)? {
        let a = allocations[ai]
        switch PacketClass(bytes) {
        case .stun:
            guard let msg = STUNMessage.decode(bytes) else { drops.drop("stun.malformed"); return nil }
            switch msg.cls {
            case .successResponse, .errorResponse:
                handleResponse(msg, route: .socket(a.socket), from: a.server, now: now)
                return nil
            case .indication where msg.method == .data:
                guard a.state == .allocated, let peer = msg.xorPeerAddress, let data = msg.data else { drops.drop("turn.badDataIndication"); return nil }
                guard !data.isEmpty else { drops.drop("ice.empty"); return nil }
                return handleInner(data, route: .relay(a.id), from: peer, now: now).map { ($0, peer) }
            default:
                drops.drop("turn.unexpected")
                return nil
            }
        case .turnChannel:
            guard a.state == .allocated, let cd = TURNChannelData.decode(bytes), let peer = a.peer(forChannel: cd.channel) else {
                drops.drop("turn.badChannelData")
                return nil
            }
            guard !cd.data.isEmpty else { drops.drop("ice.empty"); return nil }
            return handleInner(cd.data, route: .relay(a.id), from: peer, now: now).map { ($0, peer) }
        default:
            drops.drop("turn.unexpected")
            return nil
        }
    }
}
