import NIOCore
import WebRTCCore

/// Chooses the local addresses to gather host candidates on (RFC 8445 §5.1.1.1).
enum InterfaceEnumerator {
    /// The addresses of the machine's interfaces, filtered by ``select(from:includeLoopback:loopbackOnly:)``.
    static func hostAddresses(includeLoopback: Bool, loopbackOnly: Bool = false) -> [IPAddress] {
        let devices = (try? System.enumerateDevices()) ?? []
        let addresses = devices.compactMap { $0.address?.ipAddress.flatMap { IPAddress($0) } }
        return select(from: addresses, includeLoopback: includeLoopback, loopbackOnly: loopbackOnly)
    }

    /// Every usable IPv4/IPv6 address, each once, in interface order: link-local and unspecified
    /// skipped (RFC 8445 §5.1.1.1: link-local addresses are not usable across links), loopback only
    /// when asked — or when nothing else exists, so a loopback-only network namespace still
    /// connects. Of 127.0.0.0/8 only 127.0.0.1 is used.
    static func select(from addresses: [IPAddress], includeLoopback: Bool, loopbackOnly: Bool) -> [IPAddress] {
        var seen = Set<IPAddress>()
        var usable: [IPAddress] = []
        var loopback: [IPAddress] = []
        for ip in addresses where !seen.contains(ip) {
            seen.insert(ip)
            if ip.isLinkLocal || ip.isUnspecified { continue }
            if ip.isLoopback { loopback.append(ip) } else { usable.append(ip) }
        }
        if loopbackOnly { usable.removeAll() }
        if includeLoopback || loopbackOnly || usable.isEmpty {
            usable += loopback.filter { $0 == IPAddress("127.0.0.1") || !$0.isIPv4 }
        }
        return usable
    }
}
