package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
)

// The end-to-end test runs the real server binary (demo office) and the
// real kiosk binary (built with cgo, drawing with OpenGL on Xvfb, printing
// to its in-process virtual printer), taps a service with xdotool and
// checks the ticket on the server and on the printed paper. It builds the
// binaries once per test run and skips only under -short; a missing Xvfb,
// xdotool or ImageMagick is a failure, not a skip.
//
// LUOT_SERVER_BIN, when set, is a server binary to use instead of building
// ./server. LUOT_SCREENSHOT_DIR, when set, receives kiosk-start.png and
// kiosk-result.png (docs/screenshots holds the committed ones).

func TestMain(m *testing.M) { e2etest.Main(m) }

func TestKioskEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test (builds the cgo kiosk, runs Xvfb): skipped with -short")
	}
	e2etest.NeedTools(t, "Xvfb", "xdotool", "import")
	serverBin := os.Getenv("LUOT_SERVER_BIN")
	if serverBin == "" {
		serverBin = e2etest.Build(t, e2etest.Server)
	}
	kioskBin := e2etest.Build(t, e2etest.Kiosk)
	disp := e2etest.Xvfb(t)
	shots := os.Getenv("LUOT_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}

	addr := e2etest.FreeAddr(t)
	base := "http://" + addr
	e2etest.Start(t, "server", exec.Command(serverBin, "-demo", "-addr", addr, "-data", t.TempDir()))
	e2etest.WaitFor(t, 30*time.Second, "the server", func() bool { return e2etest.Healthy(base) })

	out := t.TempDir()
	cmd := exec.Command(kioskBin, "-server", base, "-device-key", "demo-kiosk", "-virtual-printer", "-virtual-out", out,
		"-printer-profile", "generic-80", "-staff-pin", "1234")
	cmd.Env = append(os.Environ(), "DISPLAY="+disp, "LANG=C.UTF-8")
	kiosk, lines := e2etest.StartLines(t, "kiosk", cmd)
	select {
	case l := <-lines:
		if !strings.Contains(l, "virtual printer on") || !strings.Contains(l, out) {
			t.Errorf("the kiosk's first line does not say where tickets go: %q", l)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the kiosk did not start its virtual printer within 60 s")
	}

	// The start screen: the header, then the first service tile, in the
	// office's colour down the left quarter of the screen.
	var tile [2]int
	shotStart := filepath.Join(shots, "kiosk-start.png")
	e2etest.WaitFor(t, 60*time.Second, "the start screen", func() bool {
		if kiosk.Exited() {
			t.Fatal("the kiosk exited; its output follows")
		}
		img := e2etest.Screenshot(t, disp, shotStart)
		runs := e2etest.KioskPrimaryRuns(img, img.Bounds().Dx()/4)
		if len(runs) >= 2 && runs[0][0] < 60 {
			tile = runs[1]
			return true
		}
		return false
	})
	x, y := 1920/4, (tile[0]+tile[1])/2
	e2etest.Click(t, disp, x, y)

	// The virtual printer renders the ticket.
	txt := filepath.Join(out, "ticket-0001.txt")
	e2etest.WaitFor(t, 30*time.Second, "the printed ticket", func() bool {
		_, err := os.Stat(filepath.Join(out, "ticket-0001.png"))
		_, err2 := os.Stat(txt)
		return err == nil && err2 == nil
	})
	printed, err := os.ReadFile(txt)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A001", "Cấp giấy phép xây dựng", "Construction permits"} {
		if !strings.Contains(string(printed), want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, printed)
		}
	}

	// The server has that ticket, and only one.
	m := regexp.MustCompile(`/t/([^?\s]+)\?token=(\S+)`).FindStringSubmatch(string(printed))
	if m == nil {
		t.Fatalf("no tracking link on the printed ticket:\n%s", printed)
	}
	var tk struct {
		Number  string `json:"number"`
		Service string `json:"service"`
		Source  string `json:"source"`
	}
	getJSON(t, base+"/api/v1/tickets/"+m[1]+"?token="+url.QueryEscape(m[2]), &tk)
	if tk.Number != "A001" || tk.Service != "xay-dung" || tk.Source != "kiosk" {
		t.Errorf("server ticket %+v, want A001 xay-dung from the kiosk", tk)
	}
	var st struct {
		Waiting map[string]int `json:"waiting"`
	}
	getJSON(t, base+"/api/v1/offices/demo/state", &st)
	if st.Waiting["xay-dung"] != 1 {
		t.Errorf("waiting for xay-dung: %d, want 1", st.Waiting["xay-dung"])
	}

	// The result screen: its "Done" tile, in the office's colour, spans
	// the bottom of the screen (the start screen's bottom row is blue).
	shotResult := filepath.Join(shots, "kiosk-result.png")
	e2etest.WaitFor(t, 20*time.Second, "the result screen", func() bool {
		img := e2etest.Screenshot(t, disp, shotResult)
		runs := e2etest.KioskPrimaryRuns(img, img.Bounds().Dx()/4)
		return len(runs) >= 2 && runs[len(runs)-1][0] > img.Bounds().Dy()*85/100 && e2etest.KioskPrintedShown(img)
	})
	t.Logf("screenshots: %s, %s; ticket: %s", shotStart, shotResult, filepath.Join(out, "ticket-0001.png"))
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", u, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
