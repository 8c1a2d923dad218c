#!/usr/bin/env python3
"""An interop peer (docs/INTEROP.md) backed by headless Chromium (stdlib only).

    chromium_peer.py --role offerer|answerer [--scenario echo|bulk|channels] [options]

Starts /usr/lib/chromium/chromium (or $CHROMIUM) with `--remote-debugging-pipe`
(DevTools commands in on fd 3, replies out on fd 4, NUL-terminated JSON), loads
chromium_peer.html from a file:// URL (a secure context) and hands it the
options. The page runs the interop peer logic with RTCPeerConnection; its
signaling lines reach this process through the `toPython` binding
(Runtime.addBinding) and go to stdout; stdin lines go to the page through
Runtime.evaluate. Chromium's own logs and the page's logs go to stderr.

The flags are those of docs/INTEROP.md (Chromium), so host candidates are
raw 127.0.0.1 (run it inside the loopback-only namespace of harness.py).
"""
import time

T0 = time.monotonic()  # "process start" for setup_ms

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = os.path.join(HERE, "chromium_peer.html")
MIB = 1024 * 1024


def log(*args):
    print(f"[chromium-driver {time.monotonic() - T0:7.3f}]", *args, file=sys.stderr, flush=True)


def chromium_binary():
    exe = os.environ.get("CHROMIUM") or "/usr/lib/chromium/chromium"
    if not os.path.exists(exe):
        raise SystemExit(f"chromium not found at {exe} (apt-get install chromium, or set CHROMIUM)")
    return exe


def chromium_flags(user_data_dir):
    return [
        "--headless=new", "--no-sandbox", "--remote-debugging-pipe",
        "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE [::1]",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--no-pings",
        "--disable-domain-reliability", "--no-first-run", "--disable-breakpad",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-gpu", "--mute-audio",
        f"--user-data-dir={user_data_dir}",
        "about:blank",
    ]


