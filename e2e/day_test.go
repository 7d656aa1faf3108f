package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"luot/display/device"
	"luot/internal/e2etest"
	"luot/server/client"
)

// TestDay scripts a morning of the demo office on the real programs — the
// server, the virtual printer (escpos virtual), the kiosk and the display
// (each on its own Xvfb) — and checks the day from every side:
//
//   - walk-ins are tapped on the kiosk's screen with xdotool; remote numbers,
//     an appointment (and a cancelled one) and a clerk's priority ticket go
//     through the API; the appointment is checked in by writing its code to
//     the kiosk's scanner port (a pseudo-terminal), as a scanner would;
//   - clerks at counters 1, 3 and 4 call, recall, start, transfer, mark a
//     no-show and finish through the API; every call must reach the
//     display (its state endpoint, drawn) before the next step;
//   - the printer runs out of paper in the middle (the virtual printer's
//     fault file): the kiosk shows that ticket, reports the fault, and
//     prints again once the paper is back;
//   - the server is killed (SIGKILL) and restarted on the same data: the
//     display and the event stream resume, the kiosk prints again;
//
// and at the end: every ticket was printed (virtual printer PNG and text,
// and the kiosk's result screen said "printed") or shown (the kiosk's
// result screen and its log for the paper-out ticket; the tracking API for
// remote and clerk tickets); the display announced every call and recall
// once and in the order of the server's events; the admin's report CSV
// counts exactly what the script did; every process ends on SIGTERM and
// none is left.
func TestDay(t *testing.T) {
	if testing.Short() {
		t.Skip("the end-to-end day (cgo builds, Xvfb, every program): skipped with -short")
	}
	e2etest.NeedTools(t, "Xvfb", "xdotool", "import")
	// The real server runs on the real clock: in the last minutes of the
	// office's day no appointment slot is left to book and check in, and a
	// rollover during the run would split the report. Those 20 minutes a
	// day the test cannot run as written; it says so instead of failing.
	if hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		if now := time.Now().In(hcm); now.Hour() == 23 && now.Minute() >= 40 {
			t.Skipf("it is %s in Hà Nội: too close to the office's midnight for a scripted day; run it again after 00:00", now.Format("15:04"))
		}
	}
	began := time.Now()
	b := build(t)
	t.Logf("binaries ready in %v", time.Since(began).Round(time.Second))
	d := newDay(t, b)
	d.morning()
	d.checkEnd()
	t.Logf("the day took %v", time.Since(began).Round(time.Second))
}

// day is the running lobby and what the script did.
type day struct {
	t        *testing.T
	b        bins
	tmp      string
	addr     string
	base     string
	data     string
	server   *e2etest.Proc
	printer  *e2etest.Proc
	kiosk    *e2etest.Proc
	display  *e2etest.Proc
	kioskX   string
	stateURL string
	paper    string // the virtual printer's folder
	scanner  *os.File
	rec      *recorder
	clerks   map[string]*client.Client
	manage   map[string]string // bookings' manage tokens, by code

	// What the script did.
	issued    map[string]int // by source
	printed   int            // tickets the virtual printer must have cut
	shownOnly []string       // kiosk tickets shown but not printed (paper out)
	tracked   []*client.Ticket
	served    map[string]int // done by counter
	noShows   int
	calls     int // calls and recalls made
}

