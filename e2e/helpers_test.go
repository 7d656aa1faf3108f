// Package e2e holds the tests of the whole lobby: scripts/run.sh itself
// (TestRunScript) and a scripted morning of an office on the real binaries
// (TestDay). Both skip only under -short; a missing Xvfb or xdotool is a
// failure, not a skip.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
)

func TestMain(m *testing.M) { e2etest.Main(m) }

// bins are the real programs, built once per test run.
type bins struct{ server, escpos, kiosk, display string }

// build builds every program of the lobby (e2etest.Build: once per test
// run, the cgo ones with cgo) into one folder, whose processes checkEnd
// looks for at the end.
func build(t *testing.T) bins {
	t.Helper()
	return bins{
		server: e2etest.Build(t, e2etest.Server), escpos: e2etest.Build(t, e2etest.Escpos),
		kiosk: e2etest.Build(t, e2etest.Kiosk), display: e2etest.Build(t, e2etest.Display),
	}
}

// processesUsing lists the live processes (pid and command line) whose
// command line mentions s: what is left of the programs of a folder.
func processesUsing(s string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if st, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			// A zombie has exited; its parent has not reaped it yet.
			if f := strings.Fields(string(st)); len(f) > 2 && strings.HasSuffix(f[1], ")") && f[2] == "Z" {
				continue
			}
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, s) {
			out = append(out, fmt.Sprintf("%d %s", pid, cmdline))
		}
	}
	return out
}

// ctxFor returns a context that ends after d or with the test.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
