#!/usr/bin/env python3
"""Benchmark WebRTC stacks against themselves through the interop harness (docs/INTEROP.md).

    Benchmarks/bench.py [--stacks ours,aiortc,pion,chromium] [--runs 5]
                        [--workloads echo,bulk64k,bulk1k] [--bytes N] [--timeout S]
                        [--json FILE] [--log-dir D]

Each stack runs against itself (ours↔ours, aiortc↔aiortc, pion↔pion,
chromium↔chromium). Runs are interleaved — run 1 of every stack and workload,
then run 2, … — so slow drifts of a shared machine spread over all stacks.
Workloads: `echo` (setup_ms, rtt_ms_median), `bulk64k` and `bulk1k` (`--bytes`,
default 64 MiB, in 65,536- and 1,024-byte messages; mbps). Prints per stack and
workload the median and min–max of each figure, and how many runs passed.
Stacks that are not built (ours: .build/debug/webrtc-peer or $WEBRTC_PEER;
pion: Benchmarks/pion-peer/pion-peer, see its build.sh) are skipped with a note.
Everything runs inside the loopback-only namespace of Tests/Interop/harness.py.
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "Tests", "Interop"))
import harness  # noqa: E402
import matrix  # noqa: E402

WORKLOADS = {
    "echo": dict(scenario="echo", message_size=None, figures=("setup_ms", "rtt_ms_median")),
    "bulk64k": dict(scenario="bulk", message_size=65536, figures=("setup_ms", "mbps", "seconds")),
    "bulk1k": dict(scenario="bulk", message_size=1024, figures=("setup_ms", "mbps", "seconds")),
}


def median_of(runs, key):
    vals = [r[key] for r in runs if r.get("ok") and isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals else None


def print_ratios(results, stacks, workloads):
    """Ours against the best other stack, per workload and figure (issue 7's targets)."""
    if "ours" not in stacks or len(stacks) < 2:
        return
    print()
    print("ours vs the best other stack (medians):")
    for w in workloads:
        for key, higher_better in (("setup_ms", False), ("rtt_ms_median", False), ("mbps", True)):
            if (key == "rtt_ms_median") != (w == "echo") and key != "setup_ms":
                continue
            ours = median_of(results[("ours", w)], key)
            others = {s: median_of(results[(s, w)], key) for s in stacks if s != "ours"}
            others = {s: v for s, v in others.items() if v is not None}
            if ours is None or not others:
                continue
            best_stack = (max if higher_better else min)(others, key=others.get)
            best = others[best_stack]
            ratio = (ours / best) if higher_better else (best / ours if ours else float("inf"))
            print(f"  {w:8} {key:14} ours {ours:9.2f}  best other {best_stack:8} {best:9.2f}  "
                  f"=> ours is {ratio:.2f}x {'(better)' if ratio >= 1 else '(worse)'}")


def summarize(values):
    if not values:
        return "-"
    med = statistics.median(values)
    return f"{med:.2f} ({min(values):.2f}–{max(values):.2f})"


def main():
    p = argparse.ArgumentParser(description="Interleaved self-pair benchmarks of WebRTC stacks.")
    p.add_argument("--stacks", default="ours,aiortc,pion,chromium")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--workloads", default="echo,bulk64k,bulk1k")
    p.add_argument("--bytes", type=int, default=64 * 1024 * 1024)
    p.add_argument("--timeout", type=float, default=180)
    p.add_argument("--json", help="write every run's result to this file")
    p.add_argument("--log-dir")
    args = p.parse_args()
    harness.ensure_netns(__file__)

    peers = matrix.peer_commands()
    stacks = []
    for name in matrix.split_list(args.stacks):
        if name not in peers:
            sys.exit(f"bench: unknown stack {name!r}")
        if peers[name][1]:
            print(f"bench: skipping {name}: {peers[name][1]}", file=sys.stderr)
            continue
        stacks.append(name)
    workloads = matrix.split_list(args.workloads)
    for w in workloads:
        if w not in WORKLOADS:
            sys.exit(f"bench: unknown workload {w!r} (known: {', '.join(WORKLOADS)})")
    log_dir = args.log_dir or os.path.join(REPO, ".interop-out", "bench-" + time.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(log_dir, exist_ok=True)

    results = {(s, w): [] for s in stacks for w in workloads}
    every = []
    started = time.monotonic()
    for run in range(1, args.runs + 1):
        for w in workloads:
            spec = WORKLOADS[w]
            for s in stacks:
                cmd = peers[s][0]
                r = harness.run_pair(cmd, cmd, scenario=spec["scenario"],
                                     nbytes=args.bytes if spec["scenario"] == "bulk" else None,
                                     message_size=spec["message_size"], timeout=args.timeout,
                                     log_dir=log_dir, name=f"{s}-{w}-run{run}")
                results[(s, w)].append(r)
                every.append(dict(stack=s, workload=w, run=run, **r))
                figs = ", ".join(f"{k}={r.get(k)}" for k in spec["figures"] if k in r)
                status = "ok" if r.get("ok") else f"FAIL {r.get('error')}"
                print(f"run {run} {s:8} {w:8} {status} {figs} (wall {r.get('wall_s')} s)",
                      file=sys.stderr, flush=True)

    header = ("stack", "workload", "ok", "setup_ms", "rtt_ms", "mbps", "seconds")
    table = [header]
    for w in workloads:
        for s in stacks:
            runs = results[(s, w)]
            good = [r for r in runs if r.get("ok")]

            def col(key):
                return summarize([r[key] for r in good if isinstance(r.get(key), (int, float))])

            table.append((s, w, f"{len(good)}/{len(runs)}", col("setup_ms"),
                          col("rtt_ms_median") if w == "echo" else "-",
                          col("mbps") if w != "echo" else "-",
                          col("seconds") if w != "echo" else "-"))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    print(f"median (min–max) over {args.runs} interleaved runs; bulk {args.bytes} bytes; "
          f"{time.monotonic() - started:.0f} s total")
    for i, row in enumerate(table):
        print("  ".join(str(v).ljust(widths[j]) for j, v in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print_ratios(results, stacks, workloads)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(every, f, indent=1)
    failed = sum(1 for r in every if not r.get("ok"))
    if failed:
        print(f"{failed} runs failed; logs in {log_dir}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
