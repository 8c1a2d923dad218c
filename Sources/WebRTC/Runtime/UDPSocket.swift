import NIOCore
import NIOPosix
import WebRTCCore

/// One bound UDP socket of a peer connection, read on the connection's event loop.
///
/// The inbound handler enters the connection's actor with `assumeIsolated` — the actor's executor
/// is this very loop — so a datagram reaches the engines with no thread hop and no Task.
/// Confined to its event loop (`@unchecked Sendable` only so bind futures can hand it over).
final class UDPSocket: @unchecked Sendable {
    let id: Int
    let channel: any Channel
    let localAddress: TransportAddress
    private var pendingFlush = false

    init(id: Int, channel: any Channel, localAddress: TransportAddress) {
        self.id = id
        self.channel = channel
        self.localAddress = localAddress
    }

    /// Binds a UDP socket on `ip`, port 0, with large socket buffers, delivering reads to `onRead`.
    /// `onRead` runs for every datagram of a read burst (up to `maxMessagesPerRead`), then
    /// `onReadComplete` once, so the engines run their output step once per burst rather than
    /// once per datagram (fewer SACKs, one flush, one timer re-arm).
    static func bind(id: Int, ip: IPAddress, bufferSize: Int, on loop: any EventLoop,
                     onRead: @escaping @Sendable (Int, ByteBuffer, SocketAddress) -> Void,
                     onReadComplete: @escaping @Sendable () -> Void) -> EventLoopFuture<UDPSocket> {
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
        return bootstrap.bind(host: ip.description, port: 0).flatMapThrowing { channel in
            guard let port = channel.localAddress?.port else { throw RTCError(.operationError, "UDP socket has no local port") }
            return UDPSocket(id: id, channel: channel, localAddress: TransportAddress(ip: ip, port: UInt16(port)))
        }
    }

    /// Queues one datagram; `flush()` sends what was queued (one syscall batch per pump).
    func write(_ bytes: [UInt8], to address: SocketAddress) {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.write(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
        pendingFlush = true
    }

    func flush() {
        guard pendingFlush else { return }
        pendingFlush = false
        channel.flush()
    }

    func close() { channel.close(promise: nil) }

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
