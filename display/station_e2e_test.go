package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"luot/display/stationstate"
	"luot/internal/e2etest"
	"luot/server/client"
)

// The counter station's end-to-end test runs the real server (demo office,
// whose counter q3 has the station key demo-station-q3), the real display
// in counter mode (cgo, OpenGL on an Xvfb of 1280×800), a virtual printer
// in a process of its own (escpos virtual, as a technician runs it) and a
// serial keypad on a pseudo-terminal. The clerk signs in and works with
// key events (xdotool, as a USB numeric keypad sends them), the citizen
// taps a rating (an xdotool click), the server holds the rating with the
// channel "station"; the administrator's test receipt and a reprint come
// out of the virtual printer as PNGs; the serial keypad drives the same
// actions. The station's state endpoint says what it shows, and the
// screenshots are checked and kept.
//
// LUOT_SCREENSHOT_DIR, when set, receives station-*.png: the screens and
// the two receipts (docs/screenshots holds the committed ones).

// stationState is what the station's state endpoint serves (stationdev.State).
type stationState struct {
	stationstate.View
	DrawnVersion int64 `json:"drawn_version"`
	SignedIn     bool  `json:"signed_in"`
	Counts       struct {
		Actions int `json:"actions"`
		Ratings int `json:"ratings"`
		Printed int `json:"printed"`
		Acked   int `json:"acked"`
	} `json:"counts"`
	Fault *struct {
		Code string `json:"code"`
	} `json:"fault"`
}

// stationRun is the running station and what the test drives it with.
type stationRun struct {
	t       *testing.T
	base    string
	display string
	state   string
	shots   string
	paper   string
	keypad  *os.File // the serial keypad's end of the pseudo-terminal
	proc    *e2etest.Proc
}