class DevTools:
    """A DevTools-protocol client over Chromium's pipe (fd 3 in, fd 4 out)."""

    def __init__(self, write_fd, read_fd, on_event):
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.on_event = on_event
        self.next_id = 0
        self.lock = threading.Lock()
        self.replies = {}
        self.cond = threading.Condition()
        self.closed = False
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self.read_fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                try:
                    msg = json.loads(raw)
                except ValueError:
                    log("bad DevTools message", raw[:200])
                    continue
                if "id" in msg:
                    with self.cond:
                        self.replies[msg["id"]] = msg
                        self.cond.notify_all()
                else:
                    try:
                        self.on_event(msg)
                    except Exception as e:  # keep reading whatever a handler does
                        log("event handler failed:", repr(e))
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        self.on_event({"method": "_pipe_closed"})

    def send(self, method, params=None, session=None):
        """Send a command; returns its id (use `wait` for the reply)."""
        with self.lock:
            self.next_id += 1
            cid = self.next_id
            msg = {"id": cid, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            data = json.dumps(msg).encode("utf8") + b"\0"
            view = memoryview(data)
            while view:
                n = os.write(self.write_fd, view)
                view = view[n:]
        return cid

    def wait(self, cid, timeout=20):
        deadline = time.monotonic() + timeout
        with self.cond:
            while cid not in self.replies:
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise RuntimeError(f"no DevTools reply to command {cid}")
                self.cond.wait(left)
            msg = self.replies.pop(cid)
        if "error" in msg:
            raise RuntimeError(f"DevTools error: {msg['error']}")
        return msg.get("result", {})

    def call(self, method, params=None, session=None, timeout=20):
        return self.wait(self.send(method, params, session), timeout)


class Driver:
    def __init__(self, args):
        self.args = args
        self.exit_code = None
        self.done = threading.Event()
        self.loaded = threading.Event()
        self.session = None
        self.stdout_lock = threading.Lock()
        self.sent_result = False

    # -- events from the browser
    def on_event(self, msg):
        method = msg.get("method")
        params = msg.get("params", {})
        if method == "Runtime.bindingCalled" and params.get("name") == "toPython":
            self.on_page(params.get("payload", ""))
        elif method == "Page.loadEventFired":
            self.loaded.set()
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            log("console:", text)
        elif method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            log("page exception:", d.get("exception", {}).get("description") or d.get("text"))
        elif method in ("Inspector.targetCrashed", "Target.targetCrashed"):
            self.finish(1, "the page crashed")
        elif method == "_pipe_closed":
            self.finish(1, "Chromium closed the DevTools pipe")

    def on_page(self, payload):
        try:
            msg = json.loads(payload)
        except ValueError:
            log("bad payload from page:", payload[:200])
            return
        if "line" in msg:
            line = msg["line"]
            if isinstance(line, dict) and line.get("type") == "result":
                self.sent_result = True
            self.write_line(line)
        elif "log" in msg:
            log("page:", msg["log"])
        elif "exit" in msg:
            self.finish(int(msg["exit"]))

    def write_line(self, obj):
        with self.stdout_lock:
            try:
                sys.stdout.write(json.dumps(obj) + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                pass

    def finish(self, code, why=None):
        if self.done.is_set():
            return
        if why:
            log(why)
            if self.args.role == "offerer" and not self.sent_result:
                self.sent_result = True
                self.write_line({"type": "result", "ok": False, "error": why})
        self.exit_code = code
        self.done.set()

    # -- stdin to the page
    def pump_stdin(self, devtools):
        for raw in sys.stdin.buffer:
            line = raw.decode("utf8", "replace").strip()
            if not line:
                continue
            devtools.send("Runtime.evaluate", {"expression": f"onSignal({json.dumps(line)})"},
                          self.session)
        devtools.send("Runtime.evaluate", {"expression": "onStdinEnd()"}, self.session)

    def page_config(self):
        a = self.args
        return {
            "role": a.role, "scenario": a.scenario, "bytes": a.bytes, "messageSize": a.message_size,
            "stun": a.stun, "turn": a.turn, "turnUser": a.turn_user, "turnPass": a.turn_pass,
            "relayOnly": a.relay_only, "timeout": a.timeout,
            "elapsedAtStartMs": (time.monotonic() - T0) * 1000,
        }

    def run(self):
        profile = tempfile.mkdtemp(prefix="interop-chromium-")
        cmd_r, cmd_w = os.pipe()    # we write commands, Chromium reads fd 3
        out_r, out_w = os.pipe()    # Chromium writes fd 4, we read

        def child_fds():
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(out_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        proc = None
        try:
            proc = subprocess.Popen([chromium_binary()] + chromium_flags(profile),
                                    stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                                    stderr=sys.stderr.fileno(), preexec_fn=child_fds,
                                    pass_fds=(3, 4), start_new_session=True)
            os.close(cmd_r)
            os.close(out_w)
            dt = DevTools(cmd_w, out_r, self.on_event)
            targets = dt.call("Target.getTargets")["targetInfos"]
            pages = [t for t in targets if t.get("type") == "page"]
            target = pages[0]["targetId"] if pages else \
                dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = dt.call("Target.attachToTarget",
                                   {"targetId": target, "flatten": True})["sessionId"]
            dt.call("Browser.grantPermissions", {"permissions": ["audioCapture", "videoCapture"]})
            dt.call("Runtime.enable", session=self.session)
            dt.call("Page.enable", session=self.session)
            dt.call("Runtime.addBinding", {"name": "toPython"}, self.session)
            dt.call("Page.navigate", {"url": "file://" + PAGE}, self.session)
            if not self.loaded.wait(15):
                raise RuntimeError("the peer page did not load")
            started = dt.call("Runtime.evaluate",
                              {"expression": f"startPeer({json.dumps(self.page_config())})",
                               "returnByValue": True}, self.session)
            if "exceptionDetails" in started:
                raise RuntimeError(f"startPeer failed: {started['exceptionDetails']}")
            log(f"page started ({(time.monotonic() - T0) * 1000:.0f} ms after process start)")
            threading.Thread(target=self.pump_stdin, args=(dt,), daemon=True).start()
            # The page enforces --timeout itself; this is only a backstop.
            if not self.done.wait(self.args.timeout + 3):
                self.finish(1, f"timeout after {self.args.timeout} s (driver)")
            try:
                dt.call("Browser.close", timeout=3)
            except Exception:
                pass
        except Exception as e:
            self.finish(1, f"driver: {e}")
        finally:
            if proc is not None:
                try:
                    proc.wait(3)
                except subprocess.TimeoutExpired:
                    pass
                for sig in (15, 9):
                    try:
                        os.killpg(proc.pid, sig)
                    except ProcessLookupError:
                        break
                    try:
                        proc.wait(2)
                    except subprocess.TimeoutExpired:
                        pass
            shutil.rmtree(profile, ignore_errors=True)
        return self.exit_code if self.exit_code is not None else 1


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--role", required=True, choices=["offerer", "answerer"])
    p.add_argument("--scenario", default="echo", choices=["echo", "bulk", "channels"])
    p.add_argument("--bytes", type=int, default=64 * MIB)
    p.add_argument("--message-size", type=int, default=65536)
    p.add_argument("--stun")
    p.add_argument("--turn")
    p.add_argument("--turn-user")
    p.add_argument("--turn-pass")
    p.add_argument("--relay-only", action="store_true")
    p.add_argument("--timeout", type=float, default=60)
    return p.parse_args(argv)


if __name__ == "__main__":
    code = Driver(parse_args()).run()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
