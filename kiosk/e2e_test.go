package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// binaries builds the kiosk (cgo) and the server (no cgo) once.
func binaries(t *testing.T) (server, kiosk string) {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "luot-kiosk-e2e-"); buildErr != nil {
			return
		}
		builds := [][3]string{{"luot-kiosk", "./kiosk", "1"}}
		if os.Getenv("LUOT_SERVER_BIN") == "" {
			builds = append(builds, [3]string{"luot-server", "./server", "0"})
		}
		for _, b := range builds {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, b[0]), b[1])
			cmd.Dir = repoRoot(t)
			cmd.Env = append(os.Environ(), "CGO_ENABLED="+b[2])
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s (CGO_ENABLED=%s): %v\n%s", b[1], b[2], err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	server = filepath.Join(binDir, "luot-server")
	if bin := os.Getenv("LUOT_SERVER_BIN"); bin != "" {
		server = bin
	}
	return server, filepath.Join(binDir, "luot-kiosk")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs a command until the test ends (SIGTERM, then SIGKILL). The
// channel is closed when the command has exited.
func start(t *testing.T, name string, cmd *exec.Cmd) <-chan struct{} {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return done
}

// xvfb starts Xvfb on a free display and returns its name (":N").
func xvfb(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: the kiosk's end-to-end test needs Xvfb, xdotool and ImageMagick (run scripts/setup.sh, or apt-get install xvfb xdotool imagemagick); go test -short skips it", tool)
		}
	}
	for n := 90 + os.Getpid()%50; n < 400; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		disp := ":" + strconv.Itoa(n)
		cmd := exec.Command("Xvfb", disp, "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
		start(t, "Xvfb", cmd)
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return disp
			}
			if cmd.ProcessState != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb %s did not start within 15 s", disp)
	}
	t.Fatal("no free X display number")
	return ""
}

func screenshot(t *testing.T, disp, path string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-display", disp, "-window", "root", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// primaryRuns returns the vertical runs [y0, y1) of the kiosk's primary
// colour (the default deep red) down the column x.
func primaryRuns(img image.Image, x int) [][2]int {
	var runs [][2]int
	in := -1
	b := img.Bounds()
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		red := false
		if y < b.Max.Y {
			r, g, bl, _ := img.At(x, y).RGBA()
			red = r>>8 > 120 && r>>8 < 190 && g>>8 < 60 && bl>>8 < 70
		}
		switch {
		case red && in < 0:
			in = y
		case !red && in >= 0:
			if y-in > 20 {
				runs = append(runs, [2]int{in, y})
			}
			in = -1
		}
	}
	return runs
}

func xdo(t *testing.T, disp string, args ...string) {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+disp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

func TestKioskEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test (builds the cgo kiosk, runs Xvfb): skipped with -short")
	}
	serverBin, kioskBin := binaries(t)
	disp := xvfb(t)
	shots := os.Getenv("LUOT_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}

	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	start(t, "server", exec.Command(serverBin, "-demo", "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-data", t.TempDir()))
	waitFor(t, "the server", 30*time.Second, func() bool {
		resp, err := http.Get(base + "/api/v1/offices/demo")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	out := t.TempDir()
	kiosk := exec.Command(kioskBin, "-server", base, "-device-key", "demo-kiosk", "-virtual-printer", "-virtual-out", out,
		"-printer-profile", "generic-80", "-staff-pin", "1234")
	kiosk.Env = append(os.Environ(), "DISPLAY="+disp, "LANG=C.UTF-8")
	stdout, _ := kiosk.StdoutPipe()
	kiosk.Stderr = &logWriter{t: t, prefix: "kiosk: "}
	exited := start(t, "kiosk", kiosk)
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
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
	waitFor(t, "the start screen", 60*time.Second, func() bool {
		select {
		case <-exited:
			t.Fatal("the kiosk exited; see its log above")
		default:
		}
		img := screenshot(t, disp, shotStart)
		runs := primaryRuns(img, img.Bounds().Dx()/4)
		if len(runs) >= 2 && runs[0][0] < 60 {
			tile = runs[1]
			return true
		}
		return false
	})
	x, y := 1920/4, (tile[0]+tile[1])/2
	xdo(t, disp, "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")

	// The virtual printer renders the ticket.
	txt := filepath.Join(out, "ticket-0001.txt")
	waitFor(t, "the printed ticket", 30*time.Second, func() bool {
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
	waitFor(t, "the result screen", 20*time.Second, func() bool {
		img := screenshot(t, disp, shotResult)
		runs := primaryRuns(img, img.Bounds().Dx()/4)
		return len(runs) >= 2 && runs[len(runs)-1][0] > img.Bounds().Dy()*85/100 && printedShown(img)
	})
	t.Logf("screenshots: %s, %s; ticket: %s", shotStart, shotResult, filepath.Join(out, "ticket-0001.png"))
}

// printedShown reports whether the result screen's printing line says
// "printed": it turns from black to the theme's green.
func printedShown(img image.Image) bool {
	b := img.Bounds()
	n := 0
	for y := b.Dy() / 2; y < b.Dy()*85/100; y += 2 {
		for x := 0; x < b.Dx()*2/3; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 40 && g>>8 > 70 && g>>8 < 120 && bl>>8 > 25 && bl>>8 < 70 {
				n++
			}
		}
	}
	return n > 50
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

// waitFor polls cond every 200 ms for at most d.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waited %s for %s", d, what)
		case <-tick.C:
		}
	}
}

// logWriter sends a process's output to the test log.
type logWriter struct {
	t      *testing.T
	prefix string
	mu     sync.Mutex
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.t.Log(w.prefix + l)
	}
	return len(p), nil
}
