import NIOCore
import NIOPosix
import WebRTCCore

/// A TCP connection to a TURN server (RFC 6062 framing and, for `turns:`, TLS are done by the ICE
/// agent; this only moves bytes). Reads enter the connection's actor on its own loop.
final class TCPStream: @unchecked Sendable {
    let id: Int
    private(set) var channel: (any Channel)?
    private var pending: [[UInt8]] = []
    private var closed = false

    init(id: Int) { self.id = id }

    /// Connects to `address`; `onConnected`, `onBytes` and `onClosed` run on `loop`.
    func connect(to address: SocketAddress, on loop: any EventLoop,
                 onConnected: @escaping @Sendable (TransportAddress?) -> Void,
                 onBytes: @escaping @Sendable (ByteBuffer) -> Void,
                 onClosed: @escaping @Sendable () -> Void) {
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(onBytes: onBytes, onClosed: onClosed))
                }
            }
            .connect(to: address)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    if closed { channel.close(promise: nil); return }
                    self.channel = channel
                    for bytes in pending { write(bytes) }
                    pending.removeAll()
                    channel.flush()
                    let local = channel.localAddress.flatMap { a -> TransportAddress? in
                        guard let ip = a.ipAddress.flatMap({ IPAddress($0) }), let port = a.port else { return nil }
                        return TransportAddress(ip: ip, port: UInt16(port))
                    }
                    onConnected(local)
                case .failure:
                    onClosed()
                }
            }
    }

    func write(_ bytes: [UInt8]) {
        guard let channel else { pending.append(bytes); return }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.write(buffer, promise: nil)
    }

    func flush() { channel?.flush() }

    func close() {
        closed = true
        channel?.flush()
        channel?.close(promise: nil)
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let onBytes: @Sendable (ByteBuffer) -> Void
        let onClosed: @Sendable () -> Void
        init(onBytes: @escaping @Sendable (ByteBuffer) -> Void, onClosed: @escaping @Sendable () -> Void) {
            self.onBytes = onBytes
            self.onClosed = onClosed
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { onBytes(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { onClosed() }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}
