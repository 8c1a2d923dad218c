import WebRTCCore
import WebRTCSCTP

/// Data channels and the SCTP association (RFC 8831, 8832).
extension PeerConnectionCore {
    func createDataChannel(label: String, options: RTCDataChannelInit) throws(RTCError) -> RTCDataChannel {
        try checkOpen()
        if label.utf8.count > 65_535 { throw RTCError(.typeError, "The label is longer than 65,535 bytes.") }
        if options.protocol.utf8.count > 65_535 { throw RTCError(.typeError, "The protocol is longer than 65,535 bytes.") }
        if options.maxPacketLifeTime != nil && options.maxRetransmits != nil {
            throw RTCError(.typeError, "maxPacketLifeTime and maxRetransmits cannot both be set.")
        }
        if options.negotiated && options.id == nil { throw RTCError(.typeError, "A negotiated channel needs an id.") }
        if let id = options.id, id < 0 || id > 65_534 { throw RTCError(.typeError, "The id must be 0…65534.") }
        // webrtc-pc §6.1 createDataChannel: values above 65,535 are clamped.
        let clamp: (Int?) -> UInt16? = { $0.map { UInt16(clamping: max(0, $0)) } }
        var params = DataChannelParameters(label: label)
        params.protocol = options.protocol
        params.ordered = options.ordered
        params.maxPacketLifeTime = clamp(options.maxPacketLifeTime)
        params.maxRetransmits = clamp(options.maxRetransmits)
        params.priority = options.priority.dcepValue
        params.negotiated = options.negotiated
        params.id = options.id.map { UInt16($0) }
        if let id = params.id, channels[id] != nil {
            throw RTCError(.operationError, "A data channel with id \(id) already exists.")
        }
        let channel = RTCDataChannel(parameters: params, core: self, maxMessageSize: shared.read { $0.sctpMaxMessageSize })
        shared.register(channel)
        if let sctp {
            try open(channel, on: sctp)
        } else {
            pendingChannels.append(channel)
        }
        if !wantsDataSection {
            wantsDataSection = true
            if negotiatedDataMid == nil {
                negotiationNeeded = true
                fireNegotiationNeededIfNeeded()
            }
        }
        pump()
        return channel
    }

    private func open(_ channel: RTCDataChannel, on sctp: SCTPAssociation) throws(RTCError) {
        do {
            let id = try sctp.openChannel(channel.parameters)
            channels[id] = channel
            channel.assignID(id)
        } catch {
            throw RTCError(.operationError, "Cannot open the data channel: \(error)", detail: .dataChannelFailure)
        }
    }

    /// Creates the association once the DTLS role is known (ids of pending channels follow it).
    func createSCTPIfNeeded(isDTLSClient: Bool) {
        guard sctp == nil, negotiatedDataMid != nil else { return }
        let remotePort = (currentRemoteModel ?? pendingRemoteModel)?.media.first { $0.kind == "application" && !$0.isRejected }?.sctpPort ?? 5000
        guard let association = try? SCTPAssociation(localPort: 5000, remotePort: remotePort, isDTLSClient: isDTLSClient) else {
            return
        }
        association.maxMessageSize = remoteMaxMessageSize
        sctp = association
        let maxSize: Double = remoteMaxMessageSize == 0 ? .infinity : Double(remoteMaxMessageSize)
        shared.update {
            $0.sctpState = .connecting
            $0.sctpMaxMessageSize = maxSize
        }
        shared.sctpStateChange.emit(.connecting)
        let pending = pendingChannels
        pendingChannels.removeAll()
        for ch in pending where ch.readyState != .closed {
            ch.updateMaxMessageSize(maxSize)
            do { try open(ch, on: association) } catch { ch.fail(error) }
        }
        for ch in channels.values { ch.updateMaxMessageSize(maxSize) }
    }

