import Testing
import WebRTCCore
@testable import WebRTCDTLS

@Suite struct DTLSFingerprintTests {
    enum Checker: Sendable, CaseIterable { case client, server }

    /// One side is given a wrong fingerprint for its peer. The side that checks fails with
    /// `.fingerprintMismatch` inside the handshake. Its bad_certificate alert goes out in epoch 0
    /// (plaintext, so it could be spoofed): the other side drops it and fails only at the
    /// handshake give-up time.
    @Test(arguments: Checker.allCases)
    func mismatchFailsBothSides(checker: Checker) throws {
        let cc = try DTLSCertificate.generate()
        let sc = try DTLSCertificate.generate()
        let stranger = try DTLSCertificate.generate()
        let client = try DTLSEngine(role: .client, certificate: cc,
                                    remoteFingerprints: fingerprints(of: checker == .client ? stranger : sc), retransmitMode: .replay)
        let server = try DTLSEngine(role: .server, certificate: sc,
                                    remoteFingerprints: fingerprints(of: checker == .server ? stranger : cc), retransmitMode: .replay)
        let pipe = DTLSPipe(a: client, b: server)
        pipe.startBoth()
        pipe.run(for: .seconds(40), until: DTLSPipe.bothSettled)
        // The other side may try to push data the moment it thinks it is connected: it must not arrive.
        if client.state == .connected { try? client.send([1]) }
        if server.state == .connected { try? server.send([1]) }
        pipe.run(for: .seconds(1)) { _ in false }

        let (checking, other, checkingEvents, otherEvents) = checker == .client
            ? (client, server, pipe.eventsA, pipe.eventsB) : (server, client, pipe.eventsB, pipe.eventsA)
        #expect(checking.state == .failed)
        #expect(other.state == .failed)
        #expect(checkingEvents.contains { if case .failed(.fingerprintMismatch) = $0 { true } else { false } })
        #expect(checkingEvents.contains { if case .alertSent(42, fatal: true) = $0 { true } else { false } })
        #expect(otherEvents.contains { if case .failed(.handshakeTimeout) = $0 { true } else { false } })
        #expect(other.drops[DTLSEngine.unauthenticatedAlert] >= 1)
        for events in [checkingEvents, otherEvents] {
            #expect(!events.contains { if case .applicationData = $0 { true } else { false } })
            #expect(!events.contains { if case .connected = $0 { true } else { false } })
        }
        for engine in [client, server] {
            #expect(engine.exportSRTPKeyingMaterial() == nil)
            #expect(throws: DTLSError.self) { try engine.send([1, 2, 3]) }
            #expect(engine.nextDeadline() == nil)
        }
        #expect(checking.remoteCertificateDER == nil)
    }

    static let spellings: [(String, @Sendable (String) -> String)] = [
        ("sha-256", { $0 }),
        ("sha-256", { $0.lowercased() }),
        ("SHA-256", { s in String(s.enumerated().map { $0.offset % 3 == 0 ? Character($0.element.lowercased()) : $0.element }) }),
        ("sha-384", { $0.lowercased() }),
        ("sha-512", { $0 }),
        ("sha-1", { $0 }),
    ]

    @Test(arguments: 0..<spellings.count)
    func acceptedSpellings(index: Int) throws {
        let (algorithm, spell) = Self.spellings[index]
        let cc = try DTLSCertificate.generate()
        let sc = try DTLSCertificate.generate()
        let value = try #require(sc.fingerprint(algorithm: algorithm.lowercased()))
        let client = try DTLSEngine(role: .client, certificate: cc,
                                    remoteFingerprints: [DTLSFingerprint(algorithm: algorithm, value: spell(value))])
        let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc, "sha-512"))
        let pipe = DTLSPipe(a: client, b: server)
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
    }

    /// Several fingerprints of the strongest algorithm offered (RFC 8122 §5: only that one
    /// counts), one of them right; weaker ones are not consulted.
    @Test func severalFingerprintsOneMatching() throws {
        let cc = try DTLSCertificate.generate()
        let sc = try DTLSCertificate.generate()
        let stranger = try DTLSCertificate.generate()
        let remote = fingerprints(of: stranger) + fingerprints(of: stranger, "sha-384")
            + [DTLSFingerprint(algorithm: "md5", value: "00:11")]  // unsupported hash: ignored
            + fingerprints(of: sc, "sha-384")
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: remote)
        let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc))
        let pipe = DTLSPipe(a: client, b: server)
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
    }

    @Test func unusableFingerprintsAreRejectedUpFront() throws {
        let cc = try DTLSCertificate.generate()
        #expect(throws: DTLSError.self) { try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: []) }
        #expect(throws: DTLSError.self) {
            try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: [DTLSFingerprint(algorithm: "sha-256", value: "ZZ:01")])
        }
        #expect(throws: DTLSError.self) {
            try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: [DTLSFingerprint(algorithm: "md5", value: "AB:01")])
        }
    }

    @Test func fingerprintFormat() throws {
        let c = try DTLSCertificate.generate()
        let expectedLengths = ["sha-1": 20, "sha-224": 28, "sha-256": 32, "sha-384": 48, "sha-512": 64]
        for (algorithm, bytes) in expectedLengths {
            let fp = try #require(c.fingerprint(algorithm: algorithm))
            #expect(fp.count == bytes * 3 - 1)
            #expect(fp == fp.uppercased())
            #expect(DTLSFingerprint(algorithm: algorithm, value: fp).digestBytes?.count == bytes)
        }
        #expect(c.fingerprint(algorithm: "md5") == nil)
        #expect(c.fingerprint() == c.fingerprint(algorithm: "sha-256"))
    }
}
