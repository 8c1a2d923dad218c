import WebRTCCore

/// Receiver-side loss repair requests for one media stream (RFC 4585 generic NACK, with PLI as
/// the fallback), driven by received sequence numbers and virtual time.
///
/// Gaps in the (wrap-extended) sequence numbers become missing entries. Each entry is NACKed at
/// the next `poll`, then again every round-trip time, at most `maxRetries` times. The list is
/// bounded: when a gap does not fit, or an entry runs out of retries or falls more than
/// `maxPacketAge` behind the newest packet, repair by retransmission is given up and a keyframe
/// request is raised instead.
package struct NackGenerator: Sendable {
    /// Limits and timing.
    package struct Configuration: Sendable {
        /// Most missing sequence numbers tracked at once.
        package var maxListSize: Int
        /// Times one sequence number is NACKed before giving up.
        package var maxRetries: Int
        /// Missing packets older than this many sequence numbers behind the newest are given up.
        package var maxPacketAge: Int
        /// Round-trip time used until `updateRTT` is called.
        package var initialRTT: Duration

        /// Defaults in the range WebRTC receivers use: 500 entries, 10 retries, 10 000 packets, 100 ms.
        package init(maxListSize: Int = 500, maxRetries: Int = 10, maxPacketAge: Int = 10_000, initialRTT: Duration = .milliseconds(100)) {
            self.maxListSize = max(1, maxListSize)
            self.maxRetries = max(1, maxRetries)
            self.maxPacketAge = max(1, maxPacketAge)
            self.initialRTT = initialRTT
        }
    }

    /// What `poll` asks the caller to send.
    package struct Output: Sendable, Equatable {
        /// Sequence numbers to NACK now (build an `RTCPGenericNACK` from them).
        package var nacks: [UInt16]
        /// True when a keyframe must be requested (PLI) because some loss is beyond repair.
        package var requestKeyframe: Bool
    }

    private struct Missing {
        var seq: Int64
        var retries: Int
        var due: Instant
    }

    /// The configuration in use.
    package let configuration: Configuration
    private var rtt: Duration
    private var newest: Int64?
    private var missing: [Missing] = []  // ascending seq
    private var keyframeSince: Instant?

    /// A generator with `configuration`.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        rtt = configuration.initialRTT
    }

    /// Sequence numbers currently missing, oldest first.
    package var missingSequenceNumbers: [UInt16] { missing.map { UInt16(truncatingIfNeeded: $0.seq) } }

    /// Sets the round-trip time that spaces retries.
    package mutating func updateRTT(_ rtt: Duration) { self.rtt = max(rtt, .milliseconds(1)) }

    /// Records a received packet with `sequenceNumber` at `now` (also retransmissions: they fill gaps).
    package mutating func received(sequenceNumber: UInt16, at now: Instant) {
        guard let top = newest else {
            newest = Int64(sequenceNumber)
            return
        }
        // Extend relative to the newest: the nearest value with these 16 low bits.
        let seq = top + Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: top)))
        if seq <= top {
            if let i = index(of: seq) { missing.remove(at: i) }  // reordered or recovered
            return
        }
        let gap = seq - top - 1
        if gap > Int64(configuration.maxListSize) {
            // RFC 4585 §3.4 leaves the choice: a hole this big is cheaper to repair with a keyframe.
            missing.removeAll()
            raiseKeyframe(now)
        } else if gap > 0 {
            for s in top + 1..<seq { missing.append(Missing(seq: s, retries: 0, due: now)) }
            if missing.count > configuration.maxListSize {
                missing.removeFirst(missing.count - configuration.maxListSize)
                raiseKeyframe(now)
            }
        }
        newest = seq
        let oldest = seq - Int64(configuration.maxPacketAge)
        if let first = missing.first, first.seq < oldest {
            missing.removeAll { $0.seq < oldest }
            raiseKeyframe(now)
        }
    }

    /// The NACKs and keyframe request due at `now`; marks the NACKed entries as sent.
    package mutating func poll(now: Instant) -> Output {
        var nacks: [UInt16] = []
        var gaveUp = false
        var kept: [Missing] = []
        kept.reserveCapacity(missing.count)
        for var m in missing {
            if m.due <= now {
                if m.retries >= configuration.maxRetries {
                    gaveUp = true
                    continue
                }
                m.retries += 1
                m.due = now + rtt
                nacks.append(UInt16(truncatingIfNeeded: m.seq))
            }
            kept.append(m)
        }
        missing = kept
        if gaveUp { raiseKeyframe(now) }
        let keyframe = keyframeSince.map { $0 <= now } ?? false
        if keyframe { keyframeSince = nil }
        return Output(nacks: nacks, requestKeyframe: keyframe)
    }

    /// When `poll` next has something to do, nil when nothing is pending.
    package func nextDeadline() -> Instant? {
        var d = keyframeSince
        for m in missing { d = Instant.earliest(d, m.due) }
        return d
    }

    private mutating func raiseKeyframe(_ now: Instant) {
        if keyframeSince == nil { keyframeSince = now }
    }

    private func index(of seq: Int64) -> Int? {
        // Binary search: entries are kept in ascending order.
        var lo = 0, hi = missing.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if missing[mid].seq < seq { lo = mid + 1 } else { hi = mid }
        }
        return lo < missing.count && missing[lo].seq == seq ? lo : nil
    }
}
