import Testing
import WebRTCCore
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct StreamReset {
        /// `a` negotiates two outbound streams and receives an OPEN on stream 5, which it can never
        /// answer or reset. Closing that channel must not block other resets: a later close of a
        /// valid channel completes within a second, and `a` goes back to idle ticking.
        /// (Two, not one: with a single outbound stream usrsctp 0.9.5 accepts the reset request for
        /// stream 0 but it never completes, with or without stream 5 involved.)
        @Test func invalidStreamDoesNotBlockLaterCloses() throws {
            let pair = try AssociationPair(seed: 60, aOutboundStreams: 2)
            #expect(pair.connect())
            #expect(pair.a.outboundStreams == 2)
            let valid = try pair.a.openChannel(.init(label: "valid"))
            #expect(valid == 0)
            _ = try pair.b.openChannel(.init(label: "five", id: 5))
            #expect(pair.run {
                pair.eventsA.contains(.channelOpen(id: valid))
                    && pair.eventsA.contains { if case .remoteChannel(5, _) = $0 { true } else { false } }
            })
            pair.a.closeChannel(5)
            pair.a.closeChannel(valid)
            let start = MonotonicClock.now()
            #expect(pair.run(maxWall: .seconds(1)) {
                pair.eventsA.contains(.channelClosed(id: valid)) && pair.eventsB.contains(.channelClosed(id: valid))
            })
            print("stream reset: valid close took \((MonotonicClock.now() - start).milliseconds) ms")
            #expect(pair.eventsA.contains(.channelClosed(id: 5)))
            #expect(pair.a.drops[SCTPAssociation.resetInvalidStream] == 1)
            // Idle again once the busy linger has passed: the deadline is the idle tick.
            #expect(pair.run(maxWall: .seconds(2)) {
                guard let d = pair.a.nextDeadline(), let now = pair.a.lastNow else { return false }
                return d - now >= SCTPAssociation.idleTickInterval
            })
            #expect(pair.a.resetsWanted.isEmpty && pair.a.resetRetryAfter == nil)
        }

        /// Refused resets back off exponentially and are given up after a bound, closing the
        /// channels concerned locally.
        @Test func refusedResetsBackOffThenGiveUp() throws {
            let pair = try AssociationPair(seed: 61)
            let id = try pair.a.openChannel(.init(label: "c"))
            #expect(pair.connect())
            let t0 = pair.now
            pair.a.lastNow = t0
            var delays: [Duration] = []
            for _ in 0..<SCTPAssociation.maxResetAttempts {
                pair.a.deferResetsAfterFailure()
                if let r = pair.a.resetRetryAfter { delays.append(r - t0) }
            }
            #expect(delays.count == SCTPAssociation.maxResetAttempts)
            #expect(delays.first == SCTPAssociation.busyTickInterval)
            #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(delays.last == SCTPAssociation.busyTickInterval * 128)
            // The channel is closing with its reset outstanding when the last attempt fails.
            pair.a.channels[id]?.closing = true
            pair.a.deferResetsAfterFailure()
            #expect(pair.a.drops[SCTPAssociation.resetGaveUp] == 1)
            #expect(pair.a.channels[id] == nil)
            #expect(pair.a.pollEvent() == .channelClosed(id: id))
            #expect(pair.a.resetRetryAfter == nil && pair.a.resetAttempts == 0)
        }
    }
}
