// pion-receivers: the Pion v3 side of bench/bots-per-core.sh.
//
// Default mode: N WHEP receivers in one process, each its own PeerConnection (recvonly audio + video, VP8 and
// Opus, Pion's default interceptors: NACK, RTCP reports, TWCC), reading every RTP packet of every track and
// counting packets, bytes and loss (from sequence numbers), as a Pion-based load bot does.
//
// -publish: one WHIP publisher sending a synthetic stream: VP8-shaped RTP at -video-kbps (valid payload
// descriptors and frame headers, a keyframe every -keyframe-interval) and Opus-sized 20 ms packets.
//
// Debian's Pion (ice v2.3.1) sends no consent check while packets flow both ways, so an RFC 7675 server (Arena)
// stops sending for a few seconds every 30 s; the loss shows that (see ../bots-per-core.sh).
//
// Media stays on 127.0.0.1: host candidates on loopback only, no mDNS, no STUN or TURN servers.
// Built offline against Debian's golang-github-pion-webrtc.v3-dev: see build.sh.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
)

var (
	endpoint   = flag.String("url", "", "WHEP URL (receivers) or WHIP URL (-publish), e.g. http://127.0.0.1:8080/whep/ROOM")
	token      = flag.String("token", "", "bearer token for every request (one identity: enough for -publish or -n 1)")
	tokensFile = flag.String("tokens", "", "file of bearer tokens, one per line: receiver i uses line i (identities must differ)")
	count      = flag.Int("n", 1, "receivers")
	rate       = flag.Float64("rate", 20, "receivers started per second")
	duration   = flag.Duration("duration", 30*time.Second, "how long to stay once every receiver has joined or failed (publisher: once connected)")
	joinWait   = flag.Duration("join-timeout", 20*time.Second, "how long one receiver may take to connect")
	jsonOut    = flag.Bool("json", false, "print the summary as JSON on stdout")
	publish    = flag.Bool("publish", false, "publish a synthetic VP8 + Opus stream by WHIP instead of receiving")
	videoKbps  = flag.Int("video-kbps", 1000, "publisher: video bitrate")
	fps        = flag.Int("fps", 30, "publisher: video frames per second")
	keyframeIv = flag.Duration("keyframe-interval", 2*time.Second, "publisher: time between keyframes")
)

const (
	maxVideoPayload = 1100 // VP8 bytes per RTP packet, as browsers keep packets under a 1200-byte MTU
	opusBytes       = 120  // 20 ms at 48 kbit/s
	opusPtime       = 20 * time.Millisecond
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pion-receivers:", err)
		os.Exit(2)
	}
}

func run() error {
	if *endpoint == "" {
		return errors.New("-url is required")
	}
	if _, err := url.Parse(*endpoint); err != nil {
		return fmt.Errorf("bad -url: %v", err)
	}
	if *count < 1 || *rate <= 0 || *duration <= 0 || *fps < 1 || *videoKbps < 1 {
		return errors.New("-n, -rate, -duration, -fps and -video-kbps must be positive")
	}
	api, err := newAPI()
	if err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	if *publish {
		return runPublisher(api, stop)
	}
	tokens, err := loadTokens()
	if err != nil {
		return err
	}
	return runReceivers(api, tokens, stop)
}

func loadTokens() ([]string, error) {
	if *tokensFile == "" {
		if *count > 1 && *token != "" {
			return nil, errors.New("-n > 1 needs -tokens (a file of one token per receiver): the node admits one session per identity")
		}
		return []string{*token}, nil
	}
	f, err := os.Open(*tokensFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tokens []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			tokens = append(tokens, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(tokens) < *count {
		return nil, fmt.Errorf("%s has %d tokens, -n is %d", *tokensFile, len(tokens), *count)
	}
	return tokens, nil
}

// newAPI is what webrtc.NewPeerConnection sets up by default (codecs, default interceptors), narrowed to
// VP8 and Opus, with ICE kept on loopback.
func newAPI() (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType: 111,
	}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, err
	}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000,
			RTCPFeedback: []webrtc.RTCPFeedback{{Type: "goog-remb"}, {Type: "ccm", Parameter: "fir"}}},
		PayloadType: 96,
	}, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, err
	}
	registry := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, registry); err != nil { // NACK, RTCP reports, TWCC
		return nil, err
	}
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true) // Pion leaves loopback out by default
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() && ip.To4() != nil })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(registry),
		webrtc.WithSettingEngine(se)), nil
}

// ---- signaling ----

