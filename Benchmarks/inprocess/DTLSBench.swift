import WebRTCCore
import WebRTCDTLS

/// Two DTLS engines joined in memory and handshaken (ECDSA P-256, as our peer connections use).
struct DTLSPairInMemory {
    let client: DTLSEngine
    let server: DTLSEngine

    init() throws {
        let cc = try DTLSCertificate.generate(.ecdsaP256)
        let sc = try DTLSCertificate.generate(.ecdsaP256)
        func fp(_ c: DTLSCertificate) -> [DTLSFingerprint] {
            [DTLSFingerprint(algorithm: "sha-256", value: c.fingerprint(algorithm: "sha-256") ?? "")]
        }
        client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: fp(sc))
        server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fp(cc))
    }

    /// Runs the handshake with datagrams delivered at once; true when both sides are connected.
    func handshake() -> Bool {
        let now = MonotonicClock.now()
        client.start(now: now)
        server.start(now: now)
        for _ in 0..<100 {
            var moved = false
            while let d = client.pollTransmit() { server.handleDatagram(d, now: now); moved = true }
            while let d = server.pollTransmit() { client.handleDatagram(d, now: now); moved = true }
            while client.pollEvent() != nil {}
            while server.pollEvent() != nil {}
            if client.state == .connected && server.state == .connected { return true }
            if !moved { break }
        }
        return client.state == .connected && server.state == .connected
    }
}

/// Application-data records one way: `send` (SSL_write, encrypt) on the client, the datagram
/// handed to the server (`handleDatagram`, decrypt) and its `applicationData` event drained.
func benchDTLS(options: Options) -> BenchResult {
    var r = BenchResult(name: "dtls-records")
    let size = 1100
    let pair: DTLSPairInMemory
    do { pair = try DTLSPairInMemory() } catch {
        r.notes.append("engines: \(error)")
        return r
    }
    guard pair.handshake() else {
        r.notes.append("handshake did not complete")
        return r
    }
    let payload = [UInt8](repeating: 0x5A, count: size)
    var datagramBytes = 0
    var failures = 0
    let batch = 16
    let now = MonotonicClock.now()
    let (t, received) = timeLoop(batch: batch, minDuration: options.minDuration, warmup: options.warmup) {
        var got = 0
        for _ in 0..<batch {
            do { try pair.client.send(payload) } catch { failures += 1 }
        }
        while let d = pair.client.pollTransmit() {
            datagramBytes = d.count
            pair.server.handleDatagram(d, now: now)
        }
        while let e = pair.server.pollEvent() {
            if case .applicationData(let bytes) = e, bytes.count == size { got += 1 }
        }
        return got
    }
    r.add("record payload", Double(size), "B")
    r.add("datagram", Double(datagramBytes), "B")
    r.add("records", t.perWall, "records/s")
    r.add("throughput", t.perWall * Double(size) / 1e6, "MB/s")
    r.add("records per CPU-s", t.perCPU, "records/s")
    r.add("throughput per CPU-s", t.perCPU * Double(size) / 1e6, "MB/s")
    if let cipher = pair.client.cipherName { r.notes.append("cipher \(cipher)") }
    // `received` includes warm-up batches; every record sent must have arrived.
    if failures > 0 { r.notes.append("\(failures) sends failed") }
    if received < t.iterations { r.notes.append("only \(received) of ≥ \(t.iterations) records arrived") }
    return r
}
