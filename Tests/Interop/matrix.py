#!/usr/bin/env python3
"""Run a matrix of interop peer pairs (docs/INTEROP.md) × scenarios and print a table.

    matrix.py [--peers aiortc,chromium] [--pairs ours:aiortc,ours:chromium]
              [--one-way] [--scenarios echo,bulk,channels] [--bulk-bytes N]
              [--message-size N] [--relay] [--relay-only-cases] [--timeout S]
              [--optional PATTERN,...] [--log-dir D] [--json FILE] [--verbose]

Peer names: `ours` ($WEBRTC_PEER or .build/debug/webrtc-peer), `aiortc`
(.venv/bin/python Tests/Interop/peers/aiortc_peer.py), `chromium`
(Tests/Interop/peers/chromium_peer.py), `pion` (Benchmarks/pion-peer/pion-peer).
`--peers a,b` runs every ordered pair of those peers (self pairs included);
`--pairs x:y` runs x as offerer with y as answerer and, unless `--one-way`,
the reverse too. `--relay` adds, per pair, an echo case relayed through coturn
with `--relay-only` on both sides. Every case is required to pass unless it
matches an `--optional` pattern (`offerer:answerer/scenario`, fnmatch
wildcards, e.g. `ours:*/channels`). Exits 1 if a required case fails.
Runs inside the loopback-only network namespace of harness.py.
"""
import argparse
import fnmatch
import json
import os
import shlex
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402

REPO = harness.REPO


def peer_commands():
    """Peer name → (command, missing-reason or None)."""
    ours = os.environ.get("WEBRTC_PEER") or os.path.join(REPO, ".build", "debug", "webrtc-peer")
    venv_py = os.environ.get("AIORTC_PYTHON") or os.path.join(REPO, ".venv", "bin", "python")
    pion = os.environ.get("PION_PEER") or os.path.join(REPO, "Benchmarks", "pion-peer", "pion-peer")
    chromium = os.environ.get("CHROMIUM") or "/usr/lib/chromium/chromium"
    peers = {
        "ours": (shlex.quote(ours), None if os.access(ours, os.X_OK) else f"{ours} not built"),
        "aiortc": (f"{shlex.quote(venv_py)} {shlex.quote(os.path.join(HERE, 'peers', 'aiortc_peer.py'))}",
                   None if os.access(venv_py, os.X_OK) else f"{venv_py} missing (scripts/deps.sh)"),
        "chromium": (f"{shlex.quote(sys.executable)} "
                     f"{shlex.quote(os.path.join(HERE, 'peers', 'chromium_peer.py'))}",
                     None if os.path.exists(chromium) else f"{chromium} missing"),
        "pion": (shlex.quote(pion), None if os.access(pion, os.X_OK) else f"{pion} not built"),
    }
    # An earlier build of our peer, for before/after comparisons in one bench run.
    baseline = os.environ.get("WEBRTC_PEER_BASELINE")
    if baseline:
        peers["ours-baseline"] = (shlex.quote(baseline), None if os.access(baseline, os.X_OK) else f"{baseline} not built")
    return peers


def split_list(text):
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def build_cases(args):
    pairs = []
    for a in split_list(args.peers):
        for b in split_list(args.peers):
            pairs.append((a, b))
    for spec in split_list(args.pairs):
        if ":" not in spec:
            sys.exit(f"matrix: bad pair {spec!r} (want offerer:answerer)")
        a, b = spec.split(":", 1)
        pairs.append((a, b))
        if not args.one_way:
            pairs.append((b, a))
    seen, unique = set(), []
    for p in pairs:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    cases = []
    for a, b in unique:
        if not args.relay_only_cases:
            for sc in split_list(args.scenarios):
                cases.append(dict(offerer=a, answerer=b, scenario=sc, relay=False))
        if args.relay or args.relay_only_cases:
            cases.append(dict(offerer=a, answerer=b, scenario="echo", relay=True))
    return cases


def case_name(c):
    return f"{c['offerer']}:{c['answerer']}/{c['scenario']}{'+relay' if c['relay'] else ''}"


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


# docs/INTEROP.md `sink`: the answerer never reads, so the stack must push back on the sender.
SINK_MAX_RSS_MIB = 64
SINK_MAX_ACCEPTED = 64 * 1024 * 1024


