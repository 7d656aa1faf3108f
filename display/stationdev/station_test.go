package stationdev

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"luot/display/device"
	"luot/display/stationstate"
	"luot/server/api"
	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
)

// stationKey is the device key of the station of counter q3 in these
// tests; otherKey is q2's.
const (
	stationKey = "station-q3-key"
	otherKey   = "station-q2-key"
)

// netSwitch is the test's switch on the event stream: it records the stream's
// connections so that drop can cut them, and refuses new ones while down.
type netSwitch struct {
	mu     sync.Mutex
	down   bool
	noAcks bool
	// lose is a path whose next answer is lost: the server does the
	// request, then the connection is cut before the answer.
	lose string
	// hold is a path whose requests wait until release is closed.
	hold    string
	release chan struct{}
	conns   []net.Conn
}

// setNoAcks refuses the station's print acknowledgements (503) while on,
// as if the server went away between the printing and the
// acknowledgement.
func (n *netSwitch) setNoAcks(on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.noAcks = on
}

func (n *netSwitch) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		noAcks := n.noAcks
		n.mu.Unlock()
		if noAcks && r.Method == "POST" && strings.HasPrefix(r.URL.Path, "/api/v1/station/print-jobs/") {
			http.Error(w, "unavailable for the test", http.StatusServiceUnavailable)
			return
		}
		n.mu.Lock()
		var wait chan struct{}
		if n.hold != "" && r.URL.Path == n.hold {
			wait = n.release
		}
		n.mu.Unlock()
		if wait != nil {
			<-wait
		}
		n.mu.Lock()
		lose := n.lose != "" && r.URL.Path == n.lose
		if lose {
			n.lose = ""
		}
		n.mu.Unlock()
		if lose {
			h.ServeHTTP(httptest.NewRecorder(), r)
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		if strings.HasSuffix(r.URL.Path, "/events") {
			n.mu.Lock()
			down := n.down
			n.mu.Unlock()
			if down {
				http.Error(w, "down for the test", http.StatusServiceUnavailable)
				return
			}
			w = hijackRecorder{w, n}
		}
		h.ServeHTTP(w, r)
	})
}

// setDown cuts the stream's connections and refuses new ones (true), or
// lets them come back (false).
func (n *netSwitch) setDown(down bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.down = down
	if down {
		for _, c := range n.conns {
			c.Close()
		}
		n.conns = nil
	}
}

type hijackRecorder struct {
	http.ResponseWriter
	n *netSwitch
}

func (h hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err == nil {
		h.n.mu.Lock()
		h.n.conns = append(h.n.conns, c)
		h.n.mu.Unlock()
	}
	return c, rw, err
}

// env is a real server with stations for q3 and q2, and the switch on its
// stream.
type env struct {
	srv *servertest.Server
	net *netSwitch
}

func newEnv(t *testing.T) *env {
	n := &netSwitch{}
	srv := servertest.New(t, servertest.WithWrap(n.wrap), servertest.WithDevices(
		servertest.Device{Device: queue.Device{ID: "kiosk1", Name: "Kiosk sảnh", Kind: queue.DeviceKiosk}, Key: servertest.KioskKey},
		servertest.Device{Device: queue.Device{ID: "station-q3", Name: "Màn hình quầy 3", Kind: queue.DeviceStation, Counter: "q3"}, Key: stationKey},
		servertest.Device{Device: queue.Device{ID: "station-q2", Name: "Màn hình quầy 2", Kind: queue.DeviceStation, Counter: "q2"}, Key: otherKey},
	))
	return &env{srv: srv, net: n}
}

// config is the configuration of q3's station against the env's server.
func (e *env) config(t *testing.T) device.Config {
	cfg := device.Defaults()
	cfg.Server, cfg.Office, cfg.DeviceKey = e.srv.URL, e.srv.Office, stationKey
	cfg.Counter, cfg.StaffPrefix = "q3", "nv"
	cfg.Journal = filepath.Join(t.TempDir(), "print.journal")
	return cfg
}

// running is a station running against the env's server.
type running struct {
	t    *testing.T
	d    *Device
	stop func()
	done chan error
}

func (e *env) start(t *testing.T, cfg device.Config, o Options) *running {
	t.Helper()
	if o.Clock == nil {
		o.Clock = e.srv.Clock
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	o.Follow = client.FollowOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}
	if o.RetryEvery == 0 {
		o.RetryEvery = 50 * time.Millisecond
	}
	d, err := New(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, d: d, stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- d.Run(ctx) }()
	t.Cleanup(func() { r.halt() })
	return r
}

