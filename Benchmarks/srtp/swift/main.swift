// Release-mode SRTP micro-benchmark: packets/s of 1200-byte RTP payloads through SRTPSession,
// doing the same per-packet work as Benchmarks/srtp/bench.c. Run via Benchmarks/srtp/run.sh
// (`webrtc-bench-srtp --help` for the arguments).
// (A bench executable may read the clock; the engine itself never does.)
import Glibc
import WebRTCSRTP

let payloadLength = 1200, headerLength = 12, ring = 8192
let options = Options.parseOrExit()
let n = options.packets
let rounds = options.rounds

func nowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) // CPU time: the machine is shared
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func session(_ profile: SRTPProfile, _ direction: SRTPSession.Direction) -> SRTPSession {
    let material = (0..<30).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
    // Same bytes as bench.c: key then salt from one 30-byte buffer.
    let key = Array(material[0..<profile.keyLength])
    let salt = Array(material[profile.keyLength..<profile.keyLength + profile.saltLength])
    do {
        return try SRTPSession(profile: profile, key: key, salt: salt, direction: direction)
    } catch {
        fatalError("SRTPSession: \(error)")
    }
}

/// The whole benchmark in one function so the buffers are locals, not globals.
func runBenchmark() {
    var plain = [UInt8](repeating: 0, count: headerLength + payloadLength)
    plain[0] = 0x80; plain[1] = 96; plain[6] = 0x10
    plain[8] = 0x12; plain[9] = 0x34; plain[10] = 0x56; plain[11] = 0x78
    for i in 0..<payloadLength { plain[headerLength + i] = UInt8(truncatingIfNeeded: i) }

    var buffer: [UInt8] = []
    buffer.reserveCapacity(plain.count + 144)

    for profile in [SRTPProfile.aeadAes128Gcm, .aes128CmSha1_80] {
        var bestProtect = Double.infinity, bestUnprotect = Double.infinity
        for _ in 0..<rounds {
            // protect
            var tx = session(profile, .outbound)
            var seq: UInt16 = 0
            var t0 = nowSeconds()
            for _ in 0..<n {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: plain)
                buffer[2] = UInt8(seq >> 8); buffer[3] = UInt8(seq & 0xFF); seq &+= 1
                do { try tx.protectRTP(&buffer) } catch { fatalError("protect: \(error)") }
            }
            bestProtect = min(bestProtect, nowSeconds() - t0)

            // unprotect: a ring of distinct packets, a fresh receiver per pass (as in bench.c)
            tx = session(profile, .outbound)
            var packets: [[UInt8]] = []
            packets.reserveCapacity(ring)
            for i in 0..<ring {
                var p = plain
                p[2] = UInt8(i >> 8); p[3] = UInt8(i & 0xFF)
                do { try tx.protectRTP(&p) } catch { fatalError("protect: \(error)") }
                packets.append(p)
            }
            var rx: SRTPSession? = nil
            t0 = nowSeconds()
            for i in 0..<n {
                let k = i % ring
                if k == 0 { rx = nil; rx = session(profile, .inbound) }
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: packets[k])
                guard rx!.unprotectRTP(&buffer) else { fatalError("unprotect failed") }
            }
            bestUnprotect = min(bestUnprotect, nowSeconds() - t0)
            rx = nil
        }
        print("swift \(profile) protect \(Int(Double(n) / bestProtect))")
        print("swift \(profile) unprotect \(Int(Double(n) / bestUnprotect))")
    }
}

runBenchmark()
