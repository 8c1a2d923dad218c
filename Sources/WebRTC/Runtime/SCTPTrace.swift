#if canImport(Glibc)
import Glibc
#endif

/// With `WEBRTC_SCTP_TRACE=1`, remembers the chunk types of the last SCTP packets each way and
/// prints them when an association ends — for diagnosing interop aborts. Off by default (one
/// branch per packet).
enum SCTPTrace {
    static let enabled = getenv("WEBRTC_SCTP_TRACE") != nil
    nonisolated(unsafe) static var ring: [String] = []

    static func record(_ packet: [UInt8], inbound: Bool) {
        guard enabled, packet.count >= 12 else { return }
        var i = 12
        var chunks: [String] = []
        while i + 4 <= packet.count {
            let type = packet[i], flags = packet[i + 1]
            let len = Int(packet[i + 2]) << 8 | Int(packet[i + 3])
            var d = "t\(type)/f\(flags)/l\(len)"
            if type == 0, len >= 16 {
                let tsn = UInt32(packet[i + 4]) << 24 | UInt32(packet[i + 5]) << 16 | UInt32(packet[i + 6]) << 8 | UInt32(packet[i + 7])
                d += "/tsn\(tsn)"
            }
            if type == 3, len >= 12 {
                let cum = UInt32(packet[i + 4]) << 24 | UInt32(packet[i + 5]) << 16 | UInt32(packet[i + 6]) << 8 | UInt32(packet[i + 7])
                let rwnd = UInt32(packet[i + 8]) << 24 | UInt32(packet[i + 9]) << 16 | UInt32(packet[i + 10]) << 8 | UInt32(packet[i + 11])
                d += "/cum\(cum)/rwnd\(rwnd)"
            }
            chunks.append(d)
            guard len >= 4 else { break }
            i += (len + 3) & ~3
        }
        ring.append((inbound ? "<" : ">") + " " + chunks.joined(separator: " "))
        if ring.count > 60 { ring.removeFirst(ring.count - 60) }
    }

    static func dump(reason: String) {
        guard enabled else { return }
        let text = "SCTP trace (\(reason)):\n" + ring.joined(separator: "\n") + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }
}
