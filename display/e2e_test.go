package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"luot/display/device"
	"luot/server/client"
)

// The end-to-end test runs the real server binary and the real display
// binary (built with cgo, drawing with OpenGL on Xvfb), makes clerk calls
// through the API, and reads the display's own state endpoint. It builds
// each binary once per test run. It skips only under -short.
//
// LUOT_SERVER_BIN, when set, is a server binary to use instead of building
// ./server (to try the display against another server build).
//
// LUOT_SCREENSHOT_DIR, when set, is where it saves its screenshots
// (board.png, board-disconnected.png); by default they go to a temporary
// folder and are only checked.

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the server (no cgo) and the display (cgo) once.
func binaries(t *testing.T) (server, display string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "luot-e2e-bin-")
		if buildErr != nil {
			return
		}
		root := repoRoot(t)
		builds := []struct{ out, pkg, cgo string }{{"luot-display", "./display", "1"}}
		if os.Getenv("LUOT_SERVER_BIN") == "" {
			builds = append(builds, struct{ out, pkg, cgo string }{"luot-server", "./server", "0"})
		}
		for _, b := range builds {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, b.out), b.pkg)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CGO_ENABLED="+b.cgo)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s (CGO_ENABLED=%s): %v\n%s", b.pkg, b.cgo, err, out)
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
	return server, filepath.Join(binDir, "luot-display")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd) // the test runs in display/
}

// start starts a process that the test ends (by its pid) when it is over.
func start(t *testing.T, name string, cmd *exec.Cmd) *exec.Cmd {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() { stop(cmd) })
	return cmd
}

// stop ends a process the test started and waits for it.
func stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// xvfb starts an X server on a free display number and returns ":N".
func xvfb(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("Xvfb is not installed, and the end-to-end test of the display needs it: run scripts/setup.sh (Debian package xvfb)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// -displayfd: Xvfb picks a free display number and writes it to fd 3.
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	start(t, "Xvfb", cmd)
	w.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report its display number (got %q)", n)
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs the server on addr with its data in dir and waits until
// it answers.
func startServer(t *testing.T, bin, addr, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "-demo", "-addr", addr, "-data", dir)
	cmd.Stderr = &logTail{name: "server"}
	start(t, "server", cmd)
	eventually(t, 30*time.Second, "the server to answer on "+addr, func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return cmd
}

// logTail keeps the last lines a process wrote, for failure messages.
type logTail struct {
	name string
	mu   sync.Mutex
	buf  []byte
}

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) > 16<<10 {
		l.buf = l.buf[len(l.buf)-8<<10:]
	}
	return len(p), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}

