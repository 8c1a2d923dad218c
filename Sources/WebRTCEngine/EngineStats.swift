import WebRTCCore

/// One value of a stats object.
package enum StatsValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
}

/// One stats object (webrtc-stats): id, type and members; the driver adds the timestamp.
package struct StatsEntry: Sendable, Equatable {
    package var id: String
    package var type: String
    package var values: [String: StatsValue]
}

extension PeerConnectionEngine {
    /// The stats objects the engine knows (transport, pair, candidates, certificates, channels).
    package func stats(channelStates: [Int: (state: String, label: String, protocol: String)]) -> [StatsEntry] {
        var out: [StatsEntry] = []
        out.append(StatsEntry(id: "PC", type: "peer-connection", values: [
            "dataChannelsOpened": .int(counters.dataChannelsOpened), "dataChannelsClosed": .int(counters.dataChannelsClosed),
        ]))
        var transport: [String: StatsValue] = [
            "bytesSent": .int(counters.bytesSent), "bytesReceived": .int(counters.bytesReceived),
            "packetsSent": .int(counters.packetsSent), "packetsReceived": .int(counters.packetsReceived),
            "dtlsState": .string(dtlsState.rawValue), "iceState": .string(iceConnectionState.rawValue),
            "droppedPackets": .int(drops.total + (ice?.drops.total ?? 0) + (dtls?.drops.total ?? 0) + (sctp?.drops.total ?? 0)),
        ]
        if let role = dtlsRole { transport["dtlsRole"] = .string(role == .client ? "client" : "server") }
        if let cipher = dtls?.cipherName { transport["dtlsCipher"] = .string(cipher) }
        if let pair = ice?.selectedPair {
            transport["selectedCandidatePairId"] = .string("CP")
            out.append(StatsEntry(id: "CP", type: "candidate-pair", values: [
                "localCandidateId": .string("L"), "remoteCandidateId": .string("R"), "state": .string("succeeded"), "nominated": .bool(true),
                "currentRoundTripTime": pair.rtt.map { .double(Double($0.nanoseconds) / 1e9) } ?? .double(0),
            ]))
            for (id, c, type) in [("L", pair.local, "local-candidate"), ("R", pair.remote, "remote-candidate")] {
                out.append(StatsEntry(id: id, type: type, values: [
                    "address": .string(c.address.ip.description), "port": .int(Int(c.address.port)),
                    "protocol": .string(c.transport), "candidateType": .string(c.type.rawValue), "priority": .int(Int(c.priority)),
                ]))
            }
        }
        out.append(StatsEntry(id: "T", type: "transport", values: transport))
        for (i, fp) in localParams.fingerprints.enumerated() {
            out.append(StatsEntry(id: "CERT\(i)", type: "certificate", values: [
                "fingerprint": .string(fp.value), "fingerprintAlgorithm": .string(fp.algorithm),
            ]))
        }
        if let sctp {
            out.append(StatsEntry(id: "SCTP", type: "sctp-transport", values: ["state": .string(sctp.state == .connected ? "connected" : "connecting")]))
        }
        for handle in channels.allHandles {
            guard let record = channels[handle], let id = record.streamID else { continue }
            let facade = channelStates[handle]
            out.append(StatsEntry(id: "DC\(id)", type: "data-channel", values: [
                "label": .string(record.parameters.label), "protocol": .string(record.parameters.protocol),
                "dataChannelIdentifier": .int(Int(id)), "state": .string(facade?.state ?? "open"),
                "bufferedAmount": .int(sctp?.bufferedAmount(of: id) ?? 0),
            ]))
        }
        return out
    }
}
