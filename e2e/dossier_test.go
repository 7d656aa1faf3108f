package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/creack/pty"

	"luot/internal/browsertest"
	"luot/internal/e2etest"
	"luot/server/client"
)

// TestDossierJourney follows one dossier (hồ sơ) through the lobby on the
// real programs — the server (demo office, with its sample dossiers), the
// counter station of q3 (the display in counter mode) printing on the
// virtual printer (escpos virtual), the waiting-room board (the display)
// and the kiosk with its scanner on a pseudo-terminal, each on its own
// Xvfb:
//
//  1. a citizen's kiosk ticket (ho-tich) is called and served at q3;
//  2. the clerk records a dossier of a procedure of that service, with the
//     papers of the catalogue's checklist;
//  3. the receipt comes out of the counter's virtual printer: its text
//     holds the code, the procedure, the applicant and the due date in
//     Vietnamese, and its QR the applicant's link (the PNG is kept);
//  4. a handler of the dossier's department completes it;
//  5. the board lists its code among the results ready for pickup (drawn);
//  6. the receipt's QR, written to the kiosk's scanner port, gives a
//     pickup ticket of the results service, printed, linked to the
//     dossier; a second scan gives no second ticket;
//  7. the clerk calls that ticket, sees the dossier and hands it over
//     (returned); the board drops it;
//  8. the applicant's page (the QR link, in Chromium) says returned and
//     takes a rating, once.
//
// LUOT_SCREENSHOT_DIR, when set, receives dossier-*.png: the printed
// receipt, the board with the dossier listed, the kiosk's pickup ticket.
func TestDossierJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("the dossier's end-to-end journey (cgo builds, Xvfb, every program): skipped with -short")
	}
	e2etest.NeedTools(t, "Xvfb", "xdotool", "import")
	began := time.Now()
	b := build(t)
	t.Logf("binaries ready in %v", time.Since(began).Round(time.Second))
	j := newJourney(t, b)
	j.run()
	t.Logf("the journey took %v", time.Since(began).Round(time.Second))
}

// journey is the running lobby of TestDossierJourney.
type journey struct {
	t        *testing.T
	tmp      string
	base     string
	shots    string
	rec      *recorder
	board    string // the board's state endpoint
	boardX   string
	paper    string // the station's virtual printer's folder
	kioskOut string // the kiosk's in-process virtual printer's folder
	scanner  *os.File
	procs    []*e2etest.Proc
	kiosk    *e2etest.Proc
	clerk    *client.Client
	token    string // the clerk's session
}