// eventually polls cond every 20 ms until it holds, failing after limit.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	begin := time.Now()
	for !cond() {
		if time.Since(begin) > limit {
			t.Fatalf("gave up after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(begin)
}

func readState(url string) (device.State, error) {
	var s device.State
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

// clerkCall issues a ticket at the kiosk and has the clerk of counter q3
// call the next one; it returns the number called.
func clerkCall(t *testing.T, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	kiosk, _ := client.New(base, client.WithDeviceKey("demo-kiosk"))
	if _, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "chung-thuc"}, client.NewIdempotencyKey()); err != nil {
		t.Fatalf("issue a ticket: %v", err)
	}
	anon, _ := client.New(base)
	s, err := anon.Login(ctx, "demo", "q3", "nv3", "1234")
	if err != nil {
		t.Fatalf("clerk login: %v", err)
	}
	clerk, _ := client.New(base, client.WithToken(s.Token))
	if _, err := clerk.Act(ctx, "q3", client.ActionOpen, nil); err != nil {
		t.Fatalf("open counter q3: %v", err)
	}
	tk, err := clerk.Act(ctx, "q3", client.ActionNext, nil)
	if err != nil || tk == nil {
		t.Fatalf("call next at q3: %v (ticket %v)", err, tk)
	}
	return tk.Number
}

// busyMorning opens counters 1 and 4 as well, issues tickets of several
// services and calls at every open counter; it returns the last number
// called.
func busyMorning(t *testing.T, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	kiosk, _ := client.New(base, client.WithDeviceKey("demo-kiosk"))
	for _, sv := range []string{"xay-dung", "ho-tich", "chung-thuc", "xay-dung", "tra-ket-qua", "chung-thuc", "dat-dai",
		"ho-tich", "chung-thuc", "ho-kinh-doanh", "xay-dung", "chung-thuc", "tra-ket-qua", "chung-thuc"} {
		if _, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: sv}, client.NewIdempotencyKey()); err != nil {
			t.Fatalf("issue a ticket of %s: %v", sv, err)
		}
	}
	anon, _ := client.New(base)
	clerks := map[string]*client.Client{}
	for _, k := range []string{"q1", "q4", "q3"} {
		s, err := anon.Login(ctx, "demo", k, "nv"+k[1:], "1234")
		if err != nil {
			t.Fatalf("clerk login at %s: %v", k, err)
		}
		clerks[k], _ = client.New(base, client.WithToken(s.Token))
		if _, err := clerks[k].Act(ctx, k, client.ActionOpen, nil); err != nil {
			t.Fatalf("open %s: %v", k, err)
		}
	}
	var last string
	for _, k := range []string{"q1", "q4", "q3", "q1", "q4", "q3"} {
		tk, err := clerks[k].Act(ctx, k, client.ActionNext, nil)
		if err != nil || tk == nil {
			t.Fatalf("call next at %s: %v (ticket %v)", k, err, tk)
		}
		last = tk.Number
	}
	return last
}

// screenshot saves the X screen to name once it shows the board (the
// board's background on much of it, some yellow numbers, and the red banner
// or not, as banner says) and has settled (two captures in a row are the
// same: the driver has painted the last view), trying again for up to 20 s
// while the window comes up or redraws.
func screenshot(t *testing.T, display, dir, name string, banner bool) string {
	t.Helper()
	path := filepath.Join(dir, name)
	var why string
	var previous []byte
	eventually(t, 20*time.Second, "a screenshot showing the board ("+name+")", func() bool {
		cmd := exec.Command("import", "-window", "root", path)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("screenshot with import (imagemagick): %v\n%s", err, out)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		settled := bytes.Equal(data, previous)
		previous = data
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("screenshot %s: %v", path, err)
		}
		bg, yellow, red := share(img)
		why = fmt.Sprintf("%.0f%% background, %.2f%% yellow, %.1f%% red", bg*100, yellow*100, red*100)
		return settled && bg > 0.15 && yellow > 0.002 && (red > 0.02) == banner
	})
	t.Logf("%s: %s", name, why)
	return path
}

