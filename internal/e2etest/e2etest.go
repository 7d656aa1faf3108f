// Package e2etest runs the real programs of the repository for the
// end-to-end tests (kiosk, display, e2e): it builds them once per test
// binary, starts them as processes that end with the test, gives each GUI a
// private Xvfb, and drives it with xdotool and ImageMagick's import.
//
// It launches binaries and imports nothing of Fyne, so it builds without
// cgo like the tests themselves. A test package that calls Build must have
//
//	func TestMain(m *testing.M) { e2etest.Main(m) }
//
// so that the binaries' folder is removed when its tests are done.
package e2etest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Root returns the repository's root: the first folder with a go.mod
// above the test's working directory, which go test sets to the package's
// folder. (The source file's path from runtime.Caller would break under
// -trimpath.)
func Root(t testing.TB) string {
	t.Helper()
	dir, err := root()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var root = sync.OnceValues(func() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("e2etest: no go.mod in %s or above it", wd)
		}
	}
})

// Program is one of the repository's programs that Build can build.
type Program struct {
	pkg  string // the main package, from the repository's root
	name string // the binary's file name (it shows in ps and in logs)
	cgo  bool   // Fyne draws with OpenGL through cgo
}

// The programs the end-to-end tests run: the server and the printer's
// technician tool without cgo, the kiosk and the display with cgo (a test
// binary runs with CGO_ENABLED=0, so each build says which it wants).
var (
	Server  = Program{"./server", "luot-server", false}
	Escpos  = Program{"./printer/cmd/escpos", "escpos", false}
	Kiosk   = Program{"./kiosk", "luot-kiosk", true}
	Display = Program{"./display", "luot-display", true}
	// VirtualModem is the GSM modem on a pseudo-terminal (modem/virtual).
	VirtualModem = Program{"./modem/cmd/virtualmodem", "virtualmodem", false}
)

// built is one program's build, done once per test binary.
type built struct {
	once sync.Once
	path string
	err  error
}

var (
	mu     sync.Mutex
	binDir string // the shared output folder, made by the first Build
	builds = map[Program]*built{}
)

// Build builds p once per test binary into a temporary folder shared by
// every program (removed by Main) and returns the binary's path; a failed
// build fails every test that asks for it. The packages' compiled objects
// stay in Go's build cache, which all the test binaries share, so the
// first cgo build of Fyne (minutes) is not done again by the next one.
func Build(t testing.TB, p Program) string {
	t.Helper()
	root := Root(t) // outside the Once: a t.Fatal in it would leave it done with no result
	mu.Lock()
	b := builds[p]
	if b == nil {
		b = &built{}
		builds[p] = b
	}
	mu.Unlock()
	b.once.Do(func() { b.path, b.err = p.build(root) })
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

func (p Program) build(root string) (string, error) {
	mu.Lock()
	if binDir == "" {
		dir, err := os.MkdirTemp("", "luot-e2e-bin-")
		if err != nil {
			mu.Unlock()
			return "", err
		}
		binDir = dir
	}
	out := filepath.Join(binDir, p.name)
	mu.Unlock()
	cgo := "0"
	if p.cgo {
		cgo = "1"
	}
	cmd := exec.Command("go", "build", "-o", out, p.pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s (CGO_ENABLED=%s): %v\n%s", p.pkg, cgo, err, msg)
	}
	return out, nil
}

// Main runs the tests and removes the folder of the binaries Build made;
// call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// Cleanup removes the folder of the binaries Build made: for a TestMain
// that has other things to end too (Main is m.Run, then Cleanup).
func Cleanup() {
	mu.Lock()
	dir := binDir
	mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// FreeAddr returns a loopback address ("127.0.0.1:N") whose port was free
// a moment ago, for a program to listen on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Healthy reports whether a server answers 200 on /healthz at base
// ("http://host:port"). The server listens only once its data (and the
// demo office, with -demo) is ready.
func Healthy(base string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// WaitFor calls cond until it holds and returns how long that took; it
// fails the test, naming what it waited for, when cond still does not hold
// after d. It polls every fiftieth of d, between 20 and 200 ms: often
// enough to measure a short limit (a call drawn within 1 s), seldom enough
// that a costly cond (a screenshot) leaves the CPU to the programs tested.
func WaitFor(t testing.TB, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	every := min(max(d/50, 20*time.Millisecond), 200*time.Millisecond)
	begin := time.Now()
	for !cond() {
		if time.Since(begin) > d {
			t.Fatalf("gave up after %v waiting for %s", d, what)
		}
		time.Sleep(every)
	}
	return time.Since(begin)
}
