import WebRTCCore

/// What one local SSRC has sent, and the sender reports built from it (RFC 3550 §6.4.1).
package struct SendStatistics: Sendable {
    /// The local source.
    package let ssrc: UInt32
    /// RTP clock rate (Hz), to extrapolate the SR's RTP timestamp to the report time.
    package let clockRate: Int
    /// Packets sent (wraps at 2^32 as the SR field does).
    package private(set) var packetsSent: UInt32 = 0
    /// Payload octets sent, headers and padding excluded (RFC 3550 §6.4.1).
    package private(set) var octetsSent: UInt32 = 0
    private var lastTimestamp: UInt32 = 0
    private var lastSendTime: Instant?

    /// Statistics for `ssrc` with payload clock `clockRate` Hz.
    package init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = min(max(1, clockRate), 10_000_000)
    }

    /// True once a packet was sent (RFC 3550 §6.4: only then does the source send SRs).
    package var hasSent: Bool { lastSendTime != nil }

    /// Records `packet` sent at `now`. Retransmissions should not be recorded here.
    package mutating func sent(_ packet: RTPPacket, at now: Instant) {
        packetsSent &+= 1
        octetsSent &+= UInt32(truncatingIfNeeded: packet.payload.count)
        lastTimestamp = packet.timestamp
        lastSendTime = now
    }

    /// The RTP timestamp that corresponds to `now`: the last sent timestamp advanced by the
    /// elapsed wall time at the clock rate (RFC 3550 §6.4.1: same time as the NTP timestamp).
    package func rtpTimestamp(at now: Instant) -> UInt32 {
        guard let last = lastSendTime else { return 0 }
        let elapsed = Double((now - last).nanoseconds) * Double(clockRate) / 1e9
        let ticks = Int64(max(min(elapsed, 1e15), -1e15))
        return lastTimestamp &+ UInt32(truncatingIfNeeded: ticks)
    }

    /// A sender report at `now`; `ntpTimestamp` is the caller's wall clock for `now` in NTP format.
    package func makeSenderReport(ntpTimestamp: UInt64, at now: Instant, reports: [RTCPReportBlock] = []) -> RTCPSenderReport {
        RTCPSenderReport(ssrc: ssrc, ntpTimestamp: ntpTimestamp, rtpTimestamp: rtpTimestamp(at: now),
                         packetCount: packetsSent, octetCount: octetsSent, reports: reports)
    }
}
