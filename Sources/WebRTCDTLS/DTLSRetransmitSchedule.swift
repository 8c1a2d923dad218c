import WebRTCCore

/// The handshake retransmission timer (RFC 6347 §4.2.4.1), owned in Swift and driven by virtual time.
///
/// RFC 6347 suggests an initial timer of 1 s, doubled on every retransmission up to at least 60 s.
/// That first second dominates time-to-connect on a lossy path. A WebRTC handshake starts right
/// after ICE has measured the path (typical RTTs well under 200 ms), so the default here starts at
/// 250 ms: above most RTTs (spurious retransmissions stay rare, and are harmless duplicates) and 4×
/// faster to recover a lost flight. The owner may set `initial` from the ICE RTT (e.g. 2×RTT).
/// The handshake gives up `giveUpAfter` (30 s) after `start`, which ends in `.handshakeTimeout`.
package struct DTLSRetransmitSchedule: Sendable, Equatable {
    /// Timer value before the first retransmission of a flight. Clamped to at least 20 ms
    /// (OpenSSL treats any timer under 15 ms as already expired).
    package var initial: Duration
    /// Largest timer value (RFC 6347 §4.2.4.1: no less than 60 s).
    package var maximum: Duration
    /// Total handshake time after which the engine fails with `.handshakeTimeout`.
    package var giveUpAfter: Duration

    /// A schedule; the defaults are the ones justified above.
    package init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(60), giveUpAfter: Duration = .seconds(30)) {
        self.initial = max(initial, .milliseconds(20))
        self.maximum = max(maximum, self.initial)
        self.giveUpAfter = giveUpAfter
    }

    /// How long to wait after a flight has been sent `retransmissions` times already (0 = original send).
    package func interval(afterRetransmissions retransmissions: Int) -> Duration {
        var value = initial
        var n = 0
        while n < retransmissions && value < maximum {
            value = value * 2
            n += 1
        }
        return min(value, maximum)
    }
}

/// One handshake retransmission, for stats and tests.
package struct DTLSRetransmission: Sendable, Equatable {
    /// When the flight being retransmitted was first sent.
    package var flightSentAt: Instant
    /// 1 for the first retransmission of that flight, 2 for the second…
    package var number: Int
    /// When it was retransmitted.
    package var at: Instant
    /// True when OpenSSL rebuilt the flight (fresh record sequence numbers); false when we replayed
    /// our recorded copy of it.
    package var native: Bool
}

/// How retransmissions are produced (see `DTLSEngine` for the full story).
package enum DTLSRetransmitMode: Sendable {
    /// OpenSSL's own timer is armed with our schedule's values, and at our deadline we call
    /// `DTLSv1_handle_timeout`; if OpenSSL's wall clock does not agree that the timer expired, we
    /// replay the recorded flight instead. Use in production, where `now` follows real time.
    case native
    /// OpenSSL's timer is parked an hour ahead and never fires; every retransmission replays the
    /// recorded flight at our deadline. Fully deterministic under virtual time (tests, simulation).
    case replay
}
