#!/usr/bin/env python3
"""An interop peer backed by aiortc that obeys docs/INTEROP.md.

    aiortc_peer.py --role offerer|answerer [--scenario echo|bulk|channels] [options]

Signaling is one JSON object per line on stdin/stdout; logs go to stderr.
Run it with the interpreter of a venv that has aiortc (scripts/deps.sh makes
`.venv` at the repository root).

aiortc does no local trickle: every candidate is in the SDP it sends, followed
by the empty end-of-candidates candidate. Remote candidates are accepted at any
time (queued until the remote description is set).

aioice never gathers 127.0.0.1; this peer adds it (the interop namespace has
nothing else). Its UDP sockets get 4 MiB buffers (docs/INTEROP.md: loopback bursts
overflow the default receive buffer).

Known aiortc quirk worked around here (see Tests/Interop/README.md): its DCEP
DATA_CHANNEL_OPEN writes label/protocol lengths in characters, not UTF-8 bytes.
This peer fixes that by default so the `channels` scenario can pass against a
correct peer; `--keep-dcep-bug` (or AIORTC_KEEP_DCEP_BUG=1 in the environment,
handy when the other peer rejects unknown options) keeps aiortc's behaviour (to test how the other
side copes with a malformed open).
"""
import time

T0 = time.monotonic()  # "process start" for setup_ms, before the slow imports

import argparse
import asyncio
import hashlib
import json
import os
import re
import statistics
import struct
import sys