func newDay(t *testing.T, b bins) *day {
	d := &day{t: t, b: b, tmp: t.TempDir(), issued: map[string]int{}, served: map[string]int{}, clerks: map[string]*client.Client{}}
	d.addr = e2etest.FreeAddr(t)
	d.base = "http://" + d.addr
	d.data = filepath.Join(d.tmp, "data")
	d.kioskX = e2etest.Xvfb(t)
	displayX := e2etest.Xvfb(t)
	d.startServer()
	d.rec = follow(t, d.base)

	// The virtual printer, as a technician runs it, behind a stable link.
	d.paper = filepath.Join(d.tmp, "tickets")
	link := filepath.Join(d.tmp, "printer.tty")
	d.printer = d.start("virtual printer", exec.Command(b.escpos, "virtual", "-profile", "generic-80", "-out", d.paper, "-link", link))
	e2etest.WaitFor(t, 20*time.Second, "the virtual printer's port", func() bool { _, err := os.Stat(link); return err == nil })

	// The scanner: the kiosk reads the other end of a pseudo-terminal with
	// go.bug.st/serial.
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	d.scanner = master

	home := filepath.Join(d.tmp, "home")
	os.MkdirAll(home, 0o755)
	kc := exec.Command(b.kiosk, "-server", d.base, "-device-key", "demo-kiosk", "-office", "demo",
		"-printer", link, "-printer-profile", "generic-80", "-printer-baud", "115200",
		"-scanner", tty.Name(), "-result-timeout", "5m", "-idle-timeout", "10m")
	kc.Env = append(os.Environ(), "DISPLAY="+d.kioskX, "LANG=C.UTF-8", "HOME="+home)
	d.kiosk = d.start("kiosk", kc)

	dc := exec.Command(b.display, "-server", d.base, "-office", "demo", "-device-key", "demo-display",
		"-state-addr", "127.0.0.1:0", "-audio", "silent", "-fullscreen", "-blink", "0")
	dc.Env = append(os.Environ(), "DISPLAY="+displayX, "LANG=C.UTF-8", "HOME="+home, "FYNE_SCALE=1")
	var stdout <-chan string
	d.display, stdout = e2etest.StartLines(t, "display", dc)
	deadline := time.After(60 * time.Second)
	for d.stateURL == "" {
		select {
		case l := <-stdout:
			if u, ok := strings.CutPrefix(l, "display: state at "); ok {
				d.stateURL = u
			}
		case <-deadline:
			t.Fatal("the display did not print its state endpoint within 60 s")
		}
	}
	e2etest.WaitFor(t, 30*time.Second, "the display to take the snapshot", func() bool {
		s, err := d.displayState()
		return err == nil && s.Connected && s.Ready
	})
	e2etest.WaitFor(t, 60*time.Second, "the kiosk's scanner port", func() bool {
		return strings.Contains(d.kiosk.Log(), "scanner: connected")
	})
	return d
}

func (d *day) start(name string, cmd *exec.Cmd) *e2etest.Proc {
	return e2etest.Start(d.t, name, cmd)
}

func (d *day) startServer() {
	d.server = d.start("server", exec.Command(d.b.server, "-demo", "-addr", d.addr, "-data", d.data))
	e2etest.WaitFor(d.t, 30*time.Second, "the server to answer", func() bool { return e2etest.Healthy(d.base) })
}

// morning is the script of the day.
func (d *day) morning() {
	t := d.t
	ctx := ctxFor(t, 10*time.Minute)
	anon, _ := client.New(d.base)
	for _, k := range []string{"q1", "q3", "q4"} {
		s, err := anon.Login(ctx, "demo", k, "nv"+k[1:], "1234")
		if err != nil {
			t.Fatalf("clerk login at %s: %v", k, err)
		}
		d.clerks[k], _ = client.New(d.base, client.WithToken(s.Token))
		if _, err := d.clerks[k].Act(ctx, k, client.ActionOpen, nil); err != nil {
			t.Fatalf("open %s: %v", k, err)
		}
	}

	// 07:30 — the first citizens at the kiosk, on the phone, and a booking.
	for _, sv := range []string{"xay-dung", "chung-thuc", "ho-tich"} {
		d.walkIn(sv, true)
	}
	d.remote("ho-tich", "0901234561", "Nguyễn Văn Bình")
	d.remote("chung-thuc", "0901234562", "Trần Thị Cúc")
	code := d.book("chung-thuc", "", "0901234563", "Lê Văn Dũng")
	later := d.book("ho-tich", "tomorrow", "0901234564", "Phạm Thị Én")
	d.cancelBooking(later)
	d.scanCheckIn(code)
	d.clerkTicket("q1", "xay-dung", "elderly")

	// 08:00 — the counters work.
	d.act("q1", client.ActionNext, nil)
	d.act("q3", client.ActionNext, nil)
	d.act("q4", client.ActionNext, nil)
	d.act("q3", client.ActionRecall, nil)
	d.finish("q1")
	d.finish("q3")
	d.act("q4", client.ActionStart, nil)
	d.act("q4", client.ActionTransfer, map[string]any{"service": "chung-thuc"})

	// 08:20 — the printer runs out of paper, and is refilled.
	os.WriteFile(filepath.Join(d.paper, "fault"), []byte("paper-end\n"), 0o644)
	d.walkIn("chung-thuc", false)
	os.WriteFile(filepath.Join(d.paper, "fault"), nil, 0o644)
	d.walkIn("dat-dai", true)
	d.waitDeviceStatus("ok")
	d.act("q1", client.ActionNext, nil)
	d.act("q3", client.ActionNext, nil)
	d.act("q4", client.ActionNext, nil)
	d.act("q4", client.ActionNoShow, nil)
	d.noShows++

	// 08:40 — the server dies and comes back on the same data.
	d.server.Kill()
	e2etest.WaitFor(t, 20*time.Second, "the display to notice the server is gone", func() bool {
		s, err := d.displayState()
		return err == nil && !s.Connected
	})
	d.startServer()
	e2etest.WaitFor(t, 30*time.Second, "the display to reconnect", func() bool {
		s, err := d.displayState()
		return err == nil && s.Connected && s.Reconnects >= 1
	})
	e2etest.WaitFor(t, 30*time.Second, "the event stream to resume", d.rec.isUp)
	d.walkIn("ho-tich", true)
	d.walkIn("xay-dung", true)

	// 09:00 — everyone is served.
	d.finish("q1")
	d.finish("q3")
	for _, k := range []string{"q1", "q3", "q4"} {
		for {
			tk := d.act(k, client.ActionNext, nil)
			if tk == nil {
				break
			}
			d.finish(k)
		}
	}
}

