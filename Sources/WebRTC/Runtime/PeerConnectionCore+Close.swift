import WebRTCCore

extension PeerConnectionCore {
    /// webrtc-pc §4.4.1.7 "close the connection": everything becomes closed at once, with no
    /// events; the remote learns through SCTP ABORT and DTLS close_notify, sent before the
    /// sockets close.
    func close() {
        guard !isClosed else { return }
        let now = MonotonicClock.now()
        for ch in Array(channels.values) + pendingChannels { ch.closeSilently() }
        channels.removeAll()
        pendingChannels.removeAll()
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
                while let t = ice.pollTransmit() {
                    if let stream = streams[t.socket] { stream.write(t.bytes) }
                    else if let s = sockets[t.socket], let a = addresses.socket(t.destination) { s.write(t.bytes, to: a) }
                }
                while ice.pollEvent() != nil {}
            }
        }
        for s in sockets.values { s.flush(); s.close() }
        sockets.removeAll()
        for s in streams.values { s.close() }
        streams.removeAll()
        isClosed = true
        timer?.cancel()
        timer = nil
        sctp = nil
        dtls = nil
        ice = nil
        signalingState = .closed
        iceConnectionState = .closed
        connectionState = .closed
        dtlsState = .closed
        shared.update {
            $0.signalingState = .closed
            $0.iceConnectionState = .closed
            $0.connectionState = .closed
            $0.dtlsState = .closed
            if $0.sctpState != nil { $0.sctpState = .closed }
        }
        shared.clearRegistry()
        shared.events.finishAll()
        shared.dtlsTransport.stateChange.finish()
        shared.dtlsTransport.error.finish()
        shared.sctpStateChange.finish()
    }

    /// Live counters for `getStats()`.
    func statsSnapshot() -> RTCStatsReport {
        let now = RTCStatsReport.timestampNow()
        var report = RTCStatsReport()
        report.add(RTCStats(id: "PC", type: "peer-connection", timestamp: now, values: [
            "dataChannelsOpened": .int(dataChannelsOpened), "dataChannelsClosed": .int(dataChannelsClosed),
        ]))
        var transport: [String: RTCStatsValue] = [
            "bytesSent": .int(bytesSent), "bytesReceived": .int(bytesReceived),
            "packetsSent": .int(packetsSent), "packetsReceived": .int(packetsReceived),
            "dtlsState": .string(dtlsState.rawValue), "iceState": .string(iceConnectionState.rawValue),
            "droppedPackets": .int(drops.total + (ice?.drops.total ?? 0) + (dtls?.drops.total ?? 0) + (sctp?.drops.total ?? 0)),
        ]
        if let role = dtlsRole { transport["dtlsRole"] = .string(role == .client ? "client" : "server") }
        if let cipher = dtls?.cipherName { transport["dtlsCipher"] = .string(cipher) }
        if let pair = ice?.selectedPair {
            transport["selectedCandidatePairId"] = .string("CP")
            report.add(RTCStats(id: "CP", type: "candidate-pair", timestamp: now, values: [
                "localCandidateId": .string("L"), "remoteCandidateId": .string("R"), "state": .string("succeeded"), "nominated": .bool(true),
                "currentRoundTripTime": pair.rtt.map { .double($0.milliseconds / 1000) } ?? .double(0),
            ]))
            for (id, c, type) in [("L", pair.local, "local-candidate"), ("R", pair.remote, "remote-candidate")] {
                report.add(RTCStats(id: id, type: type, timestamp: now, values: [
                    "address": .string(c.address.ip.description), "port": .int(Int(c.address.port)),
                    "protocol": .string(c.transport), "candidateType": .string(c.type.rawValue), "priority": .int(Int(c.priority)),
                ]))
            }
        }
        report.add(RTCStats(id: "T", type: "transport", timestamp: now, values: transport))
        for (i, cert) in certificates.enumerated() {
            report.add(RTCStats(id: "CERT\(i)", type: "certificate", timestamp: now, values: [
                "fingerprint": .string(cert.sha256Fingerprint), "fingerprintAlgorithm": .string("sha-256"),
            ]))
        }
        if let sctp {
            report.add(RTCStats(id: "SCTP", type: "sctp-transport", timestamp: now, values: ["state": .string(sctp.state == .connected ? "connected" : "connecting")]))
        }
        for (id, ch) in channels {
            report.add(RTCStats(id: "DC\(id)", type: "data-channel", timestamp: now, values: [
                "label": .string(ch.label), "protocol": .string(ch.protocol), "dataChannelIdentifier": .int(Int(id)),
                "state": .string(ch.readyState.rawValue), "bufferedAmount": .int(ch.bufferedAmount),
            ]))
        }
        return report
    }
}
