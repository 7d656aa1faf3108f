package hub

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

const wait = 5 * time.Second

func recv(t *testing.T, s *Sub) Message {
	t.Helper()
	select {
	case m := <-s.C():
		return m
	case <-time.After(wait):
		t.Fatalf("no message within %v", wait)
		return Message{}
	}
}

func TestDeliversInOrderToEverySubscriberOfTheOffice(t *testing.T) {
	h := New(8)
	a, b := h.Subscribe("hcm"), h.Subscribe("hcm")
	other := h.Subscribe("hn")
	defer a.Close()
	defer b.Close()
	defer other.Close()
	if got := h.Subscribers(); got != 3 {
		t.Fatalf("Subscribers = %d, want 3", got)
	}
	msg := []byte(`{"seq":1}`)
	h.Publish("hcm", 1, msg, nil)
	staff := []byte(`{"seq":2,"staff":"nv1"}`)
	h.Publish("hcm", 2, []byte(`{"seq":2}`), staff)
	for _, s := range []*Sub{a, b} {
		m1, m2 := recv(t, s), recv(t, s)
		if m1.Seq != 1 || m2.Seq != 2 || string(m1.Msg) != `{"seq":1}` {
			t.Fatalf("got %v, %v", m1, m2)
		}
		if &m1.Msg[0] != &msg[0] || &m1.For(true)[0] != &msg[0] || &m2.For(true)[0] != &staff[0] {
			t.Fatal("message was copied; it must be shared (encode once)")
		}
		if string(m2.For(false)) != `{"seq":2}` {
			t.Fatalf("the public message of seq 2 is %s", m2.For(false))
		}
	}
	select {
	case m := <-other.C():
		t.Fatalf("office hn got an event of hcm: %v", m)
	default:
	}
	if c := h.Counts(); c["hcm"] != 2 || c["hn"] != 1 {
		t.Fatalf("Counts = %v", c)
	}
}

func TestSlowSubscriberIsDroppedOthersKeepGoing(t *testing.T) {
	h := New(4)
	slow, fast := h.Subscribe("o"), h.Subscribe("o")
	defer fast.Close()
	for i := int64(1); i <= 10; i++ {
		h.Publish("o", i, []byte("x"), nil)
		if m := recv(t, fast); m.Seq != i {
			t.Fatalf("fast got seq %d, want %d", m.Seq, i)
		}
	}
	select {
	case <-slow.Done():
	case <-time.After(wait):
		t.Fatal("slow subscriber was not dropped")
	}
	if !errors.Is(slow.Err(), ErrSlow) {
		t.Fatalf("Err = %v, want ErrSlow", slow.Err())
	}
	// What it had buffered is still readable: the first four events.
	for i := int64(1); i <= 4; i++ {
		if m := recv(t, slow); m.Seq != i {
			t.Fatalf("slow buffered seq %d, want %d", m.Seq, i)
		}
	}
	if h.Subscribers() != 1 || h.Dropped() != 1 {
		t.Fatalf("Subscribers = %d, Dropped = %d; want 1, 1", h.Subscribers(), h.Dropped())
	}
	slow.Close() // harmless after a drop
	if !errors.Is(slow.Err(), ErrSlow) || h.Subscribers() != 1 {
		t.Fatal("Close after a drop changed the reason or the count")
	}
}

func TestCloseAndHubClose(t *testing.T) {
	h := New(0)
	s := h.Subscribe("o")
	if s.Err() != nil {
		t.Fatal("live subscription has an error")
	}
	s.Close()
	s.Close()
	if !errors.Is(s.Err(), ErrUnsubscribed) || h.Subscribers() != 0 {
		t.Fatalf("after Close: err %v, subscribers %d", s.Err(), h.Subscribers())
	}
	h.Publish("o", 1, []byte("x"), nil) // nobody: must not panic or block
	s2 := h.Subscribe("o")
	h.Close()
	if !errors.Is(s2.Err(), ErrClosed) || h.Subscribers() != 0 {
		t.Fatalf("after hub Close: err %v, subscribers %d", s2.Err(), h.Subscribers())
	}
	if s3 := h.Subscribe("o"); !errors.Is(s3.Err(), ErrClosed) {
		t.Fatal("Subscribe after hub Close must be done at once")
	}
	h.Publish("nobody", 1, nil, nil)
}

