import WebRTCCore

extension PeerConnectionEngine {
    /// webrtc-pc §4.4.1.7 "close the connection": everything becomes closed at once and no event
    /// follows; the remote learns through SCTP ABORT and DTLS close_notify, queued as transmits
    /// (with TURN releases) for the driver to send before it closes its sockets. The one place
    /// that makes a connection closed.
    package func close(now: Instant) {
        guard !isClosed else { return }
        _ = channels.removeAll()
        if let sctp {
            sctp.abort()
            if let dtls, dtls.state == .connected {
                while let p = sctp.pollTransmit() { try? dtls.send(p) }
            }
            while sctp.pollEvent() != nil {}
        }
        if let dtls {
            dtls.close(now: now)
            while let d = dtls.pollTransmit() { _ = ice?.send(d, now: now) }
        }
        if let ice {
            // Twice: what DTLS/SCTP queued, then what close() queues (TURN allocation releases,
            // TLS close_notify to TURN servers).
            for round in 0..<2 {
                if round == 1 { ice.close() }
                while let t = ice.pollTransmit() { queueTransmit(t) }
                while ice.pollEvent() != nil {}
            }
        }
        isClosed = true
        sctp = nil
        dtls = nil
        ice = nil
        signalingState = .closed
        iceConnectionState = .closed
        connectionState = .closed
        dtlsState = .closed
        // webrtc-pc §4.4.1.7: no events after close; only transmits remain.
        events.removeAll()
    }
}
