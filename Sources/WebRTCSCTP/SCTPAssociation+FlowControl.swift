#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWebRTCUsrsctp
import WebRTCCore

// ReceiveFlowControl — how a peer is held back when our owner does not read.
//
// usrsctp's receive callback is push-only: it hands over every message as soon as it is complete
// and frees its space in the socket's receive buffer, so the advertised window (rwnd) never closes
// and a peer could make us buffer without bound. Each delivered message is counted (payload
// bytes, per channel) until the owner consumes it (`consumed(bytes:on:)`, or `pollEvent` when
// `reportsConsumption` is false). Once the count reaches `receiveBudget`, the association removes
// its receive callback (`register_recv_cb(sock, NULL)`): usrsctp then keeps arriving data in the
// socket's receive buffer (SO_RCVBUF, `SCTPTuning.receiveBufferBytes`), its rwnd shrinks to zero
// and the sender stops (RFC 9260 §6.2). When consumption frees budget, we read with
// non-blocking `usrsctp_recvv` only while budget remains; once the socket is empty the callback
// is put back. Reading frees buffer space, and usrsctp announces the reopened window itself.
//
// Why not drop the callback for good and always read (upcall + recvv): usrsctp 0.9.5 calls the
// send-space callback, which `SendAccounting` depends on, only on sockets that have a receive
// callback (sctp_indata.c). So the callback is removed only while the budget is spent; during
// that time a SENDER_DRY notification is read late and is trusted only if usrsctp confirms that
// it holds nothing (SCTP_GET_SNDBUF_USE), and bufferedAmount catches up at the next SACK after
// reading resumes.
//
// Worst case we hold `receiveBudget` plus what one usrsctp call can deliver after the budget is
// crossed (at most the receive buffer, i.e. one rwnd) plus one partly reassembled message.

extension SCTPAssociation {
    /// Reports that the owner consumed `bytes` of messages delivered on channel `id` (with
    /// `reportsConsumption`), counted as `DataChannelMessage.byteCount`. Frees receive budget; reading from usrsctp resumes if it had
    /// stopped. Bytes beyond what is outstanding on `id` are ignored, so `Int.max` releases a
    /// channel's whole share (e.g. when the owner discards a closed channel's unread messages).
    package func consumed(bytes: Int, on id: UInt16) {
        release(bytes, on: id)
        if receivePaused, registered, unconsumedBytes < receiveBudget { drain() }
    }

    /// Delivered-but-unconsumed bytes on channel `id`.
    package func unconsumedBytes(on id: UInt16) -> Int { unconsumedByChannel[id] ?? 0 }

    /// Whether reading from usrsctp is stopped because the receive budget is spent.
    package var isReceivePaused: Bool { receivePaused }

    func noteDelivered(_ bytes: Int, on id: UInt16) {
        guard bytes > 0 else { return }
        unconsumedBytes += bytes
        unconsumedByChannel[id, default: 0] += bytes
    }

    func release(_ bytes: Int, on id: UInt16) {
        guard bytes > 0, let outstanding = unconsumedByChannel[id] else { return }
        let n = min(bytes, outstanding)
        unconsumedByChannel[id] = outstanding == n ? nil : outstanding - n
        unconsumedBytes -= n
    }

    /// Removes the receive callback once the budget is spent. Call with the stack lock held,
    /// before usrsctp is given any more input.
    func pauseReceiveIfSpentLocked() {
        guard registered, !receivePaused, unconsumedBytes >= receiveBudget, let sock = socket else { return }
        _ = register_recv_cb(sock, nil)
        receivePaused = true
    }

    /// While paused: reads from the socket into `inbox` while budget remains. When the socket is
    /// empty, puts the receive callback back and un-pauses. Returns whether reading stopped only
    /// because of this round's cap (the caller should come back after processing what was read).
    /// Call with the stack lock held.
    func readSocketLocked(into inbox: SCTPInbox) -> Bool {
        guard registered, receivePaused, let sock = socket else { return false }
        var room = receiveBudget - unconsumedBytes
        guard room > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while room > 0 {
            var info = sctp_rcvinfo()
            var infoLength = socklen_t(MemoryLayout<sctp_rcvinfo>.size)
            var infoType: UInt32 = 0
            var flags: Int32 = 0
            var from = sockaddr_conn()
            var fromLength = socklen_t(MemoryLayout<sockaddr_conn>.size)
            let n = buffer.withUnsafeMutableBytes { buf in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addr in
                        usrsctp_recvv(sock, buf.baseAddress, buf.count, addr, &fromLength, &info, &infoLength, &infoType, &flags)
                    }
                }
            }
            if n < 0 {
                // EWOULDBLOCK: nothing left; any other error (the association is gone) also ends
                // reading, and its notification has already been read or arrives by callback.
                _ = register_recv_cb(sock, SCTPStack.receiveCallback)
                receivePaused = false
                return false
            }
            if n == 0 && flags == 0 { return false }   // end of stream: nothing more will come
            let bytes = Array(buffer[0..<n])
            if flags & Int32(MSG_NOTIFICATION) != 0 {
                if n >= 2, bytes.withUnsafeBytes({ $0.loadUnaligned(as: UInt16.self) }) == UInt16(SCTP_SENDER_DRY_EVENT),
                   sendBufferEmptyLocked(sock) {
                    inbox.senderDry = true
                }
                inbox.received.append(.notification(bytes))
                continue
            }
            guard infoType == UInt32(SCTP_RECVV_RCVINFO) else { drops.drop("sctp.recvWithoutInfo"); continue }
            inbox.received.append(.data(bytes, stream: info.rcv_sid, ppid: UInt32(bigEndian: info.rcv_ppid),
                                        endOfRecord: flags & Int32(MSG_EOR) != 0,
                                        unordered: info.rcv_flags & UInt16(SCTP_UNORDERED) != 0))
            room -= n
        }
        return true
    }

    /// Whether usrsctp holds none of our outgoing data right now (a SENDER_DRY read late is
    /// applied only then). Call with the stack lock held.
    private func sendBufferEmptyLocked(_ sock: OpaquePointer) -> Bool {
        // struct sctp_sockstat: assoc id, total send buffer use, total receive buffer use (u32 each).
        var stat = [UInt32](repeating: 0, count: 3)
        var length = socklen_t(12)
        let rc = stat.withUnsafeMutableBytes {
            usrsctp_getsockopt(sock, Int32(IPPROTO_SCTP), SCTP_GET_SNDBUF_USE, $0.baseAddress, &length)
        }
        return rc == 0 && stat[1] == 0
    }
}
