// Command pion-peer is an interop peer (the contract is docs/INTEROP.md)
// backed by pion/webrtc v3 as packaged by Debian (3.1.x).
//
//	pion-peer --role offerer|answerer [--scenario echo|bulk|channels] [options]
//
// Build offline in GOPATH mode (see build.sh). Signaling is one JSON object per
// line on stdin/stdout; logs go to stderr. pion 3.1 sends at most 65,536-byte
// messages and writes no a=max-message-size, so this peer never sends more
// than min(65,536, the remote's a=max-message-size).
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/logging"
	"github.com/pion/webrtc/v3"
)

var t0 = time.Now()

const (
	mib            = 1024 * 1024
	defaultRemote  = 65536
	pionSendLimit  = 65536
	echoCount      = 200
	lowThreshold   = 1 * mib
	bufferedCap    = 4 * mib
	endOfGathering = ""
)

var echoSizes = []int{1, 15, 1000, 16384, 65535, 65536, 262144}

type options struct {
	role, scenario, stun, turn, turnUser, turnPass string
	bytes, messageSize                             int
	relayOnly                                      bool
	timeout                                        float64
}

func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "[pion %7.3f] %s\n", time.Since(t0).Seconds(), fmt.Sprintf(format, args...))
}

var outMu sync.Mutex

func sendLine(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		logf("cannot encode line: %v", err)
		return
	}
	outMu.Lock()
	defer outMu.Unlock()
	os.Stdout.Write(append(b, '\n'))
}

// ------------------------------------------------------------------ channel table

type chanSpec struct {
	Label             string  `json:"label"`
	Protocol          string  `json:"protocol"`
	ID                *uint16 `json:"id"`
	Ordered           bool    `json:"ordered"`
	MaxRetransmits    *uint16 `json:"maxRetransmits"`
	MaxPacketLifeTime *uint16 `json:"maxPacketLifeTime"`
	Negotiated        bool    `json:"negotiated"`
}

func u16(v uint16) *uint16 { return &v }

func channelTable() []chanSpec {
	type kind struct {
		ordered   bool
		rtx, life *uint16
	}
	kinds := []kind{{true, nil, nil}, {false, nil, nil}, {true, u16(0), nil}, {false, u16(3), nil}, {true, nil, u16(500)}}
	protocols := []string{"", "chat", "json", "ü-utf8"}
	var table []chanSpec
	for i := 0; i < 16; i++ {
		k := kinds[i%5]
		table = append(table, chanSpec{Label: fmt.Sprintf("meta-%d", i), Protocol: protocols[i%4],
			Ordered: k.ordered, MaxRetransmits: k.rtx, MaxPacketLifeTime: k.life})
	}
	for id := uint16(900); id < 910; id++ {
		table = append(table, chanSpec{Label: fmt.Sprintf("meta-neg-%d", id), Protocol: "neg",
			ID: u16(id), Ordered: true, Negotiated: true})
	}
	return table
}

func (s chanSpec) init() *webrtc.DataChannelInit {
	ordered, proto, neg := s.Ordered, s.Protocol, s.Negotiated
	init := &webrtc.DataChannelInit{Ordered: &ordered, Protocol: &proto,
		MaxRetransmits: s.MaxRetransmits, MaxPacketLifeTime: s.MaxPacketLifeTime}
	if neg {
		init.Negotiated = &neg
		init.ID = s.ID
	}
	return init
}

func describe(dc *webrtc.DataChannel) chanSpec {
	return chanSpec{Label: dc.Label(), Protocol: dc.Protocol(), ID: dc.ID(), Ordered: dc.Ordered(),
		MaxRetransmits: dc.MaxRetransmits(), MaxPacketLifeTime: dc.MaxPacketLifeTime(), Negotiated: dc.Negotiated()}
}

// ------------------------------------------------------------------ peer + signaling

type peer struct {
	opt        options
	pc         *webrtc.PeerConnection
	mu         sync.Mutex
	haveRemote bool
	pendingIn  []map[string]interface{}
	descSent   bool
	pendingOut []map[string]interface{}
	remoteMax  int
	done       chan int
}

var maxRe = regexp.MustCompile(`(?m)^a=max-message-size:(\d+)`)

func remoteMaxMessageSize(sdp string) int {
	if m := maxRe.FindStringSubmatch(sdp); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
	}
	return defaultRemote
}

