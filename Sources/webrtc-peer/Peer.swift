import Foundation
import Synchronization
import WebRTC

/// An interop peer (docs/INTEROP.md) on top of the public API.
final class Peer: Sendable {
    let options: Options
    let pc: RTCPeerConnection
    let signaling = Signaling()
    private let remoteSet = Mutex(false)
    private let queued = Mutex<[RTCIceCandidateInit]>([])
    let done = Mutex<CheckedContinuation<Int32, Never>?>(nil)

    init(options: Options) throws {
        self.options = options
        var config = RTCConfiguration()
        if let stun = options.stun { config.iceServers.append(RTCIceServer(urls: [stun])) }
        if let turn = options.turn { config.iceServers.append(RTCIceServer(urls: [turn], username: options.turnUser, credential: options.turnPass)) }
        if options.relayOnly { config.iceTransportPolicy = .relay }
        config.includeLoopbackCandidates = true
        pc = try RTCPeerConnection(configuration: config)
    }

    /// Runs until the scenario (offerer) or the connection (answerer) ends; returns the exit code.
    func run() async -> Int32 {
        pc.onIceCandidate = { [signaling] c in
            if let c {
                signaling.send(["type": "candidate", "candidate": c.candidate, "sdpMid": c.sdpMid ?? "0", "sdpMLineIndex": c.sdpMLineIndex ?? 0])
            } else {
                signaling.send(["type": "candidate", "candidate": "", "sdpMid": "0", "sdpMLineIndex": 0])
            }
        }
        let role = options.role
        pc.onSignalingStateChange = { s in log("signalingState \(s.rawValue)") }
        pc.onIceGatheringStateChange = { s in log("iceGatheringState \(s.rawValue)") }
        pc.onIceConnectionStateChange = { [pc] s in
            log("iceConnectionState \(s.rawValue)")
            if s == .connected || s == .completed, let pair = pc.selectedCandidatePairDescription { log("selected pair \(pair)") }
        }
        pc.onConnectionStateChange = { [weak self] s in
            log("connectionState \(s.rawValue)")
            if role == .answerer && (s == .failed || s == .closed) { self?.finish() }
        }
        pc.dtls.onStateChange = { [weak self, pc] s in
            log("dtlsState \(s.rawValue)")
            if s == .connected {
                log("DTLS role \(pc.dtls.role.rawValue), cipher \(pc.dtls.cipherSuite ?? "?"), SCTP max message size \(Int(pc.sctp?.maxMessageSize ?? 0))")
            }
            if role == .answerer && (s == .closed || s == .failed) { self?.finish() }
        }
        let timeout = Task {
            try await Task.sleep(for: .seconds(options.timeout))
            self.finish(fail: "timeout after \(options.timeout) s")
        }
        let reader = Task { await self.readSignaling() }
        let code: Int32 = await withCheckedContinuation { cont in
            done.withLock { $0 = cont }
            Task {
                do {
                    if options.role == .offerer { try await self.runOfferer() } else { try await self.runAnswerer() }
                } catch {
                    self.finish(fail: "\(error)")
                }
            }
        }
        timeout.cancel()
        reader.cancel()
        return code
    }

    /// Ends the run once: a failure writes the result line (offerer) and exits 1.
    func finish(fail: String? = nil) {
        let cont = done.withLock { c -> CheckedContinuation<Int32, Never>? in defer { c = nil }; return c }
        guard let cont else { return }
        if let fail {
            log("failure: \(fail)")
            if options.role == .offerer { signaling.send(["type": "result", "ok": false, "error": fail]) }
        }
        pc.close()
        cont.resume(returning: fail == nil ? 0 : 1)
    }

    private func readSignaling() async {
        for await m in signaling.lines() {
            do {
                switch m.type {
                case "offer", "answer":
                    guard let sdp = m.sdp else { continue }
                    try await pc.setRemoteDescription(RTCSessionDescription(type: m.type == "offer" ? .offer : .answer, sdp: sdp))
                    log("remote \(m.type) applied")
                    if m.type == "offer" {
                        try await pc.setLocalDescription()
                        if let answer = pc.localDescription { signaling.send(["type": "answer", "sdp": answer.sdp]) }
                    }
                    remoteSet.withLock { $0 = true }
                    for c in queued.withLock({ q -> [RTCIceCandidateInit] in defer { q.removeAll() }; return q }) {
                        try? await pc.addIceCandidate(c)
                    }
                case "candidate":
                    let c = RTCIceCandidateInit(candidate: m.candidate ?? "", sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex ?? (m.sdpMid == nil ? 0 : nil))
                    if remoteSet.withLock({ $0 }) {
                        do { try await pc.addIceCandidate(c) } catch { log("addIceCandidate: \(error)") }
                    } else {
                        queued.withLock { $0.append(c) }
                    }
                default:
                    log("ignoring signaling line of type \(m.type)")
                }
            } catch {
                finish(fail: "signaling \(m.type): \(error)")
            }
        }
        // stdin ended: the answerer is done; the offerer keeps going until its scenario ends.
        if options.role == .answerer { finish() }
    }

