import NIOCore
import NIOPosix
import WebRTCCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One bound UDP socket of a peer connection, read on the connection's event loop.
///
/// The inbound handler enters the connection's actor with `assumeIsolated` — the actor's executor
/// is this very loop — so a datagram reaches the engines with no thread hop and no Task.
/// Confined to its event loop (`@unchecked Sendable` only so bind futures can hand it over).
///
/// Reads go through SwiftNIO; writes do not. NIO's datagram channel treats every write error
/// except EMSGSIZE and EHOSTUNREACH as fatal and closes the channel (its `errorCaught` never gets
/// a say), so one datagram to a bad destination (port 0 → EINVAL, a broadcast address → EACCES,
/// a firewall → EPERM, no route → ENETUNREACH) would kill the socket and the whole connection.
/// We create the socket ourselves, hand it to NIO for reading, and send with a non-blocking
/// `sendto` on the same descriptor: a failed write is a dropped, counted datagram, as UDP loss is.
final class UDPSocket: @unchecked Sendable {
    let id: Int
    let channel: any Channel
    let localAddress: TransportAddress
    /// Datagrams this socket could not send, by reason (`writeFailed`, `sendBufferFull`, `closed`).
    private(set) var drops = DropCounters()
    /// The errno of the last failed write, for diagnostics.
    private(set) var lastWriteError: CInt?
    private let descriptor: CInt
    private var isClosed = false

    /// A `sendto` failed for a reason other than a full send buffer (EINVAL, EACCES, EPERM, ENETUNREACH, …).
    static let writeFailed = "udp.writeFailed"
    /// The kernel send buffer was full (EAGAIN, EWOULDBLOCK, ENOBUFS): the datagram is lost, as on a congested link.
    static let sendBufferFull = "udp.sendBufferFull"
    /// A write after the socket closed.
    static let closed = "udp.closed"

    /// Wraps a bound channel and the descriptor it reads from (which `write` sends on).
    init(id: Int, channel: any Channel, localAddress: TransportAddress, descriptor: CInt) {
        self.id = id
        self.channel = channel
        self.localAddress = localAddress
        self.descriptor = descriptor
        // The descriptor belongs to NIO, which closes it with the channel: stop writing then
        // (on this loop, before the number could be reused).
        channel.closeFuture.whenComplete { [weak self] _ in self?.isClosed = true }
    }

    /// Binds a UDP socket on `ip`, port 0, with large socket buffers, delivering reads to `onRead`.
    /// `onRead` runs for every datagram of a read burst (up to `maxMessagesPerRead`), then
    /// `onReadComplete` once, so the engines run their output step once per burst rather than
    /// once per datagram (fewer SACKs, one flush, one timer re-arm).
    static func bind(id: Int, ip: IPAddress, bufferSize: Int, on loop: any EventLoop,
                     onRead: @escaping @Sendable (Int, ByteBuffer, SocketAddress) -> Void,
                     onReadComplete: @escaping @Sendable () -> Void) -> EventLoopFuture<UDPSocket> {
        let descriptor: CInt
        do { descriptor = try makeBoundDescriptor(ip: ip) } catch { return loop.makeFailedFuture(error) }
        let bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(bufferSize))
            .channelOption(.socketOption(.so_sndbuf), value: SocketOptionValue(bufferSize))
            .channelOption(.maxMessagesPerRead, value: 32)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReadHandler(id: id, onRead: onRead, onReadComplete: onReadComplete))
                }
            }
        return bootstrap.withBoundSocket(descriptor).flatMapThrowing { channel in
            guard let port = channel.localAddress?.port else { throw RTCError(.operationError, "UDP socket has no local port") }
            return UDPSocket(id: id, channel: channel, localAddress: TransportAddress(ip: ip, port: UInt16(port)), descriptor: descriptor)
        }
    }

    /// A non-blocking, close-on-exec UDP socket bound to `ip`, port 0.
    private static func makeBoundDescriptor(ip: IPAddress) throws -> CInt {
        let address = try SocketAddress(ipAddress: ip.description, port: 0)
        #if os(Linux)
        let type = CInt(SOCK_DGRAM.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let fd = socket(ip.isIPv4 ? AF_INET : AF_INET6, type, 0)
        guard fd >= 0 else { throw RTCError(.operationError, "socket() failed: errno \(errno)") }
        let flags = fcntl(fd, F_GETFL)
        let bound = address.withSockAddr { sa, length in
            #if canImport(Glibc)
            Glibc.bind(fd, sa, socklen_t(length))
            #else
            Darwin.bind(fd, sa, socklen_t(length))
            #endif
        }
        // Not inherited by child processes; never blocks the event loop.
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0, bound == 0 else {
            let code = errno
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
            throw RTCError(.operationError, "cannot bind UDP socket on \(ip): errno \(code)")
        }
        return fd
    }

    /// Sends one datagram now (a non-blocking `sendto`). Any failure drops the datagram and
    /// counts it; the socket stays open.
    func write(_ bytes: [UInt8], to address: SocketAddress) {
        guard !isClosed else { drops.drop(Self.closed); return }
        let sent = bytes.withUnsafeBytes { b in
            address.withSockAddr { sa, length in
                sendto(descriptor, b.baseAddress, b.count, CInt(MSG_DONTWAIT), sa, socklen_t(length))
            }
        }
        guard sent < 0 else { return }
        let code = errno
        lastWriteError = code
        switch code {
        case EAGAIN, EWOULDBLOCK, ENOBUFS: drops.drop(Self.sendBufferFull)
        default: drops.drop(Self.writeFailed)
        }
    }

    /// Nothing to do: `write` sends at once. Kept for callers that flush after a burst.
    func flush() {}

    /// Closes the channel (and with it the descriptor); later writes are dropped as `closed`.
    func close() {
        isClosed = true
        channel.close(promise: nil)
    }

    private final class ReadHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let id: Int
        let onRead: @Sendable (Int, ByteBuffer, SocketAddress) -> Void
        let onReadComplete: @Sendable () -> Void
        init(id: Int, onRead: @escaping @Sendable (Int, ByteBuffer, SocketAddress) -> Void,
             onReadComplete: @escaping @Sendable () -> Void) {
            self.id = id
            self.onRead = onRead
            self.onReadComplete = onReadComplete
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            onRead(id, envelope.data, envelope.remoteAddress)
        }
        func channelReadComplete(context: ChannelHandlerContext) {
            onReadComplete()
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // ICMP errors (ECONNREFUSED on a closed peer port) surface here; a datagram socket
            // must keep running — ICE consent decides whether the path is dead.
        }
    }
}

/// Converts between NIO socket addresses and engine transport addresses, caching both ways so
/// the packet path does not format or parse text per datagram.
struct AddressCache {
    private var toTransport: [SocketAddress: TransportAddress] = [:]
    private var toSocket: [TransportAddress: SocketAddress] = [:]

    mutating func transport(_ a: SocketAddress) -> TransportAddress? {
        if let t = toTransport[a] { return t }
        guard let text = a.ipAddress, let port = a.port, let ip = IPAddress(text) else { return nil }
        let t = TransportAddress(ip: ip, port: UInt16(port))
        if toTransport.count > 4096 { toTransport.removeAll() }
        toTransport[a] = t
        return t
    }

    mutating func socket(_ t: TransportAddress) -> SocketAddress? {
        if let s = toSocket[t] { return s }
        guard let s = try? SocketAddress(ipAddress: t.ip.description, port: Int(t.port)) else { return nil }
        if toSocket.count > 4096 { toSocket.removeAll() }
        toSocket[t] = s
        return s
    }
}
