import NIOCore
import NIOPosix
import Synchronization
import Testing
import WebRTCCore
@testable import WebRTC

/// A datagram write error (EINVAL for port 0 here) drops that datagram only: the socket stays
/// open and keeps sending and receiving.
@Suite struct UDPSocketTests {
    /// Datagrams received by a socket, filled on the event loop and read by the test.
    final class Inbox: Sendable {
        private let items = Mutex<[[UInt8]]>([])
        func add(_ bytes: [UInt8]) { items.withLock { $0.append(bytes) } }
        var all: [[UInt8]] { items.withLock { $0 } }
    }

    static func bind(_ inbox: Inbox, on loop: any EventLoop) async throws -> UDPSocket {
        try await UDPSocket.bind(id: 1, ip: IPAddress("127.0.0.1")!, bufferSize: 1 << 16, on: loop, onRead: { _, buffer, _ in
            inbox.add(Array(buffer.readableBytesView))
        }, onReadComplete: {}).get()
    }

    static func waitFor(_ inbox: Inbox, _ bytes: [UInt8]) async throws -> Bool {
        for _ in 0..<200 {
            if inbox.all.contains(bytes) { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func writeErrorKeepsTheSocketOpen() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let inboxA = Inbox(), inboxB = Inbox()
        let a = try await Self.bind(inboxA, on: loop)
        let b = try await Self.bind(inboxB, on: loop)
        let portZero = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        let toB = try SocketAddress(ipAddress: "127.0.0.1", port: Int(b.localAddress.port))
        let toA = try SocketAddress(ipAddress: "127.0.0.1", port: Int(a.localAddress.port))
        try await loop.submit {
            a.write([9, 9], to: portZero)  // sendto fails with EINVAL
            a.flush()
            a.write([1, 2, 3], to: toB)
            a.flush()
        }.get()
        #expect(try await Self.waitFor(inboxB, [1, 2, 3]), "the next datagram from the same socket arrives")
        try await loop.submit {
            b.write([4, 5, 6], to: toA)
            b.flush()
        }.get()
        #expect(try await Self.waitFor(inboxA, [4, 5, 6]), "the socket that hit the error still receives")
        let (open, failed) = try await loop.submit { (a.channel.isActive, a.drops[UDPSocket.writeFailed]) }.get()
        #expect(open)
        #expect(failed == 1)
        try await loop.submit { a.close(); b.close() }.get()
        try await group.shutdownGracefully()
    }
}