    // MARK: answerer

    private func runAnswerer() async throws {
        pc.onDataChannel = { [weak self] ch in
            log("datachannel \(ch.label) id \(ch.id ?? -1)")
            self?.serve(ch)
        }
        for id in 900...909 {
            let ch = try pc.createDataChannel("meta-neg-\(id)", RTCDataChannelInit(protocol: "neg", negotiated: true, id: id))
            serve(ch)
        }
    }

    /// The answerer's behaviour by label prefix (docs/INTEROP.md); `sink` channels are never read.
    func serve(_ ch: RTCDataChannel) {
        let label = ch.label
        if label.hasPrefix("echo") {
            ch.onMessage = { [weak ch] m in try? ch?.send(m) }
        } else if label.hasPrefix("bulk") {
            let state = Mutex((count: 0, digest: SHA256Digest()))
            ch.onMessage = { [weak ch] m in
                switch m {
                case .binary(let d):
                    state.withLock { s in
                        s.count += d.count
                        d.withUnsafeBytes { s.digest.update($0) }
                    }
                case .text(let t) where t == "end":
                    let reply = state.withLock { "received \($0.count) \($0.digest.hexDigest())" }
                    try? ch?.send(reply)
                case .text:
                    break
                }
            }
        } else if label.hasPrefix("meta") {
            ch.onMessage = { [weak ch] _ in
                guard let ch else { return }
                try? ch.send(Peer.describe(ch))
            }
        }
    }

    static func describe(_ ch: RTCDataChannel) -> String {
        let obj: [String: Any] = [
            "label": ch.label, "protocol": ch.protocol, "id": ch.id.map { $0 as Any } ?? NSNull(), "ordered": ch.ordered,
            "maxRetransmits": ch.maxRetransmits.map { $0 as Any } ?? NSNull(),
            "maxPacketLifeTime": ch.maxPacketLifeTime.map { $0 as Any } ?? NSNull(), "negotiated": ch.negotiated,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: offerer

    private func runOfferer() async throws {
        switch options.scenario {
        case .echo:
            let ch = try pc.createDataChannel("echo")
            try await negotiate()
            try await ch.waitUntilOpen()
            let setupMs = Date().timeIntervalSince(processStart) * 1000
            log("echo open after \(Int(setupMs)) ms via \(pc.selectedCandidatePairDescription ?? "?")")
            let rtt = try await Scenarios.echo(ch, maxMessageSize: pc.sctp?.maxMessageSize ?? 65_536)
            signaling.send(["type": "result", "ok": true, "scenario": "echo", "setup_ms": round(setupMs * 10) / 10, "rtt_ms_median": rtt])
        case .bulk:
            let ch = try pc.createDataChannel("bulk")
            ch.onError = { e in log("bulk channel error: \(e)") }
            ch.onClose = { log("bulk channel closed") }
            ch.bufferedAmountLowThreshold = 1 << 20
            try await negotiate()
            try await ch.waitUntilOpen()
            let size = min(options.messageSize, Int(min(pc.sctp?.maxMessageSize ?? 65_536, 1e12)))
            let r = try await Scenarios.bulk(ch, bytes: options.bytes, messageSize: size)
            signaling.send(["type": "result", "ok": true, "scenario": "bulk", "bytes": options.bytes,
                            "seconds": r.seconds, "mbps": Double(options.bytes) / 1e6 / r.seconds])
        case .channels:
            let count = try await Scenarios.channels(pc, negotiate: { try await self.negotiate() })
            signaling.send(["type": "result", "ok": true, "scenario": "channels", "channels": count])
        case .sink:
            let ch = try pc.createDataChannel("sink")
            try await negotiate()
            try await ch.waitUntilOpen()
            let r = try await Scenarios.sink(ch, seconds: options.seconds)
            signaling.send(["type": "result", "ok": true, "scenario": "sink", "bytes_accepted": r.accepted, "seconds": r.seconds])
        case .media:
            throw ScenarioError("scenario \(options.scenario.rawValue) is not implemented")
        }
        finish()
    }

    private func negotiate() async throws {
        try await pc.setLocalDescription()
        guard let offer = pc.localDescription else { throw ScenarioError("no local offer") }
        signaling.send(["type": "offer", "sdp": offer.sdp])
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
