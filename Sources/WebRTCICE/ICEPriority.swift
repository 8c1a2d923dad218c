import WebRTCCore
import WebRTCSTUN

/// Candidate and pair priorities and foundations (RFC 8445 §5.1.2, §5.1.1.3, §6.1.2.3).
package enum ICEPriority {
    /// priority = 2^24·type + 2^8·local + (256 − component) (RFC 8445 §5.1.2.1).
    package static func candidate(type: ICECandidateType, localPreference: UInt16, component: UInt16 = 1) -> UInt32 {
        (type.typePreference << 24) | (UInt32(localPreference) << 8) | (256 - UInt32(min(max(component, 1), 256)))
    }

    /// Pair priority 2^32·min(G,D) + 2·max(G,D) + (G>D ? 1 : 0), G the controlling side's candidate.
    package static func pair(controlling g: UInt32, controlled d: UInt32) -> UInt64 {
        (UInt64(min(g, d)) << 32) + 2 * UInt64(max(g, d)) + (g > d ? 1 : 0)
    }

    /// Same type, base IP, server IP and transport → same foundation (RFC 8445 §5.1.1.3). A short
    /// decimal digest keeps it within `ice-char` and stable across runs.
    package static func foundation(type: ICECandidateType, base: IPAddress, server: IPAddress?, transport: String = "udp") -> String {
        let key = "\(type.rawValue)|\(base)|\(server.map { "\($0)" } ?? "-")|\(transport)"
        return String(CRC32.checksum(Array(key.utf8)))
    }
}
