/// Counts of input an engine dropped, by reason. A malformed or unauthenticated packet is never an
/// error for the user: it is dropped here and becomes visible in stats.
package struct DropCounters: Sendable, Equatable {
    package private(set) var counts: [String: Int] = [:]

    package init() {}

    /// Records one dropped input for `reason` (a short stable identifier such as "stun.badIntegrity").
    package mutating func drop(_ reason: String) { counts[reason, default: 0] += 1 }

    package subscript(_ reason: String) -> Int { counts[reason] ?? 0 }

    /// The sum over every reason.
    package var total: Int { counts.values.reduce(0, +) }
}
