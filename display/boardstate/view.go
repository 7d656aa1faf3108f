package boardstate

import (
	"strconv"
	"time"
)

// View is what the board shows, filtered: the board draws it and the state
// endpoint serves it as JSON.
type View struct {
	Office   string `json:"office"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Timezone string `json:"timezone,omitempty"`
	Day      string `json:"day,omitempty"`
	Seq      int64  `json:"seq"`
	// Version counts the model's changes (events, connection, office).
	Version int64 `json:"version"`
	// Ready is false until the first snapshot arrived.
	Ready bool `json:"ready"`
	// Connected is whether the event stream is up; while it is not, the
	// board shows the last state it had with a banner.
	Connected bool      `json:"connected"`
	DownSince time.Time `json:"down_since,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	// Reconnects counts how often the stream came back after a drop.
	Reconnects int `json:"reconnects"`

	// Latest is the latest call shown big; LatestSeq is the seq of the
	// event that made it (0 when it came with a snapshot), which the board
	// uses to blink only on a new call or recall.
	Latest    *Call     `json:"latest,omitempty"`
	LatestSeq int64     `json:"latest_seq"`
	Counters  []Counter `json:"counters"`
	Recent    []Call    `json:"recent"`
	Waiting   []Waiting `json:"waiting"`
	Ticker    string    `json:"ticker,omitempty"`
	// Dossiers are the dossiers whose result waits for pickup, newest
	// first (the panel "Hồ sơ đã có kết quả"); empty when there are none
	// or the office hides the panel.
	Dossiers []Dossier `json:"dossiers"`
}

// Dossier is a dossier ready for pickup: its code and, when the office
// shows them, the applicant's masked name.
type Dossier struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
}

// Call is a called ticket as the board shows it.
type Call struct {
	ID            string    `json:"id"`
	Number        string    `json:"number"`
	Counter       string    `json:"counter"`
	CounterNumber int       `json:"counter_number"`
	CounterName   string    `json:"counter_name"`
	Service       string    `json:"service"`
	ServiceName   string    `json:"service_name"`
	ServiceNameEN string    `json:"service_name_en,omitempty"`
	Status        string    `json:"status"`
	CalledAt      time.Time `json:"called_at,omitzero"`
	Recalls       int       `json:"recalls"`
}

// Counter is an open or paused counter with its current number.
type Counter struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Name   string `json:"name"`
	// State is "open" or "paused".
	State string `json:"state"`
	// Current is the number at the counter, "" when none.
	Current string `json:"current,omitempty"`
}

// Waiting is the number of people waiting for a service.
type Waiting struct {
	Service string `json:"service"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Count   int    `json:"count"`
}

// View returns what the board shows now.
func (m *Model) View() View {
	v := View{
		Office: m.officeID, Name: m.name, NameEN: m.nameEN, Timezone: m.timezone, Day: m.day, Seq: m.seq, Version: m.version,
		Ready: m.haveState, Connected: m.connected, DownSince: m.downSince, LastError: m.lastErr,
		Reconnects: m.reconnects, Ticker: m.ticker,
		Counters: []Counter{}, Recent: []Call{}, Waiting: []Waiting{}, Dossiers: []Dossier{},
	}
	if !m.dossiersOff {
		for _, d := range m.dossiers {
			v.Dossiers = append(v.Dossiers, Dossier{Code: d.Code, Name: d.Name})
		}
	}
	for _, t := range m.recent {
		if !m.showsTicket(t) {
			continue
		}
		if len(v.Recent) == m.recentLimit {
			break
		}
		sn, se := m.serviceNames(t.Service)
		v.Recent = append(v.Recent, Call{
			ID: t.ID, Number: t.Number, Counter: t.Counter, CounterNumber: t.CounterNumber,
			CounterName: m.counterName(t.Counter, t.CounterNumber), Service: t.Service, ServiceName: sn,
			ServiceNameEN: se, Status: t.Status, CalledAt: t.CalledAt, Recalls: t.Recalls,
		})
	}
	if len(v.Recent) > 0 {
		l := v.Recent[0]
		v.Latest = &l
		v.LatestSeq = m.latestSeq
	}
	for _, k := range m.counters {
		if (k.State != "open" && k.State != "paused") || !m.showsCounter(k.ID, k.Number) {
			continue
		}
		c := Counter{ID: k.ID, Number: k.Number, Name: k.Name, State: k.State}
		if k.Current != nil {
			c.Current = k.Current.Number
		}
		v.Counters = append(v.Counters, c)
	}
	for _, s := range m.services {
		if !m.showsService(s.ID) {
			continue
		}
		v.Waiting = append(v.Waiting, Waiting{Service: s.ID, Name: s.Name, NameEN: s.NameEN, Count: m.waiting[s.ID]})
	}
	return v
}

// CounterLabel is the name of counter number n when it has none of its
// own: "Quầy 3".
func CounterLabel(n int) string { return "Quầy " + strconv.Itoa(n) }