// TestConcurrentUse exercises publish, subscribe and close together; run
// with -race.
func TestConcurrentUse(t *testing.T) {
	h := New(16)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				s := h.Subscribe(fmt.Sprint("o", i%3))
				for j := 0; j < 3; j++ {
					select {
					case <-s.C():
					case <-s.Done():
					default:
					}
				}
				s.Close()
			}
		}()
	}
	for i := int64(1); i <= 2000; i++ {
		h.Publish(fmt.Sprint("o", i%3), i, []byte("x"), nil)
	}
	close(stop)
	wg.Wait()
	if n := h.Subscribers(); n != 0 {
		t.Fatalf("Subscribers = %d after everyone left", n)
	}
}

// BenchmarkFanOut1000 measures publishing one encoded event to 1,000
// subscribers of an office (the encoding is done once, by the engine; the
// hub only hands the same bytes to each buffer). Readers drain concurrently.
func BenchmarkFanOut1000(b *testing.B) {
	const n = 1000
	h := New(1024)
	var wg sync.WaitGroup
	subs := make([]*Sub, n)
	for i := range subs {
		subs[i] = h.Subscribe("o")
		wg.Add(1)
		go func(s *Sub) {
			defer wg.Done()
			for {
				select {
				case <-s.C():
				case <-s.Done():
					return
				}
			}
		}(subs[i])
	}
	msg := []byte(`{"seq":1,"type":"ticket.called","at":"2026-11-27T08:15:32+07:00","data":{"ticket":{"id":"abc","number":"A001"}}}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Publish("o", int64(i+1), msg, nil)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/delivery")
	dropped := h.Dropped()
	for _, s := range subs {
		s.Close()
	}
	wg.Wait()
	if dropped > 0 {
		b.Logf("%d of %d subscribers could not keep up and were dropped", dropped, n)
	}
}

// TestLaggingSubscriberKeepsItsFullBuffer checks the lazily grown buffer:
// a subscriber lagging far beyond its channel's capacity, but within the
// hub's buffer, gets every event in order; one more than the buffer drops
// it; an idle subscriber holds only the small channel, and the
// overflow is released once the lag is read.
func TestLaggingSubscriberKeepsItsFullBuffer(t *testing.T) {
	const buf = 100
	h := New(buf)
	lag, slow := h.Subscribe("o"), h.Subscribe("o")
	defer lag.Close()
	defer slow.Close()
	if cap(lag.ch) != chanSize || lag.over != nil {
		t.Fatalf("idle subscriber: channel of %d, overflow %v", cap(lag.ch), lag.over)
	}
	for i := int64(1); i <= buf; i++ {
		h.Publish("o", i, []byte("x"), nil)
	}
	if lag.Err() != nil || slow.Err() != nil {
		t.Fatalf("dropped within the buffer: %v, %v", lag.Err(), slow.Err())
	}
	h.Publish("o", buf+1, []byte("x"), nil) // one too many for both
	if !errors.Is(lag.Err(), ErrSlow) {
		t.Fatalf("Err = %v after %d events unread, want ErrSlow", lag.Err(), buf+1)
	}
	for i := int64(1); i <= buf; i++ {
		if m := recv(t, lag); m.Seq != i {
			t.Fatalf("got seq %d, want %d", m.Seq, i)
		}
	}

	h2 := New(buf)
	s := h2.Subscribe("o")
	defer s.Close()
	for i := int64(1); i <= 50; i++ {
		h2.Publish("o", i, []byte("x"), nil)
	}
	for i := int64(1); i <= 50; i++ {
		if m := recv(t, s); m.Seq != i {
			t.Fatalf("got seq %d, want %d", m.Seq, i)
		}
	}
	s.mu.Lock()
	over := s.over
	s.mu.Unlock()
	if over != nil {
		t.Fatalf("overflow kept after the lag was read: cap %d", cap(over))
	}
}

// TestStaleChannelIsRefilledByPublish: a reader that kept one value of C
// and drained it gets the overflowed events, in order, as soon as the next
// event is published.
func TestStaleChannelIsRefilledByPublish(t *testing.T) {
	h := New(64)
	s := h.Subscribe("o")
	defer s.Close()
	ch := s.C()
	for i := int64(1); i <= 20; i++ {
		h.Publish("o", i, []byte("x"), nil)
	}
	next := int64(1)
	drain := func() {
		for len(ch) > 0 {
			if m := <-ch; m.Seq != next {
				t.Fatalf("got %d, want %d", m.Seq, next)
			}
			next++
		}
	}
	drain()
	for seq := int64(21); next <= 20; seq++ {
		h.Publish("o", seq, []byte("x"), nil)
		drain()
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
}
