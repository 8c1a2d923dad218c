import Synchronization

/// One W3C event, delivered both to a handler property and to every `AsyncStream` subscription
/// (each read of `stream` is a new listener, like another `addEventListener`).
///
/// Events emitted before anyone listens are kept (up to `bufferLimit`) and handed to the first
/// handler or stream consumer, so an event fired during a call — `negotiationneeded` from
/// `createDataChannel`, a message right after `open` — is never lost to a listener attached just
/// after. Handlers run on the connection's executor, like a JavaScript event dispatch.
final class EventChannel<Value: Sendable>: Sendable {
    private struct State {
        var handler: (@Sendable (Value) -> Void)?
        var subscribers: [Int: AsyncStream<Value>.Continuation] = [:]
        var nextSubscriber = 0
        var pending: [Value] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let bufferLimit: Int

    /// `bufferLimit` events are kept for a late first listener; 0 means an event with no
    /// listener is simply not observed (state changes: a handler attached later must not see
    /// transitions that happened before it, as in JavaScript).
    init(bufferLimit: Int = 4096) { self.bufferLimit = bufferLimit }

    /// The handler property; setting it delivers what was buffered.
    var handler: (@Sendable (Value) -> Void)? {
        get { state.withLock { $0.handler } }
        set {
            let backlog: [Value] = state.withLock { s in
                s.handler = newValue
                guard newValue != nil, s.subscribers.isEmpty else { return [] }
                defer { s.pending.removeAll() }
                return s.pending
            }
            if let newValue { for v in backlog { newValue(v) } }
        }
    }

    /// A new subscription; the first listener (stream or handler) also gets what was buffered.
    var stream: AsyncStream<Value> {
        let (stream, continuation) = AsyncStream<Value>.makeStream(bufferingPolicy: .unbounded)
        let id: Int? = state.withLock { s in
            if s.finished {
                continuation.finish()
                return nil
            }
            s.nextSubscriber += 1
            s.subscribers[s.nextSubscriber] = continuation
            if s.handler == nil { for v in s.pending { continuation.yield(v) } }
            s.pending.removeAll()
            return s.nextSubscriber
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Delivers an event to the handler and the stream, or buffers it when neither exists.
    func emit(_ value: Value) {
        let handler: (@Sendable (Value) -> Void)? = state.withLock { s in
            if s.finished { return nil }
            for c in s.subscribers.values { c.yield(value) }
            if s.handler == nil && s.subscribers.isEmpty && s.pending.count < bufferLimit {
                s.pending.append(value)
            }
            return s.handler
        }
        handler?(value)
    }

    /// Forgets events kept for a late first listener (they became stale).
    func clearPending() { state.withLock { $0.pending.removeAll() } }

    /// Ends the stream (after close); later events are dropped and the handler is released (it
    /// often captures the object that owns this channel: keeping it would be a reference cycle).
    func finish() {
        let ended: [AsyncStream<Value>.Continuation] = state.withLock { s in
            s.finished = true
            s.handler = nil
            s.pending.removeAll()
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        // Outside the lock: finishing runs each stream's onTermination, which takes it.
        for c in ended { c.finish() }
    }
}

extension EventChannel where Value == Void {
    /// The handler of an event without a payload, as a `() -> Void` closure.
    var voidHandler: (@Sendable () -> Void)? {
        get {
            guard let h = handler else { return nil }
            return { @Sendable in h(()) }
        }
        set {
            if let f = newValue {
                handler = { @Sendable (_: Void) in f() }
            } else {
                handler = nil
            }
        }
    }
}
