import WebRTCCore

/// Virtual time for simulations: it moves only when a test advances it.
package final class VirtualClock {
    package private(set) var now: Instant

    package init(start: Instant = .zero) { now = start }

    /// Moves to `t` (never backwards).
    package func advance(to t: Instant) { if t > now { now = t } }

    /// Moves forward by `d`.
    package func advance(by d: Duration) { now = now + d }
}