func (s *stationRun) read() (stationState, error) {
	var st stationState
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(s.state)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// waitFor waits until the station's state (drawn on the screen) satisfies
// cond, and returns it.
func (s *stationRun) waitFor(what string, cond func(stationState) bool) stationState {
	s.t.Helper()
	var last stationState
	var lastErr error
	e2etest.WaitFor(s.t, 30*time.Second, what+" on the station", func() bool {
		if s.proc.Exited() {
			s.t.Fatalf("the station exited while waiting for %s", what)
		}
		st, err := s.read()
		last, lastErr = st, err
		return err == nil && st.DrawnVersion == st.Version && cond(st)
	})
	if lastErr != nil {
		s.t.Fatal(lastErr)
	}
	return last
}

// keys presses keys on the station's X display, as a USB keypad does.
func (s *stationRun) keys(keys ...string) {
	s.t.Helper()
	e2etest.Key(s.t, s.display, keys...)
}

// serial sends codes from the serial keypad, one a line.
func (s *stationRun) serial(codes ...string) {
	s.t.Helper()
	for _, c := range codes {
		if _, err := s.keypad.Write([]byte(c + "\r\n")); err != nil {
			s.t.Fatalf("serial keypad: %v", err)
		}
	}
}

// shot saves the screen as name once two captures in a row are the same
// (the driver has painted the last view) and returns the image.
func (s *stationRun) shot(name string) image.Image {
	s.t.Helper()
	path := filepath.Join(s.shots, name)
	var previous []byte
	var img image.Image
	e2etest.WaitFor(s.t, 20*time.Second, "a settled screenshot "+name, func() bool {
		img = e2etest.Screenshot(s.t, s.display, path)
		data, err := os.ReadFile(path)
		if err != nil {
			s.t.Fatal(err)
		}
		settled := bytes.Equal(data, previous)
		previous = data
		return settled
	})
	return img
}

// api calls the server as who (a bearer token, or "" for none) and decodes
// the answer into out; it fails the test unless the status is want.
func api(t *testing.T, base, method, path, token string, body, out any, want int) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", client.NewIdempotencyKey())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %s, want %d: %s", method, path, resp.Status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

// pngs lists the PNGs the virtual printer has written.
func pngs(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	return m
}

// printed waits for the virtual printer's n-th receipt and returns its text.
func (s *stationRun) printed(n int) string {
	s.t.Helper()
	var txt string
	e2etest.WaitFor(s.t, 30*time.Second, fmt.Sprintf("receipt %d from the virtual printer", n), func() bool {
		if len(pngs(s.paper)) < n {
			return false
		}
		m, _ := filepath.Glob(filepath.Join(s.paper, "*.txt"))
		if len(m) < n {
			return false
		}
		b, err := os.ReadFile(m[n-1])
		txt = string(b)
		return err == nil
	})
	return txt
}

func TestStationEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("the end-to-end test builds and runs the server and the station; skipped under -short")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the end-to-end test runs on Linux (Xvfb)")
	}
	e2etest.NeedTools(t, "Xvfb", "xdotool", "import")
	serverBin := os.Getenv("LUOT_SERVER_BIN")
	if serverBin == "" {
		serverBin = e2etest.Build(t, e2etest.Server)
	}
	escposBin := e2etest.Build(t, e2etest.Escpos)
	displayBin := e2etest.Build(t, e2etest.Display)
	tmp := t.TempDir()
	shots := os.Getenv("LUOT_SCREENSHOT_DIR")
	if shots == "" {
		shots = tmp
	}
	addr := e2etest.FreeAddr(t)
	base := "http://" + addr
	startServer(t, serverBin, addr, filepath.Join(tmp, "data"))

	// The counter's printer: the virtual printer behind a stable link.
	paper := filepath.Join(tmp, "paper")
	link := filepath.Join(tmp, "printer.tty")
	e2etest.Start(t, "virtual printer", exec.Command(escposBin, "virtual", "-profile", "generic-80", "-out", paper, "-link", link))
	e2etest.WaitFor(t, 20*time.Second, "the virtual printer's port", func() bool { _, err := os.Stat(link); return err == nil })

	// The serial keypad: the station reads the other end of a
	// pseudo-terminal with go.bug.st/serial.
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })

	disp := e2etest.XvfbSize(t, 1280, 800)
	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o755)
	cmd := exec.Command(displayBin, "-server", base, "-office", "demo", "-counter", "q3", "-device-key", "demo-station-q3", "-staff-prefix", "nv",
		"-state-addr", "127.0.0.1:0", "-fullscreen", "-printer", link, "-printer-profile", "generic-80",
		"-journal", filepath.Join(tmp, "print.journal"), "-keypad-serial", tty.Name(), "-keypad-mode", "line")
	cmd.Env = append(os.Environ(), "DISPLAY="+disp, "LANG=C.UTF-8", "HOME="+home, "FYNE_SCALE=1")
	proc, lines := e2etest.StartLines(t, "station", cmd)
	s := &stationRun{t: t, base: base, display: disp, shots: shots, paper: paper, keypad: master, proc: proc}
	stateLine := regexp.MustCompile(`state at (http://\S+)`)
	deadline := time.After(60 * time.Second)
	for s.state == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the station ended before it printed its state endpoint")
			}
			if m := stateLine.FindStringSubmatch(l); m != nil {
				s.state = m[1]
			}
		case <-deadline:
			t.Fatal("the station did not print its state endpoint within 60 s")
		}
	}

	// Closed, nobody signed in: the corner asks for the staff id.
	st := s.waitFor("the closed counter", func(st stationState) bool {
		return st.Connected && st.Mode == stationstate.ModeClosed && st.Corner.SignIn == "staff"
	})
	if st.Counter != "q3" || st.CounterNumber != 3 {
		t.Errorf("the station shows counter %q (number %d), want q3 (3)", st.Counter, st.CounterNumber)
	}
	s.shot("station-closed.png")

	// Three citizens take numbers at the kiosk.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	kiosk, _ := client.New(base, client.WithDeviceKey("demo-kiosk"))
	tokens := map[string]string{} // ticket id → its tracking token (the citizen's phone)
	for range 3 {
		tk, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "chung-thuc"}, client.NewIdempotencyKey())
		if err != nil {
			t.Fatalf("issue a ticket: %v", err)
		}
		tokens[tk.ID] = tk.TrackToken()
	}

	// 1. The clerk signs in on the USB keypad: staff number 3 (the
	// station puts the office's prefix before digits), Enter, PIN, Enter.
	s.keys("KP_3")
	s.waitFor("the staff id typed", func(st stationState) bool { return st.Corner.Typed == "3" })
	s.keys("KP_Enter")
	s.waitFor("the PIN step", func(st stationState) bool { return st.Corner.SignIn == "pin" })
	s.keys("KP_1", "KP_2", "KP_3", "KP_4")
	st = s.waitFor("the PIN typed, masked", func(st stationState) bool { return st.Corner.Typed == "••••" })
	s.keys("KP_Enter")
	st = s.waitFor("the clerk signed in", func(st stationState) bool {
		return st.SignedIn && st.Corner.SignIn == "" && st.Clerk != nil
	})
	t.Logf("signed in: clerk %q, corner %q", st.Clerk.Name, st.Corner.Message)

	// A key the map does not name does nothing, and the corner says so.
	before := st.Counts.Actions
	s.keys("F9")
	st = s.waitFor("the corner on F9", func(st stationState) bool {
		return !st.Corner.OK && strings.Contains(st.Corner.Message, "F9")
	})
	if st.Counts.Actions != before || st.Mode != stationstate.ModeClosed {
		t.Errorf("F9 acted: %d actions (were %d), mode %s", st.Counts.Actions, before, st.Mode)
	}
	t.Logf("F9: corner %q", st.Corner.Message)

	// 2. Open the counter, call the next number, start, finish — keys.
	s.keys("KP_Decimal")
	s.waitFor("the counter open", func(st stationState) bool { return st.Mode == stationstate.ModeIdle })
	s.keys("KP_Add")
	st = s.waitFor("a number called", func(st stationState) bool {
		return st.Mode == stationstate.ModeCalled && st.Ticket != nil
	})
	first := *st.Ticket
	t.Logf("called %s; corner %q", first.Number, st.Corner.Message)
	s.shot("station-called.png")
	s.keys("KP_0")
	s.waitFor("serving "+first.Number, func(st stationState) bool { return st.Mode == stationstate.ModeServing })
	s.keys("KP_Enter")
	st = s.waitFor("the rating prompt", func(st stationState) bool {
		return st.Mode == stationstate.ModeRating && st.Rating != nil && st.Ticket != nil && st.Ticket.ID == first.ID
	})
	img := s.shot("station-rating.png")

	// 3. The citizen taps "very satisfied".
	x, y := ratingButton(t, img, 4)
	e2etest.Click(t, disp, x, y)
	s.waitFor("the thanks", func(st stationState) bool { return st.Mode == stationstate.ModeThanks })
	s.shot("station-thanks.png")
	var admin client.Session
	api(t, base, "POST", "/api/v1/sessions", "", map[string]string{"office": "demo", "staff": "admin", "pin": "123456"}, &admin, http.StatusCreated)
	e2etest.WaitFor(t, 10*time.Second, "the station to send the rating", func() bool {
		st, err := s.read()
		return err == nil && st.Counts.Ratings >= 1
	})
	checkRating(t, base, admin.Token, first.ID, tokens[first.ID], 4)

	// 4. The administrator's test receipt and a reprint of the ticket
	// come out of the virtual printer.
	api(t, base, "POST", "/api/v1/admin/offices/demo/counters/q3/test-print", admin.Token, map[string]any{}, nil, http.StatusCreated)
	if txt := s.printed(1); !strings.Contains(txt, "3") {
		t.Errorf("the test receipt does not name counter 3:\n%s", txt)
	}
	api(t, base, "POST", "/api/v1/tickets/"+first.ID+"/reprint", admin.Token, map[string]any{}, nil, http.StatusCreated)
	if txt := s.printed(2); !strings.Contains(txt, first.Number) {
		t.Errorf("the reprint does not show %s:\n%s", first.Number, txt)
	}
	for i, name := range []string{"station-receipt-test.png", "station-receipt-reprint.png"} {
		if b, err := os.ReadFile(pngs(paper)[i]); err == nil {
			os.WriteFile(filepath.Join(shots, name), b, 0o644)
		}
	}
	t.Logf("printed: %v", pngs(paper))
	s.waitFor("both jobs acknowledged", func(st stationState) bool { return st.Counts.Printed == 2 && st.Counts.Acked == 2 })

	// 5. The serial keypad drives the same actions.
	s.waitFor("idle after the thanks", func(st stationState) bool { return st.Mode == stationstate.ModeIdle })
	s.serial("+")
	st = s.waitFor("a number called from the serial keypad", func(st stationState) bool {
		return st.Mode == stationstate.ModeCalled && st.Ticket != nil && st.Ticket.ID != first.ID
	})
	second := *st.Ticket
	s.serial("0")
	s.waitFor("serving "+second.Number, func(st stationState) bool { return st.Mode == stationstate.ModeServing })
	s.serial("KP_Enter")
	s.waitFor("the rating prompt for "+second.Number, func(st stationState) bool {
		return st.Mode == stationstate.ModeRating && st.Ticket != nil && st.Ticket.ID == second.ID
	})

	if !proc.Stop(10 * time.Second) {
		t.Error("the station did not end within 10 s of SIGTERM")
	}
}

