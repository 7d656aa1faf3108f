package device

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/display/announce"
	"luot/display/boardstate"
	"luot/internal/config"
)

// fakeServer serves an office and its event stream the way the Lượt server
// does: a snapshot for a follower without since, a replay of the events
// after since otherwise.
type fakeServer struct {
	t      *testing.T
	mu     sync.Mutex
	events []map[string]any // seq 1…n
	conns  []*websocket.Conn
	sinces []string
	newEv  chan struct{}
	// ready is the list GET …/dossiers/ready answers (404 when nil);
	// readyGets counts those requests.
	ready     []map[string]any
	readyGets int
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/offices/demo":
		json.NewEncoder(w).Encode(map[string]any{
			"id": "demo", "name": "Bộ phận một cửa", "name_en": "One-stop shop", "timezone": "Asia/Ho_Chi_Minh",
			"services": []map[string]any{{"id": "chung-thuc", "name": "Chứng thực", "name_en": "Certified copies", "prefix": "C"}},
			"counters": []map[string]any{{"id": "q3", "number": 3, "name": "Quầy 3", "services": []string{"chung-thuc"}}},
			"ticker":   "Xin chào",
		})
	case "/api/v1/offices/demo/dossiers/ready":
		f.mu.Lock()
		defer f.mu.Unlock()
		f.readyGets++
		if f.ready == nil {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"dossiers": f.ready})
	case "/api/v1/offices/demo/events":
		up := websocket.Upgrader{}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		f.mu.Lock()
		since := r.URL.Query().Get("since")
		f.sinces = append(f.sinces, since)
		f.conns = append(f.conns, c)
		n := len(f.events)
		var first []any
		if since == "" {
			first = append(first, map[string]any{"seq": n, "type": "snapshot", "at": time.Now(), "data": map[string]any{
				"seq": n, "day": "2026-11-27", "waiting": map[string]int{"chung-thuc": 3},
				"counters": []map[string]any{{"id": "q3", "number": 3, "state": "open", "services": []string{"chung-thuc"}}},
				"recent":   []any{},
			}})
		} else {
			s, _ := strconv.Atoi(since)
			for _, e := range f.events[s:] {
				first = append(first, e)
			}
		}
		f.mu.Unlock()
		for _, e := range first {
			c.WriteJSON(e)
		}
		sent := n
		for {
			f.mu.Lock()
			ch := f.newEv
			evs := f.events[sent:]
			f.mu.Unlock()
			for _, e := range evs {
				if c.WriteJSON(e) != nil {
					return
				}
				sent++
			}
			<-ch
		}
	default:
		http.NotFound(w, r)
	}
}

// call records a ticket.called event, made at, and sends it to followers.
func (f *fakeServer) call(number string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq := len(f.events) + 1
	f.events = append(f.events, map[string]any{"seq": seq, "type": "ticket.called", "at": at, "data": map[string]any{
		"ticket": map[string]any{"id": "t" + number, "number": number, "service": "chung-thuc", "status": "called",
			"counter": "q3", "counter_number": 3, "called_at": at, "issued_at": at.Add(-time.Minute)},
	}})
	close(f.newEv)
	f.newEv = make(chan struct{})
}

// readyEvent records a dossiers.ready event with the list codes and
// makes it the list the server answers.
func (f *fakeServer) readyEvent(codes ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ready = []map[string]any{}
	for _, c := range codes {
		f.ready = append(f.ready, map[string]any{"code": c, "name": "Nguyễn V. A.", "at": time.Now()})
	}
	f.events = append(f.events, map[string]any{"seq": len(f.events) + 1, "type": "dossiers.ready", "at": time.Now(),
		"data": map[string]any{"dossiers": f.ready}})
	close(f.newEv)
	f.newEv = make(chan struct{})
}

// drop closes every connection (the server went away).
func (f *fakeServer) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
	f.conns = nil
}

type sink struct {
	mu   sync.Mutex
	said []string
}

func (s *sink) Say(_ context.Context, a announce.Announcement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.said = append(s.said, a.Text)
	return nil
}

func (s *sink) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.said...)
}