from aiortc import (
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.sdp import candidate_from_sdp

ECHO_SIZES = [1, 15, 1000, 16384, 65535, 65536, 262144]
ECHO_COUNT = 200
MIB = 1024 * 1024
DEFAULT_REMOTE_MAX = 65536


def log(*args):
    print(f"[aiortc {time.monotonic() - T0:7.3f}]", *args, file=sys.stderr, flush=True)


def send_line(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def channel_table():
    """The 16 in-band and 10 negotiated channels of the `channels` scenario."""
    kinds = [
        dict(ordered=True, maxRetransmits=None, maxPacketLifeTime=None),
        dict(ordered=False, maxRetransmits=None, maxPacketLifeTime=None),
        dict(ordered=True, maxRetransmits=0, maxPacketLifeTime=None),
        dict(ordered=False, maxRetransmits=3, maxPacketLifeTime=None),
        dict(ordered=True, maxRetransmits=None, maxPacketLifeTime=500),
    ]
    protocols = ["", "chat", "json", "ü-utf8"]
    table = []
    for i in range(16):
        spec = dict(label=f"meta-{i}", protocol=protocols[i % 4], negotiated=False, id=None)
        spec.update(kinds[i % 5])
        table.append(spec)
    for cid in range(900, 910):
        table.append(dict(label=f"meta-neg-{cid}", protocol="neg", negotiated=True, id=cid,
                          ordered=True, maxRetransmits=None, maxPacketLifeTime=None))
    return table


def describe(ch):
    return {
        "label": ch.label,
        "protocol": ch.protocol,
        "id": ch.id,
        "ordered": ch.ordered,
        "maxRetransmits": ch.maxRetransmits,
        "maxPacketLifeTime": ch.maxPacketLifeTime,
        "negotiated": ch.negotiated,
    }


def remote_max_message_size(sdp):
    m = re.search(r"^a=max-message-size:(\d+)", sdp, re.M)
    return int(m.group(1)) if m else DEFAULT_REMOTE_MAX


def make_text(n, seed):
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    base = letters[seed % 52:] + letters[:seed % 52]
    return (base * (n // 52 + 1))[:n]


def make_binary(n, seed):
    pattern = bytes((seed * 7 + k * 31) & 0xFF for k in range(256))
    return (pattern * (n // 256 + 1))[:n]


def fix_dcep_lengths():
    """Make aiortc's DATA_CHANNEL_OPEN carry UTF-8 byte lengths (RFC 8832 §5.1)."""
    from aiortc import rtcsctptransport as st

    original = st.RTCSctpTransport._data_channel_open

    def patched(self, channel):
        before = len(self._data_channel_queue)
        original(self, channel)
        # Rewrite the open message that was just queued, if the lengths differ.
        for idx in range(before, len(self._data_channel_queue)):
            ch, ppid, data = self._data_channel_queue[idx]
            if ch is not channel or ppid != st.WEBRTC_DCEP or not data or data[0] != st.DATA_CHANNEL_OPEN:
                continue
            label = channel.label.encode("utf8")
            proto = channel.protocol.encode("utf8")
            fixed = data[:8] + struct.pack("!HH", len(label), len(proto)) + label + proto
            self._data_channel_queue[idx] = (ch, ppid, fixed)

    st.RTCSctpTransport._data_channel_open = patched


def allow_loopback_candidates():
    """aioice skips 127.0.0.1 when gathering host candidates; inside the loopback-only
    interop namespace that is the only address, so offer it too."""
    import aioice.ice

    original = aioice.ice.get_host_addresses

    def with_loopback(use_ipv4, use_ipv6):
        addresses = original(use_ipv4, use_ipv6)
        if use_ipv4 and "127.0.0.1" not in addresses:
            addresses.append("127.0.0.1")
        return addresses

    aioice.ice.get_host_addresses = with_loopback


def enlarge_socket_buffers(size=4 * MIB):
    """Give aioice's UDP sockets large buffers: loopback bursts overflow the default
    ~208 KiB receive buffer and SCTP then waits for retransmission timeouts."""
    import socket
    import aioice.ice

    original = aioice.ice.StunProtocol.connection_made

    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            for opt in (socket.SO_RCVBUF, socket.SO_SNDBUF):
                try:
                    sock.setsockopt(socket.SOL_SOCKET, opt, size)
                except OSError:
                    pass
        return original(self, transport)

    aioice.ice.StunProtocol.connection_made = connection_made


class Peer:
    def __init__(self, args):
        self.args = args
        servers = []
        if args.stun:
            servers.append(RTCIceServer(urls=args.stun))
        if args.turn:
            servers.append(RTCIceServer(urls=args.turn, username=args.turn_user,
                                        credential=args.turn_pass))
        config = RTCConfiguration(iceServers=servers or None)
        if args.relay_only:
            from aiortc.rtcconfiguration import RTCIceTransportPolicy
            config.iceTransportPolicy = RTCIceTransportPolicy.RELAY
        self.pc = RTCPeerConnection(config)
        self.have_remote = False
        self.pending = []  # candidates received before the remote description
        self.remote_max = DEFAULT_REMOTE_MAX
        self.remote_set = asyncio.Event()
        self.closed = asyncio.Event()

        @self.pc.on("connectionstatechange")
        async def on_state():
            log("connection state", self.pc.connectionState)
            if self.pc.connectionState in ("closed", "failed"):
                self.closed.set()

    async def send_description(self):
        desc = self.pc.localDescription
        send_line({"type": desc.type, "sdp": desc.sdp})
        # aiortc already put every candidate in the SDP: just end gathering.
        send_line({"type": "candidate", "candidate": "", "sdpMid": "0", "sdpMLineIndex": 0})

    async def add_candidate(self, msg):
        text = msg.get("candidate") or ""
        if text.startswith("a="):
            text = text[2:]
        if text == "":
            cand = None
        else:
            if text.startswith("candidate:"):
                text = text[len("candidate:"):]
            cand = candidate_from_sdp(text)
            cand.sdpMid = msg.get("sdpMid")
            cand.sdpMLineIndex = msg.get("sdpMLineIndex")
            if cand.sdpMid is None and cand.sdpMLineIndex is None:
                cand.sdpMLineIndex = 0
        try:
            await self.pc.addIceCandidate(cand)
        except Exception as e:  # a bad remote candidate is logged, not fatal
            log("addIceCandidate failed:", repr(e), text)

    async def set_remote(self, desc_type, sdp):
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=desc_type))
        self.remote_max = remote_max_message_size(sdp)
        log(f"remote description ({desc_type}) set, remote max-message-size {self.remote_max}")
        self.have_remote = True
        for msg in self.pending:
            await self.add_candidate(msg)
        self.pending.clear()
        self.remote_set.set()

    async def handle_line(self, line):
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring non-JSON line:", line[:200])
            return
        kind = msg.get("type") if isinstance(msg, dict) else None
        if kind == "offer" and self.args.role == "answerer":
            await self.set_remote("offer", msg["sdp"])
            answer = await self.pc.createAnswer()
            await self.pc.setLocalDescription(answer)
            await self.send_description()
        elif kind == "answer" and self.args.role == "offerer":
            await self.set_remote("answer", msg["sdp"])
        elif kind == "candidate":
            if self.have_remote:
                await self.add_candidate(msg)
            else:
                self.pending.append(msg)
        else:
            log("ignoring line of type", repr(kind))

    async def read_stdin(self):
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=64 * MIB)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                log("stdin closed")
                return
            line = line.decode("utf8").strip()
            if line:
                await self.handle_line(line)


# ---------------------------------------------------------------- answerer

def attach_answerer_channel(ch):
    label = ch.label
    state = {"count": 0, "hash": hashlib.sha256()}

    @ch.on("message")
    def on_message(message):
        if label.startswith("echo"):
            ch.send(message)
        elif label.startswith("bulk"):
            if isinstance(message, bytes):
                state["count"] += len(message)
                state["hash"].update(message)
            elif message == "end":
                ch.send(f"received {state['count']} {state['hash'].hexdigest()}")
        elif label.startswith("meta"):
            ch.send(json.dumps(describe(ch)))


async def run_answerer(peer):
    pc = peer.pc

    @pc.on("datachannel")
    def on_datachannel(ch):
        log("remote opened channel", repr(ch.label), "id", ch.id)
        attach_answerer_channel(ch)

    for spec in channel_table():
        if spec["negotiated"]:
            ch = pc.createDataChannel(spec["label"], protocol=spec["protocol"],
                                      negotiated=True, id=spec["id"], ordered=True)
            attach_answerer_channel(ch)

    reader = asyncio.ensure_future(peer.read_stdin())
    closed = asyncio.ensure_future(peer.closed.wait())
    await asyncio.wait([reader, closed], return_when=asyncio.FIRST_COMPLETED)
    reader.cancel()
    closed.cancel()


# ---------------------------------------------------------------- offerer

async def wait_open(ch):
    if ch.readyState == "open":
        return
    ev = asyncio.Event()
    ch.on("open", ev.set)
    await ev.wait()


class Inbox:
    """Messages of one channel, awaited one at a time."""

    def __init__(self, ch):
        self.queue = asyncio.Queue()
        ch.on("message", self.queue.put_nowait)

    async def get(self):
        return await self.queue.get()


async def scenario_echo(peer, ch):
    inbox = Inbox(ch)
    await wait_open(ch)
    setup_ms = (time.monotonic() - T0) * 1000
    log(f"echo open after {setup_ms:.0f} ms")
    sizes = [s for s in ECHO_SIZES if s <= peer.remote_max]
    rtts = []
    for i in range(ECHO_COUNT):
        size = sizes[i % len(sizes)]
        msg = make_text(size, i) if i % 2 == 0 else make_binary(size, i)
        start = time.monotonic()
        ch.send(msg)
        got = await inbox.get()
        rtts.append((time.monotonic() - start) * 1000)
        if type(got) is not type(msg) or got != msg:
            raise RuntimeError(f"echo {i} ({type(msg).__name__}, {size} bytes) came back wrong: "
                               f"{type(got).__name__} of {len(got)}")
    return {"setup_ms": round(setup_ms, 1), "rtt_ms_median": round(statistics.median(rtts), 3)}


async def scenario_bulk(peer, ch):
    inbox = Inbox(ch)
    low = asyncio.Event()
    ch.bufferedAmountLowThreshold = 1 * MIB
    ch.on("bufferedamountlow", low.set)
    await wait_open(ch)
    setup_ms = (time.monotonic() - T0) * 1000
    total = peer.args.bytes
    size = min(peer.args.message_size, peer.remote_max)
    log(f"bulk open after {setup_ms:.0f} ms; sending {total} bytes in {size}-byte messages")
    digest = hashlib.sha256()
    sent = 0
    start = time.monotonic()
    while sent < total:
        n = min(size, total - sent)
        if ch.bufferedAmount + n > 4 * MIB:
            low.clear()
            if ch.bufferedAmount + n > 4 * MIB:
                await low.wait()
            continue
        data = os.urandom(n)
        digest.update(data)
        ch.send(data)
        sent += n
    ch.send("end")
    reply = await inbox.get()
    seconds = time.monotonic() - start
    expect = f"received {total} {digest.hexdigest()}"
    if reply != expect:
        raise RuntimeError(f"bulk reply {reply!r}, expected {expect!r}")
    return {"setup_ms": round(setup_ms, 1), "bytes": total, "seconds": round(seconds, 3),
            "mbps": round(total / seconds / 1e6, 2)}


async def scenario_channels(peer, chans):
    async def one(spec, ch):
        inbox = Inbox(ch)
        await wait_open(ch)
        ch.send("hello")
        reply = await inbox.get()
        want = dict(spec)
        want["id"] = ch.id
        try:
            got = json.loads(reply)
        except (TypeError, ValueError):
            raise RuntimeError(f"{spec['label']}: reply is not JSON: {reply!r}")
        if got != want:
            raise RuntimeError(f"{spec['label']}: answerer sees {got}, created {want}")

    await asyncio.gather(*(one(spec, ch) for spec, ch in chans))
    return {"channels": len(chans)}


async def run_offerer(peer):
    args = peer.args
    pc = peer.pc
    if args.scenario == "echo":
        ch = pc.createDataChannel("echo", ordered=True)
        work = scenario_echo(peer, ch)
    elif args.scenario == "bulk":
        ch = pc.createDataChannel("bulk", ordered=True)
        work = scenario_bulk(peer, ch)
    else:
        chans = []
        for spec in channel_table():
            ch = pc.createDataChannel(spec["label"], protocol=spec["protocol"],
                                      negotiated=spec["negotiated"], id=spec["id"],
                                      ordered=spec["ordered"],
                                      maxRetransmits=spec["maxRetransmits"],
                                      maxPacketLifeTime=spec["maxPacketLifeTime"])
            chans.append((spec, ch))
        work = scenario_channels(peer, chans)

    offer = await pc.createOffer()
    await pc.setLocalDescription(offer)
    await peer.send_description()
    reader = asyncio.ensure_future(peer.read_stdin())
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait([task, reader], return_when=asyncio.FIRST_COMPLETED)
    if task not in done:
        # stdin ended first; keep going (the answerer may still be talking).
        if reader.exception():
            raise reader.exception()
        await task
    reader.cancel()
    return task.result()


async def main(args):
    peer = Peer(args)
    try:
        if args.role == "offerer":
            try:
                fields = await asyncio.wait_for(run_offerer(peer), args.timeout)
            except asyncio.TimeoutError:
                raise RuntimeError(f"timeout after {args.timeout} s")
            result = {"type": "result", "ok": True, "scenario": args.scenario}
            result.update(fields)
            send_line(result)
            return 0
        try:
            await asyncio.wait_for(run_answerer(peer), args.timeout)
        except asyncio.TimeoutError:
            log(f"answerer timeout after {args.timeout} s")
            return 1
        return 0
    except Exception as e:
        log("failure:", repr(e))
        if args.role == "offerer":
            send_line({"type": "result", "ok": False, "error": str(e) or repr(e)})
        return 1
    finally:
        try:
            await asyncio.wait_for(peer.pc.close(), 2)
        except Exception:
            pass


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
    p.add_argument("--keep-dcep-bug", action="store_true",
                   help="do not fix aiortc's character-count DCEP lengths")
    return p.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    allow_loopback_candidates()
    enlarge_socket_buffers()
    if not (args.keep_dcep_bug or os.environ.get("AIORTC_KEEP_DCEP_BUG") == "1"):
        fix_dcep_lengths()
    code = asyncio.run(main(args))
    sys.stdout.flush()
    os._exit(code)
