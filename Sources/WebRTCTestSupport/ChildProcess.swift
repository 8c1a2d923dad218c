#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests (a TURN server, the `openssl` tool), started with `posix_spawn`,
/// its stdout and stderr appended to a log file. `stop()` (also run on deinit) ends it with
/// SIGTERM, then SIGKILL, and reaps it: no orphan outlives its owner.
package final class ChildProcess {
    package let pid: pid_t
    package let executable: String
    private var reaped = false
    private var status: Int32 = 0

    /// Starts `executable` with `arguments`; output goes to `logPath` (appended).
    package init(executable: String, arguments: [String], logPath: String) throws {
        guard access(executable, X_OK) == 0 else { throw ChildProcessError("\(executable) is not installed (not executable)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        // The child starts with no blocked signals and default handlers (the test process may
        // block or ignore some, e.g. SIGPIPE), so SIGTERM ends it promptly.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let r = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard r == 0 else { throw ChildProcessError("posix_spawn \(executable): \(String(cString: strerror(r)))") }
        self.pid = pid
        self.executable = executable
    }

    deinit { stop() }

    /// Whether the process is still running (reaps it if it exited).
    package var isRunning: Bool {
        guard !reaped else { return false }
        var s: Int32 = 0
        let r = waitpid(pid, &s, WNOHANG)
        if r == pid { reaped = true; status = s; return false }
        return r == 0
    }

    /// Waits up to `timeout` for the process to exit by itself; its exit code, or nil if it is
    /// still running (or was killed by a signal).
    package func wait(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        guard reaped else { return nil }
        // WIFEXITED / WEXITSTATUS by hand (macros).
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    /// SIGTERM, up to 2 s of grace, then SIGKILL; always reaps.
    package func stop() {
        guard !reaped else { return }
        kill(pid, SIGTERM)
        if wait(timeout: .seconds(2)) == nil, !reaped {
            kill(pid, SIGKILL)
            var s: Int32 = 0
            _ = waitpid(pid, &s, 0)
            reaped = true
        }
    }

    /// Runs a tool to completion (e.g. `openssl req …`); throws unless it exits 0 within `timeout`.
    package static func run(_ executable: String, _ arguments: [String], logPath: String, timeout: Duration = .seconds(30)) throws {
        let p = try ChildProcess(executable: executable, arguments: arguments, logPath: logPath)
        let code = p.wait(timeout: timeout)
        p.stop()
        guard code == 0 else { throw ChildProcessError("\(executable) \(arguments.joined(separator: " ")) failed (exit \(code.map(String.init) ?? "none")); see \(logPath)") }
    }
}

/// Why a child process could not be run.
package struct ChildProcessError: Error, CustomStringConvertible {
    package var description: String
    package init(_ d: String) { description = d }
}
