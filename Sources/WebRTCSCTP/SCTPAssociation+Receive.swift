#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp
import WebRTCCore

extension SCTPAssociation {
    /// Processes everything usrsctp's callbacks left in our inbox, feeds queued data, and moves
    /// produced packets to the transmit queue. Called after every entry point.
    func drain() {
        var rounds = 0
        while registered && rounds < 8 {
            rounds += 1
            var readMore = false
            let items: [SCTPInbox.Received] = stack.withLock {
                guard let inbox = stack.inboxLocked(assocID) else { return [] }
                if receivePaused { readMore = readSocketLocked(into: inbox) }
                moveTransmitsLocked()
                applySendBufferInfoLocked()
                let r = inbox.received
                inbox.received.removeAll()
                return r
            }
            for item in items {
                switch item {
                case let .data(bytes, stream, ppid, eor, _): receiveData(bytes, stream: stream, ppid: ppid, endOfRecord: eor)
                case .notification(let bytes): handleNotification(bytes)
                }
            }
            guard registered else { break }
            let more: Bool = stack.withLock {
                pauseReceiveIfSpentLocked()
                feedLocked()
                requestResetsLocked()
                moveTransmitsLocked()
                return readMore || !(stack.inboxLocked(assocID)?.received.isEmpty ?? true)
            }
            if !more { break }
        }
        checkBufferedAmounts()
    }

    // MARK: data

    func receiveData(_ bytes: [UInt8], stream: UInt16, ppid: UInt32, endOfRecord: Bool) {
        lastActivity = lastNow
        var entry = reassembly[stream] ?? (ppid: ppid, bytes: [], discarding: false)
        if !entry.discarding {
            if entry.bytes.count + bytes.count > maxReceiveMessageSize {
                drops.drop("sctp.messageTooLarge")
                entry.discarding = true
                entry.bytes = []
            } else if entry.bytes.isEmpty {
                entry.bytes = bytes
            } else {
                entry.bytes.append(contentsOf: bytes)
            }
        }
        guard endOfRecord else { reassembly[stream] = entry; return }
        reassembly[stream] = nil
        if !entry.discarding { deliver(entry.bytes, stream: stream, ppid: entry.ppid) }
    }

    func deliver(_ bytes: [UInt8], stream: UInt16, ppid rawPPID: UInt32) {
        guard let ppid = PPID(rawValue: rawPPID) else { drops.drop("sctp.unknownPPID"); return }
        if ppid == .dcep { receiveDCEP(bytes, stream: stream); return }
        guard let channel = channels[stream], !channel.incomingResetDone else { drops.drop("sctp.unknownStream"); return }
        let message: DataChannelMessage
        switch ppid {
        case .string:
            guard let s = String(validating: bytes, as: UTF8.self) else { drops.drop("sctp.invalidUTF8"); return }
            message = .text(s)
        case .binary: message = .binary(bytes)
        case .stringEmpty: message = .text("")
        case .binaryEmpty: message = .binary([])
        case .stringPartialDeprecated, .binaryPartialDeprecated, .dcep:
            drops.drop("sctp.deprecatedPPID")
            return
        }
        if emit(.message(id: channel.id, message)) { noteDelivered(message.byteCount, on: channel.id) }
    }

    // MARK: DCEP (RFC 8832)

    func receiveDCEP(_ bytes: [UInt8], stream: UInt16) {
        switch DCEPMessage.decode(bytes) {
        case .failure(let e):
            drops.drop(e.rawValue)
            // A malformed OPEN: refuse that channel by resetting the stream, so the opener's
            // channel closes instead of hanging; later channels are unaffected.
            if e != .unknownType, e != .empty, channels[stream] == nil { resetsWanted.insert(stream) }
        case .success(.ack):
            guard let c = channels[stream], c.origin == .local, !c.acked else { drops.drop("dcep.unexpectedAck"); return }
            c.acked = true
            announceOpen(c)
        case .success(.open(let open)):
            // RFC 8832 §6: the peer (the other DTLS role) uses the other parity.
            let remoteParity: UInt16 = isDTLSClient ? 1 : 0
            guard stream % 2 == remoteParity else { drops.drop("dcep.wrongParity"); return }
            guard channels[stream] == nil, !resetsWanted.contains(stream) else { drops.drop("dcep.streamInUse"); return }
            let params = open.parameters(id: stream)
            let c = Channel(id: stream, parameters: params, origin: .remote)
            channels[stream] = c
            enqueue(OutgoingMessage(bytes: DCEPMessage.ack.encode(), ppid: .dcep, countsAsUserBytes: false,
                                    unordered: false, prPolicy: 0, prValue: 0), on: c)
            emit(.remoteChannel(id: stream, params))
        }
    }

