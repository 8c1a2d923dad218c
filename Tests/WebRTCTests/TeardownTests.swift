import Synchronization
import WebRTCSCTP
import WebRTCTesting
import XCTest
@testable import WebRTC

/// Connect/close cycles leave no connections, associations or sockets behind (TESTING.md B.17).
final class TeardownTests: XCTestCase {
    private func openFileCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Waits (briefly) until closed connections have been released by their executor.
    private func settle(toConnections target: Int) async throws {
        let deadline = Date().addingTimeInterval(5)
        while (PeerConnectionDriver.liveCount.load(ordering: .relaxed) > target || SCTPAssociation.liveAssociationCount > 0)
                && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func testSequentialConnectCloseCyclesLeaveNothingBehind() async throws {
        try await PeerConnectionPair.connected().close()  // warm up: loop thread, caches
        try await settle(toConnections: 0)
        let fdsBefore = openFileCount()
        let liveBefore = PeerConnectionDriver.liveCount.load(ordering: .relaxed)
        for i in 0..<500 {
            let pair = try await PeerConnectionPair.connected(label: "cycle\(i)")
            try pair.offererChannel.send("bye")
            pair.close()
        }
        try await settle(toConnections: liveBefore)
        XCTAssertEqual(PeerConnectionDriver.liveCount.load(ordering: .relaxed), liveBefore, "live connections")
        XCTAssertEqual(SCTPAssociation.liveAssociationCount, 0, "live SCTP associations")
        let fdsAfter = openFileCount()
        XCTAssertLessThanOrEqual(fdsAfter, fdsBefore + 2, "fds before \(fdsBefore), after \(fdsAfter)")
    }

    func testHundredConcurrentConnections() async throws {
        let liveBefore = PeerConnectionDriver.liveCount.load(ordering: .relaxed)
        let pairs = try await withThrowingTaskGroup(of: PeerConnectionPair.self) { group in
            for i in 0..<100 { group.addTask { try await PeerConnectionPair.connected(label: "c\(i)", timeout: .seconds(30)) } }
            var all: [PeerConnectionPair] = []
            for try await p in group { all.append(p) }
            return all
        }
        XCTAssertEqual(pairs.count, 100)
        for p in pairs { XCTAssertEqual(p.offererChannel.readyState, .open) }
        for p in pairs { p.close() }
        try await settle(toConnections: liveBefore)
        XCTAssertEqual(SCTPAssociation.liveAssociationCount, 0)
    }
}
