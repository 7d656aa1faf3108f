package announce

import (
	"fmt"
	"testing"
	"time"
)

// TestQueueLog: the log lists every call said, once, in order, with its
// recall flag and sentence.
func TestQueueLog(t *testing.T) {
	q, clk, sink, cancel := newTestQueue(time.Minute)
	defer cancel()
	calls := []Call{
		{Seq: 3, Number: "A001", Counter: 1, At: clk.Now()},
		{Seq: 5, Number: "C002", Counter: 3, At: clk.Now()},
		{Seq: 6, Number: "C002", Counter: 3, At: clk.Now(), Recall: true},
	}
	for _, c := range calls {
		if !q.Add(c) {
			t.Fatalf("call %+v not queued", c)
		}
	}
	run(t, clk, sink, len(calls))
	// The queue logs an announcement just after the sink has said it.
	deadline := time.Now().Add(5 * time.Second)
	for len(q.Log()) < len(calls) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	log := q.Log()
	if len(log) != len(calls) {
		t.Fatalf("log %+v, want %d entries", log, len(calls))
	}
	for i, s := range log {
		a, _ := Sentence(calls[i].Number, calls[i].Counter, Options{})
		if s.Call != calls[i] || s.Text != a.Text {
			t.Errorf("entry %d: %+v, want %+v %q", i, s, calls[i], a.Text)
		}
	}
	if fmt.Sprint(q.Log()) != fmt.Sprint(log) {
		t.Error("Log is not stable")
	}
}
