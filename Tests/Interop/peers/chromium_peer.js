// The interop peer logic (docs/INTEROP.md) for headless Chromium, driven by chromium_peer.py.
//
// Python → page: `startPeer(config)` once, then `onSignal(line)` per stdin line
// and `onStdinEnd()` at EOF (all via Runtime.evaluate).
// Page → Python: the `toPython` binding (Runtime.addBinding) with a JSON string:
// {"line": obj} (one stdout line), {"log": text} (stderr), {"exit": code}.
'use strict';

const ECHO_SIZES = [1, 15, 1000, 16384, 65535, 65536, 262144];
const ECHO_COUNT = 200;
const MIB = 1024 * 1024;
const DEFAULT_REMOTE_MAX = 65536;

let cfg = null;
let pc = null;
let startPerf = 0;
let haveRemote = false;
let remoteMax = DEFAULT_REMOTE_MAX;
let exited = false;
const pendingRemote = [];   // remote candidates that came before the remote description
const pendingLocal = [];    // local candidates gathered before our description went out
let descriptionSent = false;
let chain = Promise.resolve();

function post(obj) { toPython(JSON.stringify(obj)); }
function sendLine(obj) { post({ line: obj }); }
function log(...args) { post({ log: args.map(String).join(' ') }); }
function exit(code) {
  if (exited) return;
  exited = true;
  try { if (pc) pc.close(); } catch (e) { /* closing twice is fine */ }
  post({ exit: code });
}
function elapsedMs() { return cfg.elapsedAtStartMs + (performance.now() - startPerf); }

// ------------------------------------------------------------------ SHA-256 (incremental)
// FIPS 180-4 §6.2; WebCrypto has no streaming digest.
const K256 = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

