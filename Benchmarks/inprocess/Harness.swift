#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WebRTCCore

/// One value of a benchmark result.
struct Metric {
    var key: String
    var value: Double
    var unit: String
}

/// One benchmark's figures, printed as table rows or one JSON line.
struct BenchResult {
    var name: String
    var metrics: [Metric] = []
    var notes: [String] = []

    mutating func add(_ key: String, _ value: Double, _ unit: String) {
        metrics.append(Metric(key: key, value: value, unit: unit))
    }
}

/// Prints results as they come, so a long run shows progress.
struct Reporter {
    let json: Bool

    func header() {
        guard !json else { return }
        print(pad("benchmark", 26) + pad("metric", 30) + lpad("value", 16) + "  unit")
        print(String(repeating: "-", count: 84))
    }

    func report(_ r: BenchResult) {
        if json {
            var fields = ["\"bench\":\(quote(r.name))"]
            for m in r.metrics { fields.append("\(quote(jsonKey(m))):\(jsonNumber(m.value))") }
            fields.append("\"units\":{" + r.metrics.map { "\(quote(jsonKey($0))):\(quote($0.unit))" }.joined(separator: ",") + "}")
            if !r.notes.isEmpty { fields.append("\"notes\":[" + r.notes.map(quote).joined(separator: ",") + "]") }
            print("{" + fields.joined(separator: ",") + "}")
        } else {
            for (i, m) in r.metrics.enumerated() {
                print(pad(i == 0 ? r.name : "", 26) + pad(m.key, 30) + lpad(format(m.value), 16) + "  " + m.unit)
            }
            for n in r.notes { print(pad("", 26) + "note: " + n) }
        }
        fflush(nil)
    }

    private func format(_ v: Double) -> String {
        if v.isNaN { return "n/a" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        if abs(v) >= 100 { return String(Int64(v.rounded())) }
        if abs(v) >= 1 { return String(Double(Int64(v * 100)) / 100) }
        return String(Double(Int64(v * 10_000)) / 10_000)
    }

    /// A machine-friendly key: the metric name and its unit's first word, e.g. "throughput_mb_s".
    private func jsonKey(_ m: Metric) -> String {
        func slug(_ s: String) -> String {
            var out = ""
            for c in s.lowercased().replacingPercent() {
                if c.isLetter && c.isASCII || c.isNumber { out.append(c) } else if !out.hasSuffix("_") && !out.isEmpty { out.append("_") }
            }
            while out.hasSuffix("_") { out.removeLast() }
            return out
        }
        let unit = m.unit.split(separator: " ").first.map(String.init) ?? ""
        let suffix = unit.isEmpty || unit == "of" || unit.hasPrefix("(") ? "" : slug(unit.replacingMicro())
        return suffix.isEmpty ? slug(m.key) : slug(m.key) + "_" + suffix
    }

    private func jsonNumber(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return "null" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if c.value < 0x20 { out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}

/// CPU time of the calling thread (the in-memory benchmarks run on one thread; on a shared machine
/// this is steadier than wall time).
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// User + system CPU time of the whole process.
func processCPUSeconds() -> Double {
    var ru = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru)
    return Double(ru.ru_utime.tv_sec) + Double(ru.ru_utime.tv_usec) / 1e6 + Double(ru.ru_stime.tv_sec) + Double(ru.ru_stime.tv_usec) / 1e6
}

/// Seconds since `start` on the monotonic clock.
func secondsSince(_ start: Instant) -> Double { Double((MonotonicClock.now() - start).nanoseconds) / 1e9 }

/// The result of a timed loop: iterations, wall seconds, thread CPU seconds.
struct Timing {
    var iterations: Int
    var wall: Double
    var cpu: Double
    var perWall: Double { Double(iterations) / wall }
    var perCPU: Double { Double(iterations) / cpu }
}

/// Runs `body` (which does `batch` operations and returns a value folded into a checksum so the
/// work cannot be optimised away) for at least `minDuration`, after a warm-up.
func timeLoop(batch: Int, minDuration: Duration, warmup: Duration, _ body: () -> Int) -> (Timing, Int) {
    var sink = 0
    let w0 = MonotonicClock.now()
    while MonotonicClock.now() - w0 < warmup { sink &+= body() }
    var iterations = 0
    let c0 = threadCPUSeconds()
    let t0 = MonotonicClock.now()
    repeat {
        sink &+= body()
        iterations += batch
    } while MonotonicClock.now() - t0 < minDuration
    let wall = secondsSince(t0)
    let cpu = threadCPUSeconds() - c0
    return (Timing(iterations: iterations, wall: wall, cpu: cpu), sink)
}

/// Process memory and descriptor figures from /proc.
enum ProcStats {
    /// Resident set size in KiB (VmRSS of /proc/self/status), or -1.
    static func rssKiB() -> Int {
        guard let text = readFile("/proc/self/status") else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.filter { $0.isNumber }
            return Int(digits) ?? -1
        }
        return -1
    }

    /// Open file descriptors (entries of /proc/self/fd, minus the one used to list it).
    static func openFDs() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { n += 1 }
        }
        return n - 1
    }

    /// Number of threads of the process.
    static func threads() -> Int {
        guard let text = readFile("/proc/self/status") else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.filter { $0.isNumber }) ?? -1
        }
        return -1
    }

    static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit; returns (soft, hard) after.
    static func raiseFDLimit() -> (Int, Int) {
        var rl = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl)
        if rl.rlim_cur < rl.rlim_max {
            rl.rlim_cur = rl.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl)
        }
        return (Int(rl.rlim_cur), Int(rl.rlim_max))
    }
}

