package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/metrics"
	"strings"
)

// serveDebug serves, on addr (for a technician or a soak run, never on a
// public address), Go's profiles under /debug/pprof/ and /debug/memory: how
// much of the process's resident memory is Go's (heap objects, free heap
// not yet returned to the system, stacks, the runtime's own) and how much
// is the rest (the C side: Mesa's software OpenGL, X, libraries' pages).
// It returns the address it listens on.
func serveDebug(addr string, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("debug address: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/memory", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, memoryReport())
	})
	go func() {
		if err := http.Serve(ln, mux); err != nil {
			log.Warn("debug server stopped", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}

// memoryReport is one line of figures in kB: the process's RSS, what Go
// holds of it (go = heap objects + free heap not returned + stacks +
// runtime), and the rest (other = RSS − go).
func memoryReport() string {
	names := []string{
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/unused:bytes",
		"/memory/classes/heap/free:bytes",
		"/memory/classes/heap/stacks:bytes",
		"/memory/classes/total:bytes",
		"/memory/classes/heap/released:bytes",
	}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	kb := func(i int) uint64 { return s[i].Value.Uint64() / 1024 }
	goRes := kb(4) - kb(5) // everything the Go runtime mapped, minus what it gave back
	rss := uint64(0)
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
				fmt.Sscan(v, &rss)
			}
		}
	}
	return fmt.Sprintf("rss %d go %d (heap objects %d, unused %d, free %d, stacks %d) other %d kB\n",
		rss, goRes, kb(0), kb(1), kb(2), kb(3), int64(rss)-int64(goRes))
}
