// Package announce turns calls into spoken announcements: the Vietnamese
// (and English) reading of ticket and counter numbers, the sentence as a
// sequence of voice clips, and the queue that says them one after the other
// so that a new call never cuts off the one being said and none is dropped.
package announce

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"luot/internal/clock"
)

// Call is one call (or recall) of a ticket to a counter.
type Call struct {
	Seq     int64     `json:"seq"`
	Number  string    `json:"number"`
	Counter int       `json:"counter"`
	At      time.Time `json:"at"`
	Recall  bool      `json:"recall,omitempty"`
}

// Sink says an announcement. Say returns once all of it has been heard (or
// when ctx ends); the queue never calls it again before it returns.
type Sink interface {
	Say(ctx context.Context, a Announcement) error
}

// QueueConfig configures a Queue.
type QueueConfig struct {
	Sink Sink
	// Options shape the sentence.
	Options Options
	// MaxAge: a call made longer ago than this when it reaches the queue
	// (a call replayed after a reconnect) is not announced; 0 announces
	// every call.
	MaxAge time.Duration
	// Gap is the silence between two announcements (default 700 ms).
	Gap time.Duration
	// Clock defaults to the system clock.
	Clock clock.Clock
	// Log defaults to slog.Default().
	Log *slog.Logger
}

// Stats counts what the queue did.
type Stats struct {
	Queued  int `json:"queued"`  // calls accepted
	Said    int `json:"said"`    // announcements said to the end
	Pending int `json:"pending"` // waiting to be said, the one being said included
	Skipped int `json:"skipped"` // calls not announced because too old
	Failed  int `json:"failed"`  // announcements the sink failed to say
	// Last is the text of the last announcement said.
	Last string `json:"last,omitempty"`
}

// Said is an announcement said to its end: the call it announced and its
// sentence. The state endpoint lists them, so that a test or a technician
// can check that every call was said once and in order.
type Said struct {
	Call
	Text string `json:"text"`
}

// MaxLog is how many said announcements Log keeps (the oldest go first).
const MaxLog = 1000

// queued is an announcement waiting to be said, with its call.
type queued struct {
	a Announcement
	c Call
}

// Queue says announcements one after the other, in the order the calls
// came, each to its end.
type Queue struct {
	cfg  QueueConfig
	wake chan struct{}

	mu      sync.Mutex
	items   []queued
	log     []Said // the last MaxLog announcements said, oldest first
	stats   Stats
	lastErr string // the last sink error logged, so a dead sound card is logged once
}

// NewQueue returns a queue; Run says what it holds.
func NewQueue(cfg QueueConfig) *Queue {
	if cfg.Gap <= 0 {
		cfg.Gap = 700 * time.Millisecond
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Queue{cfg: cfg, wake: make(chan struct{}, 1)}
}

// Add queues the announcement of a call. It returns false, and says
// nothing, when the call is older than MaxAge or cannot be read aloud.
func (q *Queue) Add(c Call) bool {
	if q.cfg.MaxAge > 0 && !c.At.IsZero() {
		if age := q.cfg.Clock.Now().Sub(c.At); age > q.cfg.MaxAge {
			q.cfg.Log.Info("call not announced: it is older than the announcement age limit",
				"number", c.Number, "counter", c.Counter, "age", age.Round(time.Second), "limit", q.cfg.MaxAge)
			q.mu.Lock()
			q.stats.Skipped++
			q.mu.Unlock()
			return false
		}
	}
	a, err := Sentence(c.Number, c.Counter, q.cfg.Options)
	if err != nil {
		q.cfg.Log.Warn("call not announced", "number", c.Number, "counter", c.Counter, "err", err)
		q.mu.Lock()
		q.stats.Failed++
		q.mu.Unlock()
		return false
	}
	q.mu.Lock()
	q.items = append(q.items, queued{a: a, c: c})
	q.stats.Queued++
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// Stats returns what the queue did so far.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.stats
	s.Pending = len(q.items)
	return s
}

// Log returns the last MaxLog announcements said to their end, oldest
// first.
func (q *Queue) Log() []Said {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]Said(nil), q.log...)
}

// Run says the queued announcements until ctx ends, and returns ctx's
// error.
func (q *Queue) Run(ctx context.Context) error {
	for {
		q.mu.Lock()
		var it queued
		have := len(q.items) > 0
		if have {
			it = q.items[0]
		}
		a := it.a
		q.mu.Unlock()
		if !have {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-q.wake:
				continue
			}
		}
		err := q.cfg.Sink.Say(ctx, a)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q.mu.Lock()
		q.items[0] = queued{}
		q.items = q.items[1:]
		if len(q.items) == 0 {
			q.items = nil // let the backing array go
		}
		logErr := false
		if err != nil {
			q.stats.Failed++
			logErr = err.Error() != q.lastErr
			q.lastErr = err.Error()
		} else {
			q.stats.Said++
			q.stats.Last = a.Text
			if len(q.log) == MaxLog {
				q.log = append(q.log[:0], q.log[1:]...)
			}
			q.log = append(q.log, Said{Call: it.c, Text: a.Text})
			q.lastErr = ""
		}
		q.mu.Unlock()
		if logErr {
			q.cfg.Log.Warn("announcement could not be played (logged once until it changes): check the sound output (-audio-device, ALSA)", "text", a.Text, "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-q.cfg.Clock.After(q.cfg.Gap):
		}
	}
}
