import WebRTCCore
import WebRTCSDP
import WebRTCSTUN

/// SDP parse and serialize of a captured offer (Tests/Fixtures/sdp).
func benchSDP(name: String, fixture: String, options: Options) -> BenchResult {
    var r = BenchResult(name: name)
    guard let path = repositoryFile("Tests/Fixtures/sdp/" + fixture), let text = ProcStats.readFile(path) else {
        r.notes.append("fixture \(fixture) not found (run from the repository root)")
        return r
    }
    guard let parsed = try? SessionDescription.parse(text) else {
        r.notes.append("fixture \(fixture) does not parse")
        return r
    }
    let (parse, _) = timeLoop(batch: 16, minDuration: options.minDuration, warmup: options.warmup) {
        var n = 0
        for _ in 0..<16 { if let d = try? SessionDescription.parse(text) { n &+= d.media.count } }
        return n
    }
    let (serialize, _) = timeLoop(batch: 16, minDuration: options.minDuration, warmup: options.warmup) {
        var n = 0
        for _ in 0..<16 { n &+= parsed.serialize().utf8.count }
        return n
    }
    // A round trip must be stable, or the serialize figure measures the wrong thing.
    let again = try? SessionDescription.parse(parsed.serialize())
    if again?.serialize() != parsed.serialize() { r.notes.append("serialize → parse → serialize is not stable") }
    r.add("bytes", Double(text.utf8.count), "B")
    r.add("m-sections", Double(parsed.media.count), "")
    r.add("parse", parse.perWall, "ops/s")
    r.add("parse per CPU-s", parse.perCPU, "ops/s")
    r.add("parse latency", 1e6 / parse.perCPU, "µs/op (CPU)")
    r.add("serialize", serialize.perWall, "ops/s")
    r.add("serialize per CPU-s", serialize.perCPU, "ops/s")
    r.add("serialize latency", 1e6 / serialize.perCPU, "µs/op (CPU)")
    return r
}

/// STUN encode (with MESSAGE-INTEGRITY and FINGERPRINT) and decode + verify of an ICE Binding
/// request shaped like our connectivity checks (ICEAgent.sendCheck).
func benchSTUN(options: Options) -> BenchResult {
    var r = BenchResult(name: "stun-binding")
    let random = RandomSource(seed: 7)
    let key = STUNCrypto.shortTermKey(password: "aSxBm5vRZ2kc8WSy3nTqdu6P")
    let tieBreaker: UInt64 = 0x1234_5678_9ABC_DEF0
    func makeRequest() -> STUNMessage {
        STUNMessage(method: .binding, cls: .request, random: random, attributes: [
            .username("Xq3e:abcd"),
            .priority(1_853_824_767),
            .iceControlling(tieBreaker),
            .useCandidate,
        ])
    }
    let sample = makeRequest().encode(integrityKey: key, fingerprint: true)
    guard let decoded = STUNMessage.decode(sample), decoded.verifyIntegrity(key: key), decoded.verifyFingerprint() else {
        r.notes.append("encoded request does not decode and verify")
        return r
    }
    let (encode, _) = timeLoop(batch: 64, minDuration: options.minDuration, warmup: options.warmup) {
        var n = 0
        for _ in 0..<64 { n &+= makeRequest().encode(integrityKey: key, fingerprint: true).count }
        return n
    }
    let (decode, _) = timeLoop(batch: 64, minDuration: options.minDuration, warmup: options.warmup) {
        var n = 0
        for _ in 0..<64 {
            if let m = STUNMessage.decode(sample), m.verifyIntegrity(key: key), m.verifyFingerprint() { n &+= m.attributes.count }
        }
        return n
    }
    r.add("bytes", Double(sample.count), "B")
    r.add("encode+MI+FP", encode.perWall, "ops/s")
    r.add("encode per CPU-s", encode.perCPU, "ops/s")
    r.add("encode latency", 1e6 / encode.perCPU, "µs/op (CPU)")
    r.add("decode+verify", decode.perWall, "ops/s")
    r.add("decode per CPU-s", decode.perCPU, "ops/s")
    r.add("decode latency", 1e6 / decode.perCPU, "µs/op (CPU)")
    r.notes.append("encode includes building the message (random transaction id, 4 attributes) as ICE does per check")
    return r
}