/// Locates a file of the repository: next to the sources this binary was built from, else
/// relative to the working directory.
func repositoryFile(_ relative: String) -> String? {
    var root = #filePath
    for _ in 0..<3 {   // …/Benchmarks/inprocess/Harness.swift → repository root
        if let slash = root.lastIndex(of: "/") { root = String(root[..<slash]) }
    }
    for candidate in [root + "/" + relative, relative] where access(candidate, R_OK) == 0 {
        return candidate
    }
    return nil
}

/// This process's UDP sockets as the kernel sees them (/proc/self/net/udp, udp6, matched by the
/// socket inodes of /proc/self/fd).
struct UDPSocketAudit {
    /// Our UDP sockets.
    var sockets = 0
    /// Our sockets whose local address:port is also bound by another of our sockets.
    var sharingAPort = 0
    /// Distinct local address:port values held by more than one of our sockets.
    var sharedPorts = 0
    /// Datagrams the kernel dropped on our sockets (the `drops` column).
    var drops = 0
    /// Bytes waiting unread in our sockets' receive queues.
    var rxQueued = 0

    static func take() -> UDPSocketAudit {
        var inodes: Set<String> = []
        if let dir = opendir("/proc/self/fd") {
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                var buf = [CChar](repeating: 0, count: 128)
                let n = readlink("/proc/self/fd/" + name, &buf, buf.count - 1)
                guard n > 0 else { continue }
                let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix("socket:[") { inodes.insert(String(target.dropFirst(8).dropLast())) }
            }
            closedir(dir)
        }
        var audit = UDPSocketAudit()
        var byLocal: [String: Int] = [:]
        for file in ["/proc/self/net/udp", "/proc/self/net/udp6"] {
            guard let text = ProcStats.readFile(file) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count >= 13, inodes.contains(String(f[9])) else { continue }
                audit.sockets += 1
                byLocal[String(f[1]), default: 0] += 1
                audit.drops += Int(f[12]) ?? 0
                let queues = f[4].split(separator: ":")
                if queues.count == 2 { audit.rxQueued += Int(queues[1], radix: 16) ?? 0 }
            }
        }
        for (_, c) in byLocal where c > 1 {
            audit.sharedPorts += 1
            audit.sharingAPort += c
        }
        return audit
    }
}

private extension String {
    func replacingPercent() -> String { split(separator: "%", omittingEmptySubsequences: false).joined(separator: "pct") }
    func replacingMicro() -> String { split(separator: "µ", omittingEmptySubsequences: false).joined(separator: "u") }
}
