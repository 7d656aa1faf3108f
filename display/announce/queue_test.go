package announce

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"luot/internal/clock"
)

// recordingSink "plays" each announcement for a length that depends on its
// parts, on the fake clock, and records when each began and ended.
type recordingSink struct {
	clk *clock.Fake

	mu      sync.Mutex
	playing int
	overlap bool
	said    []said
}

type said struct {
	text       string
	start, end time.Time
	want       time.Duration
	complete   bool
}

// length is how long the fake sink takes to say a: 300 ms a clip plus the
// pauses.
func length(a Announcement) time.Duration {
	var d time.Duration
	for _, p := range a.Parts {
		if p.Clip != "" {
			d += 300 * time.Millisecond
		}
		d += p.Pause
	}
	return d
}

func (s *recordingSink) Say(ctx context.Context, a Announcement) error {
	s.mu.Lock()
	s.playing++
	if s.playing > 1 {
		s.overlap = true
	}
	start := s.clk.Now()
	s.mu.Unlock()
	want := length(a)
	var err error
	select {
	case <-s.clk.After(want):
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.playing--
	end := s.clk.Now()
	s.said = append(s.said, said{text: a.Text, start: start, end: end, want: want, complete: err == nil && end.Sub(start) == want})
	return err
}

func (s *recordingSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.said)
}

// run drives the fake clock until the sink has said n announcements, with
// a bound in real time.
func run(t *testing.T, clk *clock.Fake, sink *recordingSink, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for sink.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d announcements said within 10 s", sink.count(), n)
		}
		if !clk.WaitForWaiters(1, time.Second) {
			continue
		}
		clk.AdvanceToNext()
	}
}

var t0 = time.Date(2026, 11, 27, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600))

func newTestQueue(maxAge time.Duration) (*Queue, *clock.Fake, *recordingSink, context.CancelFunc) {
	clk := clock.NewFake(t0)
	sink := &recordingSink{clk: clk}
	q := NewQueue(QueueConfig{Sink: sink, Clock: clk, MaxAge: maxAge, Gap: 500 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	go q.Run(ctx)
	return q, clk, sink, cancel
}

// TestQueueBurst: ten calls within one second give ten complete
// announcements, in order, none overlapping or cut off.
func TestQueueBurst(t *testing.T) {
	q, clk, sink, cancel := newTestQueue(time.Minute)
	defer cancel()
	var want []string
	for i := range 10 {
		c := Call{Seq: int64(i + 1), Number: fmt.Sprint(1001 + i), Counter: i%4 + 1, At: clk.Now()}
		if !q.Add(c) {
			t.Fatalf("call %d not queued", i)
		}
		a, _ := Sentence(c.Number, c.Counter, Options{})
		want = append(want, a.Text)
		// The calls arrive 100 ms apart, while the first is being said.
		clk.WaitForWaiters(1, time.Second)
		clk.Advance(100 * time.Millisecond)
	}
	run(t, clk, sink, 10)
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.overlap {
		t.Error("two announcements were said at the same time")
	}
	for i, s := range sink.said {
		if s.text != want[i] {
			t.Errorf("announcement %d: %q, want %q", i, s.text, want[i])
		}
		if !s.complete {
			t.Errorf("announcement %d was cut off after %v of %v", i, s.end.Sub(s.start), s.want)
		}
		if i > 0 && s.start.Before(sink.said[i-1].end.Add(500*time.Millisecond)) {
			t.Errorf("announcement %d began at %v, before the previous one ended (%v) plus the gap", i, s.start, sink.said[i-1].end)
		}
	}
	if st := q.Stats(); st.Said != 10 || st.Queued != 10 || st.Pending != 0 || st.Skipped != 0 {
		t.Errorf("stats %+v, want 10 queued and said", st)
	}
}

// TestQueueRecall: a recall of the same number is announced again.
func TestQueueRecall(t *testing.T) {
	q, clk, sink, cancel := newTestQueue(time.Minute)
	defer cancel()
	q.Add(Call{Seq: 1, Number: "A015", Counter: 3, At: clk.Now()})
	q.Add(Call{Seq: 2, Number: "A015", Counter: 3, At: clk.Now(), Recall: true})
	run(t, clk, sink, 2)
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.said[0].text != sink.said[1].text || !sink.said[1].complete {
		t.Errorf("recall not said again in full: %+v", sink.said)
	}
}

// TestQueueReplay: calls replayed after a reconnect that are older than the
// limit are not announced; fresh ones are.
func TestQueueReplay(t *testing.T) {
	q, clk, sink, cancel := newTestQueue(30 * time.Second)
	defer cancel()
	now := clk.Now()
	if q.Add(Call{Seq: 5, Number: "1020", Counter: 1, At: now.Add(-5 * time.Minute)}) {
		t.Error("a call 5 minutes old was queued")
	}
	if q.Add(Call{Seq: 6, Number: "1021", Counter: 2, At: now.Add(-31 * time.Second)}) {
		t.Error("a call 31 s old was queued")
	}
	if !q.Add(Call{Seq: 7, Number: "1022", Counter: 3, At: now.Add(-2 * time.Second)}) {
		t.Error("a call 2 s old was not queued")
	}
	run(t, clk, sink, 1)
	st := q.Stats()
	if st.Skipped != 2 || st.Said != 1 {
		t.Errorf("stats %+v, want 2 skipped, 1 said", st)
	}
	if want := "Mời công dân có số thứ tự một nghìn không trăm hai mươi hai đến quầy số ba."; st.Last != want {
		t.Errorf("said %q, want %q", st.Last, want)
	}
}

// TestQueueSinkFailure: a sink that fails (no sound card) does not stop the
// queue.
func TestQueueSinkFailure(t *testing.T) {
	clk := clock.NewFake(t0)
	q := NewQueue(QueueConfig{Sink: failingSink{}, Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.Run(ctx)
	q.Add(Call{Number: "1", Counter: 1})
	q.Add(Call{Number: "2", Counter: 1})
	deadline := time.Now().Add(5 * time.Second)
	for q.Stats().Failed < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v: the queue stopped after a failure", q.Stats())
		}
		if clk.WaitForWaiters(1, 100*time.Millisecond) {
			clk.AdvanceToNext()
		}
	}
}

type failingSink struct{}

func (failingSink) Say(context.Context, Announcement) error { return fmt.Errorf("no sound card") }