class Sha256 {
  constructor() {
    this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.block = new Uint8Array(64);
    this.fill = 0;
    this.length = 0;
    this.w = new Uint32Array(64);
  }
  compress(buf, off) {
    const w = this.w, h = this.h;
    for (let i = 0; i < 16; i++) {
      const j = off + 4 * i;
      w[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  update(bytes) {
    let i = 0;
    this.length += bytes.length;
    if (this.fill > 0) {
      while (i < bytes.length && this.fill < 64) this.block[this.fill++] = bytes[i++];
      if (this.fill < 64) return;
      this.compress(this.block, 0);
      this.fill = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) this.compress(bytes, i);
    while (i < bytes.length) this.block[this.fill++] = bytes[i++];
  }
  hex() {
    const bits = this.length * 8;
    const pad = new Uint8Array(((this.fill < 56) ? 56 : 120) - this.fill + 8);
    pad[0] = 0x80;
    const hi = Math.floor(bits / 0x100000000), lo = bits >>> 0;
    const n = pad.length;
    pad[n - 8] = hi >>> 24; pad[n - 7] = hi >>> 16; pad[n - 6] = hi >>> 8; pad[n - 5] = hi;
    pad[n - 4] = lo >>> 24; pad[n - 3] = lo >>> 16; pad[n - 2] = lo >>> 8; pad[n - 1] = lo;
    const saved = this.length;
    this.update(pad);
    this.length = saved;
    return Array.from(this.h, (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

// ------------------------------------------------------------------ shared helpers

function channelTable() {
  const kinds = [
    { ordered: true, maxRetransmits: null, maxPacketLifeTime: null },
    { ordered: false, maxRetransmits: null, maxPacketLifeTime: null },
    { ordered: true, maxRetransmits: 0, maxPacketLifeTime: null },
    { ordered: false, maxRetransmits: 3, maxPacketLifeTime: null },
    { ordered: true, maxRetransmits: null, maxPacketLifeTime: 500 },
  ];
  const protocols = ['', 'chat', 'json', 'ü-utf8'];
  const table = [];
  for (let i = 0; i < 16; i++) {
    table.push(Object.assign({ label: `meta-${i}`, protocol: protocols[i % 4], negotiated: false, id: null },
                             kinds[i % 5]));
  }
  for (let id = 900; id < 910; id++) {
    table.push({ label: `meta-neg-${id}`, protocol: 'neg', negotiated: true, id,
                 ordered: true, maxRetransmits: null, maxPacketLifeTime: null });
  }
  return table;
}

function channelInit(spec) {
  const init = { ordered: spec.ordered, protocol: spec.protocol };
  if (spec.maxRetransmits !== null) init.maxRetransmits = spec.maxRetransmits;
  if (spec.maxPacketLifeTime !== null) init.maxPacketLifeTime = spec.maxPacketLifeTime;
  if (spec.negotiated) { init.negotiated = true; init.id = spec.id; }
  return init;
}

function describe(ch) {
  return {
    label: ch.label, protocol: ch.protocol, id: ch.id, ordered: ch.ordered,
    maxRetransmits: ch.maxRetransmits, maxPacketLifeTime: ch.maxPacketLifeTime,
    negotiated: ch.negotiated,
  };
}

function remoteMaxMessageSize(sdp) {
  const m = /^a=max-message-size:(\d+)/m.exec(sdp);
  return m ? parseInt(m[1], 10) : DEFAULT_REMOTE_MAX;
}

function makeText(n, seed) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const base = letters.slice(seed % 52) + letters.slice(0, seed % 52);
  return base.repeat(Math.floor(n / 52) + 1).slice(0, n);
}

function makeBinary(n, seed) {
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = (seed * 7 + (k & 255) * 31) & 0xff;
  return out;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameJson(a, b) {
  const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
  if (JSON.stringify(ka) !== JSON.stringify(kb)) return false;
  return ka.every((k) => a[k] === b[k]);
}

function waitOpen(ch) {
  if (ch.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    ch.addEventListener('open', () => resolve(), { once: true });
    ch.addEventListener('close', () => reject(new Error(`channel ${ch.label} closed before open`)), { once: true });
  });
}

/** Messages of one channel, awaited one at a time. */
class Inbox {
  constructor(ch) {
    this.items = [];
    this.waiters = [];
    ch.binaryType = 'arraybuffer';
    ch.addEventListener('message', (ev) => {
      const w = this.waiters.shift();
      if (w) w(ev.data); else this.items.push(ev.data);
    });
  }
  get() {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

// ------------------------------------------------------------------ signaling

function onLocalCandidate(ev) {
  const c = ev.candidate;
  const line = c && c.candidate
    ? { type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex }
    : (c ? null : { type: 'candidate', candidate: '', sdpMid: '0', sdpMLineIndex: 0 });
  if (!line) return;  // Chromium's per-transport empty candidate; the null one ends gathering
  if (descriptionSent) sendLine(line); else pendingLocal.push(line);
}

async function sendDescription() {
  const d = pc.localDescription;
  sendLine({ type: d.type, sdp: d.sdp });
  descriptionSent = true;
  for (const line of pendingLocal.splice(0)) sendLine(line);
}

async function addRemoteCandidate(msg) {
  const init = { candidate: msg.candidate || '' };
  if (msg.sdpMid !== undefined && msg.sdpMid !== null) init.sdpMid = msg.sdpMid;
  if (msg.sdpMLineIndex !== undefined && msg.sdpMLineIndex !== null) init.sdpMLineIndex = msg.sdpMLineIndex;
  if (init.sdpMid === undefined && init.sdpMLineIndex === undefined) init.sdpMLineIndex = 0;
  try {
    await pc.addIceCandidate(init);
  } catch (e) {
    log('addIceCandidate failed:', e, JSON.stringify(init));
  }
}

async function setRemote(type, sdp) {
  await pc.setRemoteDescription({ type, sdp });
  remoteMax = remoteMaxMessageSize(sdp);
  haveRemote = true;
  log(`remote description (${type}) set, remote max-message-size ${remoteMax}`);
  for (const msg of pendingRemote.splice(0)) await addRemoteCandidate(msg);
}

async function handleSignal(msg) {
  const type = msg && typeof msg === 'object' ? msg.type : undefined;
  if (type === 'offer' && cfg.role === 'answerer') {
    await setRemote('offer', msg.sdp);
    await pc.setLocalDescription(await pc.createAnswer());
    await sendDescription();
  } else if (type === 'answer' && cfg.role === 'offerer') {
    await setRemote('answer', msg.sdp);
  } else if (type === 'candidate') {
    if (haveRemote) await addRemoteCandidate(msg); else pendingRemote.push(msg);
  } else {
    log('ignoring line of type', JSON.stringify(type));
  }
}

function onSignal(line) {
  let msg;
  try { msg = JSON.parse(line); } catch (e) { log('ignoring non-JSON line'); return; }
  chain = chain.then(() => handleSignal(msg)).catch((e) => fail(`signaling: ${e}`));
}

function onStdinEnd() {
  log('stdin closed');
  if (cfg && cfg.role === 'answerer') chain.then(() => exit(0));
}

function fail(error) {
  log('failure:', error);
  if (cfg.role === 'offerer') sendLine({ type: 'result', ok: false, error: String(error) });
  exit(1);
}

// ------------------------------------------------------------------ answerer

function attachAnswerer(ch) {
  ch.binaryType = 'arraybuffer';
  const label = ch.label;
  let count = 0;
  let hash = new Sha256();
  ch.addEventListener('message', (ev) => {
    const data = ev.data;
    if (label.startsWith('echo')) {
      ch.send(data);
    } else if (label.startsWith('bulk')) {
      if (typeof data !== 'string') {
        const bytes = new Uint8Array(data);
        count += bytes.length;
        hash.update(bytes);
      } else if (data === 'end') {
        ch.send(`received ${count} ${hash.hex()}`);
      }
    } else if (label.startsWith('meta')) {
      ch.send(JSON.stringify(describe(ch)));
    }
  });
}

function runAnswerer() {
  pc.addEventListener('datachannel', (ev) => {
    log('remote opened channel', JSON.stringify(ev.channel.label), 'id', ev.channel.id);
    attachAnswerer(ev.channel);
  });
  for (const spec of channelTable()) {
    if (spec.negotiated) attachAnswerer(pc.createDataChannel(spec.label, channelInit(spec)));
  }
  pc.addEventListener('connectionstatechange', () => {
    if (pc.connectionState === 'closed' || pc.connectionState === 'failed') exit(0);
  });
}

// ------------------------------------------------------------------ offerer

async function scenarioEcho(ch) {
  const inbox = new Inbox(ch);
  await waitOpen(ch);
  const setupMs = elapsedMs();
  log(`echo open after ${setupMs.toFixed(0)} ms`);
  const sizes = ECHO_SIZES.filter((s) => s <= remoteMax);
  const rtts = [];
  for (let i = 0; i < ECHO_COUNT; i++) {
    const size = sizes[i % sizes.length];
    const text = i % 2 === 0;
    const msg = text ? makeText(size, i) : makeBinary(size, i);
    const start = performance.now();
    ch.send(msg);
    const got = await inbox.get();
    rtts.push(performance.now() - start);
    const ok = text ? got === msg : (typeof got !== 'string' && sameBytes(new Uint8Array(got), msg));
    if (!ok) {
      const kind = typeof got === 'string' ? 'text' : 'binary';
      const len = typeof got === 'string' ? got.length : got.byteLength;
      throw new Error(`echo ${i} (${text ? 'text' : 'binary'}, ${size} bytes) came back wrong: ${kind} of ${len}`);
    }
  }
  rtts.sort((a, b) => a - b);
  const mid = rtts.length >> 1;
  const median = rtts.length % 2 ? rtts[mid] : (rtts[mid - 1] + rtts[mid]) / 2;
  return { setup_ms: +setupMs.toFixed(1), rtt_ms_median: +median.toFixed(3) };
}

async function scenarioBulk(ch) {
  const inbox = new Inbox(ch);
  ch.bufferedAmountLowThreshold = 1 * MIB;
  await waitOpen(ch);
  const setupMs = elapsedMs();
  const total = cfg.bytes;
  const size = Math.min(cfg.messageSize, remoteMax);
  log(`bulk open after ${setupMs.toFixed(0)} ms; sending ${total} bytes in ${size}-byte messages`);
  const hash = new Sha256();
  let sent = 0;
  const start = performance.now();
  while (sent < total) {
    const n = Math.min(size, total - sent);
    if (ch.bufferedAmount + n > 4 * MIB) {
      await new Promise((resolve) => ch.addEventListener('bufferedamountlow', resolve, { once: true }));
      continue;
    }
    const data = new Uint8Array(n);
    for (let off = 0; off < n; off += 65536) crypto.getRandomValues(data.subarray(off, Math.min(n, off + 65536)));
    hash.update(data);
    ch.send(data);
    sent += n;
  }
  ch.send('end');
  const reply = await inbox.get();
  const seconds = (performance.now() - start) / 1000;
  const expect = `received ${total} ${hash.hex()}`;
  if (reply !== expect) throw new Error(`bulk reply ${JSON.stringify(reply)}, expected ${JSON.stringify(expect)}`);
  return { setup_ms: +setupMs.toFixed(1), bytes: total, seconds: +seconds.toFixed(3),
           mbps: +(total / seconds / 1e6).toFixed(2) };
}

async function scenarioChannels(chans) {
  await Promise.all(chans.map(async ([spec, ch]) => {
    const inbox = new Inbox(ch);
    await waitOpen(ch);
    ch.send('hello');
    const reply = await inbox.get();
    const want = Object.assign({}, spec, { id: ch.id });
    let got;
    try { got = JSON.parse(reply); } catch (e) { throw new Error(`${spec.label}: reply is not JSON: ${reply}`); }
    if (!sameJson(got, want)) {
      throw new Error(`${spec.label}: answerer sees ${JSON.stringify(got)}, created ${JSON.stringify(want)}`);
    }
  }));
  return { channels: chans.length };
}

async function runOfferer() {
  let work;
  if (cfg.scenario === 'echo') {
    const ch = pc.createDataChannel('echo', { ordered: true });
    work = () => scenarioEcho(ch);
  } else if (cfg.scenario === 'bulk') {
    const ch = pc.createDataChannel('bulk', { ordered: true });
    work = () => scenarioBulk(ch);
  } else {
    const chans = channelTable().map((spec) => [spec, pc.createDataChannel(spec.label, channelInit(spec))]);
    work = () => scenarioChannels(chans);
  }
  const running = work();
  await pc.setLocalDescription(await pc.createOffer());
  await sendDescription();
  const fields = await running;
  sendLine(Object.assign({ type: 'result', ok: true, scenario: cfg.scenario }, fields));
  exit(0);
}

// ------------------------------------------------------------------ entry point

function startPeer(config) {
  cfg = config;
  startPerf = performance.now();
  const iceServers = [];
  if (cfg.stun) iceServers.push({ urls: cfg.stun });
  if (cfg.turn) iceServers.push({ urls: cfg.turn, username: cfg.turnUser || '', credential: cfg.turnPass || '' });
  pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: cfg.relayOnly ? 'relay' : 'all' });
  pc.addEventListener('icecandidate', onLocalCandidate);
  pc.addEventListener('icecandidateerror', (e) => log('icecandidateerror', e.errorCode, e.errorText, e.url));
  pc.addEventListener('connectionstatechange', () => log('connection state', pc.connectionState));
  setTimeout(() => {
    if (cfg.role === 'offerer') fail(`timeout after ${cfg.timeout} s`);
    else { log(`answerer timeout after ${cfg.timeout} s`); exit(1); }
  }, cfg.timeout * 1000);
  if (cfg.role === 'offerer') runOfferer().catch((e) => fail(e && e.message ? e.message : e));
  else runAnswerer();
  return 'started';
}