    func startSCTPIfReady(now: Instant) {
        guard let sctp, !sctpStarted else { return }
        sctpStarted = true
        sctp.start(now: now)
    }

    func handleSCTP(_ e: SCTPEvent) {
        switch e {
        case .connected:
            shared.update { $0.sctpState = .connected }
            shared.sctpStateChange.emit(.connected)
        case .channelOpen(let id):
            dataChannelsOpened += 1
            channels[id]?.didOpen()
        case .remoteChannel(let id, let params):
            let channel = RTCDataChannel(parameters: params, core: self, maxMessageSize: shared.read { $0.sctpMaxMessageSize })
            channel.assignID(id)
            channels[id] = channel
            shared.register(channel)
            dataChannelsOpened += 1
            channel.markOpen()
            shared.events.dataChannel.emit(channel)
            channel.announceOpen()
        case .message(let id, let message):
            channels[id]?.deliver(message)
        case .bufferedAmountLow(let id):
            if let ch = channels[id] { ch.publishBuffered(sctp?.bufferedAmount(of: id) ?? 0, lowEvent: true) }
        case .channelClosing(let id):
            channels[id]?.didStartClosing()
        case .channelClosed(let id):
            if let ch = channels.removeValue(forKey: id) {
                dataChannelsClosed += 1
                ch.didClose()
            }
        case .closed(let error):
            SCTPTrace.dump(reason: "association closed: \(String(describing: error))")
            shared.update { $0.sctpState = .closed }
            shared.sctpStateChange.emit(.closed)
            let rtc = error.map { err -> RTCError in
                var cause: Int?
                if case .aborted(let c) = err { cause = c.map(Int.init) }
                return RTCError(.operationError, "The SCTP association ended: \(err)", detail: .sctpFailure, sctpCauseCode: cause)
            }
            failDataPath(rtc)
        }
    }

    /// Closes every channel after the DTLS or SCTP layer ended.
    func failDataPath(_ error: RTCError?) {
        let all = Array(channels.values) + pendingChannels
        channels.removeAll()
        pendingChannels.removeAll()
        for ch in all {
            if let error { ch.fail(error) }
            ch.didClose()
        }
    }

    // MARK: calls from RTCDataChannel (always on this executor)

    /// Hands a channel's queued messages to SCTP and sends them. Called on this executor: from
    /// a task the channel scheduled, or directly by `send` when it runs on the loop — inside a
    /// running `pump()` (an event handler sending) the flush joins that pump instead of nesting.
    func flushOutbox(of channel: RTCDataChannel) {
        if isPumping {
            channelsToFlush.append(channel)
            return
        }
        moveOutboxToSCTP(channel)
        pump()
    }

    func moveOutboxToSCTP(_ channel: RTCDataChannel) {
        let messages = channel.takeOutbox()
        guard !isClosed, let id = channel.currentID, let sctp else { return }
        for m in messages {
            do { try sctp.send(m, on: id) } catch {
                channel.fail(RTCError(.operationError, "send failed: \(error)", detail: .dataChannelFailure))
            }
        }
        buffering.insert(id)
    }

    func channelSetThreshold(_ channel: RTCDataChannel, _ threshold: Int) {
        guard let id = channel.currentID else { return }
        sctp?.setBufferedAmountLowThreshold(threshold, on: id)
    }

    func channelClose(_ channel: RTCDataChannel) {
        if let i = pendingChannels.firstIndex(where: { $0 === channel }) {
            pendingChannels.remove(at: i)
            channel.didClose()
            return
        }
        guard let id = channel.currentID, let sctp else { channel.didClose(); return }
        sctp.closeChannel(id)
        pump()
    }
}

extension PeerConnectionCore {
    /// `restartIce()`: new credentials at the next offer, and `negotiationneeded`.
    func requestIceRestart() {
        guard !isClosed else { return }
        iceRestartRequested = true
        negotiationNeeded = true
        fireNegotiationNeededIfNeeded()
    }
}