// halt stops the station and waits for Run to return.
func (r *running) halt() error {
	r.stop()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(10 * time.Second):
		r.t.Fatal("the station did not stop within 10 s")
		return nil
	}
}

// waitFor waits until the station's state satisfies cond; the bound only
// catches a hang.
func (r *running) waitFor(what string, cond func(State) bool) State {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := r.d.StateNow()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("waiting for %s: the station's state is %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// keys presses keys one after another, each once the one before is
// answered (nothing in flight, the corner not "sending").
func (r *running) keys(names ...string) {
	for _, k := range names {
		r.d.Key(k)
		r.d.busy.Wait()
	}
}

// signIn signs nv1 in on the keypad: 1 Enter 1234 Enter.
func (r *running) signIn() {
	r.t.Helper()
	r.waitFor("the sign-in prompt", func(s State) bool {
		return s.Connected && s.Mode != stationstate.ModeConnecting && s.Corner.SignIn == "staff"
	})
	r.keys("1", "KP_Enter")
	if st := r.d.StateNow(); st.Corner.SignIn != "pin" {
		r.t.Fatalf("after the staff id and Enter the corner is %+v, want the PIN step", st.Corner)
	}
	r.keys(strings.Split(servertest.PIN, "")...)
	if st := r.d.StateNow(); st.Corner.Typed != strings.Repeat("•", len(servertest.PIN)) && !strings.HasPrefix(st.Corner.Typed, "•") {
		r.t.Errorf("the PIN shows as %q, want dots", st.Corner.Typed)
	}
	r.keys("KP_Enter")
	r.waitFor("nv1 signed in", func(s State) bool { return s.SignedIn && s.Corner.SignIn == "" && s.Clerk != nil })
}

// trackToken is the tracking token of a ticket, from its track URL.
func trackToken(t *testing.T, tk api.TicketJSON) string {
	u, err := url.Parse(tk.TrackURL)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("ticket %s: no token in its track URL %q", tk.Number, tk.TrackURL)
	}
	return u.Query().Get("token")
}

// TestStationCycle: the clerk signs in on the keypad, opens the counter,
// calls, starts and finishes with keys; the citizen taps a score and the
// server holds the rating with channel station, tied to the clerk and the
// counter. The next citizen rates on the phone first: the station's tap
// is refused 409 already_rated, which its state shows.
func TestStationCycle(t *testing.T) {
	e := newEnv(t)
	// The admin uploaded nv1's photo (stored re-encoded as JPEG).
	photo := testJPEG(t)
	if err := e.srv.DB.PutStaffPhoto(context.Background(), e.srv.Office, "nv1", photo, e.srv.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	r := e.start(t, e.config(t), Options{})
	r.signIn()
	st := r.d.StateNow()
	if st.Clerk.Name == "" || st.Counter != "q3" || st.CounterNumber != 3 {
		t.Errorf("signed in: clerk %+v at counter %q (%d)", st.Clerk, st.Counter, st.CounterNumber)
	}
	v := r.waitFor("the clerk's photo", func(s State) bool { return s.Clerk != nil && len(s.Clerk.Photo) > 0 })
	if !bytes.Equal(v.Clerk.Photo, photo) {
		t.Errorf("the station shows a photo of %d bytes, want the %d uploaded", len(v.Clerk.Photo), len(photo))
	}

	r.keys(".") // open
	r.waitFor("the counter open", func(s State) bool { return s.Mode == stationstate.ModeIdle })
	first := e.srv.Issue(t, "chung-thuc")
	r.keys("+") // next
	st = r.waitFor("the first ticket called", func(s State) bool {
		return s.Mode == stationstate.ModeCalled && s.Ticket != nil && s.Ticket.ID == first.ID
	})
	if !st.Corner.OK || !strings.Contains(st.Corner.Message, first.Number) {
		t.Errorf("the corner after next: %+v, want it to name %s", st.Corner, first.Number)
	}
	r.keys("0") // start
	r.waitFor("serving", func(s State) bool { return s.Mode == stationstate.ModeServing })
	r.keys("KP_Enter") // done
	st = r.waitFor("the rating prompt", func(s State) bool { return s.Mode == stationstate.ModeRating && s.Rating != nil })
	if len(st.Rating.Scale) != 4 || st.Ticket == nil || st.Ticket.ID != first.ID {
		t.Fatalf("rating prompt %+v for %+v, want four levels for %s", st.Rating, st.Ticket, first.ID)
	}
	r.d.Tap(stationstate.Tap{Kind: stationstate.TapScore, Score: 4})
	r.waitFor("thanks", func(s State) bool { return s.Mode == stationstate.ModeThanks })
	st = r.waitFor("the rating stored", func(s State) bool {
		return s.LastRating != nil && s.LastRating.Ticket == first.ID && s.Counts.Ratings == 1
	})
	if st.LastRating.Channel != queue.RatingStation || st.LastRating.Code != "" {
		t.Errorf("rating answer %+v, want stored with channel station", st.LastRating)
	}
	rt, err := e.srv.DB.RatingOf(context.Background(), first.ID)
	if err != nil || rt == nil {
		t.Fatalf("the server holds no rating of %s: %v", first.ID, err)
	}
	if rt.Score != 4 || rt.Channel != queue.RatingStation || rt.Counter != "q3" || rt.Staff != "nv1" {
		t.Errorf("rating held %+v, want score 4, channel station, counter q3, staff nv1", rt)
	}

	// The state endpoint serves the same state as JSON.
	addr, err := r.d.ServeState(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var served State
	resp, err := http.Get("http://" + addr + "/state")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&served)
	resp.Body.Close()
	if served.Mode != stationstate.ModeThanks || !served.SignedIn || served.LastRating == nil || served.Counts.Ratings != 1 {
		t.Errorf("state endpoint: %+v", served)
	}

	// The thanks end after 5 s of the station's clock.
	e.srv.Clock.Advance(stationstate.ThanksFor)
	r.d.Tick()
	r.waitFor("idle after the thanks", func(s State) bool { return s.Mode == stationstate.ModeIdle })

	// The second citizen rates on the phone while the prompt shows.
	second := e.srv.Issue(t, "chung-thuc")
	r.keys("+", "0", "KP_Enter")
	r.waitFor("the second prompt", func(s State) bool {
		return s.Mode == stationstate.ModeRating && s.Ticket != nil && s.Ticket.ID == second.ID
	})
	e.srv.Call(t, "POST", "/api/v1/tickets/"+second.ID+"/rating", nil,
		map[string]any{"token": trackToken(t, second), "score": 2}, http.StatusCreated, nil)
	r.d.Tap(stationstate.Tap{Kind: stationstate.TapScore, Score: 3})
	st = r.waitFor("the station's rating refused", func(s State) bool {
		return s.LastRating != nil && s.LastRating.Ticket == second.ID && s.Counts.RatingsNot == 1
	})
	if st.LastRating.Status != http.StatusConflict || st.LastRating.Code != "already_rated" || st.PendingRatings != 0 {
		t.Errorf("second rating's answer %+v (pending %d), want 409 already_rated, not retried", st.LastRating, st.PendingRatings)
	}
	if rt, _ := e.srv.DB.RatingOf(context.Background(), second.ID); rt == nil || rt.Score != 2 || rt.Channel != queue.RatingPhone {
		t.Errorf("second ticket's rating %+v, want the phone's 2", rt)
	}

	// Sign-out: the corner asks for a staff id again, and the counter
	// keys are refused as needing a sign-in (nothing sent).
	r.keys("BackSpace")
	r.waitFor("signed out", func(s State) bool { return !s.SignedIn && s.Corner.SignIn == "staff" })
	before := r.d.Counts()
	r.keys("+")
	if after := r.d.Counts(); after.Actions != before.Actions || after.Refused != before.Refused {
		t.Errorf("a counter key after sign-out was sent: %+v, then %+v", before, after)
	}
}

// TestStationWrongKey: a station key bound to another counter, and a key
// that is not a station's, stop the station with a clear error.
func TestStationWrongKey(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(t)
	cfg.DeviceKey = otherKey
	r := e.start(t, cfg, Options{})
	var err error
	select {
	case err = <-r.done:
		r.done <- err
	case <-time.After(10 * time.Second):
		t.Fatal("a station with q2's key configured for q3 kept running")
	}
	if !errors.Is(err, ErrWrongStation) || !strings.Contains(err.Error(), `counter "q2", not of "q3"`) {
		t.Errorf("error %v, want it to say the key is q2's", err)
	}

	cfg.DeviceKey = servertest.KioskKey
	r = e.start(t, cfg, Options{})
	select {
	case err = <-r.done:
		r.done <- err
	case <-time.After(10 * time.Second):
		t.Fatal("a station with a kiosk's key kept running")
	}
	if !errors.Is(err, ErrWrongStation) || !strings.Contains(err.Error(), "not_a_station") {
		t.Errorf("error %v, want not_a_station", err)
	}
	if _, err := New(device.Defaults(), Options{}); err == nil || !strings.Contains(err.Error(), "-counter") {
		t.Errorf("New without a counter: %v", err)
	}
}

// TestStationStreamResumes: the stream drops; while it is down the screen
// keeps what it had and says so; a call made meanwhile shows once it is
// back, resumed from the last seq (no snapshot needed, nothing missed).
func TestStationStreamResumes(t *testing.T) {
	e := newEnv(t)
	r := e.start(t, e.config(t), Options{})
	r.signIn()
	r.keys(".")
	r.waitFor("idle", func(s State) bool { return s.Mode == stationstate.ModeIdle })

	e.net.setDown(true)
	r.waitFor("the banner", func(s State) bool { return !s.Connected && s.Counts.Disconnects >= 1 })
	if r.d.View().Mode != stationstate.ModeIdle {
		t.Errorf("while down the station shows %s, want what it had (idle)", r.d.View().Mode)
	}
	tk := e.srv.Issue(t, "chung-thuc")
	tok := e.srv.Login(t, "nv1", "q3")
	e.srv.Call(t, "POST", "/api/v1/counters/q3/next", map[string]string{"Authorization": "Bearer " + tok, "Idempotency-Key": "k-next-1"}, nil, http.StatusOK, nil)
	connects := r.d.Counts().Connects

	e.net.setDown(false)
	st := r.waitFor("the call made while down", func(s State) bool {
		return s.Connected && s.Mode == stationstate.ModeCalled && s.Ticket != nil && s.Ticket.ID == tk.ID
	})
	if st.Counts.Connects <= connects {
		t.Errorf("connections %d, want more than %d", st.Counts.Connects, connects)
	}
	if fmt.Sprint(st.Ticket.Number) != tk.Number {
		t.Errorf("ticket %s, want %s", st.Ticket.Number, tk.Number)
	}
}

// TestStationSerialKeypad: a serial keypad on a pseudo-terminal (one code
// a line) signs the clerk in and opens the counter, through the same key
// map as the window's keys.
func TestStationSerialKeypad(t *testing.T) {
	e := newEnv(t)
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	cfg := e.config(t)
	cfg.KeypadSerial, cfg.KeypadMode = tty.Name(), "line"
	r := e.start(t, cfg, Options{})
	// The station's counter known (not connecting): an Enter before it
	// is answered "try again" by design (stationstate's clerk tests).
	r.waitFor("the sign-in prompt", func(s State) bool {
		return s.Connected && s.Mode != stationstate.ModeConnecting && s.Corner.SignIn == "staff"
	})
	send := func(codes ...string) {
		for _, c := range codes {
			if _, err := master.Write([]byte(c + "\r\n")); err != nil {
				t.Fatal(err)
			}
		}
	}
	send("1", "KP_Enter", "1", "2", "3", "4", "KP_Enter")
	r.waitFor("signed in from the serial keypad", func(s State) bool { return s.SignedIn && s.Corner.SignIn == "" })
	send(".")
	r.waitFor("the counter opened from the serial keypad", func(s State) bool { return s.Mode == stationstate.ModeIdle && s.Counts.Actions == 1 })
}

// TestStationBadPorts: a printer or keypad port that does not exist is
// refused at start, saying which and what to do.
func TestStationBadPorts(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(t)
	cfg.KeypadSerial = filepath.Join(t.TempDir(), "no-keypad")
	if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "keypad port") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing keypad port: %v", err)
	}
	cfg = e.config(t)
	cfg.Printer = filepath.Join(t.TempDir(), "no-printer")
	if p, err := OpenPrinter(cfg.Station); err == nil || p != nil || !strings.Contains(err.Error(), "printer port") || !strings.Contains(err.Error(), "-printer virtual") {
		t.Errorf("a missing printer port: %v", err)
	}
	cfg.Printer, cfg.PrinterOut = "virtual", t.TempDir()
	p, err := OpenPrinter(cfg.Station)
	if err != nil || p == nil || p.Virtual == nil || p.Virtual.OutDir() != cfg.PrinterOut {
		t.Fatalf("a virtual printer: %+v, %v", p, err)
	}
	p.Close()
}

