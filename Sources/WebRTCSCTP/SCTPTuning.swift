#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp

/// usrsctp settings chosen for WebRTC data channels, each with its reason.
enum SCTPTuning {
    /// SCTP packet size. DTLS (≈ 13 header + up to 64 AEAD/CBC overhead), UDP, IPv6 and a TURN
    /// channel header must fit in 1280, the IPv6 minimum MTU; 1200 is what browsers use, and path
    /// MTU discovery cannot work through DTLS-over-ICE, so it is fixed.
    static let mtu: UInt32 = 1200
    /// Streams each way. WebRTC needs one per channel; 1024 is what browsers negotiate and keeps the
    /// per-association stream arrays small (65,535 would cost megabytes per association).
    static let streams: UInt16 = 1024
    /// Send buffer. It bounds bytes usrsctp holds unacknowledged, i.e. the window: 2 MiB covers
    /// ≈ 160 Mbit/s at 100 ms RTT.
    static let bufferBytes: Int32 = 2 << 20
    /// Receive buffer: the largest window we advertise (RFC 9260 §6.2.1). While the receive budget
    /// allows, the callback empties it at once and it holds only out-of-order data; once the
    /// budget is spent, arriving data stays here and the window closes (see `ReceiveFlowControl`),
    /// so this is also how far a peer can overrun the budget. 1 MiB still covers ≈ 80 Mbit/s at
    /// 100 ms RTT. usrsctp starts partial delivery at half of it (512 KiB), above our largest
    /// accepted message (`SCTPAssociation.maxReceiveMessageSize`).
    static let receiveBufferBytes: Int32 = 1 << 20
    /// Delayed SACK time. The default 200 ms stalls a sender whose last packet of a burst arrives
    /// alone; 20 ms keeps the ack clock tight at little extra traffic (every second packet is still
    /// acked at once, RFC 9260 §6.2).
    static let delayedSackMs: UInt32 = 20
    /// Packets sent in one burst. The default 4 throttles a sender that has window left after a
    /// SACK; 10 (like TCP's initial window) keeps bursts small enough for home-router queues.
    static let maxBurst: UInt32 = 10

    /// First-come-first-served stream scheduling (see `configure`).
    static let useFCFS = true

    /// Process-wide sysctls, set once right after `usrsctp_init_nothreads`.
    static func applyGlobal() {
        // ECN cannot be signalled through DTLS-over-UDP.
        _ = usrsctp_sysctl_set_sctp_ecn_enable(0)
        // One AF_CONN address per association: no ASCONF, and AUTH only serves ASCONF. aiortc does
        // not implement AUTH either.
        _ = usrsctp_sysctl_set_sctp_asconf_enable(0)
        _ = usrsctp_sysctl_set_sctp_auth_enable(0)
        // PR-SCTP (RFC 3758) for maxRetransmits / maxPacketLifeTime; RE-CONFIG (RFC 6525) to close
        // channels by stream reset (RFC 8831 §6.7).
        _ = usrsctp_sysctl_set_sctp_pr_enable(1)
        _ = usrsctp_sysctl_set_sctp_reconfig_enable(1)
        // Not used by WebRTC peers; keep INIT minimal.
        _ = usrsctp_sysctl_set_sctp_nrsack_enable(0)
        _ = usrsctp_sysctl_set_sctp_pktdrop_enable(0)
        // Retransmission timeouts (RFC 9260 §6.3.1 defaults are 1 s min / 3 s initial / 60 s max,
        // tuned for the 1990s internet). ICE and DTLS just measured this path; WebRTC RTTs are
        // mostly < 300 ms. With a 1 s minimum every tail loss (the last packet of a burst, with
        // nothing after it to trigger fast retransmit) stalls a transfer for a second. 150 ms
        // stays above delayed SACK (20 ms) plus normal jitter, so spurious timeouts stay rare.
        // Initial 500 ms bounds a lost INIT/COOKIE or first DATA before any RTT sample; a max of
        // 10 s lets a transfer resume within seconds after an outage (ICE consent freshness,
        // not SCTP, decides that the path is dead).
        _ = usrsctp_sysctl_set_sctp_rto_min_default(150)
        _ = usrsctp_sysctl_set_sctp_rto_initial_default(500)
        _ = usrsctp_sysctl_set_sctp_rto_max_default(10_000)
        _ = usrsctp_sysctl_set_sctp_init_rto_max_default(3_000)
        _ = usrsctp_sysctl_set_sctp_delayed_sack_time_default(delayedSackMs)
        _ = usrsctp_sysctl_set_sctp_max_burst_default(maxBurst)
        // Initial congestion window of 10 packets (as TCP, RFC 6928) instead of usrsctp's smaller
        // default: the first messages of a channel leave in one round trip.
        _ = usrsctp_sysctl_set_sctp_initial_cwnd(10)
        // No per-chunk retransmission limit (usrsctp's default aborts the association once one TSN
        // was sent 30 times). aiortc acknowledges one TSN per SACK with a gap block while it is
        // CPU-bound, which makes usrsctp fast-retransmit the same chunks over and over; with the
        // limit, a 64 MiB transfer to aiortc aborted within 100 ms in about half the runs (seen
        // with WEBRTC_USRSCTP_DEBUG=1: "TSN … retransmitted 30 times, giving up"). Liveness stays
        // bounded by the association error counter (T3 timeouts) and by ICE consent freshness.
        _ = usrsctp_sysctl_set_sctp_max_retran_chunk(0)
        _ = usrsctp_sysctl_set_sctp_nr_outgoing_streams_default(UInt32(streams))
        _ = usrsctp_sysctl_set_sctp_nr_incoming_streams_default(UInt32(streams))
    }

