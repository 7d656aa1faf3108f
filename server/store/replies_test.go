package store

import (
	"bytes"
	"testing"
	"time"

	"luot/server/queue"
)

// TestReplyIsCommittedWithItsChange: a keyed command's answer is written
// in the change's transaction, found again after a reopen, refused when
// its key is taken (with nothing of the change written), and pruned.
func TestReplyIsCommittedWithItsChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		counter := st.Office.Counters[0].ID
		if r, err := db.Reply(ctx, st.Office.ID, "staff:nv1:k1"); r != nil || err != nil {
			t.Fatalf("unknown key: %v, %v", r, err)
		}
		c, err := st.Open(t0, counter, "nv1")
		if err != nil {
			t.Fatal(err)
		}
		c.Reply = &queue.Reply{Key: "staff:nv1:k1", Request: "digest-1", Status: 200, Body: []byte(`{"counter":{}}` + "\n")}
		do(t, db, st)(c, nil)
		got, err := db.Reply(ctx, st.Office.ID, "staff:nv1:k1")
		if err != nil || got == nil || got.Request != "digest-1" || got.Status != 200 || !bytes.Equal(got.Body, c.Reply.Body) || got.Key != "staff:nv1:k1" {
			t.Fatalf("stored reply %+v, %v", got, err)
		}

		// The key again, with another change: refused, nothing written.
		before := count(t, db, `SELECT last_seq FROM offices`)
		c, err = st.Pause(t0, counter, "nv1")
		if err != nil {
			t.Fatal(err)
		}
		c.Reply = &queue.Reply{Key: "staff:nv1:k1", Request: "digest-2", Status: 200, Body: []byte("{}")}
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)
		// … also inside a batch, where the change before it is rolled back too.
		c2, err := st.Pause(t0, counter, "nv1")
		if err != nil {
			t.Fatal(err)
		}
		c2.Reply = &queue.Reply{Key: "staff:nv1:k2", Request: "digest-3", Status: 200, Body: []byte("{}")}
		if err := db.CommitBatch(ctx, []*queue.Change{c2, c}, [][]queue.EncodedEvent{encode(t, c2), encode(t, c)}); err == nil {
			t.Fatal("a batch with a taken key was committed")
		}
		if r, _ := db.Reply(ctx, st.Office.ID, "staff:nv1:k2"); r != nil {
			t.Fatal("the reply of a rolled-back batch was kept")
		}
		if after := count(t, db, `SELECT last_seq FROM offices`); after != before {
			t.Fatalf("a refused commit moved the seq from %d to %d", before, after)
		}
		// A reply without a key is a programming error.
		c.Reply = &queue.Reply{Status: 200}
		if err := db.Commit(ctx, c, encode(t, c)); err == nil {
			t.Fatal("a reply without a key was committed")
		}

		// A 204 has no body.
		c.Reply = &queue.Reply{Key: "staff:nv1:k3", Request: "digest-4", Status: 204}
		do(t, db, st)(c, nil)

		// After a reopen (a restart), the answers are there.
		db.Close()
		db = reopenedSameDB(t, db, st)
		if r, err := db.Reply(ctx, st.Office.ID, "staff:nv1:k3"); err != nil || r == nil || r.Status != 204 || len(r.Body) != 0 {
			t.Fatalf("204 reply after reopen %+v, %v", r, err)
		}
		if r, _ := db.Reply(ctx, "another-office", "staff:nv1:k1"); r != nil {
			t.Fatal("a key is found in another office")
		}

		// Pruning keeps the answers made at or after the bound.
		if n, err := db.PruneRepliesBefore(ctx, t0); err != nil || n != 0 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		if n, err := db.PruneRepliesBefore(ctx, t0.Add(time.Second)); err != nil || n != 2 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		if r, _ := db.Reply(ctx, st.Office.ID, "staff:nv1:k1"); r != nil {
			t.Fatal("a pruned reply is still found")
		}
	})
}
