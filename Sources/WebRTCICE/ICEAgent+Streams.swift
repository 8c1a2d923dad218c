import WebRTCCore
import WebRTCSTUN

/// TURN over TCP and TLS (RFC 8656 §3.1, RFC 7065 `turns:`): the agent asks the driver for a
/// TCP connection per server (`ICEEvent.openStream`), frames STUN and padded ChannelData on it
/// (RFC 8656 §12.5), and runs TLS itself (`TLSStream`) for `turns:`. The allocation still
/// relays UDP (REQUESTED-TRANSPORT 17): only the client↔server leg is a stream.
extension ICEAgent {
    /// The first id the agent gives a stream socket. The driver's UDP socket ids must stay below.
    package static let firstStreamID = 10_000

    // MARK: - Driver entry points

    /// The TCP connection the agent asked for with `.openStream(socket:to:)` is up, bound locally
    /// at `localAddress`. For `turns:` the TLS handshake starts (the ClientHello comes out of
    /// `pollTransmit`); for plain TCP the queued Allocate goes out at once.
    package func streamConnected(socket: Int, localAddress: TransportAddress, now: Instant) {
        guard let si = streamIndex(socket), streams[si].state == .connecting else { drops.drop("ice.unknownStream"); return }
        streams[si].localAddress = localAddress
        guard let tls = streams[si].tls else {
            streamOpened(si)
            return
        }
        streams[si].state = .handshaking
        tls.start()
        pushStreamBytes(si, tls.takeOutput())
        if case .failed(let why) = tls.state { failStream(si, text: why, notifyDriver: true, now: now) }
    }

    /// Bytes read from stream `socket`, in any chunking. TURN responses and indications are
    /// consumed; returns the application payloads the relay delivered, each with the peer address
    /// it came from (the relayed counterpart of `handleDatagram`'s result). A stream that cannot
    /// be framed or whose TLS fails is closed (`.closeStream`) and its allocation fails.
    package func handleStreamBytes(_ bytes: [UInt8], socket: Int, now: Instant) -> [(payload: [UInt8], from: TransportAddress)] {
        guard let si = streamIndex(socket), streams[si].state == .handshaking || streams[si].state == .open else {
            drops.drop("ice.unknownStream")
            return []
        }
        guard !stopped else { drops.drop("ice.stopped"); return [] }
        guard !bytes.isEmpty else { return [] }
        var plain = bytes
        var peerClosed = false
        if let tls = streams[si].tls {
            plain = tls.receive(bytes)
            pushStreamBytes(si, tls.takeOutput())
            switch tls.state {
            case .failed(let why):
                failStream(si, text: why, notifyDriver: true, now: now)
                return []
            case .closed:
                peerClosed = true
            case .established where streams[si].state == .handshaking:
                streamOpened(si)
            default:
                break
            }
        }
        var out: [(payload: [UInt8], from: TransportAddress)] = []
        guard let frames = streams[si].framer.push(plain) else {
            drops.drop("turn.streamDesync")
            failStream(si, text: "TURN stream out of sync", notifyDriver: true, now: now)
            return out
        }
        for frame in frames {
            guard let ai = allocationIndex(streams[si].allocation), allocations[ai].state != .closed else { break }
            if let r = handleFromTURNServer(frame, allocation: ai, now: now) { out.append(r) }
        }
        if peerClosed { failStream(si, text: "TURN server closed the TLS session", notifyDriver: true, now: now) }
        return out
    }

    /// The stream ended (the server closed it, a read or write failed, or connecting failed).
    /// An allocation still being made fails with `candidateError` 701; an established one is lost,
    /// and the pairs on its relayed candidate fail.
    package func streamClosed(socket: Int, now: Instant) {
        guard let si = streamIndex(socket) else { drops.drop("ice.unknownStream"); return }
        let text = streams[si].state == .connecting ? "Could not connect to TURN server" : "TURN server connection closed"
        failStream(si, text: text, notifyDriver: false, now: now)
    }

    // MARK: - Opening

