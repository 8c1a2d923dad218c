#if canImport(Glibc)
import Glibc
#endif
import WebRTCCore

/// A real coturn (`/usr/bin/turnserver`) on 127.0.0.1 for one test, loopback-only (see
/// docs/INTEROP.md): long-term credentials, loopback peers allowed, relays on
/// 127.0.0.1, UDP and TCP on `port`, TLS on `tlsPort` with a fresh self-signed certificate
/// (made by the `openssl` tool) when asked. Everything lives in a temporary directory (config-free
/// command line, pidfile, log, certificate). `stop()` (or deinit) kills and reaps the server.
package final class CoturnServer {
    package static let executable = "/usr/bin/turnserver"
    package let username = "alice"
    package let password = "s3cret-pass"
    package let realm = "test.local"
    /// UDP and TCP listening port.
    package let port: UInt16
    /// TLS listening port, when TLS is on.
    package let tlsPort: UInt16?
    /// The server's self-signed certificate (PEM), to trust in clients; nil without TLS.
    package let certificatePEM: String?
    package let directory: String
    package let commandLine: [String]
    private let process: ChildProcess

    package var address: TransportAddress { TransportAddress(ip: .v4(0x7F00_0001), port: port) }
    package var logPath: String { directory + "/turnserver.log" }
    package var pidfilePath: String { directory + "/turnserver.pid" }

    /// Starts coturn and waits (up to 10 s) until it accepts TCP on every listening port.
    /// Throws with a clear message when turnserver is not installed (`make test` installs it).
    package init(tls: Bool) throws {
        guard access(Self.executable, X_OK) == 0 else {
            throw ChildProcessError("coturn is not installed: \(Self.executable) missing (apt-get install coturn; `make test` installs it)")
        }
        var template = Array("/tmp/webrtc-coturn-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let dir = made else { throw ChildProcessError("mkdtemp failed") }
        directory = dir
        port = try freeLoopbackPort()
        var args = [
            "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=\(port)",
            "--min-port=49152", "--max-port=65535", "--lt-cred-mech", "--user=\(username):\(password)", "--realm=\(realm)",
            "--fingerprint", "--no-cli", "--allow-loopback-peers", "--no-multicast-peers", "--no-rfc5780",
            "--no-dynamic-ip-list", "--no-dynamic-realms", "--pidfile=\(directory)/turnserver.pid",
            "--log-file=\(directory)/turnserver.log", "--simple-log", "--no-stdout-log", "--no-dtls",
        ]
        if tls {
            var t = try freeLoopbackPort()
            while t == port { t = try freeLoopbackPort() }
            tlsPort = t
            let cert = directory + "/cert.pem", key = directory + "/key.pem"
            // A self-signed P-256 certificate naming 127.0.0.1 (what the client verifies).
            try ChildProcess.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ], logPath: directory + "/openssl.log")
            certificatePEM = try Self.readFile(cert)
            args += ["--tls-listening-port=\(t)", "--cert=\(cert)", "--pkey=\(key)"]
        } else {
            tlsPort = nil
            certificatePEM = nil
            args += ["--no-tls"]
        }
        commandLine = [Self.executable] + args
        process = try ChildProcess(executable: Self.executable, arguments: args, logPath: directory + "/turnserver.out")
        let deadline = ContinuousClock.now + .seconds(10)
        var ready = false
        while ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            let ports = [port] + (tlsPort.map { [$0] } ?? [])
            if ports.allSatisfy({ LoopbackTCPConnection(connectingTo: TransportAddress(ip: .v4(0x7F00_0001), port: $0)) != nil }) {
                ready = true
                break
            }
            usleep(20_000)
        }
        guard ready else {
            process.stop()
            throw ChildProcessError("turnserver did not start listening on 127.0.0.1:\(port); log: \(directory)/turnserver.log\n\(log)")
        }
    }

    deinit { stop() }

    private var stopped = false

    /// The pid coturn wrote to its pidfile (nil before it wrote one).
    package var pidFromFile: Int32? {
        (try? Self.readFile(pidfilePath)).flatMap { Int32($0.filter(\.isNumber)) }
    }

    /// The spawned server's pid.
    package var pid: Int32 { process.pid }

    package var isRunning: Bool { process.isRunning }

    /// Kills and reaps the server (idempotent), cross-checking the pidfile so that a server that
    /// forked is not left behind, then removes the temporary directory unless `keepFiles`.
    package func stop(keepFiles: Bool = false) {
        if process.isRunning, let p = pidFromFile, p > 1, p != process.pid { kill(p, SIGTERM) }
        process.stop()
        guard !keepFiles, !stopped else { return }
        stopped = true
        for f in ["turnserver.log", "turnserver.out", "turnserver.pid", "cert.pem", "key.pem", "openssl.log"] { unlink(directory + "/" + f) }
        rmdir(directory)
    }

    /// The server's log so far (for failure messages).
    package var log: String { ((try? Self.readFile(logPath)) ?? "") + ((try? Self.readFile(directory + "/turnserver.out")) ?? "") }

    static func readFile(_ path: String) throws -> String {
        guard let f = fopen(path, "r") else { throw ChildProcessError("cannot read \(path)") }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
