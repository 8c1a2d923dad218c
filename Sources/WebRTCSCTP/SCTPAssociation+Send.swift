#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp
import WebRTCCore

// SendAccounting — how `bufferedAmount` is exact.
//
// Every byte usrsctp accepts gets a position in one association-wide sequence (`handedTotal`).
// usrsctp reports, through its send callback after each SACK, how much user data it still holds
// (send buffer size − free space), and SENDER_DRY when it holds none. So `freedTotal =
// handedTotal − held` is the position below which every byte has left usrsctp (acknowledged, or
// abandoned under partial reliability). Because the socket uses first-come-first-served stream
// scheduling, usrsctp sends (and frees) bytes in the order we handed them, so each channel's
// share of what usrsctp holds is its records above `freedTotal`. A channel's buffered amount is
// that plus what still waits in its own queue.

extension SCTPAssociation {
    /// Opens a channel: picks a stream id of our parity unless `p.id` is given (negotiated
    /// channels must give one). Queued until connected; the DATA_CHANNEL_OPEN leaves on connect.
    package func openChannel(_ p: DataChannelParameters) throws(SCTPError) -> UInt16 {
        guard state != .closed else { throw .invalidState }
        if p.maxRetransmits != nil && p.maxPacketLifeTime != nil {
            throw .invalidParameters("both maxRetransmits and maxPacketLifeTime")
        }
        if p.label.utf8.count > 65_535 { throw .invalidParameters("label longer than 65535 bytes") }
        if p.protocol.utf8.count > 65_535 { throw .invalidParameters("protocol longer than 65535 bytes") }
        let id: UInt16
        if let wanted = p.id {
            guard Int(wanted) < Int(SCTPTuning.streams) else { throw .invalidParameters("id \(wanted) out of range") }
            guard channels[wanted] == nil else { throw .invalidParameters("id \(wanted) in use") }
            id = wanted
        } else if p.negotiated {
            throw .invalidParameters("negotiated channel without id")
        } else {
            // RFC 8832 §6: the DTLS client uses even stream ids, the server odd ones.
            var candidate: UInt16 = isDTLSClient ? 0 : 1
            while Int(candidate) < min(outboundStreams, Int(SCTPTuning.streams)),
                  channels[candidate] != nil || resetsWanted.contains(candidate) {
                candidate += 2
            }
            guard Int(candidate) < min(outboundStreams, Int(SCTPTuning.streams)) else { throw .noAvailableStreamIDs }
            id = candidate
        }
        var params = p
        params.id = id
        let channel = Channel(id: id, parameters: params, origin: p.negotiated ? .negotiated : .local)
        channels[id] = channel
        if p.negotiated {
            if state == .connected { announceOpen(channel) }
        } else {
            enqueue(OutgoingMessage(bytes: DCEPMessage.open(DCEPOpen(parameters: params)).encode(), ppid: .dcep,
                                    countsAsUserBytes: false, unordered: false, prPolicy: 0, prValue: 0), on: channel)
        }
        feedAndDrain()
        return id
    }

    /// Queues a message (PPID 51/53; empty messages as 56/57 with one zero byte, RFC 8831 §6.6).
    /// Never blocks; usrsctp takes it as its buffer allows.
    package func send(_ m: DataChannelMessage, on id: UInt16) throws(SCTPError) {
        guard state != .closed else { throw .invalidState }
        guard let channel = channels[id], !channel.closing else { throw .invalidState }
        let count = m.byteCount
        if maxMessageSize > 0 && UInt64(count) > maxMessageSize { throw .tooLarge }
        let bytes: [UInt8], ppid: PPID
        switch m {
        case .text(let s): (bytes, ppid) = count == 0 ? ([0], .stringEmpty) : (Array(s.utf8), .string)
        case .binary(let b): (bytes, ppid) = count == 0 ? ([0], .binaryEmpty) : (b, .binary)
        }
        let pr = channel.partialReliability
        // RFC 8832 §6: until the ACK arrives, send ordered so data cannot overtake the OPEN.
        let unordered = !channel.parameters.ordered && channel.acked
        enqueue(OutgoingMessage(bytes: bytes, ppid: ppid, countsAsUserBytes: count > 0, unordered: unordered,
                                prPolicy: pr.policy, prValue: pr.value), on: channel)
        channel.lastAmount = channel.bufferedAmount(freed: freedTotal)
        feedAndDrain()
    }

    /// User payload bytes sent on `id` that have not yet left usrsctp (queued here, or held by
    /// usrsctp until acknowledged or abandoned).
    package func bufferedAmount(of id: UInt16) -> Int {
        channels[id]?.bufferedAmount(freed: freedTotal) ?? 0
    }

    /// `bufferedAmountLow` fires when the buffered amount goes from above `n` to `n` or below.
    package func setBufferedAmountLowThreshold(_ n: Int, on id: UInt16) {
        channels[id]?.lowThreshold = max(0, n)
    }

