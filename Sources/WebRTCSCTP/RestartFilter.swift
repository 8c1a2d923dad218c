import WebRTCCore

/// Drops inbound SCTP packets that would restart an established association, before usrsctp sees
/// them. Sans-IO: bytes in, a verdict out.
///
/// usrsctp 0.9.5 (what Debian ships) lacks the upstream fix for its restart handling
/// (CVE-2021-30523: memory-safety bug reachable by a peer that restarts the association with a
/// new INIT / COOKIE ECHO). WebRTC never restarts SCTP inside one DTLS session: each SCTP
/// association runs over its own DTLS connection (RFC 8261), and a new one comes with a new
/// DTLS handshake, so these chunks have no legitimate use once the association is up.
///
/// Why a filter and not a vendored, patched usrsctp: the filter is a few dozen lines we own and
/// test, in front of `usrsctp_conninput`; vendoring would mean building and maintaining a fork
/// of a large C library instead of using the system package (and its security updates).
///
/// One exception keeps the handshake robust under loss: right after we are established the peer
/// may still be waiting for our COOKIE ACK and retransmit its COOKIE ECHO (RFC 9260 §5.2.4 case D,
/// a duplicate). A COOKIE ECHO is therefore let through until the peer has sent a packet with
/// neither chunk, which it normally does only once it is established itself. INIT is never let through.
struct RestartFilter {
    /// Drop reason: an INIT or COOKIE ECHO arrived on an established association.
    static let restartAttempt = "sctp.restartAttempt"
    /// Drop reason: a packet on an established association whose chunks do not parse.
    static let malformedPacket = "sctp.malformedPacket"

    /// Chunk types (RFC 9260 §3.2).
    static let initType: UInt8 = 1
    static let cookieEchoType: UInt8 = 10

    /// The peer has sent a packet without INIT / COOKIE ECHO after we were established.
    private(set) var peerEstablished = false

    /// What an SCTP packet carries, as far as the filter cares.
    struct Scan: Equatable {
        /// An INIT chunk is present.
        var hasInit = false
        /// A COOKIE ECHO chunk is present.
        var hasCookieEcho = false
    }

    /// Walks the chunks after the 12-byte common header (RFC 9260 §3): type, flags, length (≥ 4,
    /// counting the 4-byte chunk header), each padded to a multiple of 4. Returns nil when the
    /// packet is too short, a length is below 4, or a chunk runs past the end.
    static func scan(_ packet: [UInt8]) -> Scan? {
        var r = ByteReader(packet[...])
        guard r.take(12) != nil, r.remaining >= 4 else { return nil }
        var scan = Scan()
        while r.remaining > 0 {
            guard let type = r.u8(), r.u8() != nil, let length = r.u16(), length >= 4,
                  r.take(Int(length) - 4) != nil else { return nil }
            if type == initType { scan.hasInit = true }
            if type == cookieEchoType { scan.hasCookieEcho = true }
            // Padding: up to 3 bytes; the last chunk's may be missing.
            let pad = (4 - Int(length) % 4) % 4
            guard r.take(min(pad, r.remaining)) != nil else { return nil }
        }
        return scan
    }

    /// Whether `packet` may go to usrsctp. `established`: the association has been up (COMM_UP
    /// seen). Before that everything passes (the handshake is usrsctp's business).
    mutating func admit(_ packet: [UInt8], established: Bool, drops: inout DropCounters) -> Bool {
        guard established else { return true }
        guard let scan = Self.scan(packet) else { drops.drop(Self.malformedPacket); return false }
        if scan.hasInit || (scan.hasCookieEcho && peerEstablished) {
            drops.drop(Self.restartAttempt)
            return false
        }
        if !scan.hasCookieEcho { peerEstablished = true }
        return true
    }
}
