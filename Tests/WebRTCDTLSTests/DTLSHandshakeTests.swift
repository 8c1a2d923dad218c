import Testing
import WebRTCCore
@testable import WebRTCDTLS

@Suite struct DTLSHandshakeTests {
    @Test(arguments: [
        (DTLSCertificate.KeyType.ecdsaP256, DTLSCertificate.KeyType.ecdsaP256),
        (.rsa2048, .rsa2048),
        (.ecdsaP256, .rsa2048),
        (.rsa2048, .ecdsaP256),
    ])
    func handshakeAndDataBothWays(clientKey: DTLSCertificate.KeyType, serverKey: DTLSCertificate.KeyType) throws {
        let (pipe, cc, sc) = try makePair(clientKey: clientKey, serverKey: serverKey)
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        let client = pipe.a, server = pipe.b

        #expect(client.srtpProfile == .aeadAes128Gcm)
        #expect(server.srtpProfile == client.srtpProfile)
        let ck = client.exportSRTPKeyingMaterial(), sk = server.exportSRTPKeyingMaterial()
        #expect(ck != nil && ck == sk)
        #expect(ck?.count == SRTPProtectionProfile.aeadAes128Gcm.keyingMaterialLength)
        #expect(client.cipherName == server.cipherName)
        #expect(client.cipherName?.contains("GCM") == true)
        #expect(client.cipherName?.contains(serverKey == .rsa2048 ? "RSA" : "ECDSA") == true)
        #expect(client.remoteCertificateDER == sc.derBytes)
        #expect(server.remoteCertificateDER == cc.derBytes)
        #expect(pipe.eventsA.contains { if case .connected = $0 { true } else { false } })

        let big = (0..<1200).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try client.send([1, 2, 3])
        try client.send(big)
        try server.send([9])
        try server.send(big)
        pipe.run(for: .seconds(1)) { p in p.applicationData(\.eventsB).count == 2 && p.applicationData(\.eventsA).count == 2 }
        #expect(pipe.applicationData(\.eventsB) == [[1, 2, 3], big])
        #expect(pipe.applicationData(\.eventsA) == [[9], big])
    }

    @Test func handshakeDatagramsRespectMTU() throws {
        let cc = try DTLSCertificate.generate(.rsa2048)
        let sc = try DTLSCertificate.generate(.rsa2048)
        let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: fingerprints(of: sc), mtu: 600)
        let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc), mtu: 600)
        client.start(now: .zero)
        server.start(now: .zero)
        var sizes: [Int] = []
        for _ in 0..<10 {
            while let d = client.pollTransmit() { sizes.append(d.count); server.handleDatagram(d, now: .zero) }
            while let d = server.pollTransmit() { sizes.append(d.count); client.handleDatagram(d, now: .zero) }
        }
        #expect(client.state == .connected && server.state == .connected)
        #expect(sizes.count > 4)  // RSA certificate flight had to be fragmented
        #expect(sizes.allSatisfy { $0 <= 600 })
    }

    @Test func closeNotifyReachesPeer() throws {
        let (pipe, _, _) = try makePair()
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        pipe.a.close(now: pipe.now)
        #expect(pipe.a.state == .closed)
        #expect(throws: DTLSError.closed) { try pipe.a.send([1]) }
        pipe.run(for: .seconds(1)) { $0.b.state == .closed }
        #expect(pipe.b.state == .closed)
        #expect(pipe.eventsB.contains { if case .closed = $0 { true } else { false } })
        #expect(pipe.eventsB.contains { if case .alertReceived(0, fatal: false) = $0 { true } else { false } })
    }

    @Test func sendBeforeConnectedThrows() throws {
        let (pipe, _, _) = try makePair()
        #expect(throws: DTLSError.self) { try pipe.a.send([1]) }
        #expect(pipe.a.exportSRTPKeyingMaterial() == nil)
    }

    @Test func serverBuffersClientHelloBeforeStart() throws {
        let (pipe, _, _) = try makePair()
        pipe.a.start(now: .zero)
        while let d = pipe.a.pollTransmit() { pipe.b.handleDatagram(d, now: .zero) }
        #expect(pipe.b.queuedDatagramCount == 1)
        pipe.b.start(now: .zero)
        #expect(pipe.b.queuedDatagramCount == 0)
        pipe.pump()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
    }
}

@Suite struct DTLSBulkTests {
    /// 5,000 records of 1,100 bytes one way: all arrive, in order, intact (and a throughput print).
    @Test func bulkRecordsArriveInOrder() throws {
        let (pipe, _, _) = try makePair()
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
        let client = pipe.a, server = pipe.b
        while server.pollEvent() != nil {}
        var payload = [UInt8](repeating: 0xAB, count: 1100)
        let clock = ContinuousClock()
        var received = 0
        var inOrder = true
        let elapsed = try clock.measure {
            for i in 0..<5000 {
                payload[0] = UInt8(truncatingIfNeeded: i)
                try client.send(payload)
                while let d = client.pollTransmit() { server.handleDatagram(d, now: pipe.now) }
                while let e = server.pollEvent() {
                    if case .applicationData(let d) = e {
                        inOrder = inOrder && d.count == 1100 && d[0] == UInt8(truncatingIfNeeded: received)
                        received += 1
                    }
                }
            }
        }
        print("5000 × 1100 B through DTLS (encrypt + decrypt) in \(elapsed)")
        #expect(received == 5000)
        #expect(inOrder)
    }
}

@Suite struct DTLSEarlyDataTests {
    /// The server finishes first and sends data at once; that datagram overtakes the server's
    /// final flight. The client keeps it and delivers it right after `.connected`.
    @Test func dataOvertakingTheFinalFlightIsKept() throws {
        let (pipe, _, _) = try makePair()
        let client = pipe.a, server = pipe.b
        client.start(now: .zero)
        server.start(now: .zero)
        for _ in 0..<3 {
            while let d = client.pollTransmit() { server.handleDatagram(d, now: .zero) }
            if server.state == .connected { break }
            while let d = server.pollTransmit() { client.handleDatagram(d, now: .zero) }
        }
        #expect(server.state == .connected)
        #expect(client.state == .connecting)
        var finalFlight: [[UInt8]] = []
        while let d = server.pollTransmit() { finalFlight.append(d) }
        try server.send([7, 7, 7])
        let data = try #require(server.pollTransmit())
        client.handleDatagram(data, now: .zero)
        #expect(client.state == .connecting)
        for d in finalFlight { client.handleDatagram(d, now: .zero) }
        var events: [DTLSEvent] = []
        while let e = client.pollEvent() { events.append(e) }
        #expect(client.state == .connected)
        guard events.count == 2 else { Issue.record("events \(events)"); return }
        if case .connected = events[0] {} else { Issue.record("first event \(events[0])") }
        if case .applicationData(let d) = events[1] { #expect(d == [7, 7, 7]) } else { Issue.record("second event \(events[1])") }
    }
}
