import Synchronization
import WebRTCCore

/// The received messages of one data channel, with receive flow control.
///
/// A message counts as read when the `onMessage` handler returned from it or a `messages`
/// iterator took it. Until then it is held here and its bytes stay charged to the connection's
/// receive budget, so an application that does not read makes SCTP stop reading and the remote
/// sender block — memory stays bounded. Reads made off the connection's executor are reported
/// to it in batches (`report`).
final class MessageInbox: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<RTCDataChannelMessage?, Never>
    }

    private struct State {
        var handler: (@Sendable (RTCDataChannelMessage) -> Void)?
        var pending = FIFO<RTCDataChannelMessage>()
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var finished = false
        /// Bytes read off the executor and not yet reported.
        var unreported = 0

        mutating func popFirst() -> RTCDataChannelMessage? { pending.pop() }

        mutating func takeAll() -> [RTCDataChannelMessage] {
            var all: [RTCDataChannelMessage] = []
            while let m = pending.pop() { all.append(m) }
            return all
        }
    }

    private let state = Mutex(State())
    /// Tells the connection's executor that `bytes` were read (called off the executor).
    private let report: @Sendable (Int) -> Void

    init(report: @escaping @Sendable (Int) -> Void) { self.report = report }

    var handler: (@Sendable (RTCDataChannelMessage) -> Void)? {
        get { state.withLock { $0.handler } }
        set {
            let backlog: [RTCDataChannelMessage] = state.withLock { s in
                s.handler = newValue
                guard newValue != nil, s.waiters.isEmpty else { return [] }
                return s.takeAll()
            }
            guard let newValue, !backlog.isEmpty else { return }
            for m in backlog { newValue(m) }
            reportRead(backlog.reduce(0) { $0 + $1.byteCount })
        }
    }

    /// A message arrived (on the executor). Returns the bytes read at once (by the handler or a
    /// waiting iterator); 0 when the message is held for a later reader.
    func deliver(_ message: RTCDataChannelMessage) -> Int {
        enum Route { case handler(@Sendable (RTCDataChannelMessage) -> Void), waiter(CheckedContinuation<RTCDataChannelMessage?, Never>), held, dropped }
        let route: Route = state.withLock { s in
            if s.finished { return .dropped }
            if let h = s.handler { return .handler(h) }
            if !s.waiters.isEmpty { return .waiter(s.waiters.removeFirst().continuation) }
            s.pending.push(message)
            return .held
        }
        switch route {
        case .handler(let h): h(message); return message.byteCount
        case .waiter(let c): c.resume(returning: message); return message.byteCount
        case .held: return 0
        case .dropped: return message.byteCount
        }
    }

    /// The next message for an iterator, waiting for one; nil once the channel is closed and
    /// everything held was read.
    func next() async -> RTCDataChannelMessage? {
        let id: UInt64 = state.withLock { s in s.nextWaiterID += 1; return s.nextWaiterID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<RTCDataChannelMessage?, Never>) in
                enum Outcome { case message(RTCDataChannelMessage), end, wait }
                let outcome: Outcome = state.withLock { s in
                    if let m = s.popFirst() { return .message(m) }
                    if s.finished || Task.isCancelled { return .end }
                    s.waiters.append(Waiter(id: id, continuation: c))
                    return .wait
                }
                switch outcome {
                case .message(let m):
                    c.resume(returning: m)
                    reportRead(m.byteCount)
                case .end:
                    c.resume(returning: nil)
                case .wait:
                    break
                }
            }
        } onCancel: {
            let c: CheckedContinuation<RTCDataChannelMessage?, Never>? = state.withLock { s in
                guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: i).continuation
            }
            c?.resume(returning: nil)
        }
    }

    /// The channel closed: iterators end after what is held; the handler is released.
    func finish() {
        let waiters: [Waiter] = state.withLock { s in
            s.finished = true
            s.handler = nil
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.continuation.resume(returning: nil) }
    }

    /// Drops what is held (connection closed: nobody will read it).
    func discard() {
        finish()
        state.withLock { s in _ = s.takeAll() }
    }

    private func reportRead(_ bytes: Int) {
        guard bytes > 0 else { return }
        let first: Bool = state.withLock { s in
            defer { s.unreported += bytes }
            return s.unreported == 0
        }
        // One report in flight at a time; it collects whatever was read until it runs.
        if first { report(0) }
    }

    /// Bytes read since the last call (the executor's side of `report`).
    func takeUnreported() -> Int {
        state.withLock { s in defer { s.unreported = 0 }; return s.unreported }
    }
}