func newJourney(t *testing.T, b bins) *journey {
	j := &journey{t: t, tmp: t.TempDir()}
	j.shots = os.Getenv("LUOT_SCREENSHOT_DIR")
	if j.shots == "" {
		j.shots = j.tmp
	}
	addr := e2etest.FreeAddr(t)
	j.base = "http://" + addr
	j.procs = append(j.procs, e2etest.Start(t, "server", exec.Command(b.server, "-demo", "-addr", addr, "-data", filepath.Join(j.tmp, "data"))))
	e2etest.WaitFor(t, 60*time.Second, "the server to answer", func() bool { return e2etest.Healthy(j.base) })
	j.rec = follow(t, j.base)
	home := filepath.Join(j.tmp, "home")
	os.MkdirAll(home, 0o755)

	// The counter's printer: the virtual printer behind a stable link,
	// and the station of q3 printing on it.
	j.paper = filepath.Join(j.tmp, "paper")
	link := filepath.Join(j.tmp, "printer.tty")
	j.procs = append(j.procs, e2etest.Start(t, "virtual printer", exec.Command(b.escpos, "virtual", "-profile", "generic-80", "-out", j.paper, "-link", link)))
	e2etest.WaitFor(t, 20*time.Second, "the virtual printer's port", func() bool { _, err := os.Stat(link); return err == nil })
	stationX := e2etest.XvfbSize(t, 1280, 800)
	sc := exec.Command(b.display, "-server", j.base, "-office", "demo", "-counter", "q3", "-device-key", "demo-station-q3", "-staff-prefix", "nv",
		"-state-addr", "127.0.0.1:0", "-fullscreen", "-printer", link, "-printer-profile", "generic-80", "-journal", filepath.Join(j.tmp, "print.journal"))
	sc.Env = append(os.Environ(), "DISPLAY="+stationX, "LANG=C.UTF-8", "HOME="+home, "FYNE_SCALE=1")
	station, stationOut := e2etest.StartLines(t, "station", sc)
	j.procs = append(j.procs, station)
	stateURL(t, stationOut, "station")

	// The waiting-room board.
	j.boardX = e2etest.Xvfb(t)
	dc := exec.Command(b.display, "-server", j.base, "-office", "demo", "-device-key", "demo-display",
		"-state-addr", "127.0.0.1:0", "-audio", "silent", "-fullscreen", "-blink", "0")
	dc.Env = append(os.Environ(), "DISPLAY="+j.boardX, "LANG=C.UTF-8", "HOME="+home, "FYNE_SCALE=1")
	board, boardOut := e2etest.StartLines(t, "board", dc)
	j.procs = append(j.procs, board)
	j.board = stateURL(t, boardOut, "board") + "/state"

	// The kiosk, its scanner on a pseudo-terminal, printing to its
	// in-process virtual printer.
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	j.scanner = master
	j.kioskOut = filepath.Join(j.tmp, "kiosk-paper")
	kioskX := e2etest.Xvfb(t)
	kc := exec.Command(b.kiosk, "-server", j.base, "-device-key", "demo-kiosk", "-office", "demo",
		"-virtual-printer", "-virtual-out", j.kioskOut, "-printer-profile", "generic-80",
		"-scanner", tty.Name(), "-result-timeout", "5m", "-idle-timeout", "10m")
	kc.Env = append(os.Environ(), "DISPLAY="+kioskX, "LANG=C.UTF-8", "HOME="+home)
	j.kiosk = e2etest.Start(t, "kiosk", kc)
	j.procs = append(j.procs, j.kiosk)
	e2etest.WaitFor(t, 60*time.Second, "the kiosk's scanner port", func() bool {
		if j.kiosk.Exited() {
			t.Fatal("the kiosk exited; its output follows")
		}
		return strings.Contains(j.kiosk.Log(), "scanner: connected")
	})
	return j
}

// stateURL waits for a display's "state at URL" line and returns the URL.
func stateURL(t *testing.T, lines <-chan string, name string) string {
	t.Helper()
	re := regexp.MustCompile(`state at (http://\S+)`)
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the %s ended before it printed its state endpoint", name)
			}
			if m := re.FindStringSubmatch(l); m != nil {
				return strings.TrimSuffix(m[1], "/state")
			}
		case <-deadline:
			t.Fatalf("the %s did not print its state endpoint within 60 s", name)
		}
	}
}

// staffDossier is what the staff API says of a dossier.
type staffDossier struct {
	Code       string    `json:"code"`
	Procedure  string    `json:"procedure"`
	Department string    `json:"department"`
	Status     string    `json:"status"`
	DueAt      time.Time `json:"due_at"`
	Ticket     string    `json:"ticket"`
	Version    int       `json:"version"`
	Pickup     *struct {
		Ticket string `json:"ticket"`
		Number string `json:"number"`
	} `json:"pickup"`
}