// share returns the parts of img in the board's background colour, in the
// numbers' yellow and in the banner's red.
func share(img image.Image) (bg, yellow, red float64) {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			n++
			switch {
			case r < 0x20 && g > 0x10 && g < 0x40 && bl > 0x30 && bl < 0x70:
				bg++
			case r > 0xe0 && g > 0xc0 && bl < 0x90:
				yellow++
			case r > 0xb0 && g < 0x40 && bl < 0x40:
				red++
			}
		}
	}
	return bg / float64(n), yellow / float64(n), red / float64(n)
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("the end-to-end test builds and runs the server and the display; skipped under -short")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the end-to-end test runs on Linux (Xvfb)")
	}
	serverBin, displayBin := binaries(t)
	display := xvfb(t)
	tmp := t.TempDir()
	shots := os.Getenv("LUOT_SCREENSHOT_DIR")
	if shots == "" {
		shots = tmp
	}
	addr := freeAddr(t)
	base := "http://" + addr
	data := filepath.Join(tmp, "data")
	srv := startServer(t, serverBin, addr, data)

	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o755)
	cmd := exec.Command(displayBin, "-server", base, "-office", "demo", "-device-key", "demo-display",
		"-state-addr", "127.0.0.1:0", "-audio", "silent", "-fullscreen",
		"-blink", "0") // the screenshots must show the number, not a blink's hidden half
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=C.UTF-8", "HOME="+home, "FYNE_SCALE=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	dlog := &logTail{name: "display"}
	cmd.Stderr = dlog
	start(t, "display", cmd)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "display: state at "); ok {
				urls <- u
			}
		}
	}()
	var stateURL string
	select {
	case stateURL = <-urls:
	case <-time.After(60 * time.Second):
		t.Fatalf("the display did not print its state endpoint within 60 s; its log:\n%s", dlog)
	}
	defer func() {
		if t.Failed() {
			t.Logf("display log:\n%s", dlog)
			t.Logf("server log:\n%s", srv.Stderr)
		}
	}()
	eventually(t, 30*time.Second, "the display to connect and take the snapshot", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Connected && s.Ready && s.Name != ""
	})

	// 1. A clerk calls; the display shows it within a second.
	first := clerkCall(t, base)
	took := eventually(t, time.Second, "call "+first+" on the display (limit 1 s)", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Latest != nil && s.Latest.Number == first && s.Latest.CounterNumber == 3 && s.DrawnVersion == s.Version
	})
	t.Logf("call %s shown %v after the API answered", first, took.Round(time.Millisecond))
	eventually(t, 10*time.Second, "the first announcement", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Announcements.Queued >= 1
	})

	// 2. The server dies: the display says so and keeps the last state.
	srv.Process.Kill()
	srv.Wait()
	eventually(t, 15*time.Second, "the display to notice the server is gone", func() bool {
		s, err := readState(stateURL)
		return err == nil && !s.Connected
	})
	if s, _ := readState(stateURL); s.Latest == nil || s.Latest.Number != first {
		t.Errorf("the last call was not kept while disconnected: %+v", s.Latest)
	}
	eventually(t, 5*time.Second, "the banner view to be drawn", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.DrawnVersion == s.Version
	})
	screenshot(t, display, shots, "board-disconnected.png", true)

	// 3. The server comes back on the same data; the display recovers
	// and shows the next call.
	startServer(t, serverBin, addr, data)
	eventually(t, 30*time.Second, "the display to reconnect", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Connected
	})
	second := clerkCall(t, base)
	took = eventually(t, time.Second, "call "+second+" after the restart (limit 1 s)", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Latest != nil && s.Latest.Number == second && s.DrawnVersion == s.Version
	})
	t.Logf("after the restart, call %s shown %v after the API answered", second, took.Round(time.Millisecond))
	s, err := readState(stateURL)
	if err != nil {
		t.Fatal(err)
	}
	if s.Reconnects < 1 || len(s.Recent) < 2 || s.Recent[1].Number != first {
		t.Errorf("after the restart: reconnects %d, recent %+v", s.Reconnects, s.Recent)
	}
	eventually(t, 20*time.Second, "both calls announced", func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Announcements.Said >= 2
	})
	// A busier morning for the screenshot: more counters, more people.
	last := busyMorning(t, base)
	eventually(t, 5*time.Second, "the last call "+last, func() bool {
		s, err := readState(stateURL)
		return err == nil && s.Latest != nil && s.Latest.Number == last && len(s.Counters) == 3 && s.DrawnVersion == s.Version
	})
	p := screenshot(t, display, shots, "board.png", false)
	if s, err := readState(stateURL); err == nil {
		var recent []string
		for _, c := range s.Recent {
			recent = append(recent, c.Number+"→"+strconv.Itoa(c.CounterNumber))
		}
		t.Logf("on screen: version %d (drawn %d), latest %s, recent %v", s.Version, s.DrawnVersion, last, recent)
	}
	t.Logf("screenshots in %s", filepath.Dir(p))

	// The display ends cleanly on SIGTERM.
	cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Errorf("display exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the display did not end within 10 s of SIGTERM")
	}
}
