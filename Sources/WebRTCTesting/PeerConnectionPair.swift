import WebRTC

/// Two peer connections joined in one process over real loopback sockets — the way a server-side
/// app tests code built on WebRTC without a browser.
///
/// ```swift
/// let pair = try await PeerConnectionPair.connected()
/// try pair.offererChannel.send("ping")
/// for await m in pair.answererChannel.messages { … }
/// pair.close()
/// ```
public struct PeerConnectionPair: Sendable {
    /// The side that created the channel and the offer.
    public let offerer: RTCPeerConnection
    /// The side that answered.
    public let answerer: RTCPeerConnection
    /// The channel as the offerer created it (open).
    public let offererChannel: RTCDataChannel
    /// The same channel as the answerer received it (open).
    public let answererChannel: RTCDataChannel

    /// A configuration that gathers host candidates on loopback only (127.0.0.1 and ::1).
    public static var loopbackConfiguration: RTCConfiguration {
        var c = RTCConfiguration()
        c.loopbackOnly = true
        return c
    }

    /// Creates two connections, trickles candidates between them, negotiates one data channel and
    /// waits until both ends of it are open (or throws after `timeout`).
    public static func connected(label: String = "test", options: RTCDataChannelInit = RTCDataChannelInit(),
                                 offererConfiguration: RTCConfiguration = loopbackConfiguration,
                                 answererConfiguration: RTCConfiguration = loopbackConfiguration,
                                 timeout: Duration = .seconds(10)) async throws -> PeerConnectionPair {
        let a = try RTCPeerConnection(configuration: offererConfiguration)
        let b = try RTCPeerConnection(configuration: answererConfiguration)
        link(a, b)
        let remote = b.dataChannels
        let channel = try a.createDataChannel(label, options)
        try await negotiate(offerer: a, answerer: b)
        let answererChannel: RTCDataChannel = try await withTimeout(timeout) {
            if options.negotiated {
                return try b.createDataChannel(label, options)
            }
            for await ch in remote { return ch }
            throw RTCError(.operationError, "The answerer closed before a data channel arrived.")
        }
        try await withTimeout(timeout) {
            try await channel.waitUntilOpen()
            try await answererChannel.waitUntilOpen()
        }
        return PeerConnectionPair(offerer: a, answerer: b, offererChannel: channel, answererChannel: answererChannel)
    }

    /// Forwards each side's trickled candidates to the other.
    public static func link(_ a: RTCPeerConnection, _ b: RTCPeerConnection) {
        a.onIceCandidate = { [weak b] c in
            guard let b else { return }
            Task { try? await b.addIceCandidate(c?.toJSON() ?? RTCIceCandidateInit(candidate: "", sdpMid: "0", sdpMLineIndex: 0)) }
        }
        b.onIceCandidate = { [weak a] c in
            guard let a else { return }
            Task { try? await a.addIceCandidate(c?.toJSON() ?? RTCIceCandidateInit(candidate: "", sdpMid: "0", sdpMLineIndex: 0)) }
        }
    }

    /// One offer/answer exchange.
    public static func negotiate(offerer a: RTCPeerConnection, answerer b: RTCPeerConnection) async throws {
        try await a.setLocalDescription()
        guard let offer = a.localDescription else { throw RTCError(.operationError, "No local offer.") }
        try await b.setRemoteDescription(offer)
        try await b.setLocalDescription()
        guard let answer = b.localDescription else { throw RTCError(.operationError, "No local answer.") }
        try await a.setRemoteDescription(answer)
    }

    /// Closes both connections.
    public func close() {
        offerer.close()
        answerer.close()
    }
}

/// Runs `body`, throwing `OperationError` when it takes longer than `timeout`.
public func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw RTCError(.operationError, "Timed out after \(timeout).")
        }
        guard let first = try await group.next() else { throw RTCError(.operationError, "No result.") }
        group.cancelAll()
        return first
    }
}
