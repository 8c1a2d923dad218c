import NIOCore
import Synchronization
import WebRTCCore
import WebRTCEngine
import WebRTCICE
import WebRTCSCTP

/// The serial executor of one peer connection: an actor on the SwiftNIO event loop that owns the
/// connection's sockets and one timer, and drives a sans-IO ``PeerConnectionEngine``.
///
/// Every input (an API command, a datagram, a stream callback, the timer) goes into the engine;
/// then `flush()` sends every transmit, hands every event to the facades (handlers and streams),
/// and re-arms the timer at the engine's next deadline. That is the whole driver.
actor PeerConnectionDriver {
    nonisolated let eventLoop: any EventLoop
    nonisolated var unownedExecutor: UnownedSerialExecutor { eventLoop.executor.asUnownedSerialExecutor() }

    let shared: PeerConnectionShared
    let engine: PeerConnectionEngine
    var configuration: RTCConfiguration

    var sockets: [Int: UDPSocket] = [:]
    /// TCP (and TLS) connections to TURN servers, by the ICE agent's stream id (≥ 10,000).
    var streams: [Int: TCPStream] = [:]
    var addresses = AddressCache()
    /// The facades of the engine's channels, by handle.
    var channels: [Int: RTCDataChannel] = [:]
    /// Channels whose `send` ran on this loop while output was being flushed: sent by that flush.
    var channelsToFlush: [RTCDataChannel] = []
    var isFlushing = false

    var timer: Scheduled<Void>?
    var timerDeadline: Instant?
    var drops = DropCounters()

    /// Handles of channels the application creates (the engine numbers remote ones from 2^32).
    private nonisolated let nextChannelHandle = Atomic<Int>(1)
    nonisolated func allocateChannelHandle() -> Int { nextChannelHandle.add(1, ordering: .relaxed).oldValue }

    /// Connections alive in the process (leak checks in tests).
    static let liveCount = Atomic<Int>(0)

    init(configuration: RTCConfiguration, engine: PeerConnectionEngine, shared: PeerConnectionShared, eventLoop: any EventLoop) {
        Self.liveCount.add(1, ordering: .relaxed)
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.engine = engine
        self.shared = shared
    }

    deinit { Self.liveCount.subtract(1, ordering: .relaxed) }

    var isClosed: Bool { engine.isClosed }

    // MARK: - Output

    /// Sends what the engine queued, delivers its events, re-arms the timer.
    func flush() {
        guard !isFlushing else { return }
        isFlushing = true
        defer { isFlushing = false }
        drainOutput()
        // Buffered amounts once per flush (not per datagram); their events may make handlers send.
        engine.publishBufferedAmounts()
        drainOutput()
        for s in sockets.values { s.flush() }
        for s in streams.values { s.flush() }
        armTimer()
    }

    private func drainOutput() {
        var rounds = 0
        repeat {
            rounds += 1
            if !channelsToFlush.isEmpty {
                let flushing = channelsToFlush
                channelsToFlush.removeAll()
                for ch in flushing { moveOutbox(ch) }
                engine.flush(now: MonotonicClock.now())
            }
            while let t = engine.pollTransmit() { transmit(t) }
            // Handlers run inside `dispatch` and may call back in (send, close): their commands
            // queue more output, drained by the next round.
            while let e = engine.pollEvent() { dispatch(e) }
        } while (!channelsToFlush.isEmpty || engine.hasOutput) && rounds < 10_000
    }

    private func transmit(_ t: ICETransmit) {
        if let stream = streams[t.socket] {
            stream.write(t.bytes)
            return
        }
        guard let socket = sockets[t.socket], let address = addresses.socket(t.destination) else {
            drops.drop(DriverDrop.noSocket)
            return
        }
        socket.write(t.bytes, to: address)
    }

    private func armTimer() {
        guard let deadline = engine.nextDeadline() else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let current = timerDeadline, current <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = max(0, (deadline - MonotonicClock.now()).nanoseconds)
        timer = eventLoop.scheduleTask(in: .nanoseconds(delay)) { [self] in
            self.assumeIsolated { $0.fireTimer() }
        }
    }

    private func fireTimer() {
        timer = nil
        timerDeadline = nil
        engine.handleTimeout(now: MonotonicClock.now())
        flush()
    }

    // MARK: - Input from sockets

    /// A datagram read on one of our sockets (from the channel handler on this loop); output is
    /// flushed at the end of the read burst.
    func receive(socket: Int, buffer: ByteBuffer, from address: SocketAddress) {
        guard !isClosed, let source = addresses.transport(address) else { return }
        let bytes = Array(buffer.readableBytesView)
        engine.handleDatagram(bytes, socket: socket, from: source, now: MonotonicClock.now())
    }

    /// Binds one UDP socket per usable local address, then lets the engine gather on them.
    func bindHostSockets() {
        let addresses = InterfaceEnumerator.hostAddresses(includeLoopback: configuration.includeLoopbackCandidates,
                                                          loopbackOnly: configuration.loopbackOnly)
        let loop = eventLoop
        let bufferSize = configuration.socketBufferSize
        let futures = addresses.enumerated().map { i, ip in
            UDPSocket.bind(id: i + 1, ip: ip, bufferSize: bufferSize, on: loop, onRead: { [weak self] id, buffer, from in
                self?.assumeIsolated { $0.receive(socket: id, buffer: buffer, from: from) }
            }, onReadComplete: { [weak self] in
                self?.assumeIsolated { $0.flush() }
            })
        }
        EventLoopFuture.whenAllComplete(futures, on: loop).whenComplete { [weak self] result in
            let results = (try? result.get()) ?? []
            guard let self else {
                // The connection went away before the binds completed: close what was bound.
                for case .success(let socket) in results { socket.close() }
                return
            }
            self.assumeIsolated { driver in
                var bound: [(id: Int, address: TransportAddress)] = []
                for case .success(let socket) in results {
                    if driver.isClosed { socket.close(); continue }
                    driver.sockets[socket.id] = socket
                    bound.append((socket.id, socket.localAddress))
                }
                driver.engine.addHostSockets(bound, now: MonotonicClock.now())
                driver.flush()
            }
        }
    }

    /// Opens the TCP connection the engine asked for (TURN over TCP or TLS).
    func openStream(_ id: Int, to: TransportAddress) {
        guard let address = addresses.socket(to) else {
            engine.streamConnected(socket: id, localAddress: nil, now: MonotonicClock.now())
            return
        }
        let stream = TCPStream(id: id)
        streams[id] = stream
        stream.connect(to: address, on: eventLoop, onConnected: { [weak self] local in
            self?.assumeIsolated { driver in
                guard driver.streams[id] != nil else { return }
                driver.engine.streamConnected(socket: id, localAddress: local, now: MonotonicClock.now())
                driver.flush()
            }
        }, onBytes: { [weak self] buffer in
            self?.assumeIsolated { driver in
                guard driver.streams[id] != nil else { return }
                driver.engine.handleStreamBytes(Array(buffer.readableBytesView), socket: id, now: MonotonicClock.now())
                driver.flush()
            }
        }, onClosed: { [weak self] in
            self?.assumeIsolated { driver in
                guard driver.streams.removeValue(forKey: id) != nil else { return }
                driver.engine.streamClosed(socket: id, now: MonotonicClock.now())
                driver.flush()
            }
        })
    }

    // MARK: - Commands

    /// Runs an engine command on this executor, then flushes its output.
    func run<T>(_ body: (PeerConnectionEngine, Instant) throws(EngineError) -> T) throws(RTCError) -> T {
        defer { flush() }
        do {
            return try body(engine, MonotonicClock.now())
        } catch {
            throw RTCError(error)
        }
    }

    // MARK: - Close

    /// webrtc-pc §4.4.1.7: the engine closes (queuing SCTP ABORT, close_notify, TURN releases);
    /// those are sent, then the sockets close. No event follows.
    func close() {
        guard !engine.isClosed else { return }
        for ch in channels.values { ch.closeSilently() }
        channels.removeAll()
        channelsToFlush.removeAll()
        engine.close(now: MonotonicClock.now())
        while let t = engine.pollTransmit() { transmit(t) }
        for s in sockets.values { s.flush(); s.close() }
        sockets.removeAll()
        for s in streams.values { s.close() }
        streams.removeAll()
        timer?.cancel()
        timer = nil
        shared.update {
            $0.signalingState = .closed
            $0.iceConnectionState = .closed
            $0.connectionState = .closed
            $0.dtlsState = .closed
            if $0.sctpState != nil { $0.sctpState = .closed }
        }
        shared.clearRegistry()
        shared.finishEvents()
    }
}

/// Drop reasons of the driver.
enum DriverDrop {
    static let noSocket = "udp.noSocket"
}