var httpClient = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// negotiate sends the local offer (gathering complete: the node is ICE-lite, no trickle) to the WHIP/WHEP URL
// and applies the answer; it returns the session's absolute Location.
func negotiate(pc *webrtc.PeerConnection, bearer string) (string, error) {
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err = pc.SetLocalDescription(offer); err != nil {
		return "", err
	}
	<-gathered
	req, err := http.NewRequest(http.MethodPost, *endpoint, strings.NewReader(pc.LocalDescription().SDP))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/sdp")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("POST %s: %s: %s", *endpoint, resp.Status, strings.TrimSpace(string(body)))
	}
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("POST %s: 201 without a usable Location: %v", *endpoint, err)
	}
	err = pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(body)})
	return loc.String(), err
}

// endSession sends DELETE to the session's Location; errors only count, the run goes on.
func endSession(location, bearer string) error {
	req, err := http.NewRequest(http.MethodDelete, location, nil)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("DELETE %s: %s", location, resp.Status)
	}
	return nil
}

// waitConnected waits for the PeerConnection to reach connected (ICE and DTLS done).
func waitConnected(pc *webrtc.PeerConnection, timeout time.Duration) error {
	state := make(chan webrtc.PeerConnectionState, 8)
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		select {
		case state <- s:
		default:
		}
	})
	deadline := time.After(timeout)
	for {
		select {
		case s := <-state:
			switch s {
			case webrtc.PeerConnectionStateConnected:
				return nil
			case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
				return fmt.Errorf("connection %s", s)
			}
		case <-deadline:
			return fmt.Errorf("not connected after %v", timeout)
		}
	}
}

// drainRTCP reads the RTCP a sender or receiver gets, so that the interceptors see it (reports, NACK, PLI).
func drainRTCP(read func([]byte) (int, interceptor.Attributes, error)) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := read(buf); err != nil {
			return
		}
	}
}

// ---- receivers ----

// trackCount is written only by its track's goroutine; packets and bytes are atomic, as the steady window
// reads them while the track runs, the rest is read once the goroutine has ended.
type trackCount struct {
	video            bool
	packets, bytes   atomic.Int64
	started          bool
	firstSeq, maxSeq int64 // extended sequence numbers
}

func (c *trackCount) add(p *rtp.Packet) {
	c.packets.Add(1)
	c.bytes.Add(int64(len(p.Payload)))
	if !c.started {
		c.started = true
		c.firstSeq = int64(p.SequenceNumber)
		c.maxSeq = c.firstSeq
		return
	}
	// int16 of the difference: forward or back from the highest seen, across the 16-bit wrap
	if d := int64(int16(p.SequenceNumber - uint16(c.maxSeq))); d > 0 {
		c.maxSeq += d
	}
}

func (c *trackCount) expected() int64 {
	if !c.started {
		return 0
	}
	return c.maxSeq - c.firstSeq + 1
}

type receiver struct {
	bearer   string
	pc       *webrtc.PeerConnection
	location string
	mu       sync.Mutex
	tracks   []*trackCount
}

func (r *receiver) bytesSoFar() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, c := range r.tracks {
		n += c.bytes.Load()
	}
	return n
}

func bytesSoFar(receivers []*receiver) int64 {
	var n int64
	for _, r := range receivers {
		if r != nil {
			n += r.bytesSoFar()
		}
	}
	return n
}

type summary struct {
	Mode           string  `json:"mode"`
	N              int     `json:"n"`
	Joined         int64   `json:"joined"`
	Failed         int64   `json:"failed"`
	WithVideo      int     `json:"withVideo"`
	WithAudio      int     `json:"withAudio"`
	JoinSeconds    float64 `json:"joinSeconds"`
	SteadySeconds  float64 `json:"steadySeconds"`
	Packets        int64   `json:"packets"`
	Bytes          int64   `json:"bytes"`
	VideoPackets   int64   `json:"videoPackets"`
	AudioPackets   int64   `json:"audioPackets"`
	Expected       int64   `json:"expected"`
	Lost           int64   `json:"lost"`
	LossPct        float64 `json:"lossPct"`
	SteadyKbps     float64 `json:"steadyKbpsPerReceiver"` // RTP payload received per joined receiver, steady time
	DeleteFailures int64   `json:"deleteFailures"`
}

