package photo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"
)

// waiting is how many callers wait in p, read under its lock.
func waiting(p *Pipeline) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiters)
}

// until waits (at most 10 s, to catch a hang) for cond.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 10 s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPipelineBudgetFirstComeFirstServed(t *testing.T) {
	p := NewPipeline(Limits{}, 4, 100)
	ctx := context.Background()
	if err := p.acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	order := make(chan int64, 2)
	var wg sync.WaitGroup
	for i, n := range []int64{50, 10} { // 10 would fit, but comes after 50
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.acquire(ctx, n); err != nil {
				t.Error(err)
				return
			}
			order <- n
		}()
		until(t, "queued", func() bool { return waiting(p) == i+1 })
	}
	// A caller giving up leaves the queue; those behind it are not stuck.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- p.acquire(cctx, 100) }()
	until(t, "queued", func() bool { return waiting(p) == 3 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait returned %v", err)
	}
	// 10 fits beside the 60 taken, but waits behind 50: first come, first
	// served, so that a big photo is not starved by small ones.
	if waiting(p) != 2 || len(order) != 0 || p.used != 60 {
		t.Fatalf("%d waiting, %d granted, %d reserved: want both waiting behind 60", waiting(p), len(order), p.used)
	}
	p.release(60)
	wg.Wait()
	if a, b := <-order, <-order; a+b != 60 {
		t.Errorf("granted %d and %d, want 50 and 10", a, b)
	}
	p.release(50)
	p.release(10)
	if p.used != 0 {
		t.Errorf("%d left reserved", p.used)
	}
}

func TestPipelineBoundsWhatRunsAtOnce(t *testing.T) {
	const slots, budget = 2, 64 << 20
	p := NewPipeline(Limits{MaxDecodeBytes: 60 << 20}, slots, budget)
	var mu sync.Mutex
	var running, most int
	var reserved, mostReserved int64
	p.observe = func(n int64, start bool) {
		mu.Lock()
		defer mu.Unlock()
		if start {
			running++
			reserved += n
		} else {
			running--
			reserved -= n
		}
		most, mostReserved = max(most, running), max(mostReserved, reserved)
	}
	src := encodeJPEG(t, detailed(600, 450, 8), 85)
	want, err := Process(bytes.NewReader(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := p.Process(context.Background(), bytes.NewReader(src))
			if i%2 == 1 {
				res, err = p.ProcessBytes(context.Background(), src)
			}
			if err != nil || res.Hash != want.Hash {
				t.Errorf("through the pipeline: %v, hash %s want %s", err, res.Hash, want.Hash)
			}
		}()
	}
	wg.Wait()
	if most > slots || mostReserved > budget || most == 0 {
		t.Errorf("%d photos at once reserving %d bytes, want at most %d within %d", most, mostReserved, slots, budget)
	}
}

func TestPipelineJudgesHeadersWithoutWaiting(t *testing.T) {
	p := NewPipeline(Limits{}, 1, 0)
	if err := p.acquire(context.Background(), p.size); err != nil { // everything taken
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, b := range bombs(t) {
		if _, err := p.Process(ctx, bytes.NewReader(b)); codeOf(err) != "photo_too_many_pixels" {
			t.Errorf("%s bomb: %v", name, err)
		}
		if _, err := p.ProcessBytes(ctx, b); codeOf(err) != "photo_too_many_pixels" {
			t.Errorf("%s bomb in memory: %v", name, err)
		}
	}
	for name, c := range map[string]struct {
		b    []byte
		code string
	}{
		"html":      {[]byte("<html>"), "photo_type"},
		"empty":     {nil, "photo_empty"},
		"truncated": {encodeJPEG(t, detailed(64, 64, 9), 80)[:300], "photo_broken"},
		"20 MB":     {make([]byte, 20<<20), "photo_too_large"},
	} {
		if _, err := p.Process(ctx, bytes.NewReader(c.b)); codeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
		if _, err := p.ProcessBytes(ctx, c.b); codeOf(err) != c.code {
			t.Errorf("%s in memory: %v, want %s", name, err, c.code)
		}
	}
	// A good photo waits, and gives up with its caller.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, err := p.Process(cctx, bytes.NewReader(encodeJPEG(t, detailed(64, 64, 9), 80)))
		done <- err
	}()
	until(t, "waiting", func() bool { return waiting(p) == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a photo whose caller gave up: %v", err)
	}
	// A 20 MB upload of unknown size (a stream) is refused once read.
	p.release(p.size)
	big := &countingReader{r: bytes.NewReader(append(encodeJPEG(t, detailed(64, 64, 9), 80), make([]byte, 20<<20)...))}
	if _, err := p.Process(ctx, struct{ *countingReader }{big}); codeOf(err) != "photo_too_large" || big.n > 10<<20+headSize {
		t.Errorf("a 20 MB stream: %v after %d bytes", err, big.n)
	}
}

func TestPipelineLongHeaders(t *testing.T) {
	// Colour profiles may fill several APP2 segments before the frame:
	// 300 KB of them put the size past the part read before waiting.
	j := encodeJPEG(t, detailed(200, 100, 10), 85)
	long := []byte{0xFF, 0xD8}
	for range 5 {
		seg := append([]byte("ICC_PROFILE\x00"), make([]byte, 60000)...)
		long = append(long, 0xFF, 0xE2, byte((len(seg)+2)>>8), byte(len(seg)+2))
		long = append(long, seg...)
	}
	long = append(long, j[2:]...)
	p := NewPipeline(Limits{}, 2, 0)
	var reserved int64
	p.observe = func(n int64, start bool) {
		if start {
			reserved = n
		}
	}
	res, err := p.Process(context.Background(), struct{ io.Reader }{bytes.NewReader(long)})
	if err != nil || res.Width != 200 {
		t.Fatalf("a photo with 300 KB of headers: %v", err)
	}
	if reserved != p.size {
		t.Errorf("reserved %d, want the whole budget %d (its cost unknown before reading)", reserved, p.size)
	}
	// Broken past the headers: refused once read.
	if _, err := p.Process(context.Background(), bytes.NewReader(long[:headSize+1000])); codeOf(err) != "photo_broken" {
		t.Errorf("cut after its headers: %v", err)
	}
}