// waitFor polls cond, a bounded number of times.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting (5 s) for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDeviceFollowsAndResumes(t *testing.T) {
	f := &fakeServer{t: t, newEv: make(chan struct{})}
	srv := httptest.NewServer(f)
	defer srv.Close()
	defer f.drop()

	cfg := Defaults()
	cfg.Server, cfg.MaxAge = srv.URL, config.Duration{Duration: time.Minute}
	var mu sync.Mutex
	var shown []boardstate.View
	sk := &sink{}
	d, err := New(cfg, Options{Sink: sk, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Show: func(v boardstate.View) { mu.Lock(); shown = append(shown, v); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	addr, err := d.ServeState(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	waitFor(t, "the snapshot and office", func() bool { v := d.View(); return v.Connected && v.Ready && v.Name != "" })
	f.call("C001", time.Now())
	waitFor(t, "the first call", func() bool { v := d.View(); return v.Latest != nil && v.Latest.Number == "C001" })
	waitFor(t, "the first announcement", func() bool { return len(sk.list()) == 1 })

	// The server drops; the display shows it and reconnects from seq 1.
	f.drop()
	waitFor(t, "the drop to show", func() bool { return !d.View().Connected })
	if d.View().Latest == nil || d.View().Latest.Number != "C001" {
		t.Error("the last state was not kept while disconnected")
	}
	// Calls made while it was away: one long ago, one just now.
	f.call("C002", time.Now().Add(-10*time.Minute))
	f.call("C003", time.Now())
	waitFor(t, "the reconnect", func() bool { v := d.View(); return v.Connected && v.Latest != nil && v.Latest.Number == "C003" })
	waitFor(t, "the fresh call's announcement", func() bool { return len(sk.list()) == 2 })
	f.mu.Lock()
	sinces := fmt.Sprint(f.sinces)
	f.mu.Unlock()
	if sinces != "[ 1]" {
		t.Errorf("connections asked for since %s, want [ 1] (snapshot first, then resume after seq 1)", sinces)
	}
	want := []string{
		"Mời công dân có số thứ tự xê một đến quầy số ba.",
		"Mời công dân có số thứ tự xê ba đến quầy số ba.",
	}
	if got := sk.list(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("announced %q, want %q (C002 is too old to announce)", got, want)
	}

	// The state endpoint serves the same.
	resp, err := http.Get("http://" + addr + "/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st State
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.Latest == nil || st.Latest.Number != "C003" || st.Seq != 3 || st.Announcements.Said != 2 || st.Announcements.Skipped != 1 || st.Reconnects != 1 {
		t.Errorf("state %+v", st)
	}
	if len(st.Recent) != 3 || st.Recent[1].Number != "C002" {
		t.Errorf("the old call is not shown: recent %+v", st.Recent)
	}
	mu.Lock()
	n := len(shown)
	mu.Unlock()
	if n < 5 {
		t.Errorf("only %d views shown", n)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Run did not return after its context ended")
	}
}

// TestDeviceReadyDossiers: the board fetches the dossiers ready for
// pickup at start and after each reconnection, and takes each
// dossiers.ready event's list in place of its own.
func TestDeviceReadyDossiers(t *testing.T) {
	f := &fakeServer{t: t, newEv: make(chan struct{}),
		ready: []map[string]any{{"code": "TP-261126-0002", "name": "Trần T. B.", "at": time.Now()}}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	defer f.drop()
	cfg := Defaults()
	cfg.Server, cfg.Announce = srv.URL, false
	d, err := New(cfg, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()
	codes := func() string {
		var out []string
		for _, x := range d.View().Dossiers {
			out = append(out, x.Code+" "+x.Name)
		}
		return strings.Join(out, ", ")
	}
	waitFor(t, "the fetched list", func() bool { return codes() == "TP-261126-0002 Trần T. B." })
	f.readyEvent("TP-261127-0001", "TP-261126-0002")
	waitFor(t, "the event's list", func() bool {
		return codes() == "TP-261127-0001 Nguyễn V. A., TP-261126-0002 Nguyễn V. A."
	})
	f.mu.Lock()
	gets := f.readyGets
	f.ready = []map[string]any{{"code": "TP-261127-0009", "at": time.Now()}} // changed while the board was away
	f.mu.Unlock()
	f.drop()
	waitFor(t, "the list fetched again after the reconnection", func() bool { return codes() == "TP-261127-0009 " })
	f.mu.Lock()
	if f.readyGets <= gets {
		t.Errorf("%d fetches of the list after a reconnection, want more than %d", f.readyGets, gets)
	}
	// A server without dossiers answers 404: an empty panel.
	f.ready = nil
	f.mu.Unlock()
	f.drop()
	waitFor(t, "the empty list", func() bool { return d.View().Connected && codes() == "" })
}

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/display.json"
	writeFile(t, file, `{"server": "http://10.0.0.5:8080", "office": "hcm-q1", "counters": ["q1", "2"], "volume": 70, "announce_max_age": "45s", "english": false, "blink_every": "500ms"}`)
	c, err := ParseConfig([]string{"-config", file, "-volume", "30", "-services", "a, b"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server != "http://10.0.0.5:8080" || c.Office != "hcm-q1" || fmt.Sprint(c.Counters) != "[q1 2]" || c.Volume != 30 ||
		c.MaxAge.Duration != 45*time.Second || c.English || fmt.Sprint(c.Services) != "[a b]" || c.DeviceKey != "demo-display" ||
		c.BlinkEvery.Duration != 500*time.Millisecond || c.Blink.Duration != 3*time.Second {
		t.Errorf("config %+v", c)
	}
	if c, err := ParseConfig([]string{"-config", file, "-blink-every", "2s"}, io.Discard); err != nil || c.BlinkEvery.Duration != 2*time.Second {
		t.Errorf("-blink-every over the file: %v, %v", c.BlinkEvery, err)
	}
	if c, err := ParseConfig(nil, io.Discard); err != nil || c.BlinkEvery.Duration != time.Second {
		t.Errorf("default blink-every %v, %v; want 1s", c.BlinkEvery, err)
	}
	for _, bad := range [][]string{
		{"-volume", "120"},
		{"-reading", "roman"},
		{"-audio", "pulse"},
		{"-blink-every", "10ms"},
		{"-blink-every", "1m"},
		{"-blink", "-1s"},
		{"stray"},
		{"-config", dir + "/missing.json"},
	} {
		if _, err := ParseConfig(bad, io.Discard); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	// Flags win over the file wherever they stand, lists included.
	if c, err := ParseConfig([]string{"-counters", "q9", "-volume", "5", "-config", file}, io.Discard); err != nil ||
		fmt.Sprint(c.Counters) != "[q9]" || c.Volume != 5 || c.Office != "hcm-q1" {
		t.Errorf("flags before -config: %+v, %v", c, err)
	}
	// A bare number in the file is nanoseconds (config.Duration).
	writeFile(t, file, `{"blink": 1500000000, "blink_every": "750ms"}`)
	if c, err := ParseConfig([]string{"-config", file}, io.Discard); err != nil ||
		c.Blink.Duration != 1500*time.Millisecond || c.BlinkEvery.Duration != 750*time.Millisecond {
		t.Errorf("durations in the file: %v %v, %v", c.Blink, c.BlinkEvery, err)
	}
	for text, says := range map[string]string{
		`{"colour": "red"}`:           `unknown field "colour"`,
		`{"blink": "3 s"}`:            `duration "3 s"`,
		`{"blink_every": 1.5}`:        "whole nanoseconds",
		`{"volume": 5} {"x": 1}`:      "text after the JSON object",
		`{"announce_max_age": "-1s"}`: "announce-max-age must not be negative",
	} {
		writeFile(t, file, text)
		if _, err := ParseConfig([]string{"-config", file}, io.Discard); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v; want an error saying %q", text, err, says)
		}
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := osWriteFile(path, []byte(s)); err != nil {
		t.Fatal(err)
	}
}

func osWriteFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }

// TestDocumentedConfig loads the example file of display/README.md: the
// configurations installed from it must keep loading.
func TestDocumentedConfig(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)Example file:\n\n(    \{.*?\})\n\n`).FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md: no example file found")
	}
	file := t.TempDir() + "/display.json"
	writeFile(t, file, string(m[1]))
	if c, err := ParseConfig([]string{"-config", file}, io.Discard); err != nil || c.Volume != 80 || !c.AnnounceEnglish {
		t.Errorf("README.md's example: %+v, %v", c, err)
	}
}
