import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("Receive and send statistics")
struct ReceiveStatisticsTests {
    /// 8 kHz audio, 20 ms packets (160 ticks); one packet in probation first (RFC 3550 A.1).
    @Test("jitter follows RFC 3550 A.8: J += (|D| - J) / 16, by hand")
    func jitter() {
        var s = ReceiveStatistics(ssrc: 1, clockRate: 8000)
        let counted0 = s.received(sequenceNumber: 100, timestamp: 0, at: .milliseconds(0))
        #expect(!counted0)  // probation
        let counted1 = s.received(sequenceNumber: 101, timestamp: 160, at: .milliseconds(20))
        #expect(counted1)  // transit 0
        #expect(s.jitter == 0)
        s.received(sequenceNumber: 102, timestamp: 320, at: .milliseconds(50))  // arrival 400, transit 80: D = 80
        #expect(s.jitter == 5)
        s.received(sequenceNumber: 103, timestamp: 480, at: .milliseconds(60))  // transit 0: D = 80
        #expect(s.jitter == 9.6875)
        #expect(s.makeReportBlock(at: .milliseconds(60)).jitter == 9)
    }

    @Test("cumulative and fraction lost follow RFC 3550 A.3, by hand")
    func loss() {
        var s = ReceiveStatistics(ssrc: 7, clockRate: 90000)
        for seq: UInt16 in [100, 101, 102, 103, 106, 107] { s.received(sequenceNumber: seq, timestamp: 0, at: .zero) }
        // Base 101 after probation: expected 107 - 101 + 1 = 7, received 5, lost 2, fraction 2×256/7 = 73.
        let first = s.makeReportBlock(at: .zero)
        #expect(first.ssrc == 7)
        #expect(first.cumulativeLost == 2)
        #expect(first.fractionLost == 73)
        #expect(first.extendedHighestSequence == 107)
        for seq: UInt16 in [108, 109] { s.received(sequenceNumber: seq, timestamp: 0, at: .zero) }
        let second = s.makeReportBlock(at: .zero)
        #expect(second.cumulativeLost == 2)
        #expect(second.fractionLost == 0)
        // Duplicates count as received: the interval shows no loss and the total goes down.
        for seq: UInt16 in [109, 109, 109] { s.received(sequenceNumber: seq, timestamp: 0, at: .zero) }
        let third = s.makeReportBlock(at: .zero)
        #expect(third.cumulativeLost == -1)
        #expect(third.fractionLost == 0)
    }

    @Test("sequence wrap counts a cycle; a large jump restarts only when the next packet confirms it")
    func wrapAndRestart() {
        var s = ReceiveStatistics(ssrc: 1, clockRate: 90000)
        for seq: UInt16 in [65533, 65534, 65535, 0, 1] { s.received(sequenceNumber: seq, timestamp: 0, at: .zero) }
        #expect(s.extendedHighestSequence == 65536 + 1)
        #expect(s.expected == 4 && s.received == 4)
        let jump = s.received(sequenceNumber: 20000, timestamp: 0, at: .zero)
        #expect(!jump)
        #expect(s.extendedHighestSequence == 65537)
        let confirmed = s.received(sequenceNumber: 20001, timestamp: 0, at: .zero)
        #expect(confirmed)
        #expect(s.extendedHighestSequence == 20001 && s.received == 1)
    }

    @Test("LSR echoes the SR's middle NTP bits; DLSR is the delay in 1/65536 s")
    func lsrDlsr() {
        var s = ReceiveStatistics(ssrc: 1, clockRate: 90000)
        #expect(s.makeReportBlock(at: .zero).lastSenderReport == 0)
        let sr = RTCPSenderReport(ssrc: 1, ntpTimestamp: 0x0000_1234_5678_0000, rtpTimestamp: 0, packetCount: 0, octetCount: 0)
        s.receivedSenderReport(sr, at: .seconds(1))
        let b = s.makeReportBlock(at: .seconds(1.5))
        #expect(b.lastSenderReport == 0x1234_5678)
        #expect(b.delaySinceLastSenderReport == 32768)
    }

    @Test("send statistics count payload octets and extrapolate the SR's RTP timestamp")
    func sendStatistics() {
        var s = SendStatistics(ssrc: 5, clockRate: 90000)
        #expect(!s.hasSent)
        let p = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 1000, ssrc: 5, payload: [1, 2, 3][...], paddingLength: 4)
        s.sent(p, at: .seconds(1))
        s.sent(p, at: .seconds(1))
        let sr = s.makeSenderReport(ntpTimestamp: 0xAB, at: .seconds(1.5), reports: [RTCPReportBlock(ssrc: 9)])
        #expect(sr.packetCount == 2 && sr.octetCount == 6)
        #expect(sr.rtpTimestamp == 1000 + 45000)
        #expect(sr.ntpTimestamp == 0xAB && sr.ssrc == 5 && sr.reports.count == 1)
    }
}
