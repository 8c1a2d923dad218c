import ArgumentParser

/// Command line of `webrtc-bench-srtp`: positional, so that `Benchmarks/srtp/run.sh` passes the
/// same two numbers to this program and to the C loop.
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-bench-srtp",
        abstract: "SRTP protect/unprotect rate of SRTPSession for 1200-byte RTP payloads.",
        discussion: """
            For each profile (AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80) protects PACKETS packets, \
            then unprotects PACKETS distinct packets with a fresh receiver every 8192, ROUNDS \
            times, and prints the best rate as "swift <profile> protect|unprotect <packets/s>". \
            Time is the thread's CPU time, since the machine is shared. Build in release mode; \
            Benchmarks/srtp/run.sh runs it next to the same loop in C over libsrtp2.
            """
    )

    @Argument(help: "Packets per round.")
    var packets = 200_000

    @Argument(help: "Rounds per profile and direction; the best one is reported.")
    var rounds = 5

    mutating func validate() throws {
        guard packets > 0 else { throw ValidationError("packets must be positive") }
        guard rounds > 0 else { throw ValidationError("rounds must be positive") }
    }
}
