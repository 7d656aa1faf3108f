// Package engine runs the queue of every office hosted by a server: it keeps
// each office's live state in memory, serializes the commands of an office,
// commits each resulting change durably through a Store before anyone sees
// it, publishes the change's events (encoded once) to a Publisher, and keeps
// an immutable View of each office — snapshot, tickets and wait estimates,
// recomputed once per change — that readers use without locks.
package engine

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"luot/server/queue"
)

// Publisher receives every committed event of an office, in seq order, as
// the JSON message sent to clients. Publish must not block.
type Publisher interface {
	Publish(office string, seq int64, msg []byte)
}

// View is an office as of one seq. It is immutable: a change makes a new one.
type View struct {
	Office   queue.Office
	Snapshot queue.Snapshot
	// SnapshotEvent is the snapshot as an event message, encoded once.
	SnapshotEvent []byte
	// Tickets are the tickets in memory (the current day, and the still
	// active ones of earlier days), by id.
	Tickets   map[string]*queue.Ticket
	Estimates map[string]queue.Estimate
	// Counters are the counters' statuses, by counter id.
	Counters map[string]queue.CounterStatus
	At       time.Time

	state *queue.State // frozen copy; Tickets and Counters are its maps
}

// Queue lists the waiting tickets that a counter serves, in the order it
// would call them: the clerk console's list. It is computed on demand (most
// changes are seen by nobody who needs it).
func (v *View) Queue(counter string) []*queue.Ticket {
	k := v.Office.Counter(counter)
	if k == nil {
		return nil
	}
	return v.state.QueueFor(k)
}

type office struct {
	mu    sync.Mutex // serializes commands
	state *queue.State
	view  atomic.Pointer[View]
}

// Engine is safe for concurrent use.
type Engine struct {
	store Store
	pub   Publisher
	now   func() time.Time
	log   *slog.Logger

	mu      sync.RWMutex
	offices map[string]*office
}

// New returns an engine over store that publishes to pub and reads the time
// from now (time.Now in production; a fake clock in tests).
func New(store Store, pub Publisher, now func() time.Time, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.Default()
	}
	return &Engine{store: store, pub: pub, now: now, log: log, offices: map[string]*office{}}
}

// Load reads every office of the store into memory. Call it once at start,
// and again after offices are created (it loads only new ones).
func (e *Engine) Load(ctx context.Context) error {
	ids, err := e.store.OfficeIDs(ctx)
	if err != nil {
		return fmt.Errorf("load offices: %w", err)
	}
	for _, id := range ids {
		e.mu.RLock()
		_, have := e.offices[id]
		e.mu.RUnlock()
		if have {
			continue
		}
		st, err := e.store.LoadState(ctx, id)
		if err != nil {
			return fmt.Errorf("load office %s: %w", id, err)
		}
		o := &office{state: st}
		o.view.Store(e.makeView(st, e.now(), nil))
		e.mu.Lock()
		e.offices[id] = o
		e.mu.Unlock()
	}
	return nil
}

// OfficeIDs lists the loaded offices, sorted.
func (e *Engine) OfficeIDs() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.Sorted(maps.Keys(e.offices))
}

func (e *Engine) get(id string) (*office, error) {
	e.mu.RLock()
	o := e.offices[id]
	e.mu.RUnlock()
	if o == nil {
		return nil, &queue.Error{Kind: queue.KindNotFound, Code: "unknown_office", Message: fmt.Sprintf("office %q does not exist", id)}
	}
	return o, nil
}

// View returns the current view of an office.
func (e *Engine) View(id string) (*View, error) {
	o, err := e.get(id)
	if err != nil {
		return nil, err
	}
	return o.view.Load(), nil
}

// Command is a domain command bound to its arguments; Do runs it.
type Command func(s *queue.State, now time.Time) (*queue.Change, error)

// Do runs a command on an office: it first rolls the office over to a new
// business day if the clock says so, then runs the command, commits its
// change, applies it, refreshes the view and publishes the events. It
// returns the committed change. A domain refusal is a *queue.Error; a store
// failure is returned wrapped, and then nothing changed.
func (e *Engine) Do(ctx context.Context, officeID string, cmd Command) (*queue.Change, error) {
	o, err := e.get(officeID)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return e.do(ctx, o, cmd)
}

func (e *Engine) do(ctx context.Context, o *office, cmd Command) (*queue.Change, error) {
	now := e.now()
	if rc := o.state.Rollover(now); rc != nil {
		if err := e.commit(ctx, o, rc, now); err != nil {
			return nil, err
		}
	}
	c, err := cmd(o.state, now)
	if err != nil {
		return nil, err
	}
	if err := e.commit(ctx, o, c, now); err != nil {
		return nil, err
	}
	return c, nil
}

