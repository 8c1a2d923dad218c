#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp
import WebRTCCore

/// The one usrsctp stack of the process, and the only door to it.
///
/// usrsctp keeps global state (one stack per process, DESIGN.md §7), so every usrsctp call in
/// this module runs inside `withLock`. We use `usrsctp_init_nothreads`: usrsctp starts no thread
/// and runs its callbacks (packet output, receive, send-space, notifications) synchronously inside
/// whichever usrsctp call triggered them — on the calling thread, with our lock already held. A
/// callback may concern any association (`usrsctp_handle_timers` fires every association's
/// timers), so callbacks do nothing but append to the `SCTPInbox` of the association named by
/// the small integer id they carry. Ids are never pointers and never reused; a callback for an
/// unknown or closed id is ignored (CVE-2020-6514, CVE-2020-6532).
package final class SCTPStack: @unchecked Sendable {
    /// The process-wide stack, initialised on first use.
    package static let shared = SCTPStack()

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Everything below is guarded by `mutex`.
    private var inboxes: [UInt32: SCTPInbox] = [:]
    private var nextID: UInt32 = 1
    private var lastTick: Instant?

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        withLock {
            // WEBRTC_USRSCTP_DEBUG=1 turns on usrsctp's own debug output (stderr) for diagnosis.
            let debug = getenv("WEBRTC_USRSCTP_DEBUG") != nil
            usrsctp_init_nothreads(0, { addr, buffer, length, _, _ in
                SCTPStack.shared.connOutput(addr: addr, buffer: buffer, length: length)
            }, debug ? cwebrtc_usrsctp_debug_printer() : nil)
            if debug { _ = usrsctp_sysctl_set_sctp_debug_on(0xFFFF_FFFF) }
            if SCTPStack.checksumOffload { usrsctp_enable_crc32c_offload() }
            SCTPTuning.applyGlobal()
        }
    }

    /// Runs `body` holding the stack lock. Not reentrant: never call from inside `body`.
    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    // MARK: registry (call with the lock held)

    /// Registers a new association and returns its id (≥ 1, never reused in practice: 2^32 ids).
    func registerLocked() -> UInt32 {
        var id = nextID
        while id == 0 || inboxes[id] != nil { id &+= 1 }
        nextID = id &+ 1
        inboxes[id] = SCTPInbox()
        return id
    }

    /// Forgets an association: later callbacks carrying its id are ignored.
    func unregisterLocked(_ id: UInt32) { inboxes[id] = nil }

    /// The inbox of a live association.
    func inboxLocked(_ id: UInt32) -> SCTPInbox? { inboxes[id] }

    /// Number of registered (live) associations.
    package static var liveCount: Int { shared.withLock { shared.inboxes.count } }

    // MARK: time

    /// Advances usrsctp's global timers to `now`. Idempotent: several associations may call it
    /// with the same `now`; time that goes backwards (another timeline) is ignored, and fractions
    /// of a millisecond are carried to the next call. Call with the lock held.
    func tickLocked(now: Instant) {
        guard let last = lastTick else { lastTick = now; return }
        guard now > last else { return }
        let elapsedMs = (now.nanoseconds - last.nanoseconds) / 1_000_000
        guard elapsedMs > 0 else { return }
        // usrsctp takes a UInt32; a long pause is fed in chunks of at most one minute.
        var left = elapsedMs
        while left > 0 {
            let step = min(left, 60_000)
            usrsctp_handle_timers(UInt32(step))
            left -= step
        }
        lastTick = Instant(nanoseconds: last.nanoseconds + elapsedMs * 1_000_000)
    }

    /// The latest time the stack has been ticked to (virtual-time tests start their clock here so
    /// that every association in the process shares one timeline).
    package static var latestTick: Instant? { shared.withLock { shared.lastTick } }

    // MARK: callbacks (run inside a usrsctp call, so the lock is held)

    private func connOutput(addr: UnsafeMutableRawPointer?, buffer: UnsafeMutableRawPointer?, length: Int) -> Int32 {
        guard let buffer, length > 0, let inbox = inboxes[SCTPStack.id(of: addr)] else { return 0 }
        var packet = Array(UnsafeRawBufferPointer(start: buffer, count: length))
        if SCTPStack.checksumOffload {
            packet.withUnsafeMutableBufferPointer { cwebrtc_sctp_fill_checksum($0.baseAddress, length, SCTPStack.crcHardware) }
        }
        inbox.transmits.append(packet)
        return 0
    }

    /// usrsctp's CRC32c is "offloaded" to us: it skips verifying inbound packets (DTLS already
    /// authenticated every byte; RFC 8261 §5 relies on DTLS for integrity) and we compute the
    /// outbound checksum with the CPU's crc32 instruction. Set WEBRTC_SCTP_SOFTWARE_CRC=1 to let
    /// usrsctp do both itself.
    static let checksumOffload = getenv("WEBRTC_SCTP_SOFTWARE_CRC") == nil
    static let crcHardware = cwebrtc_crc32c_has_hardware()

    /// The receive callback handed to `usrsctp_socket`. usrsctp allocated `data`; we free it.
    static let receiveCallback: @convention(c) (OpaquePointer?, sctp_sockstore, UnsafeMutableRawPointer?, Int,
                                                sctp_rcvinfo, Int32, UnsafeMutableRawPointer?) -> Int32 = {
        _, _, data, length, info, flags, ulp in
        defer { free(data) }
        guard let data, let inbox = SCTPStack.shared.inboxes[SCTPStack.id(of: ulp)] else { return 1 }
        let bytes = Array(UnsafeRawBufferPointer(start: data, count: length))
        if flags & Int32(MSG_NOTIFICATION) != 0 {
            // SENDER_DRY is state at this instant: note it now (see SendAccounting).
            if length >= 2, bytes.withUnsafeBytes({ $0.loadUnaligned(as: UInt16.self) }) == UInt16(SCTP_SENDER_DRY_EVENT) {
                inbox.senderDry = true
            }
            inbox.received.append(.notification(bytes))
        } else {
            inbox.received.append(.data(bytes, stream: info.rcv_sid, ppid: UInt32(bigEndian: info.rcv_ppid),
                                        endOfRecord: flags & Int32(MSG_EOR) != 0,
                                        unordered: info.rcv_flags & UInt16(SCTP_UNORDERED) != 0))
        }
        return 1
    }

    /// The send-space callback: with threshold 0 usrsctp calls it after every SACK with the free
    /// space of the send buffer, which tells us how many user bytes it still holds.
    static let sendCallback: @convention(c) (OpaquePointer?, UInt32, UnsafeMutableRawPointer?) -> Int32 = {
        _, free, ulp in
        SCTPStack.shared.inboxes[SCTPStack.id(of: ulp)]?.sendBufferFree = free
        return 0
    }

    /// The AF_CONN "address" and ulp_info we hand usrsctp: the id as a pointer-sized integer.
    static func pointer(for id: UInt32) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(id)) }

    static func id(of pointer: UnsafeMutableRawPointer?) -> UInt32 {
        UInt32(truncatingIfNeeded: UInt(bitPattern: pointer))
    }
}

/// What usrsctp callbacks left for one association; guarded by the stack lock.
final class SCTPInbox {
    /// One item delivered by the receive callback.
    enum Received {
        case data([UInt8], stream: UInt16, ppid: UInt32, endOfRecord: Bool, unordered: Bool)
        case notification([UInt8])
    }
    var transmits: [[UInt8]] = []
    var received: [Received] = []
    /// Latest free space of the send buffer reported by the send callback, if any since last read.
    var sendBufferFree: UInt32?
    /// SENDER_DRY arrived: usrsctp holds none of our data (as of that moment).
    var senderDry = false
}
