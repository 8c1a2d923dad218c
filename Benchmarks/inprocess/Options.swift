import ArgumentParser

/// Command-line options of `webrtc-bench`.
struct Options: ParsableCommand {
    /// Every benchmark, in the order they run.
    static let benchmarkNames = ["sctp-1k", "sctp-64k", "dtls-records", "sdp-chromium-datachannel",
                                 "sdp-chromium-audio-video", "stun-binding", "scale"]

    static let configuration = CommandConfiguration(
        commandName: "webrtc-bench",
        abstract: "In-process benchmarks of the engines and a many-connection scale test.",
        discussion: """
            Each micro-benchmark warms up, then loops on the monotonic clock and reports its rate \
            per wall second and per CPU second of its thread (the CPU figure is the one to compare \
            on a shared machine). The engines are driven directly, on one thread, without sockets. \
            "scale" connects N pairs of RTCPeerConnections over loopback and reports set-up rate, \
            memory, file descriptors, idle CPU and what is left after close.

            Benchmarks: \(benchmarkNames.joined(separator: ", ")).

            Build in release mode: swift build -c release --product webrtc-bench. SRTP has its \
            own benchmark next to plain libsrtp2: Benchmarks/srtp/run.sh.
            """
    )

    @Flag(help: "Shorter runs and smaller N (the whole run in well under 30 s).")
    var quick = false

    @Option(help: ArgumentHelp(
        "Run only benchmarks whose name starts with one of these prefixes (comma separated, repeatable).",
        valueName: "prefix[,prefix...]"))
    var only: [String] = []

    @Flag(help: "One JSON object per benchmark per line on stdout instead of the table.")
    var json = false

    @Option(name: .customLong("scale-n"), help: ArgumentHelp(
        "scale: the pair counts to run, comma separated (default 100,1000; with --quick 20,100).",
        valueName: "n[,n...]"))
    var scaleNList: String?

    @Option(help: ArgumentHelp("scale: the idle window in seconds (default 10; with --quick 2).", valueName: "seconds"))
    var idleSeconds: Double?

    @Flag(help: "scale: skip the message round after the idle window.")
    var noPing = false

    /// The scale pair counts given with `--scale-n`, if any.
    var scaleN: [Int]? {
        scaleNList.map { $0.split(separator: ",").compactMap { Int($0) } }
    }

    /// The prefixes of `--only`, split at commas.
    var onlyPrefixes: [String] {
        only.flatMap { $0.split(separator: ",").map(String.init) }
    }

    mutating func validate() throws {
        if let list = scaleNList {
            let parts = list.split(separator: ",", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ Int($0).map { $0 > 0 } ?? false }) else {
                throw ValidationError("--scale-n takes positive integers separated by commas, not '\(list)'")
            }
        }
        if let idle = idleSeconds, idle < 0 { throw ValidationError("--idle-seconds must not be negative") }
        for prefix in onlyPrefixes where !Options.benchmarkNames.contains(where: { $0.hasPrefix(prefix) }) {
            throw ValidationError("--only \(prefix) matches no benchmark (\(Options.benchmarkNames.joined(separator: ", ")))")
        }
    }

    /// Whether the benchmark `name` was asked for.
    func wants(_ name: String) -> Bool {
        let prefixes = onlyPrefixes
        return prefixes.isEmpty || prefixes.contains { name.hasPrefix($0) }
    }

    /// Minimum measured time per benchmark.
    var minDuration: Duration { quick ? .milliseconds(300) : .seconds(1) }
    /// Warm-up before measuring.
    var warmup: Duration { quick ? .milliseconds(50) : .milliseconds(200) }
}
