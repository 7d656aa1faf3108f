package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"luot/server/store"
)

// procStat is a process's CPU time and memory from /proc.
type procStat struct {
	cpu time.Duration // user + system
	rss int64         // bytes
	hwm int64         // peak RSS, bytes
}

// clockTick is USER_HZ: /proc/PID/stat counts CPU time in these.
const clockTick = 100

func readProc(pid int) (procStat, error) {
	var s procStat
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	s.cpu = time.Duration(ut+st) * time.Second / clockTick
	st2, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for _, line := range strings.Split(string(st2), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			s.rss = kb << 10
		case "VmHWM":
			s.hwm = kb << 10
		}
	}
	return s, nil
}

// sampler samples a process's RSS while a phase runs and reports its CPU.
type sampler struct {
	pid     int
	start   procStat
	startAt time.Time
	maxRSS  int64
	stop    chan struct{}
	done    chan struct{}
}

func startSampler(pid int) *sampler {
	s := &sampler{pid: pid, startAt: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	if pid <= 0 {
		close(s.done)
		return s
	}
	s.start, _ = readProc(pid)
	s.maxRSS = s.start.rss
	go func() {
		defer close(s.done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				if p, err := readProc(pid); err == nil {
					s.maxRSS = max(s.maxRSS, p.rss)
				}
			}
		}
	}()
	return s
}

// finish stops sampling and describes the server's CPU and memory; it
// also returns the CPU in % of one core (-1: not measured) and the peak
// RSS in bytes.
func (s *sampler) finish() (desc string, cpuPct float64, peak int64) {
	if s.pid <= 0 {
		return "server CPU/RSS: not measured (give -pid, or let the tool start the server with -server)", -1, 0
	}
	close(s.stop)
	<-s.done
	end, err := readProc(s.pid)
	if err != nil {
		return fmt.Sprintf("server CPU/RSS: %v", err), -1, 0
	}
	wall := time.Since(s.startAt)
	cpu := end.cpu - s.start.cpu
	cpuPct = 100 * cpu.Seconds() / wall.Seconds()
	peak = max(s.maxRSS, end.rss, end.hwm)
	return fmt.Sprintf("server pid %d: CPU %.0f%% of one core (%.1f s in %.1f s; 2 cores = 200%%), RSS now %s, max sampled %s, peak (VmHWM) %s",
		s.pid, cpuPct, cpu.Seconds(), wall.Seconds(), mb(end.rss), mb(max(s.maxRSS, end.rss)), mb(end.hwm)), cpuPct, peak
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// startServer starts the server binary on a free loopback port with a
// data folder and the demo office, and returns its URL and process.
func startServer(ctx context.Context, bin, data string, extra []string) (string, *exec.Cmd, error) {
	args := append([]string{"-addr", "127.0.0.1:0", "-data", data, "-demo"}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start %s: %w", bin, err)
	}
	addrc := make(chan string, 1)
	serving := regexp.MustCompile(`msg=serving addr=(\S+)`)
	logf, _ := os.Create(filepath.Join(data, "server.log"))
	exited := make(chan struct{}) // its stderr closed: the server ended
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if logf != nil {
				fmt.Fprintln(logf, sc.Text())
			}
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case a := <-addrc:
		return "http://" + a, cmd, nil
	case <-exited:
		return "", nil, fmt.Errorf("server exited before serving: %s", logTail(filepath.Join(data, "server.log")))
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("server did not start serving within 60 s: %s", logTail(filepath.Join(data, "server.log")))
	}
}

// logTail is the last lines of a server's log, for an error message.
func logTail(path string) string {
	time.Sleep(100 * time.Millisecond) // the log copier's last lines
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return path + ":\n" + strings.Join(lines[max(0, len(lines)-5):], "\n")
}

// openRaw opens the database of the raw commit measurement at path with
// the connection string of the server's store (store.DSN: its pragmas and
// BEGIN IMMEDIATE) and one connection, as the store's writer has.
func openRaw(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// rawCommitRate measures single-row durable transactions per second on
// the disk of dir, on the server store's connection settings (openRaw).
func rawCommitRate(dir string, d time.Duration) (float64, error) {
	path := filepath.Join(dir, "raw-commit.db")
	defer func() {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(path + s)
		}
	}()
	db, err := openRaw(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`); err != nil {
		return 0, err
	}
	payload := make([]byte, 300) // about an event's size
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES (?)`, payload); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// raiseOpenFiles lifts the open-files limit to the hard limit (or to want,
// as root) so that thousands of websocket clients fit.
func raiseOpenFiles(want uint64) (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Max < want {
		l.Max = want // only root may raise the hard limit; try
	}
	l.Cur = min(want, l.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	return l.Cur, nil
}

// loadAvg is the first line of /proc/loadavg (1, 5, 15 minutes).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