// --- the kiosk ---

// screenshot captures the kiosk's X screen.
func (d *day) screenshot() image.Image {
	return e2etest.Screenshot(d.t, d.kioskX, filepath.Join(d.tmp, "kiosk.png"))
}

// edge is how far from a tile's left edge the screenshots are read: inside
// the tile, left of any text.
const edge = 24

// tiles is where the start screen's services are: two columns, three
// rows, in the office's order.
var tiles = map[string][2]int{
	"xay-dung": {0, 0}, "ho-kinh-doanh": {1, 0},
	"chung-thuc": {0, 1}, "ho-tich": {1, 1},
	"dat-dai": {0, 2}, "lao-dong": {1, 2},
}

// startScreen waits for the kiosk's start screen (the header, then three
// rows of service tiles in the office's colour, above the blue buttons)
// and returns the tile rows.
func (d *day) startScreen() [][2]int {
	var rows [][2]int
	var why string
	defer func() {
		if d.t.Failed() {
			d.t.Logf("the last screenshot had %s", why)
		}
	}()
	e2etest.WaitFor(d.t, 60*time.Second, "the kiosk's start screen", func() bool {
		if d.kiosk.Exited() {
			d.t.Fatal("the kiosk exited; its output follows")
		}
		img := d.screenshot()
		h := img.Bounds().Dy()
		// Down the tiles' left edges, clear of their centred text.
		left, right := e2etest.KioskPrimaryRuns(img, edge), e2etest.KioskPrimaryRuns(img, img.Bounds().Dx()/2+edge)
		why = fmt.Sprintf("runs of the office's colour down the left quarter %v and the right quarter %v", left, right)
		if len(left) != 4 || len(right) != 4 || left[0][0] > 60 || left[3][1] > h*85/100 {
			return false
		}
		rows = left[1:]
		return true
	})
	return rows
}

// resultScreen waits for the result screen (its "Done" tile in the
// office's colour along the bottom; with printed, its printing line in the
// theme's green: "printed") and returns that tile's middle.
func (d *day) resultScreen(printed bool) (x, y int) {
	what := "the kiosk's result screen"
	if printed {
		what += ", saying the ticket was printed"
	}
	e2etest.WaitFor(d.t, 30*time.Second, what, func() bool {
		img := d.screenshot()
		runs := e2etest.KioskPrimaryRuns(img, edge)
		if len(runs) < 2 || runs[len(runs)-1][0] < img.Bounds().Dy()*85/100 || printed && !e2etest.KioskPrintedShown(img) {
			return false
		}
		last := runs[len(runs)-1]
		x, y = img.Bounds().Dx()/2, (last[0]+last[1])/2
		return true
	})
	return x, y
}

func (d *day) tap(x, y int) { e2etest.Click(d.t, d.kioskX, x, y) }

