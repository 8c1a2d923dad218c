#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WebRTC
import WebRTCCore
import WebRTCSCTP
import WebRTCTesting

/// Snapshot of the process: memory, descriptors, threads, CPU, live SCTP associations.
struct ProcessSnapshot {
    var rssKiB = ProcStats.rssKiB()
    var fds = ProcStats.openFDs()
    var threads = ProcStats.threads()
    var cpu = processCPUSeconds()
    var sctp = SCTPAssociation.liveAssociationCount
    var at = MonotonicClock.now()
}

/// How many pair set-ups run at once.
let scaleConcurrency = 16

/// Result of one connected-pair attempt.
typealias PairAttempt = (index: Int, pair: PeerConnectionPair?, error: String?, seconds: Double)

/// Connects `n` pairs over loopback, `scaleConcurrency` at a time.
func connectPairs(_ n: Int, timeout: Duration) async -> [PairAttempt] {
    await withTaskGroup(of: PairAttempt.self) { group in
        var results: [PairAttempt] = []
        results.reserveCapacity(n)
        var next = 0
        func launch(_ i: Int) {
            group.addTask {
                let t0 = MonotonicClock.now()
                do {
                    let p = try await PeerConnectionPair.connected(label: "scale-\(i)", timeout: timeout)
                    return (i, p, nil, secondsSince(t0))
                } catch {
                    return (i, nil, "\(error)", secondsSince(t0))
                }
            }
        }
        while next < min(scaleConcurrency, n) { launch(next); next += 1 }
        for await r in group {
            results.append(r)
            if next < n { launch(next); next += 1 }
        }
        return results
    }
}

/// Sends one message on every pair's offerer channel and waits for it at the answerer.
/// Returns the indices of the pairs whose message did not arrive within `timeout`.
func pingAll(_ pairs: [PeerConnectionPair], timeout: Duration) async -> [Int] {
    await withTaskGroup(of: (Int, Bool).self) { group in
        var failed: [Int] = []
        var next = 0
        func launch(_ i: Int) {
            let p = pairs[i]
            group.addTask {
                (i, (try? await withTimeout(timeout) {
                    let stream = p.answererChannel.messages
                    try p.offererChannel.send("ping")
                    for await m in stream { return m == .text("ping") }
                    return false
                }) ?? false)
            }
        }
        while next < min(64, pairs.count) { launch(next); next += 1 }
        for await (i, ok) in group {
            if !ok { failed.append(i) }
            if next < pairs.count { launch(next); next += 1 }
        }
        return failed.sorted()
    }
}

/// Transport counters and selected pair of one connection, for diagnosing a broken pair.
func transportSummary(_ pc: RTCPeerConnection) async -> String {
    let report = await pc.getStats()
    func v(_ s: RTCStats?, _ k: String) -> String {
        guard let x = s?.values[k] else { return "-" }
        switch x {
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .bool(let b): return String(b)
        }
    }
    let t = report["T"]
    return "sent \(v(t, "packetsSent")) recv \(v(t, "packetsReceived")) dropped \(v(t, "droppedPackets")) ice \(v(t, "iceState")) "
        + "pair \(pc.selectedCandidatePairDescription ?? "none") rtt \(v(report["CP"], "currentRoundTripTime"))"
}

func sleepSeconds(_ s: Double) async {
    try? await Task.sleep(for: .milliseconds(Int(s * 1000)))
}

/// Waits until the descriptor count falls to `target` (or `limit` passes); returns the snapshot.
func settleAfterClose(fdTarget: Int, limit: Double) async -> ProcessSnapshot {
    let t0 = MonotonicClock.now()
    while secondsSince(t0) < limit {
        if ProcStats.openFDs() <= fdTarget && SCTPAssociation.liveAssociationCount == 0 { break }
        await sleepSeconds(0.1)
    }
    await sleepSeconds(0.5)
    return ProcessSnapshot()
}