// levelColours are the rating buttons' colours by score
// (display/station's, which this test does not import: it builds no Fyne).
var levelColours = map[int][3]uint32{
	4: {0x2e, 0x7d, 0x32},
	3: {0x55, 0x8b, 0x2f},
	2: {0xd8, 0x4a, 0x05},
	1: {0xc6, 0x28, 0x28},
}

// ratingButton finds the button of score on the rating screen by its
// colour and returns the middle of the part of the screen in it.
func ratingButton(t *testing.T, img image.Image, score int) (int, int) {
	t.Helper()
	want := levelColours[score]
	b := img.Bounds()
	x0, y0, x1, y1, n := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y, 0
	near := func(a, b uint32) bool { return a+8 >= b && b+8 >= a }
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, want[0]) && near(g>>8, want[1]) && near(bl>>8, want[2]) {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
				n++
			}
		}
	}
	// A touch target is at least 48 units high: thousands of pixels.
	if n < 500 {
		t.Fatalf("no button of score %d on the screen (%d pixels of its colour)", score, n)
	}
	t.Logf("button %d: (%d,%d)–(%d,%d)", score, x0, y0, x1, y1)
	return (x0 + x1) / 2, (y0 + y1) / 2
}

// checkRating checks that the server holds the ticket's rating from the
// station: the citizen's phone, rating the same ticket afterwards, is
// refused as already rated, and the admin's ratings report (JSON) counts
// one rating of score for clerk nv3 and counter q3, on the channel
// "station".
func checkRating(t *testing.T, base, admin, ticket, token string, score int) {
	t.Helper()
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	api(t, base, "POST", "/api/v1/tickets/"+ticket+"/rating", "", map[string]any{"token": token, "score": 1}, &e, http.StatusConflict)
	if e.Error.Code != "already_rated" {
		t.Errorf("the phone's rating after the station's: code %q, want already_rated", e.Error.Code)
	}

	req, _ := http.NewRequest("GET", base+"/admin/reports/ratings.json", nil)
	req.AddCookie(&http.Cookie{Name: "luot_session", Value: admin})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ratings.json: %s %s", resp.Status, body)
	}
	type figures struct {
		Key      string `json:"key"`
		N        int    `json:"n"`
		Channels []struct {
			Channel string `json:"channel"`
			N       int    `json:"n"`
			Scores  []int  `json:"scores"`
		} `json:"channels"`
	}
	var rep struct {
		ByStaff   []figures `json:"by_staff"`
		ByCounter []figures `json:"by_counter"`
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("ratings.json: %v\n%s", err, body)
	}
	one := func(what, key string, groups []figures) {
		for _, g := range groups {
			if g.Key != key {
				continue
			}
			for _, c := range g.Channels {
				if c.Channel == "station" && c.N == 1 && len(c.Scores) >= score && c.Scores[score-1] == 1 && g.N == 1 {
					return
				}
			}
		}
		t.Errorf("the ratings report has no single station rating of %d for %s %s:\n%s", score, what, key, body)
	}
	one("clerk", "nv3", rep.ByStaff)
	one("counter", "q3", rep.ByCounter)
}
