import WebRTC
import WebRTCTesting
import XCTest

/// Connect/close cycles leave no sockets behind (TESTING.md B.17).
final class TeardownTests: XCTestCase {
    private func openFileCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    func testSequentialConnectCloseCyclesKeepFdCountStable() async throws {
        // Warm up once (event loop threads, caches), then measure.
        try await PeerConnectionPair.connected().close()
        try await Task.sleep(for: .milliseconds(100))
        let before = openFileCount()
        for _ in 0..<50 {
            let pair = try await PeerConnectionPair.connected()
            try pair.offererChannel.send("bye")
            pair.close()
        }
        try await Task.sleep(for: .milliseconds(300))
        let after = openFileCount()
        XCTAssertLessThanOrEqual(after, before + 2, "fds before \(before), after \(after)")
    }

    func testConcurrentConnections() async throws {
        let pairs = try await withThrowingTaskGroup(of: PeerConnectionPair.self) { group in
            for i in 0..<20 { group.addTask { try await PeerConnectionPair.connected(label: "c\(i)") } }
            var all: [PeerConnectionPair] = []
            for try await p in group { all.append(p) }
            return all
        }
        XCTAssertEqual(pairs.count, 20)
        for p in pairs { XCTAssertEqual(p.offererChannel.readyState, .open); p.close() }
    }
}
