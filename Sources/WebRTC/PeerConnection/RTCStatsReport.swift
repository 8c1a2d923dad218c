#if canImport(Glibc)
import Glibc
#endif

/// One value of a stats object.
public enum RTCStatsValue: Sendable, Hashable {
    case int(Int), double(Double), string(String), bool(Bool)
}

/// One stats object (webrtc-stats `RTCStats`).
public struct RTCStats: Sendable, Hashable {
    /// Unique within the report.
    public var id: String
    /// `peer-connection`, `transport`, `candidate-pair`, `local-candidate`, `remote-candidate`,
    /// `certificate`, `data-channel`, `sctp-transport`.
    public var type: String
    /// Milliseconds since 1970.
    public var timestamp: Double
    /// The members of the object.
    public var values: [String: RTCStatsValue]
}

/// What `getStats()` returns: stats objects by id.
public struct RTCStatsReport: Sendable {
    /// Every stats object by id.
    public private(set) var stats: [String: RTCStats] = [:]

    /// The stats object with `id`.
    public subscript(id: String) -> RTCStats? { stats[id] }
    /// Every stats object of a type.
    public func all(ofType type: String) -> [RTCStats] { stats.values.filter { $0.type == type } }

    mutating func add(_ s: RTCStats) { stats[s.id] = s }

    static func timestampNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }
}