func runReceivers(api *webrtc.API, tokens []string, stop chan os.Signal) error {
	var joined, failed, deleteFailures atomic.Int64
	var readers sync.WaitGroup
	receivers := make([]*receiver, *count)
	var joins sync.WaitGroup
	start := time.Now()
	tick := time.NewTicker(time.Duration(float64(time.Second) / *rate))
	interrupted := false
starting:
	for i := 0; i < *count; i++ {
		if i > 0 {
			select {
			case <-tick.C:
			case <-stop:
				interrupted = true
				break starting
			}
		}
		r := &receiver{bearer: tokens[i%len(tokens)]}
		receivers[i] = r
		joins.Add(1)
		go func(i int) {
			defer joins.Done()
			if err := r.join(api, &readers); err != nil {
				failed.Add(1)
				fmt.Fprintf(os.Stderr, "pion-receivers: receiver %d: %v\n", i, err)
				return
			}
			joined.Add(1)
		}(i)
	}
	tick.Stop()
	joins.Wait()
	joinSeconds := time.Since(start).Seconds()
	// the harness waits for this line before it starts measuring
	fmt.Fprintf(os.Stderr, "pion-receivers: all joined: %d of %d (%d failed) in %.1f s; steady for %v\n",
		joined.Load(), *count, failed.Load(), joinSeconds, *duration)
	steadyStart := time.Now()
	steadyBytes := bytesSoFar(receivers)
	if !interrupted && joined.Load() > 0 {
		select {
		case <-time.After(*duration):
		case <-stop:
		}
	}
	steady := time.Since(steadyStart).Seconds()
	steadyBytes = bytesSoFar(receivers) - steadyBytes

	var ends sync.WaitGroup
	sem := make(chan struct{}, 32)
	for _, r := range receivers {
		if r == nil || r.pc == nil {
			continue
		}
		ends.Add(1)
		go func(r *receiver) {
			defer ends.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if r.location != "" {
				if err := endSession(r.location, r.bearer); err != nil {
					deleteFailures.Add(1)
					fmt.Fprintln(os.Stderr, "pion-receivers:", err)
				}
			}
			r.pc.Close()
		}(r)
	}
	ends.Wait()
	readers.Wait() // every ReadRTP has returned: the counts are final

	s := summary{Mode: "receive", N: *count, Joined: joined.Load(), Failed: failed.Load(), JoinSeconds: joinSeconds,
		SteadySeconds: steady, DeleteFailures: deleteFailures.Load()}
	for _, r := range receivers {
		if r == nil {
			continue
		}
		var video, audio bool
		r.mu.Lock()
		for _, c := range r.tracks {
			packets := c.packets.Load()
			s.Packets += packets
			s.Bytes += c.bytes.Load()
			s.Expected += c.expected()
			if lost := c.expected() - packets; lost > 0 {
				s.Lost += lost
			}
			if c.video {
				s.VideoPackets += packets
				video = video || packets > 0
			} else {
				s.AudioPackets += packets
				audio = audio || packets > 0
			}
		}
		r.mu.Unlock()
		if video {
			s.WithVideo++
		}
		if audio {
			s.WithAudio++
		}
	}
	if s.Expected > 0 {
		s.LossPct = 100 * float64(s.Lost) / float64(s.Expected)
	}
	if s.Joined > 0 && steady > 0 {
		s.SteadyKbps = float64(steadyBytes) * 8 / 1000 / steady / float64(s.Joined)
	}
	printSummary(s)
	if s.Joined == 0 {
		return errors.New("no receiver joined")
	}
	return nil
}

func (r *receiver) join(api *webrtc.API, readers *sync.WaitGroup) error {
	pc, err := api.NewPeerConnection(webrtc.Configuration{}) // no ICE servers: host candidates only
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.pc = pc
	r.mu.Unlock()
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if _, err = pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return err
		}
	}
	pc.OnTrack(func(track *webrtc.TrackRemote, rx *webrtc.RTPReceiver) {
		c := &trackCount{video: track.Kind() == webrtc.RTPCodecTypeVideo}
		r.mu.Lock()
		r.tracks = append(r.tracks, c)
		r.mu.Unlock()
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				p, _, err := track.ReadRTP()
				if err != nil {
					return
				}
				c.add(p)
			}
		}()
		go drainRTCP(rx.Read)
	})
	location, err := negotiate(pc, r.bearer)
	if err != nil {
		return err
	}
	r.location = location
	return waitConnected(pc, *joinWait)
}