func newPeer(opt options) (*peer, error) {
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true) // the interop namespace has only 127.0.0.1
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	// pion 3.1's OnMessage reads into a 65,535-byte buffer, so a 65,536-byte message (what a
	// peer may send when pion writes no a=max-message-size) closes the channel. Detached
	// channels let us read with a larger buffer.
	se.DetachDataChannels()
	// pion logs to stdout by default, which is the signaling channel here.
	lf := logging.NewDefaultLoggerFactory()
	lf.Writer = os.Stderr
	se.LoggerFactory = lf
	// One UDP socket with large buffers for the host candidate: with the default ~208 KiB
	// receive buffer, loopback bursts overflow and SCTP stalls on retransmission timeouts.
	if conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err == nil {
		_ = conn.SetReadBuffer(4 * mib)
		_ = conn.SetWriteBuffer(4 * mib)
		se.SetICEUDPMux(ice.NewUDPMuxDefault(ice.UDPMuxParams{Logger: lf.NewLogger("ice"), UDPConn: conn}))
	} else {
		logf("cannot open the UDP socket on 127.0.0.1: %v (using pion's own)", err)
	}
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se))
	cfg := webrtc.Configuration{}
	if opt.stun != "" {
		cfg.ICEServers = append(cfg.ICEServers, webrtc.ICEServer{URLs: []string{opt.stun}})
	}
	if opt.turn != "" {
		cfg.ICEServers = append(cfg.ICEServers, webrtc.ICEServer{URLs: []string{opt.turn},
			Username: opt.turnUser, Credential: opt.turnPass, CredentialType: webrtc.ICECredentialTypePassword})
	}
	if opt.relayOnly {
		cfg.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	pc, err := api.NewPeerConnection(cfg)
	if err != nil {
		return nil, err
	}
	p := &peer{opt: opt, pc: pc, remoteMax: defaultRemote, done: make(chan int, 4)}
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		line := map[string]interface{}{"type": "candidate", "candidate": endOfGathering, "sdpMid": "0", "sdpMLineIndex": 0}
		if c != nil {
			line["candidate"] = c.ToJSON().Candidate
		}
		p.mu.Lock()
		if !p.descSent {
			p.pendingOut = append(p.pendingOut, line)
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		sendLine(line)
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		logf("connection state %s", s)
		if opt.role == "answerer" && (s == webrtc.PeerConnectionStateClosed || s == webrtc.PeerConnectionStateFailed) {
			p.done <- 0
		}
	})
	return p, nil
}

func (p *peer) sendDescription() {
	d := p.pc.LocalDescription()
	p.mu.Lock()
	defer p.mu.Unlock()
	sendLine(map[string]string{"type": d.Type.String(), "sdp": d.SDP})
	p.descSent = true
	for _, l := range p.pendingOut {
		sendLine(l)
	}
	p.pendingOut = nil
}

func (p *peer) addCandidate(msg map[string]interface{}) {
	text, _ := msg["candidate"].(string)
	text = strings.TrimPrefix(text, "a=")
	init := webrtc.ICECandidateInit{Candidate: text}
	if mid, ok := msg["sdpMid"].(string); ok {
		init.SDPMid = &mid
	}
	if idx, ok := msg["sdpMLineIndex"].(float64); ok {
		init.SDPMLineIndex = u16(uint16(idx))
	}
	if err := p.pc.AddICECandidate(init); err != nil {
		logf("AddICECandidate failed: %v (%q)", err, text)
	}
}

func (p *peer) setRemote(t webrtc.SDPType, sdp string) error {
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: t, SDP: sdp}); err != nil {
		return err
	}
	p.mu.Lock()
	p.remoteMax = remoteMaxMessageSize(sdp)
	p.haveRemote = true
	pending := p.pendingIn
	p.pendingIn = nil
	p.mu.Unlock()
	logf("remote description (%s) set, remote max-message-size %d", t, p.remoteMax)
	for _, m := range pending {
		p.addCandidate(m)
	}
	return nil
}