// walkIn taps a service on the kiosk and checks the ticket: printed by the
// virtual printer, or (print false: the paper is out) shown on the result
// screen with the fault reported to the server. Then it taps "Done".
func (d *day) walkIn(service string, print bool) {
	t := d.t
	rows := d.startScreen()
	pos := tiles[service]
	after := d.rec.last()
	d.tap(1920/4+pos[0]*1920/2, (rows[pos[1]][0]+rows[pos[1]][1])/2)
	tk := d.rec.waitTicket(t, "ticket.issued", after, func(tk *client.Ticket) bool { return tk.Source == "kiosk" })
	if tk.Service != service {
		t.Fatalf("the kiosk issued %s of %s, want %s", tk.Number, tk.Service, service)
	}
	d.issued["kiosk"]++
	d.afterKioskTicket(tk, print)
}

// afterKioskTicket checks the ticket the kiosk just issued was printed
// (or shown, with the paper out) and goes back to the start screen.
func (d *day) afterKioskTicket(tk *client.Ticket, print bool) {
	t := d.t
	if print {
		d.printed++
		txt := d.waitPrinted(d.printed)
		if !strings.Contains(txt, " "+tk.Number+" ") && !strings.Contains(txt, "\n"+tk.Number+" ") {
			t.Fatalf("ticket %d printed does not carry %s:\n%s", d.printed, tk.Number, txt)
		}
		t.Logf("kiosk: %s (%s) printed", tk.Number, tk.Service)
	} else {
		d.waitDeviceStatus("paper-end")
		e2etest.WaitFor(t, 10*time.Second, "the kiosk's log of "+tk.Number+" shown but not printed", func() bool {
			for _, l := range strings.Split(d.kiosk.Log(), "\n") {
				if strings.Contains(l, "ticket shown on screen only") && strings.Contains(l, " number="+tk.Number+" ") {
					return true
				}
			}
			return false
		})
		d.shownOnly = append(d.shownOnly, tk.Number)
		t.Logf("kiosk: %s (%s) shown on screen; the paper is out", tk.Number, tk.Service)
	}
	x, y := d.resultScreen(print)
	d.tap(x, y)
}

// waitPrinted waits for the n-th ticket of the virtual printer and returns
// its text.
func (d *day) waitPrinted(n int) string {
	path := filepath.Join(d.paper, fmt.Sprintf("ticket-%04d.txt", n))
	png := filepath.Join(d.paper, fmt.Sprintf("ticket-%04d.png", n))
	var txt []byte
	e2etest.WaitFor(d.t, 30*time.Second, "printed ticket "+strconv.Itoa(n), func() bool {
		var err error
		txt, err = os.ReadFile(path)
		st, err2 := os.Stat(png)
		return err == nil && err2 == nil && st.Size() > 0 && len(txt) > 0
	})
	return string(txt)
}

// scanCheckIn writes a booking code to the scanner's port and checks the
// checked-in ticket is printed.
func (d *day) scanCheckIn(code string) {
	d.startScreen()
	after := d.rec.last()
	if _, err := d.scanner.Write([]byte(code + "\r\n")); err != nil {
		d.t.Fatal(err)
	}
	tk := d.rec.waitTicket(d.t, "ticket.issued", after, func(tk *client.Ticket) bool { return tk.Source == "booking" })
	d.issued["booking"]++
	d.afterKioskTicket(tk, true)
}

// waitDeviceStatus waits for the kiosk's device.status report.
func (d *day) waitDeviceStatus(status string) {
	d.rec.wait(d.t, "device.status "+status, 0, func(e client.Event) bool {
		var s struct{ Status string }
		return e.Type == "device.status" && json.Unmarshal(e.Data, &s) == nil && s.Status == status
	})
}

// --- the citizens' API ---

