import WebRTCCore

/// When to send the next compound RTCP packet: the RFC 3550 §6.3.1 interval with the minimum
/// lowered as WebRTC stacks do (about 1 s for video, 5 s for audio).
///
/// Deterministic interval Td = max(Tmin, avg RTCP size × members / RTCP bandwidth), with senders
/// given a quarter of the bandwidth when they are at most a quarter of the members; the actual
/// interval is Td × a uniform factor in [0.5, 1.5]. The first interval uses Tmin / 2 (§6.3.1
/// "initial"). Timer reconsideration is not implemented, so the e − 3/2 compensation divisor that
/// only offsets it is not applied either.
package struct RTCPScheduler: Sendable {
    /// Timing parameters.
    package struct Configuration: Sendable {
        /// Tmin: the floor of the deterministic interval.
        package var minimumInterval: Duration
        /// Bandwidth for RTCP in bytes per second (RFC 3550 §6.2: 5 % of the session bandwidth);
        /// nil to use only the minimum interval.
        package var rtcpBandwidth: Double?

        /// A configuration with `minimumInterval` and an optional RTCP bandwidth.
        package init(minimumInterval: Duration, rtcpBandwidth: Double? = nil) {
            self.minimumInterval = max(minimumInterval, .milliseconds(1))
            self.rtcpBandwidth = rtcpBandwidth.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }

        /// Video: 1 s minimum.
        package static let video = Configuration(minimumInterval: .seconds(1))
        /// Audio: 5 s minimum.
        package static let audio = Configuration(minimumInterval: .seconds(5))
    }

    /// The configuration in use.
    package var configuration: Configuration
    /// Session members, this endpoint included (at least 1).
    package var members: Int = 2
    /// Members that sent RTP recently.
    package var senders: Int = 0
    /// Whether this endpoint sent RTP since the last report.
    package var weSent = false
    /// The running average compound RTCP size in bytes (RFC 3550 §6.3.3), UDP/IP overhead included by the caller.
    package private(set) var averagePacketSize: Double = 100
    private let random: RandomSource
    private var deadline: Instant
    private var initial = true

    /// A scheduler starting at `now`, drawing its randomisation from `random`.
    package init(configuration: Configuration, random: RandomSource, now: Instant) {
        self.configuration = configuration
        self.random = random
        deadline = now
        deadline = now + randomised(deterministicInterval())
    }

    /// When the next report is due.
    package func nextDeadline() -> Instant { deadline }

    /// Records the size of a compound RTCP packet sent or received (RFC 3550 §6.3.3:
    /// avg = size / 16 + avg × 15 / 16).
    package mutating func observePacketSize(_ bytes: Int) {
        averagePacketSize = Double(max(0, bytes)) / 16 + averagePacketSize * 15 / 16
    }

    /// True when a report is due at `now`; the next deadline is then scheduled from `now`.
    package mutating func poll(now: Instant) -> Bool {
        guard now >= deadline else { return false }
        initial = false
        deadline = now + randomised(deterministicInterval())
        return true
    }

    /// Td, before randomisation.
    package func deterministicInterval() -> Duration {
        var tmin = Double(configuration.minimumInterval.nanoseconds) / 1e9
        if initial { tmin /= 2 }
        var seconds = tmin
        if let total = configuration.rtcpBandwidth {
            let members = max(1, self.members), senders = max(0, min(self.senders, members))
            var bandwidth = total, n = Double(members)
            // RFC 3550 §6.3.1: senders share 25 % when they are at most a quarter of the members.
            if senders > 0, Double(senders) <= Double(members) * 0.25 {
                if weSent {
                    bandwidth *= 0.25
                    n = Double(senders)
                } else {
                    bandwidth *= 0.75
                    n = Double(members - senders)
                }
            }
            seconds = max(tmin, averagePacketSize * n / bandwidth)
        }
        return .nanoseconds(Int64(min(seconds, 3600) * 1e9))
    }

    private func randomised(_ td: Duration) -> Duration {
        // RFC 3550 §6.3.1: uniformly in [0.5, 1.5] × Td, to avoid synchronisation.
        .nanoseconds(Int64(Double(td.nanoseconds) * (0.5 + random.unit())))
    }
}