func (p *peer) handleLine(line string) error {
	var msg map[string]interface{}
	if err := json.Unmarshal([]byte(line), &msg); err != nil {
		logf("ignoring non-JSON line")
		return nil
	}
	kind, _ := msg["type"].(string)
	sdp, _ := msg["sdp"].(string)
	switch {
	case kind == "offer" && p.opt.role == "answerer":
		if err := p.setRemote(webrtc.SDPTypeOffer, sdp); err != nil {
			return err
		}
		answer, err := p.pc.CreateAnswer(nil)
		if err != nil {
			return err
		}
		if err := p.pc.SetLocalDescription(answer); err != nil {
			return err
		}
		p.sendDescription()
	case kind == "answer" && p.opt.role == "offerer":
		return p.setRemote(webrtc.SDPTypeAnswer, sdp)
	case kind == "candidate":
		p.mu.Lock()
		if !p.haveRemote {
			p.pendingIn = append(p.pendingIn, msg)
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		p.addCandidate(msg)
	default:
		logf("ignoring line of type %q", kind)
	}
	return nil
}

// readStdin handles lines until EOF; errors go to fail.
func (p *peer) readStdin(fail func(error)) {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := p.handleLine(line); err != nil {
			fail(fmt.Errorf("signaling: %w", err))
			return
		}
	}
	logf("stdin closed")
	if p.opt.role == "answerer" {
		p.done <- 0
	}
}

func (p *peer) sendLimit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.remoteMax < pionSendLimit {
		return p.remoteMax
	}
	return pionSendLimit
}

// message is one received data-channel message.
type message struct {
	Data     []byte
	IsString bool
}

// onMessages detaches dc when it opens and calls onOpen, then handle for every message.
func onMessages(dc *webrtc.DataChannel, onOpen func(), handle func(message)) {
	dc.OnOpen(func() {
		rwc, err := dc.Detach()
		if err != nil {
			logf("detach %s: %v", dc.Label(), err)
			return
		}
		if onOpen != nil {
			onOpen()
		}
		go func() {
			buf := make([]byte, 1<<20)
			for {
				n, isString, err := rwc.ReadDataChannel(buf)
				if err != nil {
					return
				}
				data := make([]byte, n)
				copy(data, buf[:n])
				handle(message{Data: data, IsString: isString})
			}
		}()
	})
}

// ------------------------------------------------------------------ answerer

func attachAnswerer(dc *webrtc.DataChannel) {
	label := dc.Label()
	var mu sync.Mutex
	count := 0
	h := sha256.New()
	onMessages(dc, nil, func(m message) {
		switch {
		case strings.HasPrefix(label, "echo"):
			var err error
			if m.IsString {
				err = dc.SendText(string(m.Data))
			} else {
				err = dc.Send(m.Data)
			}
			if err != nil {
				logf("echo of %d bytes failed: %v", len(m.Data), err)
			}
		case strings.HasPrefix(label, "bulk"):
			mu.Lock()
			defer mu.Unlock()
			if !m.IsString {
				count += len(m.Data)
				h.Write(m.Data)
			} else if string(m.Data) == "end" {
				_ = dc.SendText(fmt.Sprintf("received %d %s", count, hex.EncodeToString(h.Sum(nil))))
			}
		case strings.HasPrefix(label, "meta"):
			b, _ := json.Marshal(describe(dc))
			_ = dc.SendText(string(b))
		}
	})
}

func runAnswerer(p *peer) int {
	p.pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		logf("remote opened channel %q", dc.Label())
		attachAnswerer(dc)
	})
	for _, s := range channelTable() {
		if s.Negotiated {
			dc, err := p.pc.CreateDataChannel(s.Label, s.init())
			if err != nil {
				logf("cannot create negotiated channel %s: %v", s.Label, err)
				return 1
			}
			attachAnswerer(dc)
		}
	}
	go p.readStdin(func(err error) { logf("failure: %v", err); p.done <- 1 })
	select {
	case code := <-p.done:
		return code
	case <-time.After(time.Duration(p.opt.timeout * float64(time.Second))):
		logf("answerer timeout after %v s", p.opt.timeout)
		return 1
	}
}

// ------------------------------------------------------------------ offerer

type inbox struct {
	ch     chan message
	opened chan struct{}
}

func newInbox(dc *webrtc.DataChannel) *inbox {
	in := &inbox{ch: make(chan message, 1024), opened: make(chan struct{})}
	var once sync.Once
	onMessages(dc, func() { once.Do(func() { close(in.opened) }) }, func(m message) { in.ch <- m })
	return in
}

func makeText(n, seed int) []byte {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	out := make([]byte, n)
	for k := range out {
		out[k] = letters[(seed+k)%52]
	}
	return out
}

func makeBinary(n, seed int) []byte {
	out := make([]byte, n)
	for k := range out {
		out[k] = byte(seed*7 + (k&255)*31)
	}
	return out
}

