package store

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/notify"
)

// smsMessages enqueues n phone codes to different phones and claims and
// marks them sent at t0: the messages the modem sent.
func smsMessages(t *testing.T, db *DB, n int) []int64 {
	t.Helper()
	var ns []notify.Notice
	for i := range n {
		ns = append(ns, phoneNotice("c"+string(rune('a'+i)), "+8491234567"+string(rune('0'+i)), t0))
	}
	if err := db.Enqueue(ctx, ns, t0); err != nil {
		t.Fatal(err)
	}
	ms := claim(t, db, t0, time.Minute, n)
	if len(ms) != n {
		t.Fatalf("claimed %d messages, want %d", len(ms), n)
	}
	for _, m := range ms {
		if err := db.MarkSent(ctx, m.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	return ids(ms)
}

func delivery(t *testing.T, db *DB, id int64) SMSDelivery {
	t.Helper()
	d, err := db.SMSDelivery(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func report(t *testing.T, db *DB, ref, status int, at time.Time) int64 {
	t.Helper()
	id, err := db.RecordSMSReport(ctx, ref, status, at)
	if err != nil {
		t.Fatalf("report %d (0x%02x): %v", ref, status, err)
	}
	return id
}

// A message is delivered once the report of each of its parts says so;
// a report still pending (0x20–0x3F) changes nothing; the metrics count
// it.
func TestSMSReportsDeliverEveryPart(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		ids := smsMessages(t, db, 2)
		if err := db.RecordSMSParts(ctx, ids[0], []int{7, 8, 9}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSMSParts(ctx, ids[1], []int{10}, t0); err != nil {
			t.Fatal(err)
		}
		if d := delivery(t, db, ids[0]); d.State != "" || d.Parts != 3 || d.Reported != 0 {
			t.Fatalf("before any report: %+v", d)
		}
		at := t0.Add(time.Minute)
		if id := report(t, db, 8, 0x00, at); id != ids[0] {
			t.Fatalf("report 8 matched message %d, want %d", id, ids[0])
		}
		if id := report(t, db, 9, 0x30, at); id != 0 {
			t.Fatalf("a pending report matched message %d", id)
		}
		report(t, db, 9, 0x00, at)
		if d := delivery(t, db, ids[0]); d.State != "" || d.Reported != 2 {
			t.Fatalf("two parts of three delivered: %+v", d)
		}
		report(t, db, 7, 0x01, at.Add(time.Second)) // forwarded, not confirmed: delivered too
		if d := delivery(t, db, ids[0]); d.State != SMSDelivered || !d.At.Equal(at.Add(time.Second)) || d.Reported != 3 || d.Reason != "" {
			t.Fatalf("every part delivered: %+v", d)
		}
		if d := delivery(t, db, ids[1]); d.State != "" {
			t.Fatalf("the other message changed: %+v", d)
		}
		m, err := db.OutboxMetrics(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		if want := (notify.Metrics{Sent: 2, Delivered: 1}); m != want {
			t.Fatalf("metrics %+v, want %+v", m, want)
		}
	})
}

// A final failure of one part makes the message undelivered with the
// reason, still sent (not retried), and a later delivered part does not
// turn it delivered.
func TestSMSReportFailure(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		ids := smsMessages(t, db, 1)
		if err := db.RecordSMSParts(ctx, ids[0], []int{1, 2}, t0); err != nil {
			t.Fatal(err)
		}
		at := t0.Add(time.Hour)
		report(t, db, 1, 0x46, at)
		report(t, db, 2, 0x00, at.Add(time.Minute))
		d := delivery(t, db, ids[0])
		if d.State != SMSUndelivered || !d.At.Equal(at) || !strings.Contains(d.Reason, "validity period expired") || !strings.Contains(d.Reason, "0x46") {
			t.Fatalf("failed part: %+v", d)
		}
		if got := claim(t, db, at.Add(time.Hour), time.Minute, 10); len(got) != 0 {
			t.Fatalf("an undelivered message was claimed again: %+v", got)
		}
		m, _ := db.OutboxMetrics(ctx, at)
		if want := (notify.Metrics{Sent: 1, Undelivered: 1}); m != want {
			t.Fatalf("metrics %+v, want %+v", m, want)
		}
	})
}

// References wrap at 256: a report names the most recent part with its
// reference that has no report yet, within 24 h; a part older than that
// is another message's and is never matched.
func TestSMSReportRefWrap(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		ids := smsMessages(t, db, 3)
		// The first two got reference 5, 256 messages apart; the third one
		// 30 h before the report.
		if err := db.RecordSMSParts(ctx, ids[2], []int{6}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSMSParts(ctx, ids[0], []int{5}, t0.Add(10*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSMSParts(ctx, ids[1], []int{5}, t0.Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
		at := t0.Add(30 * time.Hour)
		if id := report(t, db, 5, 0, at); id != ids[1] {
			t.Fatalf("first report 5 matched %d, want the most recent %d", id, ids[1])
		}
		if id := report(t, db, 5, 0, at); id != ids[0] {
			t.Fatalf("second report 5 matched %d, want the older unreported %d", id, ids[0])
		}
		if _, err := db.RecordSMSReport(ctx, 5, 0, at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a third report 5 with every part reported: %v, want ErrNotFound", err)
		}
		if _, err := db.RecordSMSReport(ctx, 6, 0, at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a report of a part sent 30 h before: %v, want ErrNotFound", err)
		}
		if d := delivery(t, db, ids[2]); d.State != "" || d.Reported != 0 {
			t.Fatalf("the part older than the window was matched: %+v", d)
		}
		// A report that came before its parts were recorded (the modem
		// answers before the sender writes) still finds them.
		if err := db.RecordSMSParts(ctx, ids[2], []int{6}, at.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if id := report(t, db, 6, 0, at); id != ids[2] {
			t.Fatalf("early report matched %d, want %d", id, ids[2])
		}
	})
}

// An unknown reference changes nothing; bad input is refused and changes
// nothing.
func TestSMSReportBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		ids := smsMessages(t, db, 1)
		if err := db.RecordSMSParts(ctx, ids[0], []int{3}, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordSMSReport(ctx, 4, 0, t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown reference: %v, want ErrNotFound", err)
		}
		for _, c := range []struct {
			ref, status int
			at          time.Time
		}{{-1, 0, t0}, {256, 0, t0}, {3, -1, t0}, {3, 256, t0}, {3, 0, time.Time{}}} {
			if _, err := db.RecordSMSReport(ctx, c.ref, c.status, c.at); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("report %+v: %v, want a refusal", c, err)
			}
		}
		for _, c := range []struct {
			id   int64
			refs []int
			at   time.Time
		}{{ids[0], nil, t0}, {ids[0], []int{1, 256}, t0}, {ids[0], []int{-1}, t0}, {ids[0], []int{1}, time.Time{}}, {ids[0], make([]int, 256), t0}} {
			if err := db.RecordSMSParts(ctx, c.id, c.refs, c.at); err == nil {
				t.Errorf("parts %+v accepted", c)
			}
		}
		if err := db.RecordSMSParts(ctx, 999, []int{1}, t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("parts of an unknown message: %v, want ErrNotFound", err)
		}
		if _, err := db.SMSDelivery(ctx, 999); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delivery of an unknown message: %v, want ErrNotFound", err)
		}
		if d := delivery(t, db, ids[0]); d.State != "" || d.Parts != 1 || d.Reported != 0 {
			t.Fatalf("bad input changed the message: %+v", d)
		}
		// The part is still there for its own report.
		if id := report(t, db, 3, 0, t0); id != ids[0] {
			t.Fatalf("report 3 matched %d", id)
		}
		if d := delivery(t, db, ids[0]); d.State != SMSDelivered {
			t.Fatalf("after its report: %+v", d)
		}
	})
}

// The reports of every part of a message coming at the same time (the
// modem's reader and a retry, or two server processes) make it delivered:
// the last one to finish sees every other part reported.
func TestSMSReportsTogether(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		const parts = 8
		for round, id := range smsMessages(t, db, 5) {
			refs := make([]int, parts)
			for i := range refs {
				refs[i] = round*parts + i
			}
			if err := db.RecordSMSParts(ctx, id, refs, t0); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, parts)
			for _, ref := range refs {
				wg.Go(func() {
					if _, err := db.RecordSMSReport(ctx, ref, 0x00, t0.Add(time.Minute)); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if d := delivery(t, db, id); d.State != SMSDelivered || d.Reported != parts {
				t.Fatalf("message %d, every part reported at once: %+v", id, d)
			}
		}
	})
}
