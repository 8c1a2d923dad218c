#!/usr/bin/env python3
"""Self-tests of harness.py with scripted fake peers (stdlib unittest, ~10 s).

    python3 Tests/Interop/test_harness.py

Each case runs the real harness CLI (so the network-namespace re-execution is
exercised too) against a tiny fake peer whose behaviour is chosen by --fake.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "harness.py")

FAKE = r'''
import json, sys, time, os
args = sys.argv[1:]
mode = args[args.index("--fake") + 1]
role = args[args.index("--role") + 1]
def out(o):
    sys.stdout.write(json.dumps(o) + "\n"); sys.stdout.flush()
def ifaces():
    return [l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]]
if role == "answerer":
    if mode == "answerer-crash":
        sys.exit(7)
    seen = []
    for line in sys.stdin:
        msg = json.loads(line)
        seen.append(msg.get("type"))
        if msg.get("type") == "offer":
            out({"type": "answer", "sdp": "fake"})
            out({"type": "mystery"})
    # stdin ended: report what arrived through stderr for the log
    print("answerer saw " + ",".join(seen), file=sys.stderr)
    sys.exit(0)
out({"type": "offer", "sdp": "fake"})
out({"type": "candidate", "candidate": "", "sdpMid": "0", "sdpMLineIndex": 0})
if mode == "hang":
    time.sleep(100)
for line in sys.stdin:
    if json.loads(line).get("type") == "answer":
        break
if mode == "bad-exit":
    out({"type": "result", "ok": True, "scenario": "echo"}); sys.exit(3)
out({"type": "result", "ok": True, "scenario": "echo", "ifaces": ifaces(),
     "extra": "--marker" in args})
'''


class HarnessTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="interop-selftest-")
        cls.fake = os.path.join(cls.tmp, "fake_peer.py")
        with open(cls.fake, "w") as f:
            f.write(FAKE)

    def run_harness(self, offerer_mode, answerer_mode="ok", timeout=5, extra=""):
        cmd = [sys.executable, HARNESS,
               "--offerer", f"{sys.executable} {self.fake} --fake {offerer_mode}",
               "--answerer", f"{sys.executable} {self.fake} --fake {answerer_mode}",
               "--timeout", str(timeout), "--log-dir", self.tmp]
        if extra:
            cmd.append(f"--extra={extra}")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        with open(result["log"]) as f:
            log = f.read()
        return proc.returncode, result, log

    def test_ok_result_is_captured_not_forwarded_and_runs_in_loopback_namespace(self):
        code, result, log = self.run_harness("ok", extra="--marker")
        self.assertEqual(code, 0)
        self.assertTrue(result["ok"])
        self.assertEqual(result["ifaces"], ["lo"])
        self.assertTrue(result["extra"])
        self.assertEqual(result["offerer_exit"], 0)
        self.assertEqual(result["answerer_exit"], 0)
        # The answerer got exactly the offer and the candidate: the result stayed with us.
        self.assertIn("answerer saw offer,candidate\n", log)

    def test_offerer_timeout_fails_and_kills(self):
        code, result, _ = self.run_harness("hang", timeout=2)
        self.assertEqual(code, 1)
        self.assertFalse(result["ok"])
        self.assertIn("timeout", result["error"])
        self.assertLess(result["wall_s"], 12)

    def test_answerer_crash_fails_fast(self):
        code, result, _ = self.run_harness("hang", "answerer-crash", timeout=30)
        self.assertEqual(code, 1)
        self.assertIn("answerer exited (7)", result["error"])
        self.assertLess(result["wall_s"], 10)

    def test_ok_result_then_nonzero_exit_is_a_failure(self):
        code, result, _ = self.run_harness("bad-exit")
        self.assertEqual(code, 1)
        self.assertFalse(result["ok"])
        self.assertIn("exited 3", result["error"])

    def test_fake_namespace_marker_is_refused(self):
        env = dict(os.environ, SWIFT_WEBRTC_INTEROP_NETNS="1")
        with open("/proc/net/dev") as f:
            only_lo = f.read().count(":") <= 1
        if only_lo:
            self.skipTest("already inside a loopback-only namespace")
        proc = subprocess.run([sys.executable, HARNESS, "--offerer", "x", "--answerer", "y"],
                              capture_output=True, text=True, env=env, timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("loopback-only", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
