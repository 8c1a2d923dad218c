#if canImport(Glibc)
import Glibc
#endif
import WebRTCCore

// Tiny blocking/non-blocking POSIX sockets for real-socket tests. Loopback only: every address
// given to these types must be in 127.0.0.0/8, anything else is refused (tests never leave the
// machine).

/// Why a loopback socket could not be made.
package struct LoopbackSocketError: Error, CustomStringConvertible {
    package var description: String
    init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
}

/// Whether `a` is IPv4 loopback (127.0.0.0/8), the only network tests may use.
package func isIPv4Loopback(_ a: TransportAddress) -> Bool {
    if case .v4(let v) = a.ip { return v >> 24 == 127 }
    return false
}

/// `a` as a `sockaddr_in` (IPv4 only).
func socketAddress(_ a: TransportAddress) -> sockaddr_in? {
    guard case .v4(let v) = a.ip else { return nil }
    var sin = sockaddr_in()
    sin.sin_family = sa_family_t(AF_INET)
    sin.sin_port = a.port.bigEndian
    sin.sin_addr.s_addr = v.bigEndian
    return sin
}

/// The address in a `sockaddr_in`.
func transportAddress(_ sin: sockaddr_in) -> TransportAddress {
    TransportAddress(ip: .v4(UInt32(bigEndian: sin.sin_addr.s_addr)), port: UInt16(bigEndian: sin.sin_port))
}

/// The local address a socket is bound to.
func boundAddress(_ fd: Int32) -> TransportAddress? {
    var sin = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let r = withUnsafeMutablePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return r == 0 ? transportAddress(sin) : nil
}

func bindLoopback(_ fd: Int32, port: UInt16) -> Bool {
    guard var sin = socketAddress(TransportAddress(ip: .v4(0x7F00_0001), port: port)) else { return false }
    return withUnsafePointer(to: &sin) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

func setNonBlocking(_ fd: Int32) {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
}

func setIntOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
    var v = value
    _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
}

/// A non-blocking UDP socket bound to 127.0.0.1 on an ephemeral port, with 4 MiB buffers
/// (a burst on loopback overflows the 208 KiB default).
package final class LoopbackUDPSocket {
    package let fd: Int32
    package let address: TransportAddress

    package init() throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackSocketError("socket(UDP)") }
        setIntOption(fd, SOL_SOCKET, SO_RCVBUF, 4 << 20)
        setIntOption(fd, SOL_SOCKET, SO_SNDBUF, 4 << 20)
        guard bindLoopback(fd, port: 0), let a = boundAddress(fd) else {
            let e = LoopbackSocketError("bind(UDP 127.0.0.1)")
            Glibc.close(fd)
            throw e
        }
        address = a
        setNonBlocking(fd)
    }

    deinit { Glibc.close(fd) }

    /// Sends one datagram; false when the destination is not loopback or the kernel refused it.
    @discardableResult
    package func send(_ bytes: [UInt8], to destination: TransportAddress) -> Bool {
        guard isIPv4Loopback(destination), var sin = socketAddress(destination) else { return false }
        let n = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return n == bytes.count
    }

    /// The next queued datagram, or nil when none is waiting.
    package func receive() -> (bytes: [UInt8], from: TransportAddress)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var sin = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &len) }
            }
        }
        guard n >= 0 else { return nil }
        return (Array(buffer[0..<n]), transportAddress(sin))
    }
}

/// A TCP connection to a loopback address: connected blocking, then used non-blocking.
package final class LoopbackTCPConnection {
    package let fd: Int32
    package let localAddress: TransportAddress
    package let remoteAddress: TransportAddress
    private var closed = false

    /// What one read found.
    package enum ReadResult: Equatable {
        case bytes([UInt8])
        case wouldBlock
        /// The peer closed (or the connection broke).
        case closed
    }

    /// Connects to `remote` (loopback only); nil when refused.
    package init?(connectingTo remote: TransportAddress) {
        guard isIPv4Loopback(remote), var sin = socketAddress(remote) else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let r = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0, let local = boundAddress(fd) else {
            Glibc.close(fd)
            return nil
        }
        setIntOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        setNonBlocking(fd)
        self.fd = fd
        self.localAddress = local
        self.remoteAddress = remote
    }

    deinit { close() }

    /// Writes all of `bytes`, waiting for room when the socket buffer is full. False on error.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        guard !closed else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 100)
            } else {
                return false
            }
        }
        return true
    }

    /// One non-blocking read.
    package func read() -> ReadResult {
        guard !closed else { return .closed }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return .bytes(Array(buffer[0..<n])) }
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return .wouldBlock }
        return .closed
    }

    package func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }
}

/// Waits until one of `fds` is readable (or hung up) or `timeout` passes; returns those ready.
package func waitReadable(_ fds: [Int32], timeout: Duration) -> Set<Int32> {
    var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let ms = Int32(clamping: max(0, (timeout.nanoseconds + 999_999) / 1_000_000))
    let n = poll(&polls, nfds_t(polls.count), ms)
    guard n > 0 else { return [] }
    return Set(polls.filter { $0.revents != 0 }.map(\.fd))
}

/// A TCP and UDP port on 127.0.0.1 that was free a moment ago (bound, then released).
package func freeLoopbackPort() throws -> UInt16 {
    for _ in 0..<50 {
        let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard tcp >= 0 else { throw LoopbackSocketError("socket(TCP)") }
        defer { Glibc.close(tcp) }
        guard bindLoopback(tcp, port: 0), let a = boundAddress(tcp) else { continue }
        // The same port must be free for UDP too (a TURN server listens on both).
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { if udp >= 0 { Glibc.close(udp) } }
        if udp >= 0, bindLoopback(udp, port: a.port) { return a.port }
    }
    throw LoopbackSocketError("no free loopback port")
}
