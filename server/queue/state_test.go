package queue

import (
	"slices"
	"testing"
)

func TestReconfigure(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "b1", "b", PriorityNone)
	s.open(at("08:00"), "c1", "c2")
	s.next(at("08:02"), "c2") // b1 at c2

	o := testOffice(t)
	o.loc = nil
	o.Counters = append(o.Counters[:1:1], Counter{ID: "c5", Number: 5, Services: []CounterService{{Service: "b"}}})
	c, err := s.Reconfigure(at("08:03"), o, "admin")
	wantErr(t, c, err, KindConflict, ErrCounterBusy)

	bad := testOffice(t)
	bad.Services[0].Prefix = "B"
	c, err = s.Reconfigure(at("08:03"), bad, "admin")
	wantErr(t, c, err, KindInvalid, nil)
	other := testOffice(t)
	other.ID = "elsewhere"
	c, err = s.Reconfigure(at("08:03"), other, "admin")
	wantErr(t, c, err, KindInvalid, nil)

	s.do(s.Done(at("08:04"), "c2", "nv-c2"))
	c = s.do(s.Reconfigure(at("08:05"), o, "admin"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventConfigChanged}) || c.Events[0].Data.(ConfigData).By != "admin" {
		t.Errorf("events = %v", got)
	}
	if _, ok := s.Counters["c2"]; ok {
		t.Error("removed counter keeps a status")
	}
	if cs := s.Counters["c5"]; cs.State != CounterClosed {
		t.Errorf("new counter = %+v", cs)
	}
	if cs := s.Counters["c1"]; cs.State != CounterOpen {
		t.Errorf("kept counter lost its state: %+v", cs)
	}
	if s.Office.Location().String() != DefaultTimezone {
		t.Error("the new configuration has no location")
	}
}

func TestSnapshotAndRecent(t *testing.T) {
	s := newTestState(t, func(o *Office) { o.Policy.RecentCalls = 2; o.Ticker = "Nghỉ trưa 11:30–13:00" })
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "a2", "a", PriorityNone)
	s.issue(at("08:02"), "a3", "a", PriorityNone)
	s.issue(at("08:03"), "b1", "b", PriorityNone)
	s.open(at("08:00"), "c1", "c2")
	s.next(at("08:10"), "c1")                  // a1
	s.next(at("08:20"), "c1")                  // a2, a1 done
	s.next(at("08:21"), "c2")                  // b1
	s.do(s.Recall(at("08:25"), "c1", "nv-c1")) // a2 recalled last
	snap := s.Snapshot()
	if snap.Seq != s.Seq || snap.Day != testDay || snap.Ticker == "" {
		t.Errorf("snapshot header %+v", snap)
	}
	if snap.Waiting["a"] != 1 || snap.Waiting["b"] != 0 || snap.Waiting["n"] != 0 || len(snap.Waiting) != 3 {
		t.Errorf("waiting = %v", snap.Waiting)
	}
	if got := []string{snap.Recent[0].ID, snap.Recent[1].ID}; len(snap.Recent) != 2 || !slices.Equal(got, []string{"a2", "b1"}) {
		t.Errorf("recent = %+v", snap.Recent)
	}
	if len(snap.Counters) != 3 {
		t.Fatalf("counters = %+v", snap.Counters)
	}
	c1, c3 := snap.Counters[0], snap.Counters[2]
	if c1.State != CounterOpen || c1.Current == nil || c1.Current.Number != "A002" || c1.Current.CounterNumber != 1 || c1.Current.Recalls != 1 {
		t.Errorf("c1 view = %+v", c1)
	}
	if !slices.Equal(c1.Services, []string{"a", "b"}) {
		t.Errorf("c1 services = %v", c1.Services)
	}
	if c3.State != CounterClosed || c3.Current != nil {
		t.Errorf("c3 view = %+v", c3)
	}
	if w := s.Waiting(); len(w) != 1 || w[0].ID != "a3" {
		t.Errorf("Waiting = %v", ids(w))
	}
	c := s.Note(at("08:30"), EventDeviceStatus, DeviceData{Device: "kiosk-1", Status: "paper_end"})
	if len(c.Events) != 1 || c.Events[0].Seq != s.Seq+1 {
		t.Errorf("note = %+v", c.Events)
	}
	s.apply(c)
}
