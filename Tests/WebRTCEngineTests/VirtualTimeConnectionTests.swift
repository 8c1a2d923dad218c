import Testing
import WebRTCCore
import WebRTCEngine
import WebRTCICE
import WebRTCSCTP
import WebRTCTestSupport

/// Whole connections — two engines, JSEP, ICE, DTLS, SCTP, data channels — over the simulated
/// network in virtual time. Serialized: usrsctp's timer clock is process-wide.
@Suite(.serialized) struct VirtualTimeConnectionTests {
    @Test func connectsAndOpensAChannel() throws {
        let pair = try EnginePair(seed: 1)
        let handles = try #require(try pair.connectWithChannel())
        #expect(pair.offerer.connectionState == .connected)
        #expect(pair.answerer.connectionState == .connected)
        #expect(pair.answerer.remoteChannels[handles.answerer]?.label == "data")
        // Two signaling trips of 20 ms plus a few link round trips of 10 ms.
        #expect(pair.elapsed < .milliseconds(500), "set-up took \(pair.elapsed) of virtual time")
        pair.offerer.engine.send([.text("hello")], on: handles.offerer, now: pair.now)
        #expect(pair.run(within: .seconds(1)) { pair.answerer.received[handles.answerer]?.count == 1 })
        #expect(pair.answerer.received[handles.answerer] == [.text("hello")])
    }

    @Test func sameSeedGivesTheSameTranscript() throws {
        func transcript() throws -> [String] {
            let pair = try EnginePair(seed: 42, link: LinkConditions(loss: 0.05, delay: .milliseconds(15), jitter: .milliseconds(5)))
            let handles = try #require(try pair.connectWithChannel())
            for i in 0..<20 { pair.offerer.engine.send([.text("m\(i)")], on: handles.offerer, now: pair.now) }
            pair.run(for: .seconds(3))
            pair.offerer.engine.closeChannel(handles.offerer, now: pair.now)
            pair.run(for: .seconds(2))
            // Times are relative to each pair's start, so two runs compare equal.
            return pair.transcript
        }
        let first = try transcript()
        let second = try transcript()
        #expect(first.count > 10)
        #expect(first == second)
    }

    @Test func tenMebibytesUnderLossArriveExactlyOnceInOrder() throws {
        let link = LinkConditions(loss: 0.02, delay: .milliseconds(10), jitter: .milliseconds(4), duplicate: 0.01, reorder: 0.02)
        let pair = try EnginePair(seed: 7, link: link)
        let handles = try #require(try pair.connectWithChannel(within: .seconds(30)))
        let total = 10 * 1024 * 1024, size = 64 * 1024
        let random = RandomSource(seed: 99)
        let block = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var sent: [UInt8] = []
        sent.reserveCapacity(total)
        var index: UInt64 = 0
        while sent.count < total {
            // Keep about 1 MiB in the engine, as `write` back-pressure would.
            if pair.offerer.engine.bufferedAmount(of: handles.offerer) < 1 << 20 {
                // Each message differs: its first eight bytes are its index.
                var chunk = block
                index += 1
                for i in 0..<8 { chunk[i] = UInt8(truncatingIfNeeded: index >> (8 * UInt64(i))) }
                sent += chunk
                pair.offerer.engine.send([.binary(chunk)], on: handles.offerer, now: pair.now)
            } else {
                pair.step(limit: pair.now + .seconds(1))
            }
        }
        #expect(pair.run(within: .seconds(120)) { (pair.answerer.receivedBytes[handles.answerer] ?? 0) >= total })
        let got = pair.answerer.bytes(on: handles.answerer)
        #expect(got.count == total, "exactly once: \(got.count) bytes for \(total) sent")
        #expect(got == sent, "in order and intact")
        #expect(pair.network.lostCount > 0, "the link lost packets")
    }

    @Test func iceRestartKeepsTheChannel() throws {
        let pair = try EnginePair(seed: 3)
        let handles = try #require(try pair.connectWithChannel())
        let oldUfrag = pair.offerer.candidates.compactMap { $0?.usernameFragment }.first
        try pair.restartICE()
        #expect(pair.run(within: .seconds(5)) { pair.offerer.candidates.compactMap { $0?.usernameFragment }.contains { $0 != oldUfrag } })
        pair.run(for: .seconds(2))
        #expect(pair.offerer.connectionState == .connected)
        pair.offerer.engine.send([.text("after restart")], on: handles.offerer, now: pair.now)
        #expect(pair.run(within: .seconds(2)) { pair.answerer.received[handles.answerer]?.last == .text("after restart") })
    }

    @Test func lostConsentDisconnectsThenFailsAtThirtySeconds() throws {
        let pair = try EnginePair(seed: 5)
        _ = try #require(try pair.connectWithChannel())
        let cut = pair.now
        pair.network.defaultLink.blocked = true
        #expect(pair.run(within: .seconds(60)) { pair.offerer.connectionState == .failed })
        let disconnected = try #require(pair.offerer.firstReached[.disconnected])
        let failed = try #require(pair.offerer.firstReached[.failed])
        // RFC 7675: consent expires 30 s after the last response; `disconnected` comes first.
        #expect(disconnected - cut < .seconds(8), "disconnected after \(disconnected - cut)")
        #expect(failed - cut > .seconds(25) && failed - cut < .seconds(36), "failed after \(failed - cut)")
        // Nothing is sent for a failed connection: the engine goes quiet.
        let sentBefore = pair.network.sentCount
        pair.run(for: .seconds(10))
        #expect(pair.network.sentCount - sentBefore < 5)
    }

    @Test func closeTellsTheRemoteAndStopsEverything() throws {
        let pair = try EnginePair(seed: 11)
        let handles = try #require(try pair.connectWithChannel())
        pair.offerer.engine.close(now: pair.now)
        #expect(pair.offerer.engine.isClosed)
        #expect(pair.offerer.engine.nextDeadline() == nil)
        #expect(pair.run(within: .seconds(5)) { pair.answerer.closedChannels.contains(handles.answerer) })
        #expect(pair.offerer.engine.pollEvent().map { _ in true } == nil, "no event after close")
    }

    @Test func restartIceRecoversAFailedDTLSSession() throws {
        let pair = try EnginePair(seed: 13)
        // The path dies the moment ICE connects: the DTLS handshake never completes.
        pair.onEvent = { _, ev in
            if case .iceConnectionStateChanged(.connected) = ev { pair.network.defaultLink.blocked = true }
        }
        _ = try pair.offerer.engine.createDataChannel(DataChannelParameters(label: "first"), now: pair.now)
        try pair.negotiate()
        #expect(pair.run(within: .seconds(120)) { pair.offerer.dtlsState == .failed && pair.answerer.dtlsState == .failed })
        #expect(pair.offerer.connectionState == .failed)
        // The path comes back; restartIce() makes a new ICE generation and a new DTLS session.
        pair.onEvent = nil
        pair.network.defaultLink.blocked = false
        let again = try pair.offerer.engine.createDataChannel(DataChannelParameters(label: "again"), now: pair.now)
        try pair.restartICE()
        #expect(pair.run(within: .seconds(30)) { pair.offerer.connectionState == .connected && pair.offerer.openChannels.contains(again) })
        #expect(pair.offerer.dtlsState == .connected && pair.answerer.dtlsState == .connected)
        pair.offerer.engine.send([.text("recovered")], on: again, now: pair.now)
        #expect(pair.run(within: .seconds(2)) { pair.answerer.received.values.contains { $0.contains(.text("recovered")) } })
    }
}
