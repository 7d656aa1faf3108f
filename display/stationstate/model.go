package stationstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"luot/server/client"
)

// Timings of the citizen's side.
const (
	// ThanksFor is how long thanks show after a rating.
	ThanksFor = 5 * time.Second
	// DefaultPromptSeconds and DefaultWindowSeconds stand in when the
	// station's configuration leaves the policy's times out.
	DefaultPromptSeconds = 30
	DefaultWindowSeconds = 600
)

// Limits of what the clerk types when signing in.
const (
	maxStaffLen = 32
	maxPINLen   = 12
)

// retry backoff of a rating that met a network failure.
const (
	rateRetryFirst = 5 * time.Second
	rateRetryMax   = time.Minute
)

// DefaultScale is the fixed 4-level scale, used when the station's
// configuration carries none.
var DefaultScale = []Level{
	{Score: 4, Name: "Rất hài lòng", NameEN: "Very satisfied"},
	{Score: 3, Name: "Hài lòng", NameEN: "Satisfied"},
	{Score: 2, Name: "Bình thường", NameEN: "Neutral"},
	{Score: 1, Name: "Không hài lòng", NameEN: "Dissatisfied"},
}

// Options are the station's own settings (its configuration file).
type Options struct {
	// English makes English the station's language; the citizen's
	// language button switches for one citizen only.
	English bool
	// Keys is the clerk's key map; nil is DefaultKeyMap.
	Keys KeyMap
	// StaffPrefix is put before a staff id typed as digits only, so that
	// a numeric keypad reaches ids like "nv1" (prefix "nv", typed 1). An
	// id typed with letters (a full keyboard) is taken as it is.
	StaffPrefix string
	// NoRating asks no rating: after done the counter shows idle at
	// once (the station's "rating": false).
	NoRating bool
	// NewKey makes idempotency keys; nil is client.NewIdempotencyKey.
	// Tests give a counter.
	NewKey func() string
}

// Model is the station's state. It is not safe for concurrent use: the
// station feeds it and takes views under one lock. Every input takes the
// time (now) and returns the effects it asks for.
type Model struct {
	opts    Options
	version int64
	seq     int64

	station     *client.Station
	services    map[string]client.Service
	photo       []byte
	photoClerk  string
	haveState   bool // a snapshot of the stream has set the counter's state
	state       string
	current     *curTicket
	connected   bool
	printer     [2]string
	english     bool
	prompt      *prompt
	thanksUntil time.Time

	// the clerk's side
	staff    string // signed in at the station
	step     string // "staff", "pin", "wait" (sign-in in flight) or "" (signed in)
	typedID  string
	typedPIN string
	inFlight map[string]*press // by idempotency key
	note     note

	pending map[string]*pendingRate // ratings not yet answered, by key
}

type curTicket struct {
	ID, Number, Service, ServiceName, Status string
}

type prompt struct {
	ticket   curTicket
	deadline time.Time
	until    time.Time // the rating window of the station closes
	score    int
	picked   []string
}

type press struct {
	action Action
	key    string // key name
}

type pendingRate struct {
	rate    Rate
	until   time.Time
	tries   int
	next    time.Time // zero while in flight
	backoff time.Duration
}

// New returns a model waiting for its station's configuration.
func New(o Options) *Model {
	if o.Keys == nil {
		o.Keys = DefaultKeyMap()
	}
	o.Keys = o.Keys.canonical()
	if o.NewKey == nil {
		o.NewKey = client.NewIdempotencyKey
	}
	return &Model{opts: o, english: o.English, step: "staff", inFlight: map[string]*press{}, pending: map[string]*pendingRate{}}
}

// Seq is the last event seq applied: where the stream resumes.
func (m *Model) Seq() int64 { return m.seq }

// Staff returns the staff id signed in at the station, "" when nobody.
func (m *Model) Staff() string { return m.staff }

// SetStation takes the station's configuration (GET /station): office,
// counter, clerk and rating policy. The counter's state and ticket in it
// count only until the stream's snapshot has come: the stream is newer.
func (m *Model) SetStation(s *client.Station, now time.Time) {
	m.version++
	if m.station != nil && m.station.Counter.ID != s.Counter.ID {
		m.haveState, m.current, m.prompt, m.thanksUntil = false, nil, nil, time.Time{}
	}
	cp := *s
	m.station = &cp
	m.services = map[string]client.Service{}
	for _, sv := range s.Office.Services {
		m.services[sv.ID] = sv
	}
	if s.Clerk == nil || s.Clerk.ID != m.photoClerk {
		m.photo, m.photoClerk = nil, ""
	}
	if !m.haveState {
		m.state = s.Counter.State
		m.current = nil
		if t := s.Counter.Current; t != nil {
			m.current = m.cur(*t)
		}
	}
}