    /// Closes a channel (RFC 8831 §6.7): once its queued data is handed to usrsctp, its outgoing
    /// stream is reset; the peer resets its own, and `channelClosed` follows.
    package func closeChannel(_ id: UInt16) {
        guard let channel = channels[id], !channel.closing else { return }
        channel.closing = true
        if state != .connected {
            // Nothing reached the peer yet: forget it.
            channels[id] = nil
            emit(.channelClosed(id: id))
            return
        }
        feedAndDrain()
    }

    func enqueue(_ m: OutgoingMessage, on channel: Channel) {
        let wasEmpty = channel.queue.isEmpty
        if m.countsAsUserBytes { channel.queuedUserBytes += m.bytes.count }
        if m.ppid == .dcep, channel.origin == .remote {
            // The ACK goes first (nothing of ours precedes it on this stream).
            channel.queue.prepend(m)
        } else {
            channel.queue.append(m)
        }
        if wasEmpty && partialChannel != channel.id { sendOrder.append(channel.id) }
    }

    func feedAndDrain() {
        guard registered else { return }
        stack.withLock {
            feedLocked()
            requestResetsLocked()
            moveTransmitsLocked()
        }
        drain()
    }

    /// Applies what usrsctp's send callback and SENDER_DRY told us about its send buffer. Must run
    /// (under the lock) before we hand usrsctp more data, so that the numbers are current.
    func applySendBufferInfoLocked() {
        guard registered, let inbox = stack.inboxLocked(assocID) else { return }
        if let free = inbox.sendBufferFree {
            let held = UInt64(max(0, sendBufferSize - Int(free)))
            let freed = handedTotal >= held ? handedTotal - held : 0
            freedTotal = max(freedTotal, freed)
            inbox.sendBufferFree = nil
        }
        if inbox.senderDry {
            // Recorded when it happened, so it cannot wipe out data handed after it.
            freedTotal = handedTotal
            inbox.senderDry = false
        }
    }

    /// Hands queued messages to usrsctp until it stops taking them. A message usrsctp took only
    /// part of is finished before any other (explicit EOR mode: SCTP_EOR marks the last piece).
    func feedLocked() {
        guard registered, state == .connected, !quiet, let sock = socket else { return }
        applySendBufferInfoLocked()
        while true {
            let id: UInt16
            if let p = partialChannel { id = p } else if let next = sendOrder.popFirst() { id = next } else { break }
            guard let channel = channels[id], var m = channel.queue.first else {
                if partialChannel == id { partialChannel = nil }
                continue
            }
            var spa = sctp_sendv_spa()
            spa.sendv_flags = UInt32(SCTP_SEND_SNDINFO_VALID)
            spa.sendv_sndinfo.snd_sid = id
            spa.sendv_sndinfo.snd_ppid = m.ppid.rawValue.bigEndian
            spa.sendv_sndinfo.snd_flags = UInt16(SCTP_EOR) | (m.unordered ? UInt16(SCTP_UNORDERED) : 0)
            if m.prPolicy != 0 {
                spa.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
                spa.sendv_prinfo.pr_policy = m.prPolicy
                spa.sendv_prinfo.pr_value = m.prValue
            }
            let offset = m.offset, length = m.remaining
            let n = m.bytes.withUnsafeBytes { raw in
                usrsctp_sendv(sock, raw.baseAddress.map { $0 + offset }, length, nil, 0, &spa,
                              socklen_t(MemoryLayout<sctp_sendv_spa>.size), UInt32(SCTP_SENDV_SPA), 0)
            }
            lastSendResult = (n, n < 0 ? errno : 0)
            if n < 0 {
                let e = errno
                if e == EWOULDBLOCK || e == EAGAIN || e == ENOBUFS {
                    // Buffer full: resume this channel first next time.
                    if partialChannel == nil { sendOrder.prepend(id) }
                    break
                }
                // A stream being reset, or beyond the peer's stream count: drop this message.
                drops.drop("sctp.sendError.\(e)")
                popFront(channel, unsentUserBytes: m.countsAsUserBytes ? m.remaining : 0)
                continue
            }
            let taken = n
            handedTotal += UInt64(taken)
            if m.countsAsUserBytes && taken > 0 {
                channel.handed.append((end: handedTotal, length: taken))
                channel.handedUserBytes += taken
                channel.queuedUserBytes -= taken
            }
            m.offset += taken
            if m.remaining == 0 {
                popFront(channel, unsentUserBytes: 0)
                continue
            }
            channel.queue.modifyFirst { $0.offset = m.offset }
            partialChannel = id
            if taken == 0 { break }
            // usrsctp took part: its buffer is full now.
            break
        }
    }

