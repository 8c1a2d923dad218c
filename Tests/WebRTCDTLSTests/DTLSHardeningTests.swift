import CWebRTCOpenSSL
import Testing
import WebRTCCore
@testable import WebRTCDTLS

/// Fingerprint algorithm choice, spoofed plaintext alerts and keying-material hygiene.
@Suite struct DTLSHardeningTests {
    /// RFC 8122 §5: a wrong SHA-256 fingerprint is not rescued by a right SHA-1 one.
    @Test func onlyTheStrongestAlgorithmCounts() throws {
        let cc = try DTLSCertificate.generate()
        let sc = try DTLSCertificate.generate()
        let stranger = try DTLSCertificate.generate()
        let offered = fingerprints(of: stranger, "sha-256") + fingerprints(of: sc, "sha-1")
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: offered, retransmitMode: .replay)
        let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc), retransmitMode: .replay)
        let pipe = DTLSPipe(a: client, b: server)
        pipe.startBoth()
        pipe.run(for: .seconds(40), until: DTLSPipe.bothSettled)
        #expect(client.state == .failed)
        #expect(pipe.eventsA.contains { if case .failed(.fingerprintMismatch) = $0 { true } else { false } })
        #expect(client.exportSRTPKeyingMaterial() == nil)
    }

    @Test func strongestRightAndWeakerWrongConnects() throws {
        let cc = try DTLSCertificate.generate()
        let sc = try DTLSCertificate.generate()
        let stranger = try DTLSCertificate.generate()
        let offered = fingerprints(of: stranger, "sha-1") + fingerprints(of: sc, "sha-384") + fingerprints(of: stranger, "sha-256")
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: offered, retransmitMode: .replay)
        let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc), retransmitMode: .replay)
        let pipe = DTLSPipe(a: client, b: server)
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        #expect(DTLSFingerprint.strongest(offered).map(\.algorithm) == ["sha-384"])
        #expect(DTLSFingerprint.strength("MD5")! < DTLSFingerprint.strength("sha-1")!)
    }

    /// A plaintext fatal alert (handshake_failure) that looks like the peer's, epoch 0.
    static func spoofedAlert(sequence: UInt8) -> [UInt8] {
        [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, sequence, 0, 2, 2, 40]
    }

    @Test(arguments: [false, true])
    func spoofedAlertMidHandshakeIsIgnored(toClient: Bool) throws {
        let (pipe, _, _) = try makePair()
        var injected = 0
        pipe.beforeDelivery = { engine, now in
            // Into the chosen side, once, while its handshake runs.
            guard injected == 0, engine === (toClient ? pipe.a : pipe.b), engine.state == .connecting else { return }
            injected += 1
            engine.handleDatagram(Self.spoofedAlert(sequence: 0x63), now: now)
        }
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        #expect(injected == 1)
        let target = toClient ? pipe.a : pipe.b
        #expect(target.drops[DTLSEngine.unauthenticatedAlert] == 1)
        for events in [pipe.eventsA, pipe.eventsB] {
            #expect(!events.contains { if case .failed = $0 { true } else { false } })
            #expect(!events.contains { if case .alertReceived = $0 { true } else { false } })
        }
        try pipe.a.send([1, 2, 3])
        pipe.run(for: .seconds(1)) { _ in false }
        #expect(pipe.applicationData(\.eventsB) == [[1, 2, 3]])
    }

    @Test func keyingMaterialIsExportedOnRequestAndWiped() throws {
        let (pipe, _, _) = try makePair()
        #expect(pipe.a.withSRTPKeyingMaterial { _ in true } == nil, "nothing before the handshake")
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        let profile = try #require(pipe.a.srtpProfile)
        var seenInside = false
        let key = try #require(pipe.a.withSRTPKeyingMaterial { raw -> [UInt8] in
            seenInside = pipe.a.keyingScratchForTesting.contains { $0 != 0 }
            return [UInt8](raw)
        })
        #expect(seenInside)
        #expect(key.count == profile.keyingMaterialLength)
        #expect(key.contains { $0 != 0 })
        #expect(pipe.a.keyingScratchForTesting.allSatisfy { $0 == 0 }, "the export buffer is zeroed after use")
        #expect(pipe.b.exportSRTPKeyingMaterial() == key)
        #expect(pipe.b.keyingScratchForTesting.allSatisfy { $0 == 0 })
    }
}