// post sends JSON and decodes the answer; it fails the test on a status
// other than want.
func (d *day) post(method, path string, body, out any, want int, header ...string) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, d.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		d.t.Fatalf("%s %s: %s %s (want %d)", method, path, resp.Status, data, want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			d.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (d *day) remote(service, phone, name string) {
	var a struct{ Ticket client.Ticket }
	d.post("POST", "/api/v1/offices/demo/remote-tickets", map[string]string{"service": service, "phone": phone, "name": name}, &a, http.StatusCreated)
	if a.Ticket.Source != "remote" || a.Ticket.TrackURL == "" {
		d.t.Fatalf("remote ticket: %+v", a.Ticket)
	}
	d.issued["remote"]++
	d.tracked = append(d.tracked, &a.Ticket)
	d.t.Logf("phone: remote number %s (%s)", a.Ticket.Number, service)
}

// book books the first free slot of today (or of tomorrow) and returns the
// code.
func (d *day) book(service, when, phone, name string) string {
	ctx := ctxFor(d.t, 10*time.Second)
	anon, _ := client.New(d.base)
	st, err := anon.State(ctx, "demo")
	if err != nil {
		d.t.Fatal(err)
	}
	date := st.Day
	if when == "tomorrow" {
		day, _ := time.Parse(time.DateOnly, st.Day)
		date = day.AddDate(0, 0, 1).Format(time.DateOnly)
	}
	var slots struct {
		Slots []struct {
			Start string `json:"slot"`
		}
	}
	resp, err := http.Get(d.base + "/api/v1/offices/demo/slots?service=" + service + "&date=" + date)
	if err != nil {
		d.t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&slots)
	resp.Body.Close()
	if len(slots.Slots) == 0 {
		d.t.Fatalf("no free slot of %s on %s (near midnight in the office's timezone the day has no slot left)", service, date)
	}
	var a struct {
		Booking struct {
			Code, Slot string
			ManageURL  string `json:"manage_url"`
		}
	}
	d.post("POST", "/api/v1/offices/demo/bookings",
		map[string]string{"service": service, "date": date, "slot": slots.Slots[0].Start, "name": name, "phone": phone}, &a, http.StatusCreated)
	d.t.Logf("phone: booking %s, %s %s %s", a.Booking.Code, service, date, a.Booking.Slot)
	u, err := url.Parse(a.Booking.ManageURL)
	if err != nil || u.Query().Get("token") == "" {
		d.t.Fatalf("booking %s: no manage link with a token: %q", a.Booking.Code, a.Booking.ManageURL)
	}
	if d.manage == nil {
		d.manage = map[string]string{}
	}
	d.manage[a.Booking.Code] = u.Query().Get("token")
	return a.Booking.Code
}

// cancelBooking cancels a booking as its holder does: with the token of
// the manage link the booking's answer gave.
func (d *day) cancelBooking(code string) {
	d.post("DELETE", "/api/v1/bookings/"+code, map[string]string{"token": d.manage[code]}, nil, http.StatusOK)
}

// clerkTicket issues a ticket at a clerk's desk (e.g. for a citizen who
// could not use the kiosk).
func (d *day) clerkTicket(counter, service, priority string) {
	ctx := ctxFor(d.t, 10*time.Second)
	tk, err := d.clerks[counter].Issue(ctx, "demo", client.IssueRequest{Service: service, Priority: priority}, client.NewIdempotencyKey())
	if err != nil {
		d.t.Fatalf("clerk ticket: %v", err)
	}
	if tk.Source != "clerk" {
		d.t.Fatalf("clerk ticket: source %q", tk.Source)
	}
	d.issued["clerk"]++
	d.tracked = append(d.tracked, tk)
	d.t.Logf("clerk at %s: ticket %s (%s, %s)", counter, tk.Number, service, priority)
}

// --- the clerks ---

// act performs a clerk's action; a call or a recall must then reach the
// display, drawn, before the script goes on.
func (d *day) act(counter string, a client.CounterAction, body any) *client.Ticket {
	t := d.t
	ctx := ctxFor(t, 20*time.Second)
	after := d.rec.last()
	tk, err := d.clerks[counter].Act(ctx, counter, a, body)
	if err != nil {
		t.Fatalf("%s at %s: %v", a, counter, err)
	}
	if tk == nil {
		return nil
	}
	t.Logf("clerk at %s: %s %s", counter, a, tk.Number)
	var typ string
	switch a {
	case client.ActionNext, client.ActionCall:
		typ = "ticket.called"
	case client.ActionRecall:
		typ = "ticket.recalled"
	default:
		return tk
	}
	e := d.rec.wait(t, typ+" "+tk.Number, after, func(e client.Event) bool {
		td, err := e.DecodeTicket()
		return e.Type == typ && err == nil && td.Ticket.ID == tk.ID
	})
	d.calls++
	took := e2etest.WaitFor(t, 30*time.Second, "call "+tk.Number+" on the display", func() bool {
		s, err := d.displayState()
		return err == nil && s.Latest != nil && s.Latest.ID == tk.ID && s.LatestSeq == e.Seq && s.DrawnVersion >= s.Version
	})
	t.Logf("  on the display after %v", took.Round(time.Millisecond))
	return tk
}

// finish starts and finishes the counter's current ticket.
func (d *day) finish(counter string) {
	d.act(counter, client.ActionStart, nil)
	d.act(counter, client.ActionDone, nil)
	d.served[counter]++
}

func (d *day) displayState() (device.State, error) {
	var s device.State
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(d.stateURL)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

// --- the end of the morning ---

func (d *day) checkEnd() {
	t := d.t
	events := d.rec.all()

	// Every ticket printed or shown.
	var tickets []*client.Ticket
	var calls []client.Event
	for _, e := range events {
		switch e.Type {
		case "ticket.issued":
			td, _ := e.DecodeTicket()
			tickets = append(tickets, &td.Ticket)
		case "ticket.called", "ticket.recalled":
			calls = append(calls, e)
		}
	}
	total := 0
	for _, n := range d.issued {
		total += n
	}
	if len(tickets) != total {
		t.Errorf("the event stream has %d tickets issued, the script issued %d", len(tickets), total)
	}
	printed, _ := filepath.Glob(filepath.Join(d.paper, "ticket-*.txt"))
	if len(printed) != d.printed {
		t.Errorf("the virtual printer cut %d tickets, want %d", len(printed), d.printed)
	}
	var paper []string
	for _, p := range printed {
		b, _ := os.ReadFile(p)
		paper = append(paper, string(b))
	}
	for _, tk := range tickets {
		switch tk.Source {
		case "kiosk", "booking":
			onPaper := slices.ContainsFunc(paper, func(s string) bool { return strings.Contains(s, " "+tk.Number+" ") })
			shown := slices.Contains(d.shownOnly, tk.Number)
			if onPaper == shown {
				t.Errorf("kiosk ticket %s: printed %v, shown only %v (want exactly one)", tk.Number, onPaper, shown)
			}
		}
	}
	ctx := ctxFor(t, 20*time.Second)
	anon, _ := client.New(d.base)
	for _, tk := range d.tracked {
		u, err := url.Parse(tk.TrackURL)
		if err != nil {
			t.Fatal(err)
		}
		got, err := anon.Ticket(ctx, tk.ID, u.Query().Get("token"))
		if err != nil || got.Number != tk.Number {
			t.Errorf("tracking %s (%s): %v %+v", tk.Number, tk.Source, err, got)
		}
	}

	// Every call reached the display in order (checked at each call) and
	// was announced once, in the server's order.
	if len(calls) != d.calls {
		t.Errorf("the event stream has %d calls and recalls, the script made %d", len(calls), d.calls)
	}
	var s device.State
	e2etest.WaitFor(t, 4*time.Minute, "the display to finish its announcements", func() bool {
		var err error
		s, err = d.displayState()
		return err == nil && s.Announcements.Pending == 0 && len(s.Announced) >= len(calls)
	})
	if s.Announcements.Skipped != 0 || s.Announcements.Failed != 0 || len(s.Announced) != len(calls) {
		t.Errorf("announcements: %+v, %d said for %d calls", s.Announcements, len(s.Announced), len(calls))
	}
	for i := range min(len(calls), len(s.Announced)) {
		td, _ := calls[i].DecodeTicket()
		a := s.Announced[i]
		if a.Seq != calls[i].Seq || a.Number != td.Ticket.Number || a.Counter != td.Ticket.CounterNumber || a.Recall != (calls[i].Type == "ticket.recalled") {
			t.Errorf("announcement %d: %+v, want seq %d %s at counter %d (%s)", i, a, calls[i].Seq, td.Ticket.Number, td.Ticket.CounterNumber, calls[i].Type)
		}
	}
	t.Logf("%d tickets, %d printed, %d shown only, %d calls and recalls announced in order", len(tickets), len(printed), len(d.shownOnly), len(s.Announced))

	// The report's figures are the script's.
	d.checkReport()

	// Every program ends on SIGTERM by itself; nothing is left.
	for _, p := range []*e2etest.Proc{d.kiosk, d.display, d.printer, d.server} {
		begin := time.Now()
		if !p.Stop(10 * time.Second) {
			t.Errorf("%s did not end within 10 s of SIGTERM", p.Name)
		}
		t.Logf("%s ended %v after SIGTERM", p.Name, time.Since(begin).Round(time.Millisecond))
	}
	for _, dir := range []string{filepath.Dir(d.b.server), d.tmp} {
		if left := processesUsing(dir); len(left) > 0 {
			t.Errorf("processes left:\n%s", strings.Join(left, "\n"))
		}
	}
}

// checkReport reads the admin's CSV report of today and compares it with
// what the script did.
func (d *day) checkReport() {
	t := d.t
	var session struct{ Token string }
	d.post("POST", "/api/v1/sessions", map[string]string{"office": "demo", "staff": "admin", "pin": "123456"}, &session, http.StatusCreated)
	req, _ := http.NewRequest("GET", d.base+"/admin/reports.csv?lang=en", nil)
	req.AddCookie(&http.Cookie{Name: "luot_session", Value: session.Token})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reports.csv: %s %s", resp.Status, body)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("reports.csv: %v\n%s", err, body)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(rec []string, name string) int {
		i, ok := col[name]
		if !ok {
			t.Fatalf("reports.csv has no column %q: %v", name, recs[0])
		}
		n, err := strconv.Atoi(rec[i])
		if err != nil {
			t.Fatalf("reports.csv: %s = %q", name, rec[col[name]])
		}
		return n
	}
	total := 0
	for _, n := range d.issued {
		total += n
	}
	served := 0
	for _, n := range d.served {
		served += n
	}
	// The English export's columns (see report.CSVHeader).
	want := map[string]int{"Tickets": total, "Kiosk": d.issued["kiosk"], "Online": d.issued["remote"], "Appointment": d.issued["booking"],
		"At counter": d.issued["clerk"], "Served": served, "No-shows": d.noShows, "Cancelled": 0, "Expired": 0}
	checked := 0
	for _, rec := range recs[1:] {
		switch rec[0] {
		case "Total":
			for name, n := range want {
				if got := get(rec, name); got != n {
					t.Errorf("report total %s: %d, want %d", name, got, n)
				}
			}
			if got := get(rec, "Waits measured"); got != total {
				t.Errorf("report total wait_n: %d, want %d (every ticket was called)", got, total)
			}
			checked++
		case "Counter":
			if got := get(rec, "Served"); got != d.served[rec[1]] {
				t.Errorf("report counter %s served %d, want %d", rec[1], got, d.served[rec[1]])
			}
			checked++
		}
	}
	if checked < 4 {
		t.Errorf("reports.csv lacks the total or counter lines:\n%s", body)
	}
	t.Logf("report: %d tickets (%v), %d served by counter %v, %d no-show", total, d.issued, served, d.served, d.noShows)
}

// --- the office's event stream, as the test sees it ---

// recorder keeps every event of the office's stream, across reconnects.
type recorder struct {
	mu     sync.Mutex
	events []client.Event
	up     bool
	wake   chan struct{}
}

func follow(t *testing.T, base string) *recorder {
	r := &recorder{wake: make(chan struct{}, 1)}
	c, _ := client.New(base)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Follow(ctx, "demo", client.FollowOptions{MaxBackoff: time.Second}, r)
	}()
	t.Cleanup(func() { cancel(); <-done })
	e2etest.WaitFor(t, 10*time.Second, "the event stream", r.isUp)
	return r
}

