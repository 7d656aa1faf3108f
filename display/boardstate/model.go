// Package boardstate is the waiting-room board's state, kept from the
// office's event stream: counters and their current tickets, recent calls,
// people waiting per service, the ticker, and whether the stream is up. It
// has no UI and no I/O, so every rule is tested without Fyne; the board
// draws its View, and the state endpoint serves the same View as JSON.
package boardstate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"luot/display/announce"
	"luot/server/client"
)

// Filter limits a board to some counters or services (a screen above a
// group of counters). Empty lists mean all.
type Filter struct {
	// Counters are counter ids ("q1") or numbers ("1").
	Counters []string `json:"counters,omitempty"`
	// Services are service ids.
	Services []string `json:"services,omitempty"`
}

// Ticket is a ticket as the board knows it.
type Ticket struct {
	ID            string    `json:"id"`
	Number        string    `json:"number"`
	Service       string    `json:"service"`
	Status        string    `json:"status"`
	Counter       string    `json:"counter,omitempty"`
	CounterNumber int       `json:"counter_number,omitempty"`
	CalledAt      time.Time `json:"called_at,omitzero"`
	Recalls       int       `json:"recalls"`
}

type counter struct {
	ID       string
	Number   int
	Name     string
	State    string
	Services []string
	Current  *Ticket
}

type service struct {
	ID, Name, NameEN, Prefix string
}

// historyExtra is how many calls are kept beyond those shown, so that the
// list stays full when a call leaves it (a transfer) and a board limited to
// some counters still has calls to show.
const historyExtra = 32

// Model is the board's state. It is not safe for concurrent use: the
// display applies events and takes views under one lock.
type Model struct {
	filter      Filter
	recentLimit int

	officeID, name, nameEN, timezone string
	services                         []service
	counters                         []*counter
	waiting                          map[string]int
	recent                           []Ticket // most recent call first, up to recentLimit+historyExtra
	noShow                           map[string]bool
	ticker                           string
	seq                              int64
	day                              string
	haveState                        bool
	latestSeq                        int64 // seq of the event that made the latest call

	// dossiers are the dossiers ready for pickup, newest first, as the
	// server last listed them; dossiersOff when the office hides the panel.
	dossiers    []client.ReadyDossier
	dossiersOff bool

	version int64 // counts changes, so that a screen can say which view it drew

	connected     bool
	lastErr       string
	downSince     time.Time
	reconnects    int
	eventsSeen    int
	snapshotsSeen int
}

// New returns an empty model with a filter; recentLimit bounds the recent
// calls kept (default 8).
func New(f Filter, recentLimit int) *Model {
	if recentLimit <= 0 {
		recentLimit = 8
	}
	return &Model{filter: f, recentLimit: recentLimit, waiting: map[string]int{}, noShow: map[string]bool{}}
}

// Seq is the last event seq applied: where the stream resumes.
func (m *Model) Seq() int64 { return m.seq }

// SetOffice takes the office's configuration: names, services, counters
// and ticker. Counters keep their current tickets.
func (m *Model) SetOffice(o *client.Office) {
	m.version++
	m.officeID, m.name, m.nameEN, m.timezone = o.ID, o.Name, o.NameEN, o.Timezone
	if o.Ticker != "" || m.ticker == "" {
		m.ticker = o.Ticker
	}
	m.services = m.services[:0]
	for _, s := range o.Services {
		m.services = append(m.services, service{ID: s.ID, Name: s.Name, NameEN: s.NameEN, Prefix: s.Prefix})
	}
	old := map[string]*counter{}
	for _, c := range m.counters {
		old[c.ID] = c
	}
	m.counters = m.counters[:0]
	for _, c := range o.Counters {
		k := &counter{ID: c.ID, Number: c.Number, Name: c.Name, State: c.State, Services: slices.Clone(c.Services)}
		if p := old[c.ID]; p != nil {
			k.State, k.Current = p.State, p.Current
		} else if c.Current != nil {
			t := fromClient(*c.Current)
			k.Current = &t
		}
		m.counters = append(m.counters, k)
	}
	m.sortCounters()
}

func (m *Model) sortCounters() {
	slices.SortStableFunc(m.counters, func(a, b *counter) int { return a.Number - b.Number })
}

