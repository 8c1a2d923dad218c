import Testing
import WebRTCCore
import WebRTCEngine
import WebRTCSCTP
import WebRTCTestSupport

/// Issue: a remote peer could make us buffer without bound by writing into a channel the
/// application never reads. With receive flow control the *sender* is held back.
@Suite(.serialized) struct ReceiveFlowControlTests {
    @Test func anUnreadChannelHoldsTheSenderBackAndLosesNothing() throws {
        let pair = try EnginePair(seed: 21, link: LinkConditions(delay: .milliseconds(5)))
        let handles = try #require(try pair.connectWithChannel())
        pair.answerer.consumesMessages = false
        let size = 64 * 1024, total = 16 << 20
        var sent = 0
        var peakUnread = 0
        while sent < total {
            pair.offerer.engine.send([.binary([UInt8](repeating: UInt8(truncatingIfNeeded: sent / size), count: size))], on: handles.offerer, now: pair.now)
            sent += size
            pair.step(limit: pair.now + .milliseconds(2))
            peakUnread = max(peakUnread, pair.answerer.unread)
        }
        pair.run(for: .seconds(5))
        peakUnread = max(peakUnread, pair.answerer.unread)
        // The default budget is 4 MiB: what arrived and was not read stays within it (plus a message).
        #expect(peakUnread <= (4 << 20) + size, "unread peaked at \(peakUnread)")
        #expect(pair.answerer.unread > 0)
        // The rest waits on the sender's side: its buffered amount stays high.
        let buffered = pair.offerer.engine.bufferedAmount(of: handles.offerer)
        #expect(buffered > 8 << 20, "sender still buffers \(buffered)")
        // The application now reads: everything arrives, in order.
        pair.answerer.engine.consumed(bytes: pair.answerer.unread, on: handles.answerer, now: pair.now)
        pair.answerer.unread = 0
        pair.answerer.consumesMessages = true
        #expect(pair.run(within: .seconds(60)) { (pair.answerer.receivedBytes[handles.answerer] ?? 0) >= total })
        let messages = pair.answerer.received[handles.answerer] ?? []
        #expect(messages.count == total / size)
        for (i, m) in messages.enumerated() {
            guard case .binary(let b) = m, b.count == size, b.first == UInt8(truncatingIfNeeded: i) else {
                Issue.record("message \(i) out of order or damaged")
                break
            }
        }
    }
}