func (r *recorder) Event(e client.Event) {
	r.mu.Lock()
	if e.Type != "snapshot" {
		r.events = append(r.events, e)
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *recorder) Connected(up bool, err error) {
	r.mu.Lock()
	r.up = up
	r.mu.Unlock()
}

func (r *recorder) isUp() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.up
}

// last is the seq of the last event seen.
func (r *recorder) last() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return 0
	}
	return r.events[len(r.events)-1].Seq
}

func (r *recorder) all() []client.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// wait returns the first event after seq that matches, waiting up to 30 s.
func (r *recorder) wait(t *testing.T, what string, after int64, match func(client.Event) bool) client.Event {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		for _, e := range r.all() {
			if e.Seq > after && match(e) {
				return e
			}
		}
		select {
		case <-r.wake:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no event %s after seq %d within 30 s", what, after)
		}
	}
}

// waitTicket returns the ticket of the first event of a type after seq
// whose ticket matches.
func (r *recorder) waitTicket(t *testing.T, typ string, after int64, match func(*client.Ticket) bool) *client.Ticket {
	t.Helper()
	e := r.wait(t, typ, after, func(e client.Event) bool {
		td, err := e.DecodeTicket()
		return e.Type == typ && err == nil && match(&td.Ticket)
	})
	td, _ := e.DecodeTicket()
	return &td.Ticket
}