/// N connected peer-connection pairs in one process, made with the public API.
func benchScale(sizes: [Int], options: Options) async -> [BenchResult] {
    var results: [BenchResult] = []
    let (soft, hard) = ProcStats.raiseFDLimit()
    let idle = options.idleSeconds ?? (options.quick ? 2 : 10)
    let timeout: Duration = .seconds(30)

    // Warm-up: one pair brings up the event loop, usrsctp and OpenSSL, so N pairs measure only
    // their own cost.
    if let p = try? await PeerConnectionPair.connected(label: "warmup", timeout: timeout) {
        p.close()
    }
    await sleepSeconds(1)
    let base0 = ProcessSnapshot()
    await sleepSeconds(1)
    let base1 = ProcessSnapshot()
    let baselineCPU = (base1.cpu - base0.cpu) / secondsSince(base0.at)

    for n in sizes {
        var r = BenchResult(name: "scale-\(n)")
        mallocTrim()   // the same allocator state as the trimmed figure after close
        let before = ProcessSnapshot()
        let t0 = MonotonicClock.now()
        let attempts = await connectPairs(n, timeout: timeout)
        let setup = secondsSince(t0)
        var pairs = attempts.sorted { $0.index < $1.index }.compactMap { $0.pair }
        let failures = attempts.compactMap { $0.error }
        let latencies = attempts.filter { $0.pair != nil }.map { $0.seconds }.sorted()
        // Let the set-up traffic end (SCTP stays busy for 500 ms after the last packet).
        await sleepSeconds(1.5)
        let connected = ProcessSnapshot()
        let pcs = Double(2 * pairs.count)

        func openCount() -> Int {
            pairs.filter {
                $0.offererChannel.readyState == .open && $0.answererChannel.readyState == .open
                    && $0.offerer.connectionState == .connected && $0.answerer.connectionState == .connected
            }.count
        }
        let openAtStart = openCount()
        let statesAtStart = stateHistogram(pairs)

        // Idle window: all connected, no application traffic; consent checks and timers only.
        let idle0 = ProcessSnapshot()
        await sleepSeconds(idle)
        let idle1 = ProcessSnapshot()
        let idleWall = Double((idle1.at - idle0.at).nanoseconds) / 1e9
        let udp = UDPSocketAudit.take()
        let idleCPU = idle1.cpu - idle0.cpu
        let openAfterIdle = openCount()
        let statesAfterIdle = stateHistogram(pairs)
        let pingFailed = options.noPing ? [] : await pingAll(pairs, timeout: .seconds(5))
        let pinged = pairs.count - pingFailed.count
        var brokenDetails: [String] = []
        let notOpen = pairs.indices.filter {
            pairs[$0].offerer.connectionState != .connected || pairs[$0].answerer.connectionState != .connected
        }
        for i in Array(Set(pingFailed.prefix(3) + notOpen.prefix(3))).sorted() {
            let p = pairs[i]
            brokenDetails.append("pair \(i)\(pingFailed.contains(i) ? " (ping lost)" : ""): offerer \(await transportSummary(p.offerer)); answerer \(await transportSummary(p.answerer))")
        }

        r.add("pairs requested", Double(n), "")
        r.add("pairs connected", Double(pairs.count), "")
        r.add("set-up wall time", setup, "s")
        r.add("set-up rate", Double(pairs.count) / setup, "pairs/s (\(scaleConcurrency) at a time)")
        if !latencies.isEmpty {
            r.add("set-up latency p50", latencies[latencies.count / 2] * 1000, "ms")
            r.add("set-up latency p99", latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1000, "ms")
        }
        r.add("set-up CPU", connected.cpu - before.cpu, "s (process)")
        r.add("channels open (both ends)", Double(openAtStart), "of \(pairs.count)")
        r.add("open after idle window", Double(openAfterIdle), "of \(pairs.count)")
        r.add("ping delivered after idle", Double(pinged), "of \(pairs.count)")
        r.add("RSS before", Double(before.rssKiB) / 1024, "MiB")
        r.add("RSS connected", Double(connected.rssKiB) / 1024, "MiB")
        r.add("RSS per PC", pcs > 0 ? Double(connected.rssKiB - before.rssKiB) / pcs : .nan, "KiB")
        r.add("fds per PC", pcs > 0 ? Double(connected.fds - before.fds) / pcs : .nan, "")
        r.add("threads connected", Double(connected.threads), "")
        r.add("UDP sockets", Double(udp.sockets), "")
        r.add("UDP sockets sharing a port", Double(udp.sharingAPort), "(\(udp.sharedPorts) ports bound twice)")
        r.add("UDP kernel drops", Double(udp.drops), "datagrams")
        r.add("idle window", idleWall, "s")
        r.add("idle CPU total", idleCPU / idleWall * 100, "% of one core")
        r.add("idle CPU per PC", pcs > 0 ? max(0, idleCPU / idleWall - baselineCPU) / pcs * 1e6 : .nan, "µs CPU/s")

        // Close everything and check that descriptors, associations and memory come back.
        let tc = MonotonicClock.now()
        for p in pairs { p.close() }
        let watchers = pairs.flatMap { [WeakBox($0.offerer), WeakBox($0.answerer), WeakBox($0.offererChannel), WeakBox($0.answererChannel)] }
        pairs.removeAll()
        let closeCall = secondsSince(tc)
        let after = await settleAfterClose(fdTarget: before.fds, limit: 10)
        let alivePCs = watchers.filter { $0.object is RTCPeerConnection && $0.isAlive }.count
        let aliveChannels = watchers.filter { $0.object is RTCDataChannel && $0.isAlive }.count
        let aliveOffererChannels = stride(from: 2, to: watchers.count, by: 4).filter { watchers[$0].isAlive }.count
        mallocTrim()
        let trimmedRSS = ProcStats.rssKiB()
        r.add("close() all", closeCall * 1000, "ms")
        r.add("fds after close", Double(after.fds), "(before \(before.fds))")
        r.add("SCTP assocs after close", Double(after.sctp), "(before \(before.sctp))")
        r.add("RSS after close", Double(after.rssKiB) / 1024, "MiB")
        r.add("RSS retained per PC", pcs > 0 ? Double(after.rssKiB - before.rssKiB) / pcs : .nan, "KiB")
        r.add("RSS after malloc_trim", Double(trimmedRSS) / 1024, "MiB")
        r.add("RSS retained per PC, trimmed", pcs > 0 ? Double(trimmedRSS - before.rssKiB) / pcs : .nan, "KiB")
        r.add("PC objects alive after close", Double(alivePCs), "of \(Int(pcs))")
        r.add("channel objects alive after close", Double(aliveChannels), "of \(Int(pcs)) (\(aliveOffererChannels) offerer side)")
        r.add("threads after close", Double(after.threads), "")
        r.notes += brokenDetails
        if !failures.isEmpty {
            var counts: [String: Int] = [:]
            for f in failures { counts[f, default: 0] += 1 }
            for (f, c) in counts.sorted(by: { $0.value > $1.value }).prefix(3) { r.notes.append("\(c) × \(f)") }
        }
        if openAtStart != pairs.count { r.notes.append("states after set-up: " + statesAtStart) }
        if openAfterIdle != pairs.count { r.notes.append("states after idle: " + statesAfterIdle) }
        r.notes.append("RLIMIT_NOFILE \(soft)/\(hard); baseline idle CPU \(Int(baselineCPU * 1e4) / 100)% of a core")
        results.append(r)
        await sleepSeconds(0.5)
    }
    return results
}

/// "offerer pc/ice/channel | answerer pc/ice/channel" → count, for pairs not fully open.
func stateHistogram(_ pairs: [PeerConnectionPair]) -> String {
    var counts: [String: Int] = [:]
    for p in pairs {
        let key = "\(p.offerer.connectionState.rawValue)/\(p.offerer.iceConnectionState.rawValue)/\(p.offererChannel.readyState.rawValue)"
            + " | \(p.answerer.connectionState.rawValue)/\(p.answerer.iceConnectionState.rawValue)/\(p.answererChannel.readyState.rawValue)"
        counts[key, default: 0] += 1
    }
    return counts.sorted { $0.value > $1.value }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
}

/// A weak reference, to see whether closed objects are freed.
final class WeakBox {
    weak var object: AnyObject?
    init(_ o: AnyObject) { object = o }
    var isAlive: Bool { object != nil }
}

/// glibc's malloc_trim(0) (not exported by the Glibc module): returns free heap pages to the
/// kernel, so RSS after it separates retained-but-free memory from live objects.
func mallocTrim() {
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
    typealias Trim = @convention(c) (Int) -> Int32
    _ = unsafeBitCast(sym, to: Trim.self)(0)
}