// TestStationLostAnswer: the server does a "next" but its answer is lost
// on the way; the station sends the press again with the same
// idempotency key and gets the first answer: one ticket called, not two.
func TestStationLostAnswer(t *testing.T) {
	e := newEnv(t)
	r := e.start(t, e.config(t), Options{})
	r.signIn()
	r.keys(".")
	r.waitFor("idle", func(s State) bool { return s.Mode == stationstate.ModeIdle })
	first := e.srv.Issue(t, "chung-thuc")
	second := e.srv.Issue(t, "chung-thuc")
	e.net.mu.Lock()
	e.net.lose = "/api/v1/counters/q3/next"
	e.net.mu.Unlock()
	r.keys("+")
	st := r.waitFor("the first ticket called", func(s State) bool {
		return s.Mode == stationstate.ModeCalled && s.Ticket != nil && s.Ticket.ID == first.ID && s.Corner.OK && strings.Contains(s.Corner.Message, first.Number)
	})
	if st.Counts.Actions != 2 || st.Counts.Refused != 0 { // open and one next
		t.Errorf("counts %+v, want 2 actions", st.Counts)
	}
	var tk struct{ Status string }
	e.srv.Call(t, "GET", "/api/v1/tickets/"+second.ID+"?token="+trackToken(t, second), nil, nil, http.StatusOK, &tk)
	if tk.Status != "waiting" {
		t.Errorf("the second ticket is %s: the lost answer's retry called again", tk.Status)
	}
}

