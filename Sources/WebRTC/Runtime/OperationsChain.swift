import NIOCore
import WebRTCCore
import WebRTCEngine

/// webrtc-pc §4.4.1.2 "chain an operation": signaling operations run one after another in the
/// order they were called, whatever task (or callback) made the call.
///
/// Every engine operation is synchronous on the connection's executor, so the chain is the
/// executor's own queue: an operation is enqueued at the moment of the call (before the caller
/// suspends) and runs when every earlier one has finished.
extension PeerConnectionDriver {
    /// Enqueues `operation`; `completion` runs on the executor with its result.
    nonisolated func chain<T: Sendable>(_ operation: @escaping @Sendable (isolated PeerConnectionDriver) throws(RTCError) -> T,
                                        completion: @escaping @Sendable (Result<T, RTCError>) -> Void) {
        eventLoop.execute { [self] in
            assumeIsolated { driver in
                let result: Result<T, RTCError>
                do throws(RTCError) { result = .success(try operation(driver)) } catch { result = .failure(error) }
                completion(result)
            }
        }
    }

    /// Enqueues `operation` in call order and waits for its result.
    nonisolated(nonsending) func chained<T: Sendable>(_ operation: @escaping @Sendable (isolated PeerConnectionDriver) throws(RTCError) -> T) async throws(RTCError) -> T {
        let result: Result<T, RTCError> = await withCheckedContinuation { continuation in
            chain(operation) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// An engine command as a chained operation (then the output is flushed).
    nonisolated(nonsending) func chainedEngine<T: Sendable>(_ body: @escaping @Sendable (PeerConnectionEngine, Instant) throws(EngineError) -> T) async throws(RTCError) -> T {
        try await chained { (driver: isolated PeerConnectionDriver) throws(RTCError) -> T in try driver.run(body) }
    }
}
