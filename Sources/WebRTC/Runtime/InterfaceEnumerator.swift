import NIOCore
import WebRTCCore

/// Chooses the local addresses to gather host candidates on (RFC 8445 §5.1.1.1).
enum InterfaceEnumerator {
    /// Every usable IPv4/IPv6 address: link-local skipped (RFC 8445 §5.1.1.1), loopback only when
    /// asked — or when nothing else exists, so a loopback-only network namespace still connects.
    static func hostAddresses(includeLoopback: Bool, loopbackOnly: Bool = false) -> [IPAddress] {
        let devices = (try? System.enumerateDevices()) ?? []
        var seen = Set<IPAddress>()
        var usable: [IPAddress] = []
        var loopback: [IPAddress] = []
        for device in devices {
            guard let text = device.address?.ipAddress, let ip = IPAddress(text), !seen.contains(ip) else { continue }
            seen.insert(ip)
            if ip.isLinkLocal || ip.isUnspecified { continue }
            if ip.isLoopback { loopback.append(ip) } else { usable.append(ip) }
        }
        if loopbackOnly { usable.removeAll() }
        if includeLoopback || loopbackOnly || usable.isEmpty {
            // Only 127.0.0.1 from the v4 loopback net; ::1 too.
            usable += loopback.filter { $0 == IPAddress("127.0.0.1") || !$0.isIPv4 }
        }
        return usable
    }
}