func scenarioEcho(p *peer, dc *webrtc.DataChannel, in *inbox) (map[string]interface{}, error) {
	<-in.opened
	setup := float64(time.Since(t0).Microseconds()) / 1000
	logf("echo open after %.0f ms", setup)
	limit := p.sendLimit()
	var sizes []int
	for _, s := range echoSizes {
		if s <= limit {
			sizes = append(sizes, s)
		}
	}
	rtts := make([]float64, 0, echoCount)
	for i := 0; i < echoCount; i++ {
		size := sizes[i%len(sizes)]
		text := i%2 == 0
		var msg []byte
		start := time.Now()
		var err error
		if text {
			msg = makeText(size, i)
			err = dc.SendText(string(msg))
		} else {
			msg = makeBinary(size, i)
			err = dc.Send(msg)
		}
		if err != nil {
			return nil, fmt.Errorf("echo %d: send: %w", i, err)
		}
		got := <-in.ch
		rtts = append(rtts, float64(time.Since(start).Microseconds())/1000)
		if got.IsString != text || string(got.Data) != string(msg) {
			return nil, fmt.Errorf("echo %d (text %v, %d bytes) came back wrong: text %v of %d", i, text, size, got.IsString, len(got.Data))
		}
	}
	sort.Float64s(rtts)
	median := rtts[len(rtts)/2]
	if len(rtts)%2 == 0 {
		median = (rtts[len(rtts)/2-1] + rtts[len(rtts)/2]) / 2
	}
	return map[string]interface{}{"setup_ms": round(setup, 1), "rtt_ms_median": round(median, 3)}, nil
}

func round(v float64, digits int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return f
}

