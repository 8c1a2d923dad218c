import WebRTCCore

/// Reception statistics for one remote SSRC: RFC 3550 Appendix A.1 sequence tracking, A.3 loss,
/// A.8 interarrival jitter, and the LSR/DLSR echo of the last sender report.
package struct ReceiveStatistics: Sendable {
    /// RFC 3550 A.1: a jump of fewer than this many is taken as in-order progress (with loss).
    package static let maxDropout: UInt16 = 3000
    /// RFC 3550 A.1: a step back of up to this many is taken as reordering or a duplicate.
    package static let maxMisorder: UInt16 = 100
    /// RFC 3550 A.1: consecutive packets needed before a new source is valid.
    package static let minSequential = 2

    /// The source.
    package let ssrc: UInt32
    /// RTP clock rate (Hz) of the source's payload, for jitter.
    package let clockRate: Int

    private var maxSeq: UInt16 = 0
    private var cycles: UInt32 = 0
    private var baseSeq: UInt32 = 0
    private var badSeq: UInt32 = 0x1_0001  // RTP_SEQ_MOD + 1: no bad sequence yet
    private var probation = 0
    private var started = false
    /// Packets counted as received (duplicates included, as in RFC 3550 A.3).
    package private(set) var received: UInt32 = 0
    private var expectedPrior: UInt32 = 0
    private var receivedPrior: UInt32 = 0
    private var transit: Int32 = 0
    private var hasTransit = false
    /// The interarrival jitter estimate in timestamp units (RFC 3550 A.8, floating point).
    package private(set) var jitter: Double = 0
    private var lastSRCompact: UInt32 = 0
    private var lastSRArrival: Instant?

    /// Statistics for `ssrc` whose payload clock runs at `clockRate` Hz.
    package init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        // Bounded so that the arrival-time conversion cannot overflow.
        self.clockRate = min(max(1, clockRate), 10_000_000)
    }

    /// True once the source has passed probation.
    package var isValid: Bool { started && probation == 0 }

    /// The extended highest sequence number received (cycles in the upper 16 bits).
    package var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSeq) }

    /// Packets expected so far (RFC 3550 A.3).
    package var expected: UInt32 { isValid ? extendedHighestSequence &- baseSeq &+ 1 : 0 }

    /// Cumulative packets lost, clamped to the 24-bit signed field (RFC 3550 A.3).
    package var cumulativeLost: Int32 {
        let lost = Int64(expected) - Int64(received)
        return Int32(min(max(lost, -0x80_0000), 0x7F_FFFF))
    }

    /// Records a received packet with `sequenceNumber` and `timestamp` arriving at `now`.
    /// Returns false when the packet is not counted (probation, or a large jump awaiting confirmation).
    @discardableResult
    package mutating func received(sequenceNumber seq: UInt16, timestamp: UInt32, at now: Instant) -> Bool {
        let counted = updateSequence(seq)
        if counted { updateJitter(timestamp: timestamp, at: now) }
        return counted
    }

    private mutating func initSequence(_ seq: UInt16) {
        baseSeq = UInt32(seq)
        maxSeq = seq
        badSeq = 0x1_0001
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }

    // RFC 3550 A.1 update_seq.
    private mutating func updateSequence(_ seq: UInt16) -> Bool {
        if !started {
            started = true
            initSequence(seq)
            maxSeq = seq &- 1
            probation = Self.minSequential
        }
        let delta = seq &- maxSeq
        if probation > 0 {
            if seq == maxSeq &+ 1 {
                probation -= 1
                maxSeq = seq
                if probation == 0 {
                    initSequence(seq)
                    received += 1
                    return true
                }
            } else {
                probation = Self.minSequential - 1
                maxSeq = seq
            }
            return false
        } else if delta < Self.maxDropout {
            if seq < maxSeq { cycles &+= 0x1_0000 }  // wrapped
            maxSeq = seq
        } else if delta <= UInt16.max - Self.maxMisorder {
            // A very large jump: restart only if the next packet confirms it.
            if UInt32(seq) == badSeq {
                initSequence(seq)
            } else {
                badSeq = UInt32(seq &+ 1)
                return false
            }
        } else {
            // Duplicate or reordered packet: counted, sequence state unchanged.
        }
        received &+= 1
        return true
    }

    // RFC 3550 A.8: J += (|D| - J) / 16, D the change in relative transit time.
    private mutating func updateJitter(timestamp: UInt32, at now: Instant) {
        let arrival = Int64((Double(now.nanoseconds) * Double(clockRate) / 1e9).rounded(.down))
        let t = Int32(truncatingIfNeeded: arrival &- Int64(timestamp))
        if hasTransit {
            let d = Double(t &- transit).magnitude
            jitter += (d - jitter) / 16
        }
        transit = t
        hasTransit = true
    }

    /// Records a sender report from this source arriving at `now`, for LSR/DLSR.
    package mutating func receivedSenderReport(_ sr: RTCPSenderReport, at now: Instant) {
        lastSRCompact = sr.compactNTP
        lastSRArrival = now
    }

    /// The report block for this source at `now`; updates the interval counters behind fraction
    /// lost (RFC 3550 A.3), so call it once per report sent.
    package mutating func makeReportBlock(at now: Instant) -> RTCPReportBlock {
        let expectedNow = expected
        let expectedInterval = expectedNow &- expectedPrior
        expectedPrior = expectedNow
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(expectedInterval) - Int64(receivedInterval)
        let fraction: UInt8 = expectedInterval == 0 || lostInterval <= 0 ? 0 : UInt8(min(255, (lostInterval << 8) / Int64(expectedInterval)))
        var dlsr: UInt32 = 0
        if let at = lastSRArrival, now >= at {
            // RFC 3550 §6.4.1: DLSR in units of 1/65536 s.
            dlsr = UInt32(clamping: Int64(Double((now - at).nanoseconds) * 65536 / 1e9))
        }
        return RTCPReportBlock(ssrc: ssrc, fractionLost: fraction, cumulativeLost: cumulativeLost,
                               extendedHighestSequence: extendedHighestSequence, jitter: UInt32(clamping: Int64(jitter)),
                               lastSenderReport: lastSRCompact, delaySinceLastSenderReport: lastSRArrival == nil ? 0 : dlsr)
    }
}
