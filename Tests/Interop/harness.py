#!/usr/bin/env python3
"""Join two interop peers (docs/INTEROP.md) and report the offerer's result.

    harness.py --offerer "<cmd>" --answerer "<cmd>" --scenario echo|bulk|channels
               [--bytes N] [--message-size N] [--timeout S] [--log-dir D]
               [--extra "<args for both>"] [--coturn] [--relay-only] [--verbose]

Each peer's stdout is copied line by line to the other's stdin; the offerer's
`result` line is captured, not forwarded. Both stderrs (and every signaling
line) go to one log file per run. The pair always runs inside a private,
loopback-only network namespace: the harness re-executes itself under
`unshare --net` and refuses to run if that is impossible. With `--coturn` a
coturn server is started inside the same namespace and the peers get
`--turn turn:127.0.0.1:PORT?transport=udp --turn-user … --turn-pass …`.

Prints the result JSON on stdout, with `wall_s` (harness wall time), `log`,
`offerer_exit`, `answerer_exit` and, with --coturn, `relayed_bytes` (what coturn
reported relaying from peers: evidence the relay path was used); exits 0 if ok.
Stdlib only. Importable: `run_pair(...)`, `ensure_netns()`, `Coturn`.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

NETNS_MARK = "SWIFT_WEBRTC_INTEROP_NETNS"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


# ------------------------------------------------------------ network namespace

def _interfaces():
    with open("/proc/net/dev") as f:
        lines = f.read().splitlines()[2:]
    return [line.split(":", 1)[0].strip() for line in lines if ":" in line]


def _lo_up():
    try:
        with open("/sys/class/net/lo/flags") as f:
            return int(f.read().strip(), 16) & 0x1 == 1
    except OSError:
        return False


def ensure_netns(script=None, argv=None):
    """Re-execute `script argv` inside a fresh loopback-only network namespace.

    Returns only when already inside such a namespace (checked, not trusted).
    Exits loudly (status 3) when the namespace cannot be made.
    """
    if os.environ.get(NETNS_MARK) == "1":
        ifaces = _interfaces()
        if ifaces != ["lo"] or not _lo_up():
            sys.exit(f"interop: expected a loopback-only network namespace, found interfaces "
                     f"{ifaces} (lo up: {_lo_up()}); refusing to run")
        return
    unshare = shutil.which("unshare")
    ip = shutil.which("ip") or ("/usr/sbin/ip" if os.path.exists("/usr/sbin/ip") else None)
    if not unshare or not ip:
        sys.exit("interop: `unshare` (util-linux) and `ip` (iproute2) are required to run the "
                 "peers in a private network namespace; run scripts/deps.sh")
    script = os.path.abspath(script or sys.argv[0])
    argv = sys.argv[1:] if argv is None else argv
    ns = [unshare, "--net"] if os.geteuid() == 0 else [unshare, "--user", "--map-root-user", "--net"]
    cmd = ns + ["--", "sh", "-c", f'{shlex.quote(ip)} link set lo up && exec "$@"', "sh",
                sys.executable, script] + list(argv)
    env = dict(os.environ)
    env[NETNS_MARK] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        proc = subprocess.run(cmd, env=env)
    except OSError as e:
        sys.exit(f"interop: cannot run {unshare}: {e}")
    sys.exit(proc.returncode)


# ------------------------------------------------------------ coturn

def _free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _stun_ping(port, timeout=0.2):
    """True if a STUN Binding request to 127.0.0.1:port gets any answer."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        req = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + os.urandom(12)
        s.sendto(req, ("127.0.0.1", port))
        data, _ = s.recvfrom(2048)
        return len(data) >= 20
    except OSError:
        return False
    finally:
        s.close()


