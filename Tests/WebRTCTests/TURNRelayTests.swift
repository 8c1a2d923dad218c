import WebRTC
import WebRTCTestSupport
import WebRTCTesting
import XCTest

/// Two peer connections forced onto TURN relays of a real coturn on 127.0.0.1, over UDP, TCP and
/// TLS between client and server (issue 4 "Done when", through the whole stack).
final class TURNRelayTests: XCTestCase {
    private func relayPair(_ url: (CoturnServer) -> String, tls: Bool) async throws {
        let server = try CoturnServer(tls: tls)
        defer { server.stop() }
        var config = PeerConnectionPair.loopbackConfiguration
        config.iceTransportPolicy = .relay
        config.iceServers = [RTCIceServer(urls: [url(server)], username: server.username, credential: server.password)]
        config.turnTrustedCertificatesPEM = server.certificatePEM
        let pair = try await PeerConnectionPair.connected(label: "relay", offererConfiguration: config,
                                                          answererConfiguration: config, timeout: .seconds(15))
        defer { pair.close() }
        let report = await pair.offerer.getStats()
        let local = report.all(ofType: "local-candidate").first
        XCTAssertEqual(local?.values["candidateType"], .string("relay"))
        var it = pair.answererChannel.messages.makeAsyncIterator()
        try pair.offererChannel.send(Data(repeating: 7, count: 5000))
        let got = await it.next()
        XCTAssertEqual(got, .binary(Data(repeating: 7, count: 5000)))
    }

    func testRelayOverUDP() async throws {
        try await relayPair({ "turn:127.0.0.1:\($0.port)?transport=udp" }, tls: false)
    }

    func testRelayOverTCP() async throws {
        try await relayPair({ "turn:127.0.0.1:\($0.port)?transport=tcp" }, tls: false)
    }

    func testRelayOverTLS() async throws {
        try await relayPair({ "turns:127.0.0.1:\($0.tlsPort ?? 0)?transport=tcp" }, tls: true)
    }
}
