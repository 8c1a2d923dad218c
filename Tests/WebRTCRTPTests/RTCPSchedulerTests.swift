import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("RTCP scheduler")
struct RTCPSchedulerTests {
    @Test("video: first report within [0.25, 0.75] s, later ones every [0.5, 1.5] s")
    func videoIntervals() {
        var s = RTCPScheduler(configuration: .video, random: RandomSource(seed: 1), now: .zero)
        let first = s.nextDeadline()
        #expect(first >= .milliseconds(250) && first <= .milliseconds(750))
        let early = s.poll(now: first - .nanoseconds(1))
        #expect(!early)
        var now = first
        var gaps: [Duration] = []
        for _ in 0..<200 {
            let due = s.poll(now: now)
            #expect(due)
            let next = s.nextDeadline()
            gaps.append(next - now)
            now = next
        }
        #expect(gaps.allSatisfy { $0 >= .milliseconds(500) && $0 <= .milliseconds(1500) })
        // Randomised: spread over the range, not a constant.
        #expect(gaps.min()! < .milliseconds(600) && gaps.max()! > .milliseconds(1400))
    }

    @Test("audio uses the 5 s minimum; the same seed gives the same schedule")
    func audioDeterministic() {
        var a = RTCPScheduler(configuration: .audio, random: RandomSource(seed: 7), now: .zero)
        var b = RTCPScheduler(configuration: .audio, random: RandomSource(seed: 7), now: .zero)
        #expect(a.nextDeadline() == b.nextDeadline())
        let dueA = a.poll(now: .seconds(10)), dueB = b.poll(now: .seconds(10))
        #expect(dueA && dueB)
        #expect(a.nextDeadline() == b.nextDeadline())
        let gap = a.nextDeadline() - .seconds(10)
        #expect(gap >= .milliseconds(2500) && gap <= .milliseconds(7500))
    }

    @Test("with an RTCP bandwidth, many members stretch the interval beyond the minimum (RFC 3550 §6.3.1)")
    func bandwidthShare() {
        var s = RTCPScheduler(configuration: .init(minimumInterval: .seconds(1), rtcpBandwidth: 1000), random: RandomSource(seed: 3), now: .zero)
        _ = s.poll(now: .seconds(10))  // leave the initial state
        s.members = 100
        s.senders = 0
        #expect(s.deterministicInterval() == .seconds(10))  // 100 B × 100 / 1000 B/s
        s.senders = 10
        s.weSent = true
        #expect(s.deterministicInterval() == .seconds(4))   // 100 B × 10 / 250 B/s
        s.weSent = false
        #expect(s.deterministicInterval() == .seconds(12))  // 100 B × 90 / 750 B/s
        for _ in 0..<200 { s.observePacketSize(20) }
        #expect(s.averagePacketSize < 21)
        #expect(s.deterministicInterval() > .milliseconds(2399) && s.deterministicInterval() < .milliseconds(2401))  // ≈20 B × 90 / 750 B/s
        s.members = 2
        s.senders = 0
        #expect(s.deterministicInterval() == .seconds(1))   // 20 B × 2 / 1000 B/s is below the floor
    }
}