    /// Removes a channel's front message and rotates the channel to the back of the send order.
    private func popFront(_ channel: Channel, unsentUserBytes: Int) {
        channel.queue.popFirst()
        channel.queuedUserBytes -= unsentUserBytes
        if partialChannel == channel.id { partialChannel = nil }
        if !channel.queue.isEmpty {
            sendOrder.append(channel.id)
        } else if channel.closing && !channel.outgoingResetRequested {
            resetsWanted.insert(channel.id)
        }
    }

    /// Asks usrsctp to reset the outgoing streams of closing channels whose queues are empty
    /// (RFC 8831 §6.7, RFC 6525). usrsctp refuses the whole request (EINVAL) if one id is at or
    /// above the negotiated outbound stream count, so such ids are never requested: nothing was
    /// ever sent on them, and their channels are closed locally at once. Only one reset request
    /// can be outstanding; other refusals are retried with exponential backoff, and given up
    /// after `maxResetAttempts` (see `deferResetsAfterFailure`).
    func requestResetsLocked() {
        guard registered, state == .connected, !quiet, let sock = socket, resetRetryAfter == nil else { return }
        for c in channels.values where c.closing && !c.outgoingResetRequested && c.queue.isEmpty && partialChannel != c.id {
            resetsWanted.insert(c.id)
        }
        for id in resetsWanted where Int(id) >= outboundStreams {
            resetsWanted.remove(id)
            drops.drop(SCTPAssociation.resetInvalidStream)
            closeLocally(id)
        }
        guard !resetsWanted.isEmpty else { return }
        let ids = resetsWanted.sorted()
        // struct sctp_reset_streams ends in a flexible array: assoc id (4), flags (2), count (2), ids.
        var raw = [UInt8](repeating: 0, count: 8 + 2 * ids.count)
        raw.withUnsafeMutableBytes { buf in
            buf.storeBytes(of: UInt16(SCTP_STREAM_RESET_OUTGOING), toByteOffset: 4, as: UInt16.self)
            buf.storeBytes(of: UInt16(ids.count), toByteOffset: 6, as: UInt16.self)
            for (i, id) in ids.enumerated() { buf.storeBytes(of: id, toByteOffset: 8 + 2 * i, as: UInt16.self) }
        }
        let rc = raw.withUnsafeBytes {
            usrsctp_setsockopt(sock, Int32(IPPROTO_SCTP), SCTP_RESET_STREAMS, $0.baseAddress, socklen_t($0.count))
        }
        if rc == 0 {
            for id in ids { channels[id]?.outgoingResetRequested = true }
            resetsWanted = []
        } else {
            drops.drop("sctp.resetDeferred")
            deferResetsAfterFailure()
        }
    }

    /// Drop reason: a stream reset wanted for an id at or above the negotiated outbound stream count.
    static let resetInvalidStream = "sctp.resetInvalidStream"
    /// Drop reason: stream resets abandoned after `maxResetAttempts` failures.
    static let resetGaveUp = "sctp.resetGaveUp"
    /// Failed reset attempts before giving up: with the delay doubling from 10 ms up to 1.28 s,
    /// about 6 s in all — far beyond one reset round trip, short of leaving a channel hanging.
    static let maxResetAttempts = 10

    /// Schedules the next reset attempt after a failure, `busyTickInterval` × 2^(attempts − 1)
    /// capped at 128 ×, or gives up after `maxResetAttempts`: the channels concerned are closed
    /// locally (`channelClosed`), so a later close is not stuck behind them.
    func deferResetsAfterFailure() {
        resetAttempts += 1
        if resetAttempts > Self.maxResetAttempts {
            resetAttempts = 0
            resetRetryAfter = nil
            let stuck = resetsWanted.union(channels.values.filter { $0.closing && !$0.outgoingResetDone }.map(\.id))
            resetsWanted = []
            for id in stuck.sorted() {
                drops.drop(Self.resetGaveUp)
                closeLocally(id)
            }
            return
        }
        let delay = SCTPAssociation.busyTickInterval * (1 << min(resetAttempts - 1, 7))
        resetRetryAfter = lastNow.map { $0 + delay }
    }

    /// Forgets a channel without completing the stream reset and reports it closed.
    func closeLocally(_ id: UInt16) {
        reassembly[id] = nil
        guard let c = channels.removeValue(forKey: id) else { return }
        if partialChannel == id { partialChannel = nil }
        c.queue.removeAll()
        c.queuedUserBytes = 0
        emit(.channelClosed(id: id))
    }

    /// Fires `bufferedAmountLow` for channels whose amount crossed down through their threshold.
    func checkBufferedAmounts() {
        for c in channels.values {
            let amount = c.bufferedAmount(freed: freedTotal)
            if c.lastAmount > c.lowThreshold && amount <= c.lowThreshold { emit(.bufferedAmountLow(id: c.id)) }
            c.lastAmount = amount
        }
    }
}