func printSummary(s interface{}) {
	if *jsonOut {
		b, _ := json.Marshal(s)
		fmt.Println(string(b))
		return
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	fmt.Println(string(b))
}

// ---- publisher ----

type pubSummary struct {
	Mode          string  `json:"mode"`
	Seconds       float64 `json:"seconds"`
	VideoPackets  int64   `json:"videoPackets"`
	VideoBytes    int64   `json:"videoBytes"`
	AudioPackets  int64   `json:"audioPackets"`
	Keyframes     int64   `json:"keyframes"`
	VideoKbps     float64 `json:"videoKbps"`
	DeleteFailure string  `json:"deleteFailure,omitempty"`
}

func runPublisher(api *webrtc.API, stop chan os.Signal) error {
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	defer pc.Close()
	video, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", "bench")
	if err != nil {
		return err
	}
	audio, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "audio", "bench")
	if err != nil {
		return err
	}
	for _, t := range []*webrtc.TrackLocalStaticRTP{audio, video} {
		sender, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			return err
		}
		go drainRTCP(sender.Sender().Read) // NACKs and PLIs reach the interceptors only when read
	}
	location, err := negotiate(pc, *token)
	if err != nil {
		return err
	}
	if err = waitConnected(pc, *joinWait); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pion-receivers: publishing to %s for %v\n", *endpoint, *duration)

	s := pubSummary{Mode: "publish"}
	start := time.Now()
	done := make(chan struct{})
	var senders sync.WaitGroup
	senders.Add(2)
	go func() { defer senders.Done(); sendVideo(video, done, &s) }()
	go func() { defer senders.Done(); sendAudio(audio, done, &s) }()
	select {
	case <-time.After(*duration):
	case <-stop:
	}
	close(done)
	senders.Wait()
	s.Seconds = time.Since(start).Seconds()
	s.VideoKbps = float64(s.VideoBytes) * 8 / 1000 / s.Seconds
	if err := endSession(location, *token); err != nil {
		s.DeleteFailure = err.Error()
	}
	printSummary(s)
	return nil
}

// sendVideo sends -fps frames a second averaging -video-kbps; a keyframe (5 times a delta frame's share)
// every -keyframe-interval, so that receivers joining late get a picture.
func sendVideo(track *webrtc.TrackLocalStaticRTP, done chan struct{}, s *pubSummary) {
	perFrame := *videoKbps * 1000 / 8 / *fps
	gop := int(keyframeIv.Seconds() * float64(*fps))
	if gop < 1 {
		gop = 1
	}
	keySize := 5 * perFrame
	deltaSize := perFrame
	if gop > 1 {
		deltaSize = (gop*perFrame - keySize) / (gop - 1)
		if deltaSize < 64 {
			deltaSize = 64
		}
	}
	var seq uint16
	var ts uint32
	picture := uint16(0)
	tick := time.NewTicker(time.Second / time.Duration(*fps))
	defer tick.Stop()
	for frame := 0; ; frame++ {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		key := frame%gop == 0
		size := deltaSize
		if key {
			size = keySize
			s.Keyframes++
		}
		body := vp8Frame(size, key)
		for off := 0; off < len(body); off += maxVideoPayload {
			end := off + maxVideoPayload
			if end > len(body) {
				end = len(body)
			}
			// descriptor: X, S on the frame's first packet, PID 0; I with a 15-bit picture id
			desc := []byte{0x80, 0x80, 0x80 | byte(picture>>8&0x7f), byte(picture)}
			if off == 0 {
				desc[0] |= 0x10
			}
			payload := append(desc, body[off:end]...)
			p := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: ts, Marker: end == len(body)},
				Payload: payload}
			seq++
			if err := track.WriteRTP(p); err != nil && !errors.Is(err, io.ErrClosedPipe) {
				fmt.Fprintln(os.Stderr, "pion-receivers: video:", err)
			}
			s.VideoPackets++
			s.VideoBytes += int64(len(payload))
		}
		picture = (picture + 1) & 0x7fff
		ts += uint32(90000 / *fps)
	}
}

// vp8Frame is a VP8 frame of size bytes whose header (RFC 6386 9.1) is valid: the 3-byte frame tag, and on a
// keyframe the start code and a 1280x720 size; the rest is filler.
func vp8Frame(size int, key bool) []byte {
	if size < 10 {
		size = 10
	}
	b := make([]byte, size)
	firstPartition := size / 4
	tag := uint32(firstPartition)<<5 | 1<<4 // show_frame, version 0
	if !key {
		tag |= 1 // inter frame
	}
	b[0], b[1], b[2] = byte(tag), byte(tag>>8), byte(tag>>16)
	if key {
		copy(b[3:], []byte{0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02}) // start code, width 1280, height 720
	}
	for i := 10; i < size; i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// sendAudio sends an Opus-sized packet every 20 ms (one CELT fullband 20 ms frame per TOC byte).
func sendAudio(track *webrtc.TrackLocalStaticRTP, done chan struct{}, s *pubSummary) {
	var seq uint16
	var ts uint32
	tick := time.NewTicker(opusPtime)
	defer tick.Stop()
	for first := true; ; first = false {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		payload := bytes.Repeat([]byte{0x55}, opusBytes)
		payload[0] = 0xf8 // TOC: config 31 (CELT FB 20 ms), mono, one frame
		p := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: ts, Marker: first}, Payload: payload}
		seq++
		ts += 960
		if err := track.WriteRTP(p); err != nil && !errors.Is(err, io.ErrClosedPipe) {
			fmt.Fprintln(os.Stderr, "pion-receivers: audio:", err)
		}
		s.AudioPackets++
	}
}