// commit persists, applies and publishes a change. The state is untouched
// until the store has committed, so a failed commit leaves memory and disk
// as they were.
func (e *Engine) commit(ctx context.Context, o *office, c *queue.Change, now time.Time) error {
	if len(c.Events) == 0 && len(c.Tickets) == 0 && len(c.Counters) == 0 && c.Config == nil && c.Day == o.state.Day {
		return nil
	}
	msgs := make([][]byte, len(c.Events))
	for i := range c.Events {
		b, err := json.Marshal(&c.Events[i])
		if err != nil {
			return fmt.Errorf("encode event %s: %w", c.Events[i].Type, err)
		}
		msgs[i] = b
	}
	// The request's context may end (a client gone) but a command that
	// reached the store finishes: its outcome must be known.
	if err := e.store.Commit(context.WithoutCancel(ctx), c, msgs); err != nil {
		e.log.Error("commit failed; nothing changed", "office", c.Office, "err", err)
		return fmt.Errorf("save change of office %s: %w", c.Office, err)
	}
	o.state.Apply(c)
	o.view.Store(e.makeView(o.state, now, c.Estimates))
	if e.pub != nil {
		for i, m := range msgs {
			e.pub.Publish(c.Office, c.Events[i].Seq, m)
		}
	}
	return nil
}

// makeView computes the view of a state: once per change. est, when not
// nil, is the state's estimate at now, already computed by the command.
func (e *Engine) makeView(s *queue.State, now time.Time, est map[string]queue.Estimate) *View {
	frozen := s.Clone()
	if est == nil {
		est = frozen.Estimate(now)
	}
	v := &View{
		Office:    frozen.Office,
		Snapshot:  frozen.Snapshot(),
		Tickets:   frozen.Tickets,
		Estimates: est,
		Counters:  frozen.Counters,
		At:        now,
		state:     frozen,
	}
	ev := queue.Event{Seq: s.Seq, Type: queue.EventSnapshot, At: now.In(s.Office.Location()), Data: v.Snapshot}
	b, err := json.Marshal(&ev)
	if err != nil {
		e.log.Error("encode snapshot", "err", err) // cannot happen: plain data
	}
	v.SnapshotEvent = b
	return v
}

// Issue issues a ticket. When key is not empty and a ticket was already
// issued with that idempotency key, Issue returns that ticket and created
// false instead of issuing another. The caller scopes the key (e.g. by
// device). ID and Token are filled in when empty.
func (e *Engine) Issue(ctx context.Context, officeID string, r queue.IssueRequest, key string) (t *queue.Ticket, created bool, err error) {
	o, err := e.get(officeID)
	if err != nil {
		return nil, false, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if key != "" {
		id, err := e.store.TicketByIdempotencyKey(ctx, officeID, key)
		if err != nil {
			return nil, false, fmt.Errorf("look up idempotency key: %w", err)
		}
		if id != "" {
			if t, ok := o.state.Tickets[id]; ok {
				return t, false, nil
			}
			t, err := e.store.Ticket(ctx, officeID, id)
			if err != nil || t == nil {
				return nil, false, fmt.Errorf("load ticket %s of idempotency key: %w", id, err)
			}
			return t, false, nil
		}
	}
	if r.ID == "" {
		r.ID = NewID()
	}
	if r.Token == "" {
		r.Token = NewToken()
	}
	c, err := e.do(ctx, o, func(s *queue.State, now time.Time) (*queue.Change, error) {
		c, err := s.Issue(now, r)
		if c != nil {
			c.IdempotencyKey = key
		}
		return c, err
	})
	if err != nil {
		return nil, false, err
	}
	return c.Ticket, true, nil
}

// Tick rolls every office over to a new business day when its local
// midnight has passed, so that old tickets expire (with events) even when
// nobody acts. Call it about once a minute.
func (e *Engine) Tick(ctx context.Context) {
	for _, id := range e.OfficeIDs() {
		o, err := e.get(id)
		if err != nil {
			continue
		}
		o.mu.Lock()
		now := e.now()
		if rc := o.state.Rollover(now); rc != nil {
			if err := e.commit(ctx, o, rc, now); err != nil {
				e.log.Error("day rollover failed; will retry", "office", id, "err", err)
			}
		}
		o.mu.Unlock()
	}
}

// FindTicket returns a ticket by id from any office: from memory for the
// current day, otherwise from the store. It returns nil when there is none.
func (e *Engine) FindTicket(ctx context.Context, id string) (*queue.Ticket, *View, error) {
	for _, oid := range e.OfficeIDs() {
		v, err := e.View(oid)
		if err != nil {
			continue
		}
		if t, ok := v.Tickets[id]; ok {
			return t, v, nil
		}
	}
	for _, oid := range e.OfficeIDs() {
		t, err := e.store.Ticket(ctx, oid, id)
		if err != nil {
			return nil, nil, fmt.Errorf("load ticket %s: %w", id, err)
		}
		if t != nil {
			v, _ := e.View(oid)
			return t, v, nil
		}
	}
	return nil, nil, nil
}

// EventsSince returns the office's encoded events after seq since; see
// Store.EventsSince.
func (e *Engine) EventsSince(ctx context.Context, officeID string, since int64, limit int) ([][]byte, bool, error) {
	return e.store.EventsSince(ctx, officeID, since, limit)
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a random 16-character id (80 bits) for tickets and devices.
func NewID() string {
	b := make([]byte, 10)
	rand.Read(b) // never fails (crypto/rand)
	return idEncoding.EncodeToString(b)
}

// NewToken returns an unguessable 256-bit secret, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