func fromClient(t client.Ticket) Ticket {
	return Ticket{ID: t.ID, Number: t.Number, Service: t.Service, Status: t.Status, Counter: t.Counter,
		CounterNumber: t.CounterNumber, CalledAt: t.CalledAt, Recalls: t.Recalls}
}

// SetReadyDossiers replaces the list of dossiers ready for pickup with
// the server's (client.ReadyDossierList): the board's panel "Hồ sơ đã có
// kết quả", hidden when r.Off or empty.
func (m *Model) SetReadyDossiers(r *client.ReadyDossiers) {
	m.version++
	m.dossiersOff = r.Off
	m.dossiers = slices.Clone(r.Dossiers)
}

// SetConnected records whether the event stream is up; err says why not.
func (m *Model) SetConnected(up bool, err error, now time.Time) {
	m.version++
	if up {
		if !m.connected && m.eventsSeen+m.snapshotsSeen > 0 {
			m.reconnects++
		}
		m.connected, m.lastErr, m.downSince = true, "", time.Time{}
		return
	}
	if m.connected || m.downSince.IsZero() {
		m.downSince = now
	}
	m.connected = false
	if err != nil {
		m.lastErr = err.Error()
	}
}

// Apply applies one event of the stream, in seq order. It returns the calls
// the event makes that this board shows (ticket.called and
// ticket.recalled), for the announcer; a snapshot makes none.
func (m *Model) Apply(e client.Event) ([]announce.Call, error) {
	m.version++
	if e.Type == "snapshot" {
		s, err := e.DecodeSnapshot()
		if err != nil {
			return nil, err
		}
		m.applySnapshot(s)
		m.seq = e.Seq
		m.snapshotsSeen++
		return nil, nil
	}
	m.seq = e.Seq
	m.eventsSeen++
	switch {
	case strings.HasPrefix(e.Type, "ticket."):
		d, err := e.DecodeTicket()
		if err != nil {
			return nil, err
		}
		return m.applyTicket(e, fromClient(d.Ticket)), nil
	case strings.HasPrefix(e.Type, "counter."):
		var d struct {
			Counter string `json:"counter"`
			Number  int    `json:"number"`
			State   string `json:"state"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
		k := m.counter(d.Counter)
		if k == nil {
			k = &counter{ID: d.Counter, Number: d.Number, Name: CounterLabel(d.Number)}
			m.counters = append(m.counters, k)
			m.sortCounters()
		}
		k.State = d.State
		if d.State == "closed" {
			k.Current = nil
		}
	case e.Type == client.EventDossiersReady:
		var d client.ReadyDossiers
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
		// The event carries the whole list; whether the office shows it
		// is the fetched list's to say.
		m.dossiers = d.Dossiers
	case e.Type == "day.rolled":
		var d struct {
			To string `json:"to"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
		m.day = d.To
		m.recent = nil
		m.latestSeq = 0
		clear(m.noShow)
		for s := range m.waiting {
			m.waiting[s] = 0
		}
		// Called tickets expired with their own events; a ticket being
		// served stays at its counter until done.
	}
	return nil, nil
}

func (m *Model) applySnapshot(s *client.Snapshot) {
	m.haveState = true
	m.day = s.Day
	if s.Ticker != "" {
		m.ticker = s.Ticker
	}
	m.waiting = map[string]int{}
	for k, v := range s.Waiting {
		m.waiting[k] = v
	}
	clear(m.noShow)
	m.recent = m.recent[:0]
	for _, t := range s.Recent {
		tk := fromClient(t)
		m.recent = append(m.recent, tk)
		if tk.Status == "no_show" {
			m.noShow[tk.ID] = true
		}
	}
	m.latestSeq = 0
	seen := map[string]bool{}
	for _, c := range s.Counters {
		seen[c.ID] = true
		k := m.counter(c.ID)
		if k == nil {
			k = &counter{ID: c.ID, Number: c.Number, Name: c.Name}
			m.counters = append(m.counters, k)
		}
		k.Number, k.State, k.Services = c.Number, c.State, slices.Clone(c.Services)
		if c.Name != "" {
			k.Name = c.Name
		}
		k.Current = nil
		if c.Current != nil {
			t := fromClient(*c.Current)
			k.Current = &t
		}
	}
	m.counters = slices.DeleteFunc(m.counters, func(k *counter) bool { return !seen[k.ID] })
	m.sortCounters()
}

func (m *Model) counter(id string) *counter {
	for _, k := range m.counters {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// holder returns the counter whose current ticket is id.
func (m *Model) holder(id string) *counter {
	for _, k := range m.counters {
		if k.Current != nil && k.Current.ID == id {
			return k
		}
	}
	return nil
}

func (m *Model) addWaiting(service string, d int) {
	m.waiting[service] = max(0, m.waiting[service]+d)
}

func (m *Model) applyTicket(e client.Event, t Ticket) []announce.Call {
	// Keep the recent list's copy of the ticket up to date.
	for i := range m.recent {
		if m.recent[i].ID == t.ID {
			m.recent[i].Status = t.Status
		}
	}
	switch e.Type {
	case "ticket.issued":
		m.addWaiting(t.Service, 1)
	case "ticket.called", "ticket.recalled":
		if e.Type == "ticket.called" {
			if m.noShow[t.ID] {
				delete(m.noShow, t.ID) // a no-show called again was not waiting
			} else if h := m.holder(t.ID); h == nil {
				m.addWaiting(t.Service, -1)
			}
		}
		if h := m.holder(t.ID); h != nil && h.ID != t.Counter {
			h.Current = nil
		}
		if k := m.counter(t.Counter); k != nil {
			cp := t
			k.Current = &cp
		}
		if t.CalledAt.IsZero() {
			t.CalledAt = e.At
		}
		m.recent = slices.DeleteFunc(m.recent, func(r Ticket) bool { return r.ID == t.ID })
		m.recent = slices.Insert(m.recent, 0, t)
		if len(m.recent) > m.recentLimit+historyExtra {
			m.recent = m.recent[:m.recentLimit+historyExtra]
		}
		if !m.showsTicket(t) {
			return nil
		}
		m.latestSeq = e.Seq
		at := e.At
		if at.IsZero() {
			at = t.CalledAt
		}
		return []announce.Call{{Seq: e.Seq, Number: t.Number, Counter: t.CounterNumber, At: at, Recall: e.Type == "ticket.recalled"}}
	case "ticket.serving":
		if k := m.holder(t.ID); k != nil {
			k.Current.Status = t.Status
		}
	case "ticket.done", "ticket.no_show":
		if k := m.holder(t.ID); k != nil {
			k.Current = nil
		}
		if e.Type == "ticket.no_show" {
			m.noShow[t.ID] = true
		}
	case "ticket.transferred":
		if k := m.holder(t.ID); k != nil {
			k.Current = nil
		}
		m.addWaiting(t.Service, 1)
		// Waiting again, at no counter: no longer a recent call.
		m.recent = slices.DeleteFunc(m.recent, func(r Ticket) bool { return r.ID == t.ID })
	case "ticket.cancelled", "ticket.expired":
		if k := m.holder(t.ID); k != nil {
			k.Current = nil
		} else if !m.noShow[t.ID] {
			m.addWaiting(t.Service, -1)
		}
	}
	return nil
}

// showsCounter reports whether the filter lets a counter through.
func (m *Model) showsCounter(id string, number int) bool {
	if len(m.filter.Counters) == 0 {
		return true
	}
	for _, f := range m.filter.Counters {
		if f == id || f == strconv.Itoa(number) {
			return true
		}
	}
	return false
}

// showsService reports whether the filter lets a service through: a listed
// service, or, with only counters listed, a service of one of them.
func (m *Model) showsService(id string) bool {
	if len(m.filter.Services) > 0 {
		return slices.Contains(m.filter.Services, id)
	}
	if len(m.filter.Counters) == 0 {
		return true
	}
	for _, k := range m.counters {
		if m.showsCounter(k.ID, k.Number) && slices.Contains(k.Services, id) {
			return true
		}
	}
	return false
}

// showsTicket reports whether a called ticket belongs on this board.
func (m *Model) showsTicket(t Ticket) bool {
	if len(m.filter.Counters) > 0 && !m.showsCounter(t.Counter, t.CounterNumber) {
		return false
	}
	if len(m.filter.Services) > 0 && !slices.Contains(m.filter.Services, t.Service) {
		return false
	}
	return true
}

func (m *Model) serviceNames(id string) (string, string) {
	for _, s := range m.services {
		if s.ID == id {
			return s.Name, s.NameEN
		}
	}
	return id, ""
}

func (m *Model) counterName(id string, number int) string {
	if k := m.counter(id); k != nil && k.Name != "" {
		return k.Name
	}
	return CounterLabel(number)
}