// testJPEG is a small JPEG, as the admin page stores a clerk's photo.
func testJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(1, 1, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestStationDoublePress: "next" pressed again while the first press is
// under way does nothing (the corner says so); one ticket is called.
func TestStationDoublePress(t *testing.T) {
	e := newEnv(t)
	r := e.start(t, e.config(t), Options{})
	r.signIn()
	r.keys(".")
	r.waitFor("idle", func(s State) bool { return s.Mode == stationstate.ModeIdle })
	first := e.srv.Issue(t, "chung-thuc")
	second := e.srv.Issue(t, "chung-thuc")
	release := make(chan struct{})
	e.net.mu.Lock()
	e.net.hold, e.net.release = "/api/v1/counters/q3/next", release
	e.net.mu.Unlock()
	r.d.Key("+")
	r.d.Key("+") // the same key again, at once
	st := r.d.StateNow()
	if st.Corner.OK || st.Corner.Message == "" {
		t.Errorf("the corner after a doubled press: %+v, want it to say the press is under way", st.Corner)
	}
	close(release)
	r.d.busy.Wait()
	st = r.waitFor("the first ticket called", func(s State) bool {
		return s.Mode == stationstate.ModeCalled && s.Ticket != nil && s.Ticket.ID == first.ID
	})
	if st.Counts.Actions != 2 { // open and one next
		t.Errorf("counts %+v, want one next sent", st.Counts)
	}
	var tk struct{ Status string }
	e.srv.Call(t, "GET", "/api/v1/tickets/"+second.ID+"?token="+trackToken(t, second), nil, nil, http.StatusOK, &tk)
	if tk.Status != "waiting" {
		t.Errorf("the second ticket is %s after a doubled press, want waiting", tk.Status)
	}
}

// TestStationNoRating: with rating off, done shows the counter idle at
// once and nothing is sent.
func TestStationNoRating(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(t)
	cfg.Rating = false
	r := e.start(t, cfg, Options{})
	r.signIn()
	r.keys(".")
	tk := e.srv.Issue(t, "chung-thuc")
	r.keys("+", "0")
	r.waitFor("serving", func(s State) bool {
		return s.Mode == stationstate.ModeServing && s.Ticket != nil && s.Ticket.ID == tk.ID
	})
	r.keys("KP_Enter")
	r.waitFor("idle after done", func(s State) bool { return s.Mode == stationstate.ModeIdle && s.Counts.Actions == 4 })
	if st := r.d.StateNow(); st.Rating != nil || st.Counts.Ratings+st.Counts.RatingsNot != 0 {
		t.Errorf("rating off: %+v", st)
	}
}