func scenarioBulk(p *peer, dc *webrtc.DataChannel, in *inbox) (map[string]interface{}, error) {
	low := make(chan struct{}, 1)
	dc.SetBufferedAmountLowThreshold(lowThreshold)
	dc.OnBufferedAmountLow(func() {
		select {
		case low <- struct{}{}:
		default:
		}
	})
	<-in.opened
	setup := float64(time.Since(t0).Microseconds()) / 1000
	total := p.opt.bytes
	size := p.opt.messageSize
	if l := p.sendLimit(); l < size {
		size = l
	}
	logf("bulk open after %.0f ms; sending %d bytes in %d-byte messages", setup, total, size)
	h := sha256.New()
	buf := make([]byte, size)
	sent := 0
	start := time.Now()
	for sent < total {
		n := size
		if total-sent < n {
			n = total - sent
		}
		if int(dc.BufferedAmount())+n > bufferedCap {
			select {
			case <-low:
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		data := buf[:n]
		if _, err := rand.Read(data); err != nil {
			return nil, err
		}
		h.Write(data)
		if err := dc.Send(data); err != nil {
			return nil, fmt.Errorf("bulk send: %w", err)
		}
		sent += n
	}
	if err := dc.SendText("end"); err != nil {
		return nil, err
	}
	reply := <-in.ch
	seconds := time.Since(start).Seconds()
	expect := fmt.Sprintf("received %d %s", total, hex.EncodeToString(h.Sum(nil)))
	if !reply.IsString || string(reply.Data) != expect {
		return nil, fmt.Errorf("bulk reply %q, expected %q", string(reply.Data), expect)
	}
	return map[string]interface{}{"setup_ms": round(setup, 1), "bytes": total, "seconds": round(seconds, 3),
		"mbps": round(float64(total)/seconds/1e6, 2)}, nil
}

func scenarioChannels(chans []chanSpec, dcs []*webrtc.DataChannel, ins []*inbox) (map[string]interface{}, error) {
	errs := make(chan error, len(chans))
	for i := range chans {
		go func(spec chanSpec, dc *webrtc.DataChannel, in *inbox) {
			<-in.opened
			if err := dc.SendText("hello"); err != nil {
				errs <- fmt.Errorf("%s: send: %w", spec.Label, err)
				return
			}
			reply := <-in.ch
			want := spec
			want.ID = dc.ID()
			var got chanSpec
			dec := json.NewDecoder(strings.NewReader(string(reply.Data)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				errs <- fmt.Errorf("%s: reply is not the expected JSON: %q", spec.Label, reply.Data)
				return
			}
			var raw map[string]json.RawMessage
			_ = json.Unmarshal(reply.Data, &raw)
			wb, _ := json.Marshal(want)
			gb, _ := json.Marshal(got)
			if string(wb) != string(gb) || len(raw) != 7 {
				errs <- fmt.Errorf("%s: answerer sees %s, created %s", spec.Label, reply.Data, wb)
				return
			}
			errs <- nil
		}(chans[i], dcs[i], ins[i])
	}
	for range chans {
		if err := <-errs; err != nil {
			return nil, err
		}
	}
	return map[string]interface{}{"channels": len(chans)}, nil
}

func runOfferer(p *peer) (map[string]interface{}, error) {
	var work func() (map[string]interface{}, error)
	ordered := true
	switch p.opt.scenario {
	case "echo", "bulk":
		dc, err := p.pc.CreateDataChannel(p.opt.scenario, &webrtc.DataChannelInit{Ordered: &ordered})
		if err != nil {
			return nil, err
		}
		in := newInbox(dc)
		if p.opt.scenario == "echo" {
			work = func() (map[string]interface{}, error) { return scenarioEcho(p, dc, in) }
		} else {
			work = func() (map[string]interface{}, error) { return scenarioBulk(p, dc, in) }
		}
	case "channels":
		table := channelTable()
		dcs := make([]*webrtc.DataChannel, len(table))
		ins := make([]*inbox, len(table))
		for i, s := range table {
			dc, err := p.pc.CreateDataChannel(s.Label, s.init())
			if err != nil {
				return nil, fmt.Errorf("create %s: %w", s.Label, err)
			}
			dcs[i], ins[i] = dc, newInbox(dc)
		}
		work = func() (map[string]interface{}, error) { return scenarioChannels(table, dcs, ins) }
	default:
		return nil, errors.New("unknown scenario " + p.opt.scenario)
	}
	offer, err := p.pc.CreateOffer(nil)
	if err != nil {
		return nil, err
	}
	if err := p.pc.SetLocalDescription(offer); err != nil {
		return nil, err
	}
	p.sendDescription()
	failed := make(chan error, 1)
	go p.readStdin(func(err error) { failed <- err })
	type outcome struct {
		fields map[string]interface{}
		err    error
	}
	res := make(chan outcome, 1)
	go func() { f, e := work(); res <- outcome{f, e} }()
	select {
	case o := <-res:
		return o.fields, o.err
	case err := <-failed:
		return nil, err
	case <-time.After(time.Duration(p.opt.timeout * float64(time.Second))):
		return nil, fmt.Errorf("timeout after %v s", p.opt.timeout)
	}
}

func closeWithin(pc *webrtc.PeerConnection, d time.Duration) {
	done := make(chan struct{})
	go func() { _ = pc.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

func main() {
	var opt options
	flag.StringVar(&opt.role, "role", "", "offerer|answerer")
	flag.StringVar(&opt.scenario, "scenario", "echo", "echo|bulk|channels")
	flag.IntVar(&opt.bytes, "bytes", 64*mib, "bulk: total bytes")
	flag.IntVar(&opt.messageSize, "message-size", 65536, "bulk: bytes per message")
	flag.StringVar(&opt.stun, "stun", "", "STUN URL")
	flag.StringVar(&opt.turn, "turn", "", "TURN URL")
	flag.StringVar(&opt.turnUser, "turn-user", "", "TURN user")
	flag.StringVar(&opt.turnPass, "turn-pass", "", "TURN password")
	flag.BoolVar(&opt.relayOnly, "relay-only", false, "iceTransportPolicy relay")
	flag.Float64Var(&opt.timeout, "timeout", 60, "seconds before giving up")
	flag.Parse()
	if opt.role != "offerer" && opt.role != "answerer" {
		fmt.Fprintln(os.Stderr, "pion-peer: --role offerer|answerer is required")
		os.Exit(2)
	}
	p, err := newPeer(opt)
	if err != nil {
		logf("failure: %v", err)
		if opt.role == "offerer" {
			sendLine(map[string]interface{}{"type": "result", "ok": false, "error": err.Error()})
		}
		os.Exit(1)
	}
	if opt.role == "answerer" {
		code := runAnswerer(p)
		closeWithin(p.pc, 2*time.Second)
		os.Exit(code)
	}
	fields, err := runOfferer(p)
	if err != nil {
		logf("failure: %v", err)
		sendLine(map[string]interface{}{"type": "result", "ok": false, "error": err.Error()})
		closeWithin(p.pc, 2*time.Second)
		os.Exit(1)
	}
	result := map[string]interface{}{"type": "result", "ok": true, "scenario": opt.scenario}
	for k, v := range fields {
		result[k] = v
	}
	closeWithin(p.pc, 2*time.Second)
	sendLine(result)
	os.Exit(0)
}
