// Package engine runs the queue of every office hosted by a server: it keeps
// each office's live state in memory, serializes the commands of an office,
// commits each resulting change durably through a Store before anyone sees
// it, publishes the change's events (encoded once) to a Publisher, and keeps
// an immutable View of each office — snapshot, tickets and wait estimates,
// recomputed once per change — that readers use without locks.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"luot/internal/random"
	"luot/server/notify"
	"luot/server/queue"
)

// Publisher receives every committed event of an office, in seq order, as
// the JSON messages sent to clients: public to anyone, staff to the
// office's staff (see queue.EncodedEvent). Publish must not block.
type Publisher interface {
	Publish(office string, seq int64, public, staff []byte)
}

// View is an office as of one seq. It is immutable: a change makes a new one.
type View struct {
	Office queue.Office
	// Seq is the seq of the office's last event in this view, Day its
	// business day.
	Seq int64
	Day string
	// Tickets are the tickets in memory (the current day, and the still
	// active ones of earlier days), by id.
	Tickets map[string]*queue.Ticket
	// Estimates is the forecast of every waiting ticket at At.
	Estimates *queue.Forecast
	// Counters are the counters' statuses, by counter id.
	Counters map[string]queue.CounterStatus
	At       time.Time

	state *queue.State // frozen copy; Tickets and Counters are its maps

	snapshot func() queue.Snapshot // the state's snapshot, computed once
	snapOnce sync.Once
	snapMsg  []byte
	snapErr  error
}

// Snapshot is what a board shows of the view: counters, waiting per
// service, recent calls. It is computed once, when first asked for (most
// views are replaced before anyone needs it, and it walks every ticket of
// the day); the maps of the result are shared and must not be modified.
func (v *View) Snapshot() queue.Snapshot { return v.snapshot() }

// SnapshotEvent is the snapshot as an event message (what a client that
// cannot resume gets first), encoded once, when first asked for.
func (v *View) SnapshotEvent() ([]byte, error) {
	v.snapOnce.Do(func() {
		ev := queue.Event{Seq: v.Seq, Type: queue.EventSnapshot, At: v.At.In(v.Office.Location()), Data: v.Snapshot()}
		v.snapMsg, v.snapErr = json.Marshal(&ev)
		if v.snapErr != nil {
			v.snapErr = fmt.Errorf("encode the snapshot of office %s at seq %d: %w", v.Office.ID, v.Seq, v.snapErr)
		}
	})
	return v.snapMsg, v.snapErr
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
	mu    sync.Mutex // held by the leader while it runs a batch
	state *queue.State
	view  atomic.Pointer[View]

	// The queue of commands waiting for the leader (see batch.go).
	qmu     sync.Mutex
	queue   []*request
	leading bool

	keys recentKeys // under mu
	// stale: a commit's outcome is unknown (the database went away); the
	// next batch reloads the office first (resync.go). Under mu.
	stale bool

	follower bool // under mu: another process owns the office (follow.go)

	watch watchSet // the followed tickets, see notices.go
}

// Engine is safe for concurrent use.
type Engine struct {
	store Store
	pub   Publisher
	now   func() time.Time
	log   *slog.Logger

	mu        sync.RWMutex
	offices   map[string]*office
	followNew bool // offices loaded from now on start as followers (follow.go)

	stats     stats
	keyWindow time.Duration // see keys.go
	notify    notify.Config // see notices.go
}

// New returns an engine over store that publishes to pub and reads the time
// from now (time.Now in production; a fake clock in tests).
func New(store Store, pub Publisher, now func() time.Time, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.Default()
	}
	return &Engine{store: store, pub: pub, now: now, log: log, offices: map[string]*office{}, keyWindow: defaultKeyWindow}
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
		e.mu.RLock()
		o := &office{state: st, follower: e.followNew}
		e.mu.RUnlock()
		if err := e.loadWatched(ctx, o, id); err != nil {
			return err
		}
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
		return nil, queue.NewError(queue.KindNotFound, "unknown_office", "office {office} does not exist", "office", fmt.Sprintf("%q", id))
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
//
// Commands of an office run one at a time, in arrival order; the changes
// of commands that queue up while a commit is on disk are committed
// together in the next durable transaction (group commit, see batch.go),
// and each caller is answered once its change is durable.
func (e *Engine) Do(ctx context.Context, officeID string, cmd Command) (*queue.Change, error) {
	o, err := e.get(officeID)
	if err != nil {
		return nil, err
	}
	r := &request{ctx: ctx, cmd: cmd}
	e.submit(o, r)
	return r.change, r.err
}

// makeView computes the view of a state: once per change. est, when not
// nil, is the state's estimate at now, already computed by the command.
func (e *Engine) makeView(s *queue.State, now time.Time, est *queue.Forecast) *View {
	if est == nil {
		start := time.Now()
		est = s.Estimate(now) // on the live state, which keeps its waiting tickets indexed
		since(&e.stats.forecast, start)
	}
	frozen := s.Clone()
	v := &View{
		Office:    frozen.Office,
		Seq:       frozen.Seq,
		Day:       frozen.Day,
		snapshot:  sync.OnceValue(frozen.Snapshot),
		Tickets:   frozen.Tickets,
		Estimates: est,
		Counters:  frozen.Counters,
		At:        now,
		state:     frozen,
	}
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
	if r.ID == "" {
		r.ID = random.ID()
	}
	if r.Token == "" {
		r.Token = random.Token()
	}
	r.DeferEstimate = true // stamped once per run of issues, see batch.go
	var lookedUp time.Time
	if key != "" {
		v := o.view.Load()
		t, err := e.ticketOfKey(ctx, v.Office.ID, v.Tickets, key)
		if err != nil || t != nil {
			return t, false, err
		}
		lookedUp = time.Now() // monotonic: see keys.go
	}
	q := &request{lookedUp: lookedUp, ctx: ctx, issue: true, key: key, cmd: func(s *queue.State, now time.Time) (*queue.Change, error) {
		c, err := s.Issue(now, r)
		if c != nil {
			c.IdempotencyKey = key
		}
		return c, err
	}}
	e.submit(o, q)
	if q.err != nil {
		return nil, false, q.err
	}
	return q.ticket, q.created, nil
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
		r := &request{ctx: ctx}
		e.submit(o, r)
		if r.err != nil && !errors.Is(r.err, ErrNotOwner) { // the owner rolls a followed office over
			e.log.Error("day rollover failed; will retry", "office", id, "err", r.err)
		}
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
		if errors.Is(err, queue.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("load ticket %s: %w", id, err)
		}
		v, _ := e.View(oid)
		return t, v, nil
	}
	return nil, nil, nil
}

// EventsSince returns the office's encoded events after seq since; see
// Store.EventsSince.
func (e *Engine) EventsSince(ctx context.Context, officeID string, since int64, limit int) ([]queue.EncodedEvent, bool, error) {
	return e.store.EventsSince(ctx, officeID, since, limit)
}
