import WebRTCCore
import WebRTCDTLS
import WebRTCEngine
import WebRTCSCTP

extension PeerConnectionDriver {
    /// Hands one engine event to the facades: the state snapshot, the handlers and the streams.
    func dispatch(_ e: EngineEvent) {
        let events = shared.events
        switch e {
        case .signalingStateChanged(let s):
            let mapped = RTCSignalingState(s)
            shared.update { $0.signalingState = mapped }
            events.signalingStateChange.emit(mapped)
        case .negotiationNeeded:
            events.negotiationNeeded.emit(())
        case .descriptionsChanged:
            let set = engine.descriptions()
            shared.update { $0.descriptions = set }
        case .bindHostSockets:
            bindHostSockets()
        case .iceCandidate(let c):
            guard let c else { events.iceCandidate.emit(nil); return }
            if let candidate = try? RTCIceCandidate(RTCIceCandidateInit(candidate: c.candidate, sdpMid: c.sdpMid,
                                                                         sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment)) {
                events.iceCandidate.emit(candidate)
            }
        case .iceCandidateError(let url, let address, let port, let code, let text):
            events.iceCandidateError.emit(RTCPeerConnectionIceErrorEvent(address: address, port: port.map(Int.init), url: url, errorCode: code, errorText: text))
        case .iceGatheringStateChanged(let s):
            let mapped = RTCIceGatheringState(s)
            shared.update { $0.iceGatheringState = mapped }
            events.iceGatheringStateChange.emit(mapped)
        case .iceConnectionStateChanged(let s):
            let mapped = RTCIceConnectionState(s)
            shared.update { $0.iceConnectionState = mapped }
            events.iceConnectionStateChange.emit(mapped)
        case .selectedPairChanged(let pair):
            shared.update { $0.selectedPair = pair }
        case .openStream(let socket, let to):
            openStream(socket, to: to)
        case .closeStream(let socket):
            streams.removeValue(forKey: socket)?.close()
        case .dtlsStateChanged(let s):
            let mapped = RTCDtlsTransportState(s)
            shared.update { $0.dtlsState = mapped }
            shared.dtlsTransport.stateChange.emit(mapped)
        case .dtlsRoleKnown(let role):
            shared.update { $0.dtlsRole = role == .client ? .client : .server }
        case .dtlsConnected(let cipher, let certificate):
            shared.update {
                $0.dtlsCipher = cipher
                $0.remoteCertificates = certificate.map { [$0] } ?? []
            }
        case .dtlsError(let error):
            shared.dtlsTransport.error.emit(RTCError(error))
        case .connectionStateChanged(let s):
            let mapped = RTCPeerConnectionState(s)
            shared.update { $0.connectionState = mapped }
            events.connectionStateChange.emit(mapped)
        case .sctpTransportCreated(let maxMessageSize, let maxChannels):
            shared.update {
                $0.sctpMaxMessageSize = maxMessageSize
                $0.sctpMaxChannels = maxChannels
            }
            for ch in channels.values { ch.updateMaxMessageSize(maxMessageSize) }
        case .sctpStateChanged(let s):
            let mapped = RTCSctpTransportState(s)
            shared.update { $0.sctpState = mapped }
            shared.sctpStateChange.emit(mapped)
        case .channelIDAssigned(let handle, let id):
            channels[handle]?.assignID(id)
        case .channelOpened(let handle):
            channels[handle]?.didOpen()
        case .remoteChannel(let handle, let id, let params):
            let channel = RTCDataChannel(parameters: params, handle: handle, driver: self, maxMessageSize: shared.read { $0.sctpMaxMessageSize })
            channel.assignID(id)
            channels[handle] = channel
            shared.register(channel)
            channel.markOpen()
            events.dataChannel.emit(channel)
            channel.announceOpen()
        case .message(let handle, let message):
            // Read at once (a handler, a waiting iterator) or held by the channel until read.
            let read = channels[handle]?.deliver(message) ?? message.byteCount
            if read > 0 { engine.consumed(bytes: read, on: handle, now: MonotonicClock.now()) }
        case .bufferedAmount(let handle, let amount, let low):
            channels[handle]?.publishBuffered(amount, lowEvent: low)
        case .channelClosing(let handle):
            channels[handle]?.didStartClosing()
        case .channelClosed(let handle):
            channels.removeValue(forKey: handle)?.didClose()
        case .channelError(let handle, let error):
            channels[handle]?.fail(RTCError(error))
        }
    }

    // MARK: calls from RTCDataChannel (always on this executor)

    /// Hands a channel's queued messages to the engine and sends them. Inside a running flush (an
    /// event handler sending) it joins that flush instead of nesting.
    func flushOutbox(of channel: RTCDataChannel) {
        if isFlushing {
            channelsToFlush.append(channel)
            return
        }
        moveOutbox(channel)
        engine.flush(now: MonotonicClock.now())
        flush()
    }

    func moveOutbox(_ channel: RTCDataChannel) {
        let messages = channel.takeOutbox()
        guard !isClosed, !messages.isEmpty else { return }
        engine.enqueue(messages, on: channel.handle)
    }

    /// An iterator read held messages of a channel: their bytes leave the receive budget.
    func channelMessagesRead(_ handle: Int) {
        guard let channel = channels[handle] else { return }
        let bytes = channel.takeReadBytes()
        guard bytes > 0 else { return }
        engine.consumed(bytes: bytes, on: handle, now: MonotonicClock.now())
        flush()
    }

    func channelSetThreshold(_ channel: RTCDataChannel, _ threshold: Int) {
        engine.setBufferedAmountLowThreshold(threshold, on: channel.handle)
    }

    func channelClose(_ channel: RTCDataChannel) {
        engine.closeChannel(channel.handle, now: MonotonicClock.now())
        flush()
    }

    /// A channel the application created: the engine takes it (or it fails with an event).
    func open(_ channel: RTCDataChannel) {
        guard !isClosed else { channel.closeSilently(); return }
        channels[channel.handle] = channel
        do {
            try engine.createDataChannel(channel.parameters, handle: channel.handle, now: MonotonicClock.now())
        } catch {
            channels.removeValue(forKey: channel.handle)
            channel.fail(RTCError(error))
            channel.didClose()
        }
        flush()
    }

    /// Live counters for `getStats()`.
    func statsSnapshot() -> RTCStatsReport {
        let now = RTCStatsReport.timestampNow()
        var report = RTCStatsReport()
        var facades: [Int: (state: String, label: String, protocol: String)] = [:]
        for (handle, ch) in channels { facades[handle] = (ch.readyState.rawValue, ch.label, ch.protocol) }
        for entry in engine.stats(channelStates: facades) {
            report.add(RTCStats(id: entry.id, type: entry.type, timestamp: now, values: entry.values.mapValues(RTCStatsValue.init)))
        }
        return report
    }
}

extension PeerConnectionDriver {
    /// `setLocalDescription`; an applied offer answers a queued `negotiationneeded` nobody heard.
    func setLocalDescription(_ description: RTCSessionDescription?) throws(RTCError) {
        let type = description.map { SdpType($0.type) }
        try run { engine, now throws(EngineError) in
            try engine.setLocalDescription(type: type, sdp: description?.sdp, now: now)
        }
        if engine.signalingState == .haveLocalOffer { shared.events.negotiationNeeded.clearPending() }
    }
}