    /// Configures a fresh socket before bind/connect. Returns the name of the first option that
    /// failed, or nil. Call with the stack lock held. `outboundStreams` is what INIT asks for.
    static func configure(_ sock: OpaquePointer, outboundStreams: UInt16 = streams) -> String? {
        // Sans-IO: no call may ever wait; a full buffer must return EWOULDBLOCK (or a short count).
        if usrsctp_set_non_blocking(sock, 1) != 0 { return "non-blocking" }

        func set<T: BitwiseCopyable>(_ level: Int32, _ name: Int32, _ value: T) -> Bool {
            withUnsafeBytes(of: value) {
                usrsctp_setsockopt(sock, level, name, $0.baseAddress, socklen_t($0.count)) == 0
            }
        }
        let sctp = Int32(IPPROTO_SCTP)
        // Close on drop without lingering in the global stack: abort at once (ABORT chunk).
        // Graceful close uses usrsctp_shutdown first.
        if !set(SOL_SOCKET, SO_LINGER, linger(l_onoff: 1, l_linger: 0)) { return "SO_LINGER" }
        if !set(SOL_SOCKET, SO_SNDBUF, bufferBytes) { return "SO_SNDBUF" }
        if !set(SOL_SOCKET, SO_RCVBUF, receiveBufferBytes) { return "SO_RCVBUF" }
        // No Nagle: a message is sent now; batching comes from the congestion window anyway.
        if !set(sctp, SCTP_NODELAY, Int32(1)) { return "SCTP_NODELAY" }
        // We hand a message in pieces when the send buffer takes only part of it; SCTP_EOR on the
        // last piece ends the message (without this mode a short write would end it early).
        if !set(sctp, SCTP_EXPLICIT_EOR, Int32(1)) { return "SCTP_EXPLICIT_EOR" }
        // The receive callback gets stream id, PPID and flags.
        if !set(sctp, SCTP_RECVRCVINFO, Int32(1)) { return "SCTP_RECVRCVINFO" }
        // Close channels by resetting outgoing streams (RFC 8831 §6.7); accept the peer adding
        // streams (change-association requests) as browsers may.
        let reset = sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC),
                                     assoc_value: UInt32(SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ))
        if !set(sctp, SCTP_ENABLE_STREAM_RESET, reset) { return "SCTP_ENABLE_STREAM_RESET" }
        // Partial reliability for maxRetransmits / maxPacketLifeTime channels.
        if !set(sctp, SCTP_PR_SUPPORTED, sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_FUTURE_ASSOC), assoc_value: 1)) {
            return "SCTP_PR_SUPPORTED"
        }
        // I-DATA (RFC 8260) stays off: usrsctp 0.9.5's header has no option to enable it, aiortc
        // does not implement it, and without it interoperation is certain. The cost is that a large
        // message holds its stream's successors (and, inside usrsctp, other streams) until sent;
        // our feeder switches channels between messages.
        // Partial delivery as late as possible: with the receive callback, usrsctp hands a
        // partially delivered message over in pieces, and when a middle fragment of a large
        // message is lost the next complete message on the stream can be delivered between its
        // pieces — two corrupt messages (found by SCTPOverDTLSTests under 10 % loss with messages
        // > 64 KiB, the default partial delivery point). usrsctp uses the smaller of this and half
        // the receive buffer (512 KiB), still twice our largest accepted message (256 KiB), so
        // every message we accept arrives whole.
        if !set(sctp, SCTP_PARTIAL_DELIVERY_POINT, UInt32(1 << 20)) { return "SCTP_PARTIAL_DELIVERY_POINT" }
        if !set(sctp, SCTP_INITMSG, sctp_initmsg(sinit_num_ostreams: outboundStreams, sinit_max_instreams: streams,
                                                 sinit_max_attempts: 0, sinit_max_init_timeo: 0)) { return "SCTP_INITMSG" }
        if !set(sctp, SCTP_DELAYED_SACK, sctp_sack_info(sack_assoc_id: sctp_assoc_t(SCTP_FUTURE_ASSOC),
                                                        sack_delay: delayedSackMs, sack_freq: 2)) { return "SCTP_DELAYED_SACK" }
        if !set(sctp, SCTP_MAX_BURST, sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_FUTURE_ASSOC), assoc_value: maxBurst)) {
            return "SCTP_MAX_BURST"
        }
        // First-come-first-served stream scheduling: usrsctp sends exactly in the order we hand it
        // data, which makes per-channel bufferedAmount exact (see SendAccounting). Fairness between
        // channels is done by our own feeder, which rotates channels message by message.
        if useFCFS, !set(sctp, SCTP_PLUGGABLE_SS, sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_FUTURE_ASSOC),
                                                          assoc_value: UInt32(SCTP_SS_FIRST_COME))) { return "SCTP_PLUGGABLE_SS" }
        var params = sctp_paddrparams()
        params.spp_assoc_id = sctp_assoc_t(SCTP_FUTURE_ASSOC)
        params.spp_flags = UInt32(SPP_PMTUD_DISABLE)
        params.spp_pathmtu = mtu
        if !set(sctp, SCTP_PEER_ADDR_PARAMS, params) { return "SCTP_PEER_ADDR_PARAMS" }
        for type in [SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_SENDER_DRY_EVENT, SCTP_SEND_FAILED_EVENT,
                     SCTP_PARTIAL_DELIVERY_EVENT, SCTP_STREAM_CHANGE_EVENT, SCTP_REMOTE_ERROR, SCTP_SHUTDOWN_EVENT] {
            let event = sctp_event(se_assoc_id: sctp_assoc_t(SCTP_FUTURE_ASSOC), se_type: UInt16(type), se_on: 1)
            if !set(sctp, SCTP_EVENT, event) { return "SCTP_EVENT \(type)" }
        }
        return nil
    }
}
