import WebRTCCore
import WebRTCSCTP

/// Data channels and the SCTP association (RFC 8831, 8832).
extension PeerConnectionEngine {
    /// Creates a channel (options already validated by the caller); returns its handle — the
    /// caller's `handle` if it names its channels itself.
    @discardableResult
    package func createDataChannel(_ params: DataChannelParameters, handle given: Int? = nil, now: Instant) throws(EngineError) -> Int {
        try checkOpen()
        if let id = params.id, channels.contains(streamID: id) {
            throw EngineError(.operationError, "A data channel with id \(id) already exists.")
        }
        if let given, channels.contains(handle: given) {
            throw EngineError(.operationError, "Channel handle \(given) is in use.")
        }
        let handle = channels.add(params, streamID: params.negotiated ? params.id : nil, pending: sctp == nil, handle: given)
        if let sctp {
            do { try open(handle, on: sctp) } catch {
                // webrtc-pc §6.1: e.g. a negotiated id beyond the stream count: the channel closes with an error.
                channels.remove(handle)
                emit(.channelError(handle: handle, error))
                emit(.channelClosed(handle: handle))
            }
        }
        wantsDataSection = true
        updateNegotiationNeeded()
        drive(now: now)
        return handle
    }

    private func open(_ handle: Int, on sctp: SCTPAssociation) throws(EngineError) {
        guard let params = channels[handle]?.parameters else { return }
        do {
            let id = try sctp.openChannel(params)
            channels.assign(id, to: handle)
            emit(.channelIDAssigned(handle: handle, id: id))
        } catch {
            throw EngineError(.operationError, "Cannot open the data channel: \(error)", detail: .dataChannelFailure)
        }
    }

    /// Creates the association once the DTLS role is known (ids of pending channels follow it).
    func createSCTPIfNeeded(isDTLSClient: Bool) {
        guard sctp == nil, negotiatedDataMid != nil else { return }
        let remotePort = (currentRemote ?? pendingRemote)?.model.media.first(where: Self.isDataSection)?.sctpPort ?? 5000
        guard let association = try? SCTPAssociation(localPort: 5000, remotePort: remotePort, isDTLSClient: isDTLSClient) else {
            return
        }
        association.maxMessageSize = remoteMaxMessageSize
        // RFC 8841 §6.1: what we advertise is what we accept.
        association.maxReceiveMessageSize = Int(clamping: configuration.maxMessageSize == 0 ? UInt64(Int.max) : configuration.maxMessageSize)
        association.reportsConsumption = configuration.receiveFlowControl
        association.receiveBudget = configuration.receiveBudget
        sctp = association
        let maxSize: Double = remoteMaxMessageSize == 0 ? .infinity : Double(remoteMaxMessageSize)
        emit(.sctpTransportCreated(maxMessageSize: maxSize, maxChannels: nil))
        emit(.sctpStateChanged(.connecting))
        for handle in channels.pendingHandles {
            do { try open(handle, on: association) } catch {
                emit(.channelError(handle: handle, error))
                channels.remove(handle)
                emit(.channelClosed(handle: handle))
            }
        }
    }

    func startSCTPIfReady(now: Instant) {
        guard let sctp, !sctpStarted else { return }
        sctpStarted = true
        sctp.start(now: now)
    }

    func handleSCTP(_ e: SCTPEvent) {
        switch e {
        case .connected:
            emit(.sctpStateChanged(.connected))
        case .channelOpen(let id):
            guard let handle = channels.handle(forStream: id) else { return }
            counters.dataChannelsOpened += 1
            emit(.channelOpened(handle: handle))
        case .remoteChannel(let id, let params):
            let handle = channels.add(params, streamID: id, pending: false)
            counters.dataChannelsOpened += 1
            emit(.remoteChannel(handle: handle, id: id, parameters: params))
        case .message(let id, let message):
            guard let handle = channels.handle(forStream: id) else {
                sctp?.consumed(bytes: message.byteCount, on: id)
                drops.drop(EngineDrop.messageForUnknownChannel)
                return
            }
            emit(.message(handle: handle, message))
        case .bufferedAmountLow(let id):
            guard let handle = channels.handle(forStream: id) else { return }
            emit(.bufferedAmount(handle: handle, amount: sctp?.bufferedAmount(of: id) ?? 0, low: true))
        case .channelClosing(let id):
            guard let handle = channels.handle(forStream: id) else { return }
            emit(.channelClosing(handle: handle))
        case .channelClosed(let id):
            // Unread messages of a closed channel no longer hold the receive budget.
            sctp?.consumed(bytes: Int.max, on: id)
            guard let handle = channels.handle(forStream: id) else { return }
            channels.remove(handle)
            counters.dataChannelsClosed += 1
            emit(.channelClosed(handle: handle))
        case .closed(let error):
            emit(.sctpStateChanged(.closed))
            let rtc = error.map { err -> EngineError in
                var cause: Int?
                if case .aborted(let c) = err { cause = c.map(Int.init) }
                return EngineError(.operationError, "The SCTP association ended: \(err)", detail: .sctpFailure, sctpCauseCode: cause)
            }
            failDataPath(rtc)
        }
    }