class Coturn:
    """A coturn server on 127.0.0.1 (inside the namespace), as docs/INTEROP.md describes."""

    def __init__(self, log_file, user="interop", password="interop-pass", realm="interop"):
        self.user, self.password, self.realm = user, password, realm
        self.log_file = log_file
        self.proc = None
        self.port = None
        self.tmp = None
        self.relayed_bytes = 0

    def start(self):
        exe = shutil.which("turnserver") or "/usr/bin/turnserver"
        if not os.path.exists(exe):
            raise RuntimeError("coturn (`turnserver`) is not installed; run scripts/deps.sh")
        self.tmp = tempfile.mkdtemp(prefix="interop-coturn-")
        self.port = _free_udp_port()
        # stdbuf: coturn's stdout is block-buffered into our pipe otherwise, and the
        # per-session lines would be lost when it is stopped.
        cmd = ["stdbuf", "-oL", exe, "-n", "-v", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
               f"--listening-port={self.port}", "--min-port=49152", "--max-port=65535",
               "--lt-cred-mech", f"--user={self.user}:{self.password}", f"--realm={self.realm}",
               "--fingerprint", "--no-cli", "--allow-loopback-peers", "--no-multicast-peers",
               "--no-rfc5780", "--no-dynamic-ip-list", "--no-dynamic-realms", "--no-tls",
               "--no-dtls", "--log-file=stdout", "--simple-log",
               f"--pidfile={os.path.join(self.tmp, 'turnserver.pid')}"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.reader = threading.Thread(target=self._read_log, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"turnserver exited with {self.proc.returncode} at start")
            if _stun_ping(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("turnserver did not answer STUN within 5 s")

    def _read_log(self):
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf8", "replace")
            self.log_file.write("coturn", line)
            # "peer usage: … rb=N": bytes the relay received from peers (periodic and final).
            m = re.search(r"peer usage: .*\brb=(\d+)", line)
            if m:
                self.relayed_bytes += int(m.group(1))

    def peer_args(self):
        return ["--turn", f"turn:127.0.0.1:{self.port}?transport=udp",
                "--turn-user", self.user, "--turn-pass", self.password]

    def stop(self):
        if self.proc:
            _kill_group(self.proc)
            self.reader.join(2)
            self.proc = None
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


# ------------------------------------------------------------ running a pair

class _Log:
    """A thread-safe, line-oriented log file with a time stamp per line."""

    def __init__(self, path, echo=False):
        self.f = open(path, "w", encoding="utf8", errors="replace")
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.echo = echo

    def write(self, prefix, text):
        line = f"{time.monotonic() - self.t0:8.3f} [{prefix}] {text.rstrip()}\n"
        with self.lock:
            if self.f.closed:  # a straggler after the run ended
                return
            self.f.write(line)
            self.f.flush()
            if self.echo:
                sys.stderr.write(line)

    def close(self):
        with self.lock:
            self.f.close()


def _copy_prefixed(stream, prefix, log):
    for raw in iter(stream.readline, b""):
        log.write(prefix, raw.decode("utf8", "replace"))
    stream.close()


def _kill_group(proc, grace=0.0):
    if proc.poll() is None and grace > 0:
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(1.0 if sig == signal.SIGTERM else 5.0)
            # The leader is gone; make sure no child of the group survives.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        except subprocess.TimeoutExpired:
            continue


def _peak_rss_mib(pid):
    """VmHWM (peak resident set) of a live process in MiB, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _summarize(line, limit=6000):
    return line if len(line) <= limit else line[:limit] + f"… ({len(line)} chars)"


def run_pair(offerer, answerer, scenario="echo", nbytes=None, message_size=None, timeout=60.0,
             log_dir=None, extra=None, coturn=False, relay_only=False, verbose=False, name=None):
    """Run one offerer/answerer pair (already inside the namespace). Returns the result dict."""
    if os.environ.get(NETNS_MARK) != "1":
        raise RuntimeError("run_pair must run inside the interop network namespace "
                           "(call ensure_netns() first)")
    log_dir = log_dir or os.path.join(REPO, ".interop-out")
    os.makedirs(log_dir, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = name or f"{stamp}-{scenario}"
    log_path = os.path.join(log_dir, f"{name}.log")
    log = _Log(log_path, echo=verbose)
    # "30", not "30.0": peers may parse --timeout as an integer.
    common = ["--scenario", scenario, "--timeout", f"{timeout:g}"]
    if nbytes is not None:
        common += ["--bytes", str(nbytes)]
    if message_size is not None:
        common += ["--message-size", str(message_size)]
    if relay_only:
        common += ["--relay-only"]
    common += shlex.split(extra or "")
    server = None
    procs = {}
    start = time.monotonic()
    result = None
    reported_by_offerer = False
    result_event = threading.Event()
    lock = threading.Lock()
    try:
        if coturn:
            server = Coturn(log).start()
            common += server.peer_args()
            log.write("harness", f"coturn on 127.0.0.1:{server.port}")
        for role, cmd in (("answerer", answerer), ("offerer", offerer)):
            argv = shlex.split(cmd) + ["--role", role] + common
            log.write("harness", f"{role}: {shlex.join(argv)}")
            procs[role] = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, start_new_session=True)

        def pump(src_role, dst_role):
            src, dst = procs[src_role], procs[dst_role]
            nonlocal result, reported_by_offerer
            for raw in iter(src.stdout.readline, b""):
                line = raw.decode("utf8", "replace").strip()
                if not line:
                    continue
                log.write(f"{src_role}>", _summarize(line))
                kind = None
                try:
                    msg = json.loads(line)
                    kind = msg.get("type") if isinstance(msg, dict) else None
                except ValueError:
                    log.write("harness", f"{src_role} wrote a non-JSON line (forwarded)")
                if kind == "result" and src_role == "offerer":
                    with lock:
                        if result is None:
                            result = msg
                            reported_by_offerer = True
                            # The answerer's peak memory, for scenarios that judge it (sink).
                            rss = _peak_rss_mib(procs["answerer"].pid)
                            if rss is not None:
                                result["answerer_peak_rss_mib"] = rss
                    result_event.set()
                    continue
                try:
                    dst.stdin.write((line + "\n").encode("utf8"))
                    dst.stdin.flush()
                except (BrokenPipeError, ValueError, OSError):
                    log.write("harness", f"{dst_role} stdin closed; dropped a line")
            log.write("harness", f"{src_role} stdout ended")
            if src_role == "offerer":
                result_event.set()
            try:
                dst.stdin.close()
            except OSError:
                pass
            if src_role == "answerer":
                # An answerer that dies early (a crash) fails the case at once instead of
                # leaving the offerer to time out; the offerer gets 2 s to report first.
                try:
                    code = src.wait(2)
                except subprocess.TimeoutExpired:
                    return
                if not result_event.wait(2):
                    with lock:
                        if result is None:
                            result = {"type": "result", "ok": False,
                                      "error": f"answerer exited ({code}) before the offerer's result"}
                    log.write("harness", f"answerer exited ({code}) early")
                    result_event.set()

        threads = [threading.Thread(target=pump, args=("offerer", "answerer"), daemon=True),
                   threading.Thread(target=pump, args=("answerer", "offerer"), daemon=True)]
        for role in procs:
            threads.append(threading.Thread(target=_copy_prefixed,
                                            args=(procs[role].stderr, role, log), daemon=True))
        for t in threads:
            t.start()

        # The peers get `timeout`; the harness gives them a little more to report.
        if not result_event.wait(timeout + 5):
            log.write("harness", f"timeout after {timeout + 5} s")
            with lock:
                if result is None:
                    result = {"type": "result", "ok": False,
                              "error": f"harness timeout ({timeout} s): no result from the offerer"}
        off = procs["offerer"]
        with lock:
            from_offerer = reported_by_offerer
        try:
            # An offerer that reported gets time to close; otherwise it is stopped now.
            code = off.wait(10 if from_offerer or result is None else 0.5)
        except subprocess.TimeoutExpired:
            code = None
        with lock:
            if result is None:
                result = {"type": "result", "ok": False,
                          "error": f"offerer exited ({code}) without a result line"}
            elif result.get("ok") and code not in (0, None):
                result = dict(result, ok=False, error=f"offerer exited {code} after an ok result")
            elif result.get("ok") and code is None:
                result = dict(result, ok=False, error="offerer did not exit after its result")
        result["offerer_exit"] = code
    except Exception as e:
        result = {"type": "result", "ok": False, "error": f"harness: {e!r}"}
    finally:
        ans = procs.get("answerer")
        if ans is not None:
            try:
                ans.stdin.close()
            except OSError:
                pass
            try:
                result["answerer_exit"] = ans.wait(3)
            except subprocess.TimeoutExpired:
                result["answerer_exit"] = "killed"
        for p in procs.values():
            _kill_group(p)
        if server:
            server.stop()
            result["relayed_bytes"] = server.relayed_bytes
    result["wall_s"] = round(time.monotonic() - start, 3)
    result["log"] = log_path
    log.write("harness", "result " + json.dumps(result))
    log.close()
    return result


def main():
    p = argparse.ArgumentParser(description="Run two interop peers (docs/INTEROP.md) against each other.")
    p.add_argument("--offerer", required=True, help="offerer command (no --role)")
    p.add_argument("--answerer", required=True, help="answerer command (no --role)")
    p.add_argument("--scenario", default="echo", choices=["echo", "bulk", "channels", "sink"])
    p.add_argument("--bytes", type=int)
    p.add_argument("--message-size", type=int)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--log-dir", default=os.path.join(REPO, ".interop-out"))
    p.add_argument("--extra", default="", help="extra arguments given to both peers")
    p.add_argument("--coturn", action="store_true", help="start coturn and pass --turn to peers")
    p.add_argument("--relay-only", action="store_true", help="pass --relay-only to both peers")
    p.add_argument("--verbose", action="store_true", help="copy the log to stderr as it grows")
    args = p.parse_args()
    ensure_netns(__file__)
    result = run_pair(args.offerer, args.answerer, args.scenario, args.bytes, args.message_size,
                      args.timeout, args.log_dir, args.extra, args.coturn, args.relay_only,
                      args.verbose)
    print(json.dumps(result), flush=True)
    sys.exit(0 if result.get("ok") else 1)


if __name__ == "__main__":
    main()