// call sends a JSON request to the API with a bearer token ("" for none)
// and decodes the answer into out; it fails the test unless the status is
// one of want. It returns the status and the body.
func (j *journey) call(method, path, token string, body, out any, want ...int) (int, []byte) {
	j.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, j.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "vi")
	req.Header.Set("Idempotency-Key", client.NewIdempotencyKey())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		j.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	ok := false
	for _, w := range want {
		ok = ok || resp.StatusCode == w
	}
	if !ok {
		j.t.Fatalf("%s %s: %s %s (want %v)", method, path, resp.Status, data, want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			j.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode, data
}

// act is the clerk's action at q3.
func (j *journey) act(a client.CounterAction) *client.Ticket {
	j.t.Helper()
	tk, err := j.clerk.Act(ctxFor(j.t, 20*time.Second), "q3", a, nil)
	if err != nil {
		j.t.Fatalf("%s at q3: %v", a, err)
	}
	return tk
}

// boardState is the board's state endpoint's answer, raw, once the
// screen has drawn it.
func (j *journey) boardState() (string, bool) {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(j.board)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var v struct {
		Version      int64 `json:"version"`
		DrawnVersion int64 `json:"drawn_version"`
	}
	if json.Unmarshal(data, &v) != nil || v.DrawnVersion < v.Version {
		return "", false
	}
	return string(data), true
}

// printed waits for the n-th page of a virtual printer's folder and
// returns its text and the path of its PNG.
func printed(t *testing.T, dir string, n int, what string) (string, string) {
	t.Helper()
	var txt, img string
	e2etest.WaitFor(t, 30*time.Second, what+" from the virtual printer", func() bool {
		p, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		x, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		if len(p) < n || len(x) < n {
			return false
		}
		b, err := os.ReadFile(x[n-1])
		txt, img = string(b), p[n-1]
		return err == nil
	})
	return txt, img
}

// keep copies a PNG to the screenshots' folder as name.
func (j *journey) keep(src, name string) {
	if b, err := os.ReadFile(src); err == nil {
		os.WriteFile(filepath.Join(j.shots, name), b, 0o644)
	}
}

// departmentStaff are the demo's handlers by department.
var departmentStaff = map[string]string{
	"tu-phap": "xl-tuphap", "tckh": "xl-tckh", "ldtbxh": "xl-ldtbxh", "qldt": "xl-qldt", "tnmt": "xl-tnmt",
}

func (j *journey) run() {
	t := j.t
	ctx := ctxFor(t, 10*time.Minute)

	// 1. The clerk nv3 opens q3; a citizen's kiosk ticket is called.
	anon, _ := client.New(j.base)
	s, err := anon.Login(ctx, "demo", "q3", "nv3", "1234")
	if err != nil {
		t.Fatalf("clerk login at q3: %v", err)
	}
	j.token = s.Token
	j.clerk, _ = client.New(j.base, client.WithToken(s.Token))
	j.act(client.ActionOpen)
	kiosk, _ := client.New(j.base, client.WithDeviceKey("demo-kiosk"))
	citizen, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "ho-tich"}, client.NewIdempotencyKey())
	if err != nil {
		t.Fatalf("a kiosk ticket: %v", err)
	}
	if called := j.act(client.ActionNext); called == nil || called.ID != citizen.ID {
		t.Fatalf("q3 called %+v, want the kiosk's %s", called, citizen.Number)
	}
	j.act(client.ActionStart)
	t.Logf("1. %s called and served at q3", citizen.Number)

	// 2. The clerk records a dossier of a procedure of the ticket's
	// service, with the checklist's required papers.
	var cat struct {
		Procedures []struct {
			Code, Name, Service, Department string
			Papers                          []struct {
				ID       string `json:"id"`
				Optional bool   `json:"optional"`
			} `json:"papers"`
		} `json:"procedures"`
	}
	j.call("GET", "/api/v1/offices/demo/dossier-catalogue", "", nil, &cat, http.StatusOK)
	var procedure, procName string
	var papers []string
	for _, p := range cat.Procedures {
		if p.Service == "ho-tich" {
			procedure, procName = p.Code, p.Name
			for _, pp := range p.Papers {
				if !pp.Optional {
					papers = append(papers, pp.ID)
				}
			}
			break
		}
	}
	if procedure == "" {
		t.Fatalf("the demo catalogue has no procedure of the service ho-tich: %+v", cat.Procedures)
	}
	const applicant = "Nguyễn Thị Hồng Nhung"
	var made struct {
		Dossier staffDossier `json:"dossier"`
		Link    string       `json:"link"`
		Print   struct {
			Job   int64  `json:"job"`
			Error string `json:"error"`
		} `json:"print"`
	}
	j.call("POST", "/api/v1/counters/q3/dossiers", j.token, map[string]any{
		"procedure": procedure,
		"applicant": map[string]string{"name": applicant, "phone": "0912345678", "id_number": "001234567890", "address": "Số 7, đường Lê Lợi"},
		"papers":    papers,
	}, &made, http.StatusCreated)
	d := made.Dossier
	if d.Code == "" || d.Status != "processing" || d.Ticket != citizen.ID || made.Print.Job == 0 {
		t.Fatalf("the recorded dossier: %+v, print %+v (want processing, from ticket %s, printed)", d, made.Print, citizen.ID)
	}
	t.Logf("2. dossier %s (%s) due %v, department %s; link %s", d.Code, procedure, d.DueAt, d.Department, made.Link)

	// 3. The receipt from the counter's virtual printer.
	receipt, png := printed(t, j.paper, 1, "the receipt")
	j.keep(png, "dossier-receipt-station.png")
	// Due at the end (24:00) of its last working day: that day's date.
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	due := d.DueAt.Add(-time.Nanosecond).In(hcm).Format("02/01/2006")
	for _, want := range []string{d.Code, procName, applicant, due, "Nguyễn"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, receipt)
		}
	}
	m := regexp.MustCompile(`\[QR [^\]]*\] (\S+/hs/` + regexp.QuoteMeta(d.Code) + `\?k=\S+)`).FindStringSubmatch(receipt)
	if m == nil {
		t.Fatalf("the receipt has no QR of the applicant's link:\n%s", receipt)
	}
	qr := m[1]
	k := qr[strings.Index(qr, "?k=")+3:]
	if !strings.HasSuffix(made.Link, "/hs/"+d.Code+"?k="+k) {
		t.Errorf("the receipt's QR %s is not the link the console got, %s", qr, made.Link)
	}
	t.Logf("3. receipt printed (%s): QR %s", png, qr)
	j.act(client.ActionDone)

	// 4. A handler of the department completes it.
	handler := departmentStaff[d.Department]
	if handler == "" {
		t.Fatalf("no demo handler for department %q", d.Department)
	}
	var hs client.Session
	j.call("POST", "/api/v1/sessions", "", map[string]string{"office": "demo", "staff": handler, "pin": "1234"}, &hs, http.StatusCreated)
	var done struct {
		Dossier staffDossier `json:"dossier"`
	}
	j.call("POST", "/api/v1/dossiers/"+d.Code+"/actions/complete", hs.Token,
		map[string]any{"result": "Đã có trích lục, mời công dân đến nhận", "version": d.Version}, &done, http.StatusOK)
	if done.Dossier.Status != "completed" {
		t.Fatalf("after complete: status %q", done.Dossier.Status)
	}
	t.Logf("4. completed by %s", handler)

	// 5. The board lists it, drawn.
	e2etest.WaitFor(t, 30*time.Second, d.Code+" on the board", func() bool {
		st, ok := j.boardState()
		return ok && strings.Contains(st, d.Code)
	})
	e2etest.Screenshot(t, j.boardX, filepath.Join(j.shots, "dossier-board.png"))
	t.Logf("5. the board lists %s", d.Code)

	// 6. The receipt's QR at the kiosk's scanner: a pickup ticket.
	after := j.rec.last()
	if _, err := j.scanner.Write([]byte(qr + "\r\n")); err != nil {
		t.Fatal(err)
	}
	pickup := j.rec.waitTicket(t, "ticket.issued", after, func(tk *client.Ticket) bool { return tk.Source == "kiosk" })
	ticketText, ticketPNG := printed(t, j.kioskOut, 1, "the pickup ticket")
	j.keep(ticketPNG, "dossier-pickup-ticket.png")
	if !strings.Contains(ticketText, pickup.Number) {
		t.Errorf("the kiosk's printed ticket does not show %s:\n%s", pickup.Number, ticketText)
	}
	var of struct {
		Dossier staffDossier `json:"dossier"`
	}
	j.call("GET", "/api/v1/tickets/"+pickup.ID+"/dossier", j.token, nil, &of, http.StatusOK)
	if linked := of.Dossier; linked.Code != d.Code || linked.Pickup == nil || linked.Pickup.Ticket != pickup.ID {
		t.Fatalf("the pickup ticket %s is linked to %+v, want %s", pickup.Number, of.Dossier, d.Code)
	}
	// A second scan gives no second ticket.
	_, err = kiosk.PickupDossier(ctx, "demo", d.Code, k, client.NewIdempotencyKey())
	if ce := (*client.Error)(nil); !errors.As(err, &ce) || ce.Code != client.CodePickupIssued {
		t.Errorf("a second pickup of %s: %v, want %s", d.Code, err, client.CodePickupIssued)
	}
	t.Logf("6. pickup ticket %s (%s) printed and linked", pickup.Number, pickup.Service)

	// 7. The clerk calls it, sees the dossier, hands it over.
	if called := j.act(client.ActionNext); called == nil || called.ID != pickup.ID {
		t.Fatalf("q3 called %+v, want the pickup ticket %s", called, pickup.Number)
	}
	j.act(client.ActionStart)
	j.call("GET", "/api/v1/tickets/"+pickup.ID+"/dossier", j.token, nil, &of, http.StatusOK)
	if of.Dossier.Code != d.Code || of.Dossier.Status != "completed" {
		t.Fatalf("the clerk serving %s sees %+v, want %s completed", pickup.Number, of.Dossier, d.Code)
	}
	var ret struct {
		Dossier staffDossier `json:"dossier"`
	}
	j.call("POST", "/api/v1/dossiers/"+d.Code+"/actions/return", j.token, map[string]any{"version": of.Dossier.Version}, &ret, http.StatusOK)
	if ret.Dossier.Status != "returned" {
		t.Fatalf("after return: status %q", ret.Dossier.Status)
	}
	j.act(client.ActionDone)
	e2etest.WaitFor(t, 30*time.Second, d.Code+" off the board", func() bool {
		st, ok := j.boardState()
		return ok && !strings.Contains(st, d.Code)
	})
	t.Logf("7. returned at q3; off the board")

	// 8. The applicant's page (Chromium, the receipt's QR link) says
	// returned and takes a rating, once.
	bctx := browsertest.New(t, 2*time.Minute)
	page := j.base + "/hs/" + d.Code + "?k=" + k
	if err := chromedp.Do(bctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	var status string
	e2etest.WaitFor(t, 30*time.Second, "the applicant's page to show "+d.Code, func() bool {
		status, _ = chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector('#dossier:not([hidden]) #d-status'); return s ? s.textContent.trim() : ""; })()`))
		return status != ""
	})
	if status != "Đã trả kết quả" {
		t.Errorf("the applicant's page says %q, want Đã trả kết quả", status)
	}
	if err := chromedp.Do(bctx, chromedp.WaitVisible(`#rating`), chromedp.Click(`#rating label:has(input[value="4"])`),
		chromedp.SendKeys(`#comment`, "Nhanh, chu đáo"), chromedp.Click(`#rate`), chromedp.WaitVisible(`#rated`)); err != nil {
		t.Fatalf("rating on the applicant's page: %v", err)
	}
	rated, _ := chromedp.Run(bctx, chromedp.Text(`#rated`))
	var view struct {
		Dossier struct {
			Status string `json:"status"`
			Rating *struct {
				Score   int    `json:"score"`
				Comment string `json:"comment"`
			} `json:"rating"`
		} `json:"dossier"`
		CanRate bool `json:"can_rate"`
	}
	j.call("POST", "/api/v1/dossiers/"+d.Code+"/lookup", "", map[string]string{"k": k}, &view, http.StatusOK)
	if view.Dossier.Status != "returned" || view.CanRate || view.Dossier.Rating == nil || view.Dossier.Rating.Score != 4 || view.Dossier.Rating.Comment != "Nhanh, chu đáo" {
		t.Errorf("after the page's rating the applicant's view is %+v (rating %+v), want returned, rated 4 with the comment, no more rating", view, view.Dossier.Rating)
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	j.call("POST", "/api/v1/dossiers/"+d.Code+"/rating", "", map[string]any{"k": k, "score": 1}, &e, http.StatusConflict)
	t.Logf("8. the applicant's page says %q; rated (%q); a second rating: %s", status, rated, e.Error.Code)
	chromedp.Do(bctx, chromedp.Navigate(page))
	e2etest.WaitFor(t, 30*time.Second, "the page again", func() bool {
		v, _ := chromedp.Run(bctx, chromedp.Evaluate[bool](`!document.querySelector('#dossier').hidden`))
		return v
	})
	if b, err := chromedp.Run(bctx, chromedp.FullScreenshot(90)); err == nil {
		os.WriteFile(filepath.Join(j.shots, "dossier-applicant.png"), b, 0o644)
	}

	// Every program ends on SIGTERM, the printer's and the server's
	// clients first; nothing is left.
	for i := len(j.procs) - 1; i >= 0; i-- {
		if p := j.procs[i]; !p.Stop(10 * time.Second) {
			t.Errorf("%s did not end within 10 s of SIGTERM", p.Name)
		}
	}
	if left := processesUsing(j.tmp); len(left) > 0 {
		t.Errorf("processes left:\n%s", strings.Join(left, "\n"))
	}
}