    /// Opens a stream for one TURN URL and queues its first Allocate (sent once the stream is open).
    func openTURNStream(url: String, host: String, transport: TURNTransport, server: TransportAddress,
                        username: String, password: String, job: Int, now: Instant) {
        var tls: TLSStream?
        if transport == .tls {
            guard let t = TLSStream(serverName: host, verification: configuration.turnTLSVerification) else {
                finishJob(job, error: (701, "TLS client setup failed (no usable trusted certificates?)"), now: now)
                return
            }
            tls = t
        }
        let sid = nextStreamID
        nextStreamID += 1
        let a = TURNAllocation(id: makeID(), job: job, url: url, socket: sid, server: server, username: username, password: password,
                               transport: transport)
        allocations.append(a)
        streams.append(ICEStream(id: sid, server: server, allocation: a.id, tls: tls))
        emit(.openStream(socket: sid, to: server))
        sendAllocate(allocation: allocations.count - 1, now: now)
    }

    // MARK: - Writing

    func streamIndex(_ socket: Int) -> Int? { streams.firstIndex { $0.id == socket } }

    /// Queues `bytes` for `socket`: a datagram, or plaintext for a stream (TLS-protected there).
    func emitTransmit(socket: Int, destination: TransportAddress, bytes: [UInt8]) {
        if let si = streamIndex(socket) {
            writeStream(si, bytes)
        } else {
            transmits.push(ICETransmit(socket: socket, destination: destination, bytes: bytes))
        }
    }

    /// Writes TURN plaintext on a stream; before it opens, keeps it (bounded) for `streamOpened`.
    func writeStream(_ si: Int, _ bytes: [UInt8]) {
        switch streams[si].state {
        case .connecting, .handshaking:
            guard streams[si].backlog.count + bytes.count <= ICEStream.maxBacklog else { drops.drop("ice.streamBacklogFull"); return }
            streams[si].backlog += bytes
        case .open:
            if let tls = streams[si].tls {
                guard tls.send(bytes) else { drops.drop("ice.tlsWriteFailed"); return }
                pushStreamBytes(si, tls.takeOutput())
            } else {
                pushStreamBytes(si, bytes)
            }
        case .closed:
            drops.drop("ice.streamClosed")
        }
    }

    /// Wire bytes (already encrypted when TLS) for the driver to write.
    private func pushStreamBytes(_ si: Int, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        transmits.push(ICETransmit(socket: streams[si].id, destination: streams[si].server, bytes: bytes))
    }

    private func streamOpened(_ si: Int) {
        streams[si].state = .open
        let queued = streams[si].backlog
        streams[si].backlog = []
        if !queued.isEmpty { writeStream(si, queued) }
    }

    // MARK: - Closing

    /// The stream failed or the driver closed it: mark it closed, fail its allocation (with 701
    /// while gathering) and the pairs on its relayed candidate.
    func failStream(_ si: Int, text: String, notifyDriver: Bool, now: Instant) {
        guard streams[si].state != .closed else { return }
        streams[si].state = .closed
        streams[si].tls = nil
        streams[si].backlog = []
        if notifyDriver { emit(.closeStream(socket: streams[si].id)) }
        guard let ai = allocationIndex(streams[si].allocation) else { return }
        let aid = allocations[ai].id
        transactions.removeAll { if case .turn(let x, _) = $0.kind { return x == aid } else { return false } }
        switch allocations[ai].state {
        case .allocating:
            allocations[ai].state = .failed
            finishJob(allocations[ai].job, error: (701, text), now: now)
        case .allocated:
            allocations[ai].state = .failed
            let relayLocals = Set(locals.filter { $0.route == .relay(aid) }.map(\.id))
            let dead = Set(pairs.filter { relayLocals.contains($0.local) && $0.id != selectedID }.map(\.id))
            for i in pairs.indices where dead.contains(pairs[i].id) { pairs[i].state = .failed }
            triggered.removeAll { dead.contains($0) }
            transactions.removeAll { if case .check(let pid, _, _) = $0.kind { return dead.contains(pid) } else { return false } }
            if let n = nominationInFlight, dead.contains(n) { nominationInFlight = nil; nominateIfNeeded(now: now) }
            evaluateFailure(now: now)
        case .failed, .closed:
            break
        }
    }

    /// The allocation on a stream ended for a TURN reason (refused, timed out, released): close
    /// the stream too. The allocation's own state is the caller's business.
    func releaseStream(forAllocation aid: Int) {
        guard let si = streams.firstIndex(where: { $0.allocation == aid }), streams[si].state != .closed else { return }
        streams[si].tls?.close()
        if let bytes = streams[si].tls?.takeOutput(), streams[si].state == .open { pushStreamBytes(si, bytes) }
        streams[si].state = .closed
        streams[si].tls = nil
        streams[si].backlog = []
        emit(.closeStream(socket: streams[si].id))
    }
}