    func announceOpen(_ c: Channel) {
        guard !c.announcedOpen else { return }
        c.announcedOpen = true
        emit(.channelOpen(id: c.id))
    }

    // MARK: notifications (RFC 6458 §6.1 layouts, host byte order)

    func handleNotification(_ n: [UInt8]) {
        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= n.count else { return nil }
            return n.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt16.self) }
        }
        func u32(_ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= n.count else { return nil }
            return n.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
        }
        guard let type = u16(0), let flags = u16(2) else { drops.drop("sctp.shortNotification"); return }
        switch Int32(type) {
        case Int32(SCTP_ASSOC_CHANGE):
            guard let st = u16(8), let err = u16(10), let outbound = u16(12) else { return }
            assocChange(state: Int32(st), error: err, outbound: outbound)
        case Int32(SCTP_STREAM_RESET_EVENT):
            let length = Int(u32(4) ?? 0)
            var ids: [UInt16] = []
            var at = 12
            while at + 2 <= min(length, n.count), let id = u16(at) { ids.append(id); at += 2 }
            streamReset(flags: Int32(flags), streams: ids)
        case Int32(SCTP_SENDER_DRY_EVENT):
            // Applied by applySendBufferInfoLocked via the inbox flag the callback set.
            break
        case Int32(SCTP_SEND_FAILED_EVENT):
            drops.drop("sctp.sendFailed")
        case Int32(SCTP_REMOTE_ERROR):
            drops.drop("sctp.remoteError")
        default:
            break
        }
    }

    func assocChange(state st: Int32, error: UInt16, outbound: UInt16) {
        switch st {
        case Int32(SCTP_COMM_UP):
            guard state == .connecting else { return }
            state = .connected
            connectedOnce = true
            outboundStreams = Int(outbound)
            emit(.connected)
            for c in channels.values.sorted(by: { $0.id < $1.id }) where c.origin == .negotiated { announceOpen(c) }
        case Int32(SCTP_COMM_LOST), Int32(SCTP_CANT_STR_ASSOC):
            emit(.closed(error: .aborted(causeCode: error == 0 ? nil : error)))
            unregister()
        case Int32(SCTP_SHUTDOWN_COMP):
            emit(.closed(error: nil))
            unregister()
        default:
            break
        }
    }

    func streamReset(flags: Int32, streams: [UInt16]) {
        if flags & Int32(SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED) != 0 {
            if flags & Int32(SCTP_STREAM_RESET_OUTGOING_SSN) != 0 {
                // Try again later (with backoff, and not forever).
                for id in streams {
                    if let c = channels[id], c.outgoingResetRequested, !c.outgoingResetDone {
                        c.outgoingResetRequested = false
                        resetsWanted.insert(id)
                    }
                }
                deferResetsAfterFailure()
            }
            return
        }
        if flags & Int32(SCTP_STREAM_RESET_OUTGOING_SSN) != 0 { resetAttempts = 0 }
        for id in streams {
            guard let c = channels[id] else { continue }
            if flags & Int32(SCTP_STREAM_RESET_INCOMING_SSN) != 0 {
                c.incomingResetDone = true
                reassembly[id] = nil
                if !c.closing {
                    // RFC 8831 §6.7: the peer closed; we reset our side once our queue drains.
                    c.closing = true
                    emit(.channelClosing(id: id))
                }
            }
            if flags & Int32(SCTP_STREAM_RESET_OUTGOING_SSN) != 0 { c.outgoingResetDone = true }
            if c.incomingResetDone && c.outgoingResetDone {
                channels[id] = nil
                emit(.channelClosed(id: id))
            }
        }
    }
}
