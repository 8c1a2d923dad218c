#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp
import WebRTCCore

/// One SCTP association over usrsctp's AF_CONN transport, with DCEP (RFC 8832) and the data
/// channel core (RFC 8831). Sans-IO: SCTP packets in (`handlePacket`), SCTP packets out
/// (`pollTransmit`), both carried by DTLS; time comes in as `now`.
///
/// Used from one thread at a time by its owner. All usrsctp calls go through `SCTPStack`'s lock;
/// usrsctp's callbacks only fill this association's inbox, which every entry point drains.
package final class SCTPAssociation {
    /// Tick interval while anything is outstanding (handshake, queued or unacknowledged data,
    /// a pending stream reset, recent input that may owe a delayed SACK). 10 ms is half the
    /// delayed-SACK time and well under the 150 ms minimum RTO, so usrsctp's timers fire close
    /// to when they are due.
    package static let busyTickInterval: Duration = .milliseconds(10)
    /// Tick interval when idle: only heartbeats (30 s) and stray timers remain.
    package static let idleTickInterval: Duration = .milliseconds(250)
    /// How long after the last activity the association counts as busy.
    static let busyLinger: Duration = .milliseconds(500)

    /// Our advertised `a=max-message-size` (RFC 8841 §6): what the SDP layer should put in the offer.
    package static let advertisedMaxMessageSize = 262_144

    let stack = SCTPStack.shared
    let assocID: UInt32
    var socket: OpaquePointer?
    /// Registered in the stack (false after teardown).
    var registered = true
    let isDTLSClient: Bool
    let localPort: UInt16
    let remotePort: UInt16
    let sendBufferSize: Int

    package internal(set) var state: SCTPAssociationState = .connecting
    var started = false
    /// After `close()`: shutting down quietly, no more events for the user.
    var quiet = false
    var lastNow: Instant?
    var lastActivity: Instant?
    /// Streams the peer accepted (from COMM_UP).
    var outboundStreams = Int(SCTPTuning.streams)

    var channels: [UInt16: Channel] = [:]
    /// Channels with messages to feed, in round-robin order.
    var sendOrder = FIFO<UInt16>()
    /// The channel whose front message usrsctp has taken only part of; it is finished first.
    var partialChannel: UInt16?
    /// Streams whose outgoing reset must be requested (closing channels whose queue is empty,
    /// and streams of rejected OPENs).
    var resetsWanted: Set<UInt16> = []
    var resetRetryAfter: Instant?
    /// Consecutive failed stream-reset attempts (refused by usrsctp or denied by the peer); the
    /// retry delay doubles with each, see `deferResetsAfterFailure`.
    var resetAttempts = 0

    // Send accounting, see `SendAccounting` in SCTPAssociation+Send.swift.
    var handedTotal: UInt64 = 0
    var freedTotal: UInt64 = 0

    // Receive reassembly per stream (without I-DATA only one message per stream is in progress).
    var reassembly: [UInt16: (ppid: UInt32, bytes: [UInt8], discarding: Bool)] = [:]

    var transmits = FIFO<[UInt8]>()
    var events = FIFO<SCTPEvent>()
    package internal(set) var drops = DropCounters()

    /// The peer's `a=max-message-size`; 0 means unlimited. A send above it throws `.tooLarge`.
    /// Default 65,536: the value RFC 8841 §6 implies when the attribute is absent.
    package var maxMessageSize: UInt64 = 65_536
    /// The largest message we accept: our advertised `a=max-message-size` by default. A larger
    /// message breaks the peer's promise (RFC 8841 §6: a sender must not exceed the receiver's
    /// value); it is dropped and counted (`sctp.messageTooLarge`) rather than aborting the
    /// association, so one misbehaving sender message costs only itself. Its pieces are read and
    /// discarded without being buffered or counted against the receive budget. Keep this at most
    /// half of `SCTPTuning.receiveBufferBytes` (usrsctp's partial delivery point, see there).
    package var maxReceiveMessageSize = SCTPAssociation.advertisedMaxMessageSize

    // Receive flow control, see `ReceiveFlowControl` in SCTPAssociation+FlowControl.swift.

    /// Default `receiveBudget`: 4 MiB of delivered messages the owner has not consumed yet.
    package static let defaultReceiveBudget = 4 << 20
    /// Bytes of delivered, not yet consumed messages above which the association stops taking
    /// data out of usrsctp (so the advertised receive window closes and the sender is held back).
    package var receiveBudget = SCTPAssociation.defaultReceiveBudget
    /// When false (the default), a message counts as consumed as soon as `pollEvent` returns it.
    /// When true, the owner reports consumption itself with `consumed(bytes:on:)`.
    package var reportsConsumption = false
    /// Payload bytes of delivered messages not yet consumed, over all channels.
    package internal(set) var unconsumedBytes = 0
    /// `unconsumedBytes` per channel (stream id).
    var unconsumedByChannel: [UInt16: Int] = [:]
    /// The receive callback is removed: data waits in usrsctp until the budget allows reading it.
    var receivePaused = false
    /// Drops inbound INIT / COOKIE ECHO once established (see `RestartFilter`).
    var restartFilter = RestartFilter()

    /// Number of associations registered in the process-wide stack (for leak tests).
    package static var liveAssociationCount: Int { SCTPStack.liveCount }

    /// This association's registry id (leak checks that must not depend on other associations of
    /// the process, e.g. tests running in parallel).
    package var associationID: UInt32 { assocID }

    /// Whether an association id is still registered with the stack (callbacks for it would run).
    package static func isLive(id: UInt32) -> Bool { SCTPStack.shared.withLock { SCTPStack.shared.inboxLocked(id) != nil } }

    /// Creates the usrsctp socket and binds it. Stream ids: the DTLS client uses even ids, the
    /// server odd ones (RFC 8832 §6). `localPort`/`remotePort` come from `a=sctp-port`.
    package convenience init(localPort: UInt16 = 5000, remotePort: UInt16 = 5000, isDTLSClient: Bool) throws {
        try self.init(localPort: localPort, remotePort: remotePort, isDTLSClient: isDTLSClient,
                      outboundStreams: SCTPTuning.streams)
    }

    /// As above, asking for only `outboundStreams` outgoing streams in INIT (tests of peers that
    /// negotiate fewer streams than we use).
    init(localPort: UInt16, remotePort: UInt16, isDTLSClient: Bool, outboundStreams: UInt16) throws {
        self.isDTLSClient = isDTLSClient
        self.localPort = localPort
        self.remotePort = remotePort
        let stack = SCTPStack.shared
        let result: Result<(UInt32, OpaquePointer, Int), SCTPError> = stack.withLock {
            let id = stack.registerLocked()
            let ptr = SCTPStack.pointer(for: id)
            usrsctp_register_address(ptr)
            guard let sock = usrsctp_socket(AF_CONN, Int32(SOCK_STREAM.rawValue), Int32(IPPROTO_SCTP), SCTPStack.receiveCallback,
                                            SCTPStack.sendCallback, 0, ptr) else {
                usrsctp_deregister_address(ptr)
                stack.unregisterLocked(id)
                return .failure(.invalidState)
            }
            func fail(_ why: String) -> Result<(UInt32, OpaquePointer, Int), SCTPError> {
                usrsctp_close(sock)
                usrsctp_deregister_address(ptr)
                stack.unregisterLocked(id)
                return .failure(.invalidParameters(why))
            }
            if let bad = SCTPTuning.configure(sock, outboundStreams: outboundStreams) { return fail("setsockopt \(bad) errno \(errno)") }
            var addr = SCTPAssociation.connAddress(id: id, port: localPort)
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    usrsctp_bind(sock, UnsafeMutablePointer(mutating: $0), socklen_t(MemoryLayout<sockaddr_conn>.size))
                }
            }
            if bound != 0 { return fail("bind errno \(errno)") }
            var size: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = usrsctp_getsockopt(sock, SOL_SOCKET, SO_SNDBUF, &size, &len)
            return .success((id, sock, Int(size)))
        }
        let (id, sock, sndbuf) = try result.get()
        assocID = id
        socket = sock
        sendBufferSize = sndbuf > 0 ? sndbuf : Int(SCTPTuning.bufferBytes)
    }

    deinit {
        unregister()
    }

    static func connAddress(id: UInt32, port: UInt16) -> sockaddr_conn {
        var a = sockaddr_conn()
        a.sconn_family = UInt16(AF_CONN)
        a.sconn_port = port.bigEndian
        a.sconn_addr = SCTPStack.pointer(for: id)
        return a
    }

    // MARK: driving

    /// Starts the association once DTLS is connected. Both sides connect: SCTP handles the
    /// simultaneous open (RFC 9260 §5.2.1, as in RFC 8841 deployments).
    package func start(now: Instant) {
        touch(now)
        guard !started, state == .connecting, let sock = socket else { return }
        started = true
        stack.withLock {
            stack.tickLocked(now: now)
            var addr = SCTPAssociation.connAddress(id: assocID, port: remotePort)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    usrsctp_connect(sock, UnsafeMutablePointer(mutating: $0), socklen_t(MemoryLayout<sockaddr_conn>.size))
                }
            }
            if rc != 0 && errno != EINPROGRESS { drops.drop("sctp.connectFailed") }
        }
        drain()
    }

    /// An SCTP packet that arrived over DTLS.
    package func handlePacket(_ bytes: [UInt8], now: Instant) {
        touch(now)
        lastActivity = now
        guard registered, started, !bytes.isEmpty else { drops.drop("sctp.packetWhenClosed"); return }
        guard restartFilter.admit(bytes, established: connectedOnce, drops: &drops) else { return }
        stack.withLock {
            stack.tickLocked(now: now)
            bytes.withUnsafeBytes { usrsctp_conninput(SCTPStack.pointer(for: assocID), $0.baseAddress, $0.count, 0) }
        }
        drain()
    }

    /// Runs usrsctp's timers up to `now` (the stack's timers are global; this is idempotent).
    package func handleTimeout(now: Instant) {
        touch(now)
        guard registered else { return }
        stack.withLock { stack.tickLocked(now: now) }
        if let retry = resetRetryAfter, now >= retry { resetRetryAfter = nil }
        drain()
    }

    /// The next SCTP packet to hand to DTLS.
    package func pollTransmit() -> [UInt8]? {
        if transmits.isEmpty, registered { collectTransmits() }
        return transmits.popFirst()
    }

    /// The next event for the owner.
    package func pollEvent() -> SCTPEvent? {
        if events.isEmpty, registered { drain() }
        let e = events.popFirst()
        if !reportsConsumption, case .message(let id, let m)? = e { release(m.byteCount, on: id) }
        return e
    }

    /// When to call `handleTimeout` next; nil before `start` and after teardown.
    package func nextDeadline() -> Instant? {
        guard registered, started, let now = lastNow else { return nil }
        return now + (isBusy(now: now) ? Self.busyTickInterval : Self.idleTickInterval)
    }

    func isBusy(now: Instant) -> Bool {
        if state == .connecting || quiet { return true }
        if handedTotal != freedTotal || !sendOrder.isEmpty || !resetsWanted.isEmpty { return true }
        if channels.values.contains(where: { $0.closing }) { return true }
        if let last = lastActivity, now - last < Self.busyLinger { return true }
        return false
    }

    func touch(_ now: Instant) {
        if let last = lastNow, now < last { return }
        lastNow = now
    }

    // MARK: closing

    /// Graceful shutdown (SHUTDOWN after usrsctp's queued data is acknowledged). Data still in our
    /// own queues is discarded. No events are reported after this call; keep driving the
    /// association (transmits, packets, timeouts) until `nextDeadline()` is nil to let the
    /// SHUTDOWN exchange finish, or drop it (which aborts).
    package func close() {
        guard state != .closed else { return }
        state = .closed
        events.removeAll()
        guard started, registered, let sock = socket, connectedOnce else { unregister(); return }
        quiet = true
        discardQueues()
        // Nothing is delivered after close: forget the receive budget so that reading resumes and
        // whatever the peer still sends is read and discarded while SHUTDOWN completes.
        unconsumedBytes = 0
        unconsumedByChannel = [:]
        let rc = stack.withLock { usrsctp_shutdown(sock, Int32(SHUT_WR)) }
        if rc != 0 { unregister() } else { collectTransmits() }
    }

    /// Aborts the association at once (an ABORT chunk is left in `pollTransmit`). No events after.
    package func abort() {
        state = .closed
        events.removeAll()
        unregister()
    }

    /// Tears the association down at once, for when DTLS closes or fails underneath it: the
    /// usrsctp socket is closed, the id is deregistered from the process-wide stack (so it no
    /// longer costs a timer or memory there), queued data, events and packets are discarded (there
    /// is no transport left to carry an ABORT), and nothing is reported after this call.
    /// `nextDeadline()` is nil afterwards. Safe to call more than once, and after `close()`.
    package func teardown() {
        state = .closed
        quiet = true
        events.removeAll()
        unregister()
        transmits.removeAll()
    }

    /// Closes the usrsctp socket (linger 0: ABORT if the association is still up), keeps the
    /// packets it produced, and unregisters the id so later callbacks for it are ignored.
    func unregister() {
        guard registered else { return }
        registered = false
        state = .closed
        discardQueues()
        stack.withLock {
            if let sock = socket { usrsctp_close(sock) }
            socket = nil
            if let inbox = stack.inboxLocked(assocID) {
                for t in inbox.transmits { transmits.append(t) }
            }
            usrsctp_deregister_address(SCTPStack.pointer(for: assocID))
            stack.unregisterLocked(assocID)
        }
    }

    func discardQueues() {
        for c in channels.values {
            c.queue.removeAll()
            c.queuedUserBytes = 0
        }
        sendOrder.removeAll()
        partialChannel = nil
        resetsWanted = []
    }

    var connectedOnce = false
    /// The last usrsctp_sendv result and errno (diagnostics).
    var lastSendResult: (Int, Int32) = (0, 0)

    /// Internal counters for diagnostics and tests.
    package var debugSummary: String {
        var st = sctp_status()
        var len = socklen_t(MemoryLayout<sctp_status>.size)
        if let sock = socket {
            _ = stack.withLock { usrsctp_getsockopt(sock, Int32(IPPROTO_SCTP), SCTP_STATUS, &st, &len) }
        }
        return "status state \(st.sstat_state) peer-rwnd \(st.sstat_rwnd) unack \(st.sstat_unackdata) pend \(st.sstat_penddata) cwnd \(st.sstat_primary.spinfo_cwnd) rto \(st.sstat_primary.spinfo_rto) mtu \(st.sstat_primary.spinfo_mtu) " +
        "handed \(handedTotal) freed \(freedTotal) partial \(String(describing: partialChannel)) order \(sendOrder.count) lastSend \(lastSendResult) queued \(channels.values.map { $0.queue.count })"
    }

    /// Moves packets usrsctp produced into our transmit queue.
    func collectTransmits() {
        stack.withLock { moveTransmitsLocked() }
    }

    func moveTransmitsLocked() {
        guard registered, let inbox = stack.inboxLocked(assocID), !inbox.transmits.isEmpty else { return }
        for t in inbox.transmits { transmits.append(t) }
        inbox.transmits.removeAll(keepingCapacity: true)
    }

    /// Reports an event unless the user closed the association; returns whether it was queued.
    @discardableResult
    func emit(_ e: SCTPEvent) -> Bool {
        guard !quiet, !(state == .closed && !isClosedEvent(e)) else { return false }
        events.append(e)
        return true
    }

    private func isClosedEvent(_ e: SCTPEvent) -> Bool {
        if case .closed = e { return true }
        return false
    }
}