// SetClerkPhoto gives the photo of a clerk (JPEG or PNG bytes); it shows
// while that clerk is the station's clerk.
func (m *Model) SetClerkPhoto(clerk string, photo []byte) {
	m.version++
	if m.station == nil || m.station.Clerk == nil || m.station.Clerk.ID != clerk {
		return
	}
	m.photo, m.photoClerk = slices.Clone(photo), clerk
}

// SetConnected records whether the event stream is up.
func (m *Model) SetConnected(up bool, now time.Time) {
	m.version++
	m.connected = up
}

// SetPrinter sets the printer's fault in words ("" when it is fine).
func (m *Model) SetPrinter(vi, en string) {
	m.version++
	m.printer = [2]string{vi, en}
}

func (m *Model) counterID() string {
	if m.station == nil {
		return ""
	}
	return m.station.Counter.ID
}

func (m *Model) cur(t client.Ticket) *curTicket {
	return &curTicket{ID: t.ID, Number: t.Number, Service: t.Service, ServiceName: t.ServiceName, Status: t.Status}
}

// Apply applies one event of the office's stream, in seq order; events
// of other counters change nothing. A new call ends a rating prompt: with
// no score tapped nothing is sent; with a low score tapped (the reasons
// showing) the score goes with the reasons picked, as at the deadline.
func (m *Model) Apply(e client.Event, now time.Time) ([]Effect, error) {
	if e.Seq > m.seq {
		m.seq = e.Seq
	}
	own := m.counterID()
	switch {
	case e.Type == "snapshot":
		s, err := e.DecodeSnapshot()
		if err != nil {
			return nil, err
		}
		m.version++
		for _, c := range s.Counters {
			if c.ID != own {
				continue
			}
			m.haveState = true
			m.state = c.State
			m.current = nil
			if c.Current != nil {
				m.current = m.cur(*c.Current)
				if c.Current.Status == "called" || c.Current.Status == "serving" {
					// a ticket called while the stream was down: the
					// citizen being rated has gone
					if m.prompt != nil && m.prompt.ticket.ID != c.Current.ID {
						return m.endPrompt(now), nil
					}
				}
			}
		}
		return nil, nil
	case strings.HasPrefix(e.Type, "counter."):
		var d struct {
			Counter string `json:"counter"`
			State   string `json:"state"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
		if d.Counter != own || own == "" {
			return nil, nil
		}
		m.version++
		m.state = d.State
		if d.State == "closed" {
			m.current = nil
		}
		return nil, nil
	case strings.HasPrefix(e.Type, "ticket."):
		d, err := e.DecodeTicket()
		if err != nil {
			return nil, err
		}
		return m.applyTicket(e, d.Ticket, now), nil
	}
	return nil, nil
}

func (m *Model) applyTicket(e client.Event, t client.Ticket, now time.Time) []Effect {
	own := m.counterID()
	mine := own != "" && t.Counter == own
	isCurrent := m.current != nil && m.current.ID == t.ID
	if !mine && !isCurrent {
		return nil
	}
	m.version++
	var out []Effect
	switch e.Type {
	case "ticket.called", "ticket.recalled":
		if !mine { // called at another counter
			m.current = nil
			return nil
		}
		if m.prompt != nil && (e.Type == "ticket.called" || m.prompt.ticket.ID != t.ID) {
			out = m.endPrompt(now)
		}
		if e.Type == "ticket.called" && !m.thanksUntil.IsZero() {
			m.endThanks()
		}
		m.current = m.cur(t)
	case "ticket.serving":
		m.current = m.cur(t)
	case "ticket.done":
		m.current = nil
		m.startPrompt(e, t, now)
	default: // no_show, transferred, cancelled, expired
		if isCurrent {
			m.current = nil
		}
	}
	return out
}

func (m *Model) policy() client.RatingPolicy {
	if m.station == nil {
		return client.RatingPolicy{}
	}
	return m.station.Rating
}

func (m *Model) scale() []Level {
	p := m.policy()
	if len(p.Scale) == 0 {
		return DefaultScale
	}
	out := make([]Level, len(p.Scale))
	for i, l := range p.Scale {
		out[i] = Level{Score: l.Score, Name: l.Name, NameEN: l.NameEN}
	}
	return out
}

func (m *Model) promptFor() time.Duration {
	if s := m.policy().PromptSeconds; s > 0 {
		return time.Duration(s) * time.Second
	}
	return DefaultPromptSeconds * time.Second
}

func (m *Model) window() time.Duration {
	if s := m.policy().WindowSeconds; s > 0 {
		return time.Duration(s) * time.Second
	}
	return DefaultWindowSeconds * time.Second
}

// startPrompt shows the rating prompt for a ticket just done. A done
// replayed from longer ago than the rating window (a stream resumed
// after a long outage) asks nothing: the server would refuse it. The
// deadline counts from now, not from the event's time, so that a station
// whose clock is a little off still shows the prompt its full time.
func (m *Model) startPrompt(e client.Event, t client.Ticket, now time.Time) {
	if m.opts.NoRating || !e.At.IsZero() && now.Sub(e.At) > m.window() {
		return
	}
	doneAt := e.At
	if doneAt.IsZero() || doneAt.After(now) {
		doneAt = now
	}
	m.thanksUntil = time.Time{}
	m.prompt = &prompt{ticket: *m.cur(t), deadline: now.Add(m.promptFor()), until: doneAt.Add(m.window())}
}

// endPrompt ends the prompt without thanks: a low score already tapped
// is sent with its reasons, otherwise nothing is.
func (m *Model) endPrompt(now time.Time) []Effect {
	p := m.prompt
	m.prompt = nil
	m.english = m.opts.English
	if p != nil && p.score > 0 {
		return []Effect{m.rate(p, now)}
	}
	return nil
}

func (m *Model) endThanks() {
	m.thanksUntil = time.Time{}
	m.english = m.opts.English
}

// rate makes the Rate of a prompt and keeps it until it is answered.
func (m *Model) rate(p *prompt, now time.Time) Rate {
	var reasons []string
	for _, r := range m.policy().Reasons { // the policy's order, not the taps'
		if slices.Contains(p.picked, r.ID) {
			reasons = append(reasons, r.ID)
		}
	}
	r := Rate{Ticket: p.ticket.ID, Score: p.score, Reasons: reasons, Key: m.opts.NewKey()}
	m.pending[r.Key] = &pendingRate{rate: r, until: p.until, tries: 1}
	return r
}

// send sends the prompt's score and shows thanks.
func (m *Model) send(now time.Time) []Effect {
	r := m.rate(m.prompt, now)
	m.prompt = nil
	m.thanksUntil = now.Add(ThanksFor)
	return []Effect{r}
}

// Tap takes a touch on the citizen's side.
func (m *Model) Tap(t Tap, now time.Time) []Effect {
	switch t.Kind {
	case TapLanguage:
		if m.station == nil {
			return nil
		}
		m.version++
		m.english = !m.english
	case TapScore:
		if m.prompt == nil || !slices.ContainsFunc(m.scale(), func(l Level) bool { return l.Score == t.Score }) {
			return nil
		}
		m.version++
		m.prompt.score = t.Score
		if t.Score >= 3 {
			m.prompt.picked = nil
			return m.send(now)
		}
		// reasons get their own time to be read and picked
		m.prompt.deadline = now.Add(m.promptFor())
	case TapReason:
		if m.prompt == nil || m.prompt.score == 0 || !slices.ContainsFunc(m.policy().Reasons, func(r client.RatingReason) bool { return r.ID == t.Reason }) {
			return nil
		}
		m.version++
		if i := slices.Index(m.prompt.picked, t.Reason); i >= 0 {
			m.prompt.picked = slices.Delete(m.prompt.picked, i, i+1)
		} else {
			m.prompt.picked = append(m.prompt.picked, t.Reason)
		}
	case TapSend:
		if m.prompt == nil || m.prompt.score == 0 {
			return nil
		}
		m.version++
		return m.send(now)
	}
	return nil
}

// Tick moves time on: the prompt's deadline (a low score is sent with
// its reasons; no score sends nothing), the end of thanks, and ratings
// to try again.
func (m *Model) Tick(now time.Time) []Effect {
	var out []Effect
	if m.prompt != nil && !now.Before(m.prompt.deadline) {
		m.version++
		if m.prompt.score > 0 {
			out = append(out, m.send(now)...)
		} else {
			m.endPrompt(now)
		}
	}
	if !m.thanksUntil.IsZero() && !now.Before(m.thanksUntil) {
		m.version++
		m.endThanks()
	}
	for _, k := range m.pendingKeys() {
		p := m.pending[k]
		if p.next.IsZero() || now.Before(p.next) {
			continue
		}
		if !now.Before(p.until) {
			delete(m.pending, k) // the server would refuse it now
			continue
		}
		p.next = time.Time{}
		p.tries++
		out = append(out, p.rate)
	}
	return out
}

func (m *Model) pendingKeys() []string {
	keys := make([]string, 0, len(m.pending))
	for k := range m.pending {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Wake is when the model next needs a Tick (zero: not until something
// else happens).
func (m *Model) Wake() time.Time {
	var w time.Time
	earlier := func(t time.Time) {
		if !t.IsZero() && (w.IsZero() || t.Before(w)) {
			w = t
		}
	}
	if m.prompt != nil {
		earlier(m.prompt.deadline)
	}
	earlier(m.thanksUntil)
	for _, p := range m.pending {
		earlier(p.next)
	}
	return w
}

// Rated reports the answer to a Rate, by its Key. The citizen saw thanks
// at the tap already, so the answer changes nothing on the screen: a
// rating stored, already given (on the phone, first), too late or refused
// is finished with; a network failure or an overloaded server (5xx, 429)
// tries again with the same key, backing off, until the rating window
// closes.
func (m *Model) Rated(key string, err error, now time.Time) []Effect {
	p := m.pending[key]
	if p == nil {
		return nil
	}
	if err == nil || !retryable(err) {
		delete(m.pending, key)
		return nil
	}
	if p.backoff == 0 {
		p.backoff = rateRetryFirst
	} else {
		p.backoff = min(2*p.backoff, rateRetryMax)
	}
	p.next = now.Add(p.backoff)
	if !p.next.Before(p.until) {
		delete(m.pending, key)
	}
	return nil
}

// PendingRatings is how many ratings wait for an answer or a retry.
func (m *Model) PendingRatings() int { return len(m.pending) }

// retryable: the request may not have reached the server, or the server
// could not take it now.
func retryable(err error) bool {
	var e *client.Error
	if errors.As(err, &e) {
		return e.Status >= 500 || e.Status == 429
	}
	return true
}

// View returns what the screen draws.
func (m *Model) View() View {
	v := View{Version: m.version, Mode: m.mode(), English: m.english, Connected: m.connected,
		Printer: m.printer[0], PrinterEN: m.printer[1], Corner: m.corner()}
	if m.station == nil {
		return v
	}
	s := m.station
	v.OfficeName, v.OfficeNameEN = s.Office.Name, s.Office.NameEN
	v.Counter, v.CounterNumber, v.CounterName = s.Counter.ID, s.Counter.Number, s.Counter.Name
	if v.CounterName == "" {
		v.CounterName = fmt.Sprintf("Quầy %d", s.Counter.Number)
	}
	if s.Clerk != nil {
		v.Clerk = &Clerk{Name: s.Clerk.Name, Title: s.Clerk.Title}
		if m.photoClerk == s.Clerk.ID {
			v.Clerk.Photo = m.photo
		}
	}
	switch v.Mode {
	case ModeRating, ModeReasons:
		p := m.prompt
		v.Ticket = m.ticket(&p.ticket)
		v.Rating = &Prompt{Scale: m.scale(), Score: p.score, Picked: slices.Clone(p.picked), Deadline: p.deadline}
		for _, r := range m.policy().Reasons {
			v.Rating.Reasons = append(v.Rating.Reasons, Reason{ID: r.ID, Name: r.Name, NameEN: r.NameEN})
		}
	case ModeCalled, ModeServing, ModePaused:
		if m.current != nil {
			v.Ticket = m.ticket(m.current)
		}
	}
	return v
}

func (m *Model) ticket(t *curTicket) *Ticket {
	out := &Ticket{ID: t.ID, Number: t.Number, ServiceName: t.ServiceName}
	if sv, ok := m.services[t.Service]; ok {
		out.ServiceName, out.ServiceNameEN = sv.Name, sv.NameEN
	}
	return out
}

func (m *Model) mode() Mode {
	switch {
	case m.station == nil:
		return ModeConnecting
	case !m.thanksUntil.IsZero():
		return ModeThanks
	case m.prompt != nil && m.prompt.score > 0 && m.prompt.score <= 2:
		return ModeReasons
	case m.prompt != nil:
		return ModeRating
	}
	switch m.state {
	case "paused":
		return ModePaused
	case "open":
		if m.current != nil {
			if m.current.Status == "serving" {
				return ModeServing
			}
			return ModeCalled
		}
		return ModeIdle
	}
	return ModeClosed
}
