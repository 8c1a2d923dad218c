import WebRTC
import WebRTCTesting
import XCTest

/// Asserts that `body` throws an `RTCError` named `name` and returns it.
@discardableResult
func assertRTCError(_ name: RTCError.Name, file: StaticString = #filePath, line: UInt = #line,
                    _ body: () async throws -> Void) async -> RTCError? {
    do {
        try await body()
        XCTFail("expected \(name), nothing was thrown", file: file, line: line)
    } catch let e as RTCError {
        XCTAssertEqual(e.name, name, "\(e)", file: file, line: line)
        return e
    } catch {
        XCTFail("expected RTCError \(name), got \(error)", file: file, line: line)
    }
    return nil
}

/// Collects values from a handler-style event into an array readable from the test.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func record(_ t: T) { lock.lock(); items.append(t); lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

func loopbackPC() throws -> RTCPeerConnection {
    try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
}

/// An offer with a data section from a throwaway connection.
func makeRemoteOffer() async throws -> RTCSessionDescription {
    let other = try loopbackPC()
    _ = try other.createDataChannel("x")
    let offer = try await other.createOffer()
    other.close()
    return offer
}
