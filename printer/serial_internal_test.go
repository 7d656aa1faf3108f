package printer

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"go.bug.st/serial"

	"luot/internal/config"
)

// fakePort answers reads from a script and records what was written.
type fakePort struct {
	mu       sync.Mutex
	written  []byte
	replies  [][]byte // one per Read; an empty entry is a timed-out read (0, nil)
	reads    int
	timeouts []time.Duration
	closed   bool
}

func (f *fakePort) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if len(f.replies) == 0 {
		return 0, nil
	}
	r := f.replies[0]
	f.replies = f.replies[1:]
	return copy(p, r), nil
}

func (f *fakePort) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.written = append(f.written, p...)
	return len(p), nil
}

func (f *fakePort) Close() error { f.closed = true; return nil }
func (f *fakePort) SetReadTimeout(d time.Duration) error {
	f.timeouts = append(f.timeouts, d)
	return nil
}
func (f *fakePort) Drain() error             { return nil }
func (f *fakePort) ResetInputBuffer() error  { return nil }
func (f *fakePort) ResetOutputBuffer() error { return nil }

func withFake(t *testing.T, f *fakePort) *Printer {
	t.Helper()
	p, err := New(Config{Port: "/dev/fake", ReadTimeout: config.Duration{Duration: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	p.openFn = func(string, *serial.Mode) (Port, error) { return f, nil }
	return p
}

// A timed-out read of go.bug.st/serial returns (0, nil): the status query
// must take it as "no answer" at once, never read again in a loop.
func TestTimedOutReadIsNoAnswerNotASpin(t *testing.T) {
	f := &fakePort{}
	p := withFake(t, f)
	_, err := p.Status(context.Background())
	if !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("got %v", err)
	}
	if f.reads != 1 {
		t.Fatalf("%d reads for one timed-out query, want 1", f.reads)
	}
	if len(f.timeouts) != 1 || f.timeouts[0] <= 0 || f.timeouts[0] > 200*time.Millisecond {
		t.Fatalf("read timeouts %v", f.timeouts)
	}
}

func TestStatusRepliesSkipXONXOFFAndASB(t *testing.T) {
	f := &fakePort{replies: [][]byte{
		{0x11, 0x13, 0x14, 0x12, 0x12, 0x0F, 0x1A}, // XON, XOFF, ASB block (whose 2nd byte looks like a reply), then reply 1 = 0x1A (offline)
		{0x32},       // 2: paper stopped at end
		{0x11, 0x7E}, // 4: paper end + near end
	}}
	p := withFake(t, f)
	st, err := p.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Offline || !st.PaperStop || !st.PaperEnd || !errors.Is(st.Err(), ErrPaperEnd) {
		t.Fatalf("status %+v", st)
	}
	if string(f.written) != "\x10\x04\x01\x10\x04\x02\x10\x04\x04" {
		t.Fatalf("queries % X", f.written)
	}
}

func TestCutterErrorAsksForErrorCause(t *testing.T) {
	f := &fakePort{replies: [][]byte{{0x1A}, {0x52}, {0x1A}, {0x12}}}
	p := withFake(t, f)
	st, err := p.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if string(f.written) != "\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04" || !errors.Is(st.Err(), ErrCutter) {
		t.Fatalf("queries % X status %v", f.written, st)
	}
}

func TestChunkedWrites(t *testing.T) {
	f := &fakePort{}
	p := withFake(t, f)
	p.cfg.ChunkSize = 7
	if err := p.connect(); err != nil {
		t.Fatal(err)
	}
	data := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	if err := p.write(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	if string(f.written) != string(data) {
		t.Fatalf("wrote %q", f.written)
	}
}

func TestTransferTime(t *testing.T) {
	if got := TransferTime(200, 9600); got != 208333333*time.Nanosecond {
		t.Fatalf("200 bytes at 9600: %v", got)
	}
	if got := TransferTime(11520, 115200); got != time.Second {
		t.Fatalf("11520 bytes at 115200: %v", got)
	}
}

func TestFaultErrorIs(t *testing.T) {
	st := Status{}
	st.Set(1, 0x1A)
	st.Set(2, 0x36) // cover open + paper stop
	err := st.Err()
	if !errors.Is(err, ErrCoverOpen) || !errors.Is(err, ErrPaperEnd) || errors.Is(err, ErrCutter) {
		t.Fatalf("%v", err)
	}
	var fe *FaultError
	if !errors.As(err, &fe) || fe.Fault() != FaultCoverOpen {
		t.Fatalf("primary fault %v", fe.Fault())
	}
	if errors.Is(err, &FaultError{Faults: []Fault{FaultCoverOpen}}) {
		t.Error("a non-sentinel FaultError must not match")
	}
	for f := FaultNoAnswer; f <= FaultPaperNearEnd; f++ {
		if f.Vietnamese() == "" || f.English() == "" {
			t.Errorf("%v has no message", f)
		}
		if g, ok := ParseFault(f.String()); !ok || g != f {
			t.Errorf("ParseFault(%q)", f.String())
		}
	}
}

// TestConfigJSON reads the durations of a printer's JSON configuration (in
// the kiosk's file) as Go strings or, as encoding/json writes a
// time.Duration, nanoseconds.
func TestConfigJSON(t *testing.T) {
	var c Config
	if err := json.Unmarshal([]byte(`{"port": "/dev/ttyUSB0", "write_timeout": "3s", "read_timeout": 700000000}`), &c); err != nil ||
		c.WriteTimeout.Duration != 3*time.Second || c.ReadTimeout.Duration != 700*time.Millisecond {
		t.Fatalf("%+v, %v", c, err)
	}
	if err := json.Unmarshal([]byte(`{"read_timeout": "soon"}`), &c); err == nil {
		t.Error("read_timeout \"soon\": no error")
	}
	b, err := json.Marshal(Config{Port: "/dev/ttyUSB0", ReadTimeout: config.Duration{Duration: 700 * time.Millisecond}})
	if err != nil || string(b) != `{"port":"/dev/ttyUSB0","read_timeout":"700ms"}` {
		t.Errorf("marshal: %s, %v", b, err)
	}
}
