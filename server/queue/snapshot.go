package queue

// Snapshot is the state of an office as boards and consoles show it: the
// payload of the snapshot event and the body of GET /offices/{id}/state.
type Snapshot struct {
	Seq      int64          `json:"seq"`
	Day      string         `json:"day"`
	Counters []CounterView  `json:"counters"`
	Waiting  map[string]int `json:"waiting"`
	Recent   []PublicTicket `json:"recent"`
	Ticker   string         `json:"ticker,omitempty"`
}

// CounterView is a counter as the public sees it.
type CounterView struct {
	ID       string        `json:"id"`
	Number   int           `json:"number"`
	Name     string        `json:"name,omitempty"`
	State    CounterState  `json:"state"`
	Services []string      `json:"services"`
	Current  *PublicTicket `json:"current,omitempty"`
}

// Snapshot returns the public state of the office.
func (s *State) Snapshot() Snapshot {
	snap := Snapshot{Seq: s.Seq, Day: s.Day, Waiting: s.WaitingCount(), Ticker: s.Office.Ticker}
	for i := range s.Office.Counters {
		k := &s.Office.Counters[i]
		cs := s.Counters[k.ID]
		v := CounterView{ID: k.ID, Number: k.Number, Name: k.Name, State: cs.State, Services: []string{}}
		if cs.State == "" {
			v.State = CounterClosed
		}
		for _, x := range k.Services {
			v.Services = append(v.Services, x.Service)
		}
		if t, ok := s.Tickets[cs.Current]; ok && t.Active() {
			p := s.Public(t)
			v.Current = &p
		}
		snap.Counters = append(snap.Counters, v)
	}
	snap.Recent = []PublicTicket{}
	for _, t := range s.Recent() {
		snap.Recent = append(snap.Recent, s.Public(t))
	}
	return snap
}
