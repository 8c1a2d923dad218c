/// A point on a monotonic timeline, in nanoseconds.
///
/// Engines never read a clock: every entry point takes `now: Instant`. The runtime feeds the real
/// monotonic clock; tests feed a virtual one. Nanoseconds in an `Int64` cover 292 years.
package struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var nanoseconds: Int64

    package init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    package static let zero = Instant(nanoseconds: 0)

    package static func milliseconds(_ ms: Int64) -> Instant { Instant(nanoseconds: ms * 1_000_000) }
    package static func seconds(_ s: Double) -> Instant { Instant(nanoseconds: Int64(s * 1e9)) }

    package static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }

    package static func + (a: Instant, d: Duration) -> Instant { Instant(nanoseconds: a.nanoseconds + d.nanoseconds) }
    package static func - (a: Instant, d: Duration) -> Instant { Instant(nanoseconds: a.nanoseconds - d.nanoseconds) }
    package static func - (a: Instant, b: Instant) -> Duration { .nanoseconds(a.nanoseconds - b.nanoseconds) }

    /// Milliseconds since the origin of the timeline (for logs and transcripts).
    package var milliseconds: Double { Double(nanoseconds) / 1e6 }

    package var description: String { "t=\(milliseconds)ms" }

    /// The earlier of two optional deadlines.
    package static func earliest(_ a: Instant?, _ b: Instant?) -> Instant? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return min(x, y)
        }
    }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating is unnecessary for protocol timers).
    package var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }

    /// The duration in (fractional) milliseconds.
    package var milliseconds: Double { Double(nanoseconds) / 1e6 }
}