def judge_sink(result):
    rss = result.get("answerer_peak_rss_mib")
    accepted = result.get("bytes_accepted", 0)
    if rss is not None and rss > SINK_MAX_RSS_MIB:
        return dict(result, ok=False, error=f"answerer peak RSS {rss} MiB > {SINK_MAX_RSS_MIB} MiB")
    if accepted > SINK_MAX_ACCEPTED:
        return dict(result, ok=False, error=f"{accepted} bytes accepted by a receiver that never reads")
    return result


def main():
    p = argparse.ArgumentParser(description="Run the interop matrix.")
    p.add_argument("--peers", default="", help="comma list; every ordered pair of them")
    p.add_argument("--pairs", default="", help="comma list of offerer:answerer")
    p.add_argument("--one-way", action="store_true", help="--pairs run only in the given roles")
    p.add_argument("--scenarios", default="echo,bulk,channels")
    p.add_argument("--bulk-bytes", type=int, default=8 * 1024 * 1024)
    p.add_argument("--message-size", type=int)
    p.add_argument("--relay", action="store_true", help="add a coturn relay-only echo case per pair")
    p.add_argument("--relay-only-cases", action="store_true", help="run only the relay cases")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--optional", default="", help="comma list of fnmatch patterns allowed to fail")
    p.add_argument("--log-dir", default=None)
    p.add_argument("--json", help="write every result to this file")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    if not args.peers and not args.pairs:
        args.peers = "aiortc,chromium"
    harness.ensure_netns(__file__)

    peers = peer_commands()
    cases = build_cases(args)
    for c in cases:
        for role in ("offerer", "answerer"):
            name = c[role]
            if name not in peers:
                sys.exit(f"matrix: unknown peer {name!r} (known: {', '.join(peers)})")
            if peers[name][1]:
                sys.exit(f"matrix: peer {name!r} unavailable: {peers[name][1]}")
    optional = split_list(args.optional)
    log_dir = args.log_dir or os.path.join(REPO, ".interop-out", time.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(log_dir, exist_ok=True)

    rows = []
    started = time.monotonic()
    for c in cases:
        name = case_name(c)
        print(f"… {name}", file=sys.stderr, flush=True)
        result = harness.run_pair(
            peers[c["offerer"]][0], peers[c["answerer"]][0], scenario=c["scenario"],
            nbytes=args.bulk_bytes if c["scenario"] == "bulk" else None,
            message_size=args.message_size if c["scenario"] == "bulk" else None,
            timeout=args.timeout, log_dir=log_dir, coturn=c["relay"], relay_only=c["relay"],
            verbose=args.verbose, name=name.replace(":", "-").replace("/", "-").replace("+", "-"))
        if c["scenario"] == "sink" and result.get("ok"):
            result = judge_sink(result)
        required = not any(fnmatch.fnmatch(name, pat) for pat in optional)
        rows.append((name, c, result, required))
        status = "ok" if result.get("ok") else f"FAIL: {result.get('error')}"
        print(f"  {name}: {status} ({result.get('wall_s')} s)", file=sys.stderr, flush=True)

    header = ("pair", "scenario", "ok", "setup_ms", "rtt_ms", "mbps", "seconds", "wall_s",
              "relayed_kB")
    table = [header]
    for name, c, r, required in rows:
        ok = "ok" if r.get("ok") else ("FAIL" if required else "fail (optional)")
        table.append((f"{c['offerer']}→{c['answerer']}",
                      c["scenario"] + ("+relay" if c["relay"] else ""), ok,
                      fmt(r.get("setup_ms"), 0), fmt(r.get("rtt_ms_median"), 2),
                      fmt(r.get("mbps"), 2), fmt(r.get("seconds"), 2), fmt(r.get("wall_s"), 2),
                      fmt(r["relayed_bytes"] // 1000 if "relayed_bytes" in r else None)))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(str(v).ljust(widths[j]) for j, v in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    failed = [(n, r) for n, c, r, req in rows if req and not r.get("ok")]
    for n, r in failed:
        print(f"FAILED {n}: {r.get('error')}  (log: {r.get('log')})")
    total = time.monotonic() - started
    print(f"{len(rows)} cases, {len(failed)} required failures, {total:.1f} s; logs in {log_dir}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([dict(case=n, required=req, **r) for n, c, r, req in rows], f, indent=1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