    /// Closes every channel after the DTLS or SCTP layer ended.
    func failDataPath(_ error: EngineError?) {
        for handle in channels.removeAll() {
            if let error { emit(.channelError(handle: handle, error)) }
            emit(.channelClosed(handle: handle))
        }
    }

    /// Queues messages on a channel. An error closes nothing: the caller reports it on the channel.
    package func send(_ messages: [DataChannelMessage], on handle: Int, now: Instant) {
        guard !isClosed, let id = channels.streamID(of: handle), let sctp else { return }
        for m in messages {
            do { try sctp.send(m, on: id) } catch {
                emit(.channelError(handle: handle, EngineError(.operationError, "send failed: \(error)", detail: .dataChannelFailure)))
            }
        }
        channels.setBuffering(handle, true)
        drive(now: now)
    }

    /// Queues messages without driving (the driver batches several channels, then calls `flush`).
    package func enqueue(_ messages: [DataChannelMessage], on handle: Int) {
        guard !isClosed, let id = channels.streamID(of: handle), let sctp else { return }
        for m in messages {
            do { try sctp.send(m, on: id) } catch {
                emit(.channelError(handle: handle, EngineError(.operationError, "send failed: \(error)", detail: .dataChannelFailure)))
            }
        }
        channels.setBuffering(handle, true)
    }

    /// Runs the chain after `enqueue` calls.
    package func flush(now: Instant) { drive(now: now) }

    package func setBufferedAmountLowThreshold(_ threshold: Int, on handle: Int) {
        guard let id = channels.streamID(of: handle) else { return }
        sctp?.setBufferedAmountLowThreshold(threshold, on: id)
    }

    /// `RTCDataChannel.close()`: a stream reset (RFC 8831 §6.7); `channelClosed` follows.
    package func closeChannel(_ handle: Int, now: Instant) {
        guard let record = channels[handle] else { return }
        guard let id = record.streamID, let sctp, !record.pending else {
            channels.remove(handle)
            emit(.channelClosed(handle: handle))
            return
        }
        sctp.closeChannel(id)
        drive(now: now)
    }

    /// Emits the SCTP-side buffered amount of every channel that may have some. The driver calls
    /// it once per batch of input (not per datagram).
    package func publishBufferedAmounts() {
        guard let sctp, !channels.buffering.isEmpty else { return }
        for handle in channels.buffering {
            guard let id = channels.streamID(of: handle) else { channels.setBuffering(handle, false); continue }
            let amount = sctp.bufferedAmount(of: id)
            emit(.bufferedAmount(handle: handle, amount: amount, low: false))
            if amount == 0 { channels.setBuffering(handle, false) }
        }
    }

    /// The application read `bytes` of a channel's messages: receive budget is freed and SCTP
    /// reads again if it had stopped.
    package func consumed(bytes: Int, on handle: Int, now: Instant) {
        guard !isClosed, let id = channels.streamID(of: handle), let sctp else { return }
        sctp.consumed(bytes: bytes, on: id)
        drive(now: now)
    }

    /// The SCTP-side buffered amount of one channel.
    package func bufferedAmount(of handle: Int) -> Int {
        guard let id = channels.streamID(of: handle) else { return 0 }
        return sctp?.bufferedAmount(of: id) ?? 0
    }
}
