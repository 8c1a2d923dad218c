import Glibc
import Testing
import WebRTCCore
@testable import WebRTCDTLS

@Suite struct DTLSRetransmitTests {
    /// Asserts every retransmission happened exactly on the schedule, relative to its flight.
    static func expectOnSchedule(_ engine: DTLSEngine, _ label: String) {
        let schedule = engine.schedule
        var previous: [Instant: Instant] = [:]  // flightSentAt → last send
        for r in engine.retransmissions {
            let last = previous[r.flightSentAt] ?? r.flightSentAt
            #expect(r.at == last + schedule.interval(afterRetransmissions: r.number - 1), "\(label) retransmission \(r)")
            previous[r.flightSentAt] = r.at
        }
    }

    @Test func scheduleDoublesAndCaps() {
        let s = DTLSRetransmitSchedule()
        #expect(s.interval(afterRetransmissions: 0) == .milliseconds(250))
        #expect(s.interval(afterRetransmissions: 1) == .milliseconds(500))
        #expect(s.interval(afterRetransmissions: 3) == .seconds(2))
        #expect(s.interval(afterRetransmissions: 20) == .seconds(60))
        #expect(DTLSRetransmitSchedule(initial: .milliseconds(1)).initial == .milliseconds(20))
    }

    @Test(arguments: [DTLSRetransmitMode.replay, .native])
    func silentPeerTimesOutOnSchedule(mode: DTLSRetransmitMode) throws {
        let cc = try DTLSCertificate.generate()
        let other = try DTLSCertificate.generate()
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: fingerprints(of: other), retransmitMode: mode)
        client.start(now: .zero)
        var sendTimes: [Double] = []
        var sentBytes: [[UInt8]] = []
        while let d = client.pollTransmit() { sendTimes.append(0); sentBytes.append(d) }
        var events: [DTLSEvent] = []
        var now = Instant.zero
        while let deadline = client.nextDeadline(), deadline <= .seconds(60) {
            now = deadline
            client.handleTimeout(now: now)
            while let d = client.pollTransmit() { sendTimes.append(now.milliseconds); sentBytes.append(d) }
            while let e = client.pollEvent() { events.append(e) }
        }
        // RFC 6347 §4.2.4.1 doubling from 250 ms; the next one (31.75 s) is past the 30 s give-up.
        #expect(sendTimes == [0, 250, 750, 1750, 3750, 7750, 15750])
        #expect(now == .seconds(30))
        #expect(client.state == .failed)
        #expect(events.count == 1)
        if case .failed(let error) = events.first { #expect(error == .handshakeTimeout) } else { Issue.record("no failure event") }
        #expect(client.retransmissions.count == 6)
        Self.expectOnSchedule(client, "silent")
        #expect(client.nextDeadline() == nil)
        #expect(sentBytes.allSatisfy { $0.first == 22 })
    }

    @Test(arguments: Array(UInt64(1)...UInt64(24)))
    func handshakeUnderThirtyPercentLoss(seed: UInt64) throws {
        print("DTLS loss test seed \(seed)")
        let key: DTLSCertificate.KeyType = seed % 4 == 0 ? .rsa2048 : .ecdsaP256
        let (pipe, _, _) = try makePair(clientKey: key, serverKey: key, mode: .replay, loss: 0.3, seed: seed)
        pipe.startBoth()
        let ok = pipe.run(for: .seconds(30), until: DTLSPipe.bothConnected)
        #expect(ok, "seed \(seed): client \(pipe.a.state) server \(pipe.b.state) lost \(pipe.lost)/\(pipe.lost + pipe.delivered)")
        #expect(pipe.a.exportSRTPKeyingMaterial() == pipe.b.exportSRTPKeyingMaterial())
        Self.expectOnSchedule(pipe.a, "client seed \(seed)")
        Self.expectOnSchedule(pipe.b, "server seed \(seed)")
        print("seed \(seed): connected at \(pipe.now), lost \(pipe.lost), retransmissions client \(pipe.a.retransmissions.count) server \(pipe.b.retransmissions.count)")
    }

    /// The server's final flight (CCS + Finished) is lost every time until the client has
    /// retransmitted twice: the server must answer the client's replayed flight with its own.
    @Test func lostFinalFlightIsRecovered() throws {
        let (pipe, _, _) = try makePair(mode: .replay)
        let client = pipe.a, server = pipe.b
        client.start(now: .zero)
        server.start(now: .zero)
        var now = Instant.zero
        var droppedRounds = 0
        for _ in 0..<200 {
            while let d = client.pollTransmit() { server.handleDatagram(d, now: now) }
            var serverOut: [[UInt8]] = []
            while let d = server.pollTransmit() { serverOut.append(d) }
            // Everything the finished server sends in its first two rounds is lost: its final
            // flight, then its answer to the client's first retransmission.
            if server.state == .connected && !serverOut.isEmpty && droppedRounds < 2 {
                droppedRounds += 1
            } else {
                for d in serverOut { client.handleDatagram(d, now: now) }
            }
            if client.state == .connected { break }
            // Only when the link is quiet does time move on to the client's next deadline.
            if serverOut.isEmpty || droppedRounds > 0, let next = client.nextDeadline() {
                now = next
                client.handleTimeout(now: now)
            }
        }
        #expect(droppedRounds == 2)
        #expect(client.state == .connected && server.state == .connected)
        #expect(client.retransmissions.count == 2)
        #expect(client.retransmissions.allSatisfy { !$0.native })
    }

    /// Under real time, `.native` makes OpenSSL itself rebuild the flight at our deadline (fresh
    /// record sequence numbers), not a replay of the same bytes.
    @Test func nativeRetransmissionUnderRealTime() throws {
        let cc = try DTLSCertificate.generate()
        let other = try DTLSCertificate.generate()
        let schedule = DTLSRetransmitSchedule(initial: .milliseconds(30))
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: fingerprints(of: other),
                                    schedule: schedule, retransmitMode: .native)
        let clock = MonotonicClock.self
        client.start(now: clock.now())
        let first = client.pollTransmit()
        guard let deadline = client.nextDeadline() else { Issue.record("no deadline"); return }
        while clock.now() < deadline + .milliseconds(5) { usleep(5_000) }
        client.handleTimeout(now: clock.now())
        let second = client.pollTransmit()
        #expect(client.retransmissions.first?.native == true)
        #expect(first != nil && second != nil)
        if let first, let second {
            #expect(first.count == second.count)
            #expect(Array(first[5..<11]) != Array(second[5..<11]))  // new record sequence number
        }
    }
}
