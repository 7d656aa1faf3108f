package store

import (
	"errors"
	"testing"
	"time"

	"luot/server/queue"
)

func TestPrintJobsQueueListAck(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		commit := do(t, db, st)
		o := st.Office
		queueJob := func(counter string, at time.Time) queue.PrintJob {
			t.Helper()
			j, err := queue.NewPrintJob(o.ID, counter, queue.PrintTest, "admin", queue.TestDocument(&o, o.Counter(counter), at), at)
			if err != nil {
				t.Fatal(err)
			}
			c := commit(st.QueuePrint(at, j))
			return c.PrintJobs[0]
		}
		j1 := queueJob("q1", t0)
		j2 := queueJob("q2", t0.Add(time.Minute))
		j3 := queueJob("q1", t0.Add(2*time.Minute))

		// The job was written with its event: the event's seq is the job's id.
		evs, _, err := db.EventsSince(ctx, o.ID, 0, 100)
		if err != nil || len(evs) != 3 {
			t.Fatalf("events %d %v", len(evs), err)
		}
		got, err := db.QueuedPrintJobs(ctx, o.ID, "q1", 100)
		if err != nil || len(got) != 2 || got[0].ID != j1.ID || got[1].ID != j3.ID {
			t.Fatalf("queued of q1: %+v %v", got, err)
		}
		if len(got[0].Doc.Lines) != len(j1.Doc.Lines) || got[0].Doc.Lines[0] != j1.Doc.Lines[0] || !got[0].CreatedAt.Equal(t0) || got[0].By != "admin" || got[0].State != queue.PrintQueued {
			t.Fatalf("stored job %+v, want %+v", got[0], j1)
		}
		if got, _ := db.QueuedPrintJobs(ctx, o.ID, "q1", 1); len(got) != 1 || got[0].ID != j1.ID {
			t.Fatalf("limit 1: %+v", got)
		}

		at := t0.Add(5 * time.Minute)
		// Another counter's job is not found, and stays queued.
		if _, _, err := db.AckPrintJob(ctx, o.ID, "q1", j2.ID, queue.PrintPrinted, "", at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("ack of another counter's job: %v", err)
		}
		if _, _, err := db.AckPrintJob(ctx, o.ID, "q1", 999, queue.PrintPrinted, "", at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("ack of no job: %v", err)
		}
		if j, err := db.PrintJob(ctx, o.ID, j2.ID); err != nil || j.State != queue.PrintQueued {
			t.Fatalf("q2's job after a refused ack: %+v %v", j, err)
		}
		// A bad result changes nothing.
		if _, _, err := db.AckPrintJob(ctx, o.ID, "q1", j1.ID, "done", "", at); !errors.Is(err, &queue.Error{Code: "invalid_print_result"}) {
			t.Fatalf("bad result: %v", err)
		}
		j, changed, err := db.AckPrintJob(ctx, o.ID, "q1", j1.ID, queue.PrintFailed, "paper-end", at)
		if err != nil || !changed || j.State != queue.PrintFailed || j.Fault != "paper-end" || !j.DoneAt.Equal(at) {
			t.Fatalf("ack failed: %+v %v %v", j, changed, err)
		}
		if _, changed, err := db.AckPrintJob(ctx, o.ID, "q1", j1.ID, queue.PrintFailed, "", at.Add(time.Minute)); err != nil || changed {
			t.Fatalf("same ack again: %v %v", changed, err)
		}
		if _, _, err := db.AckPrintJob(ctx, o.ID, "q1", j1.ID, queue.PrintPrinted, "", at); !errors.Is(err, &queue.Error{Code: "print_job_done"}) {
			t.Fatalf("other result: %v", err)
		}
		if got, _ := db.QueuedPrintJobs(ctx, o.ID, "q1", 100); len(got) != 1 || got[0].ID != j3.ID {
			t.Fatalf("queued after ack: %+v", got)
		}

		// Durable: a reopened database has the same jobs.
		db.Close()
		db2 := reopen(t, db)
		j, err = db2.PrintJob(ctx, o.ID, j1.ID)
		if err != nil || j.State != queue.PrintFailed || j.Fault != "paper-end" || !j.DoneAt.Equal(at) {
			t.Fatalf("reopened: %+v %v", j, err)
		}
		// Pruning keeps queued jobs and the recently done ones.
		if n, err := db2.PrunePrintJobsBefore(ctx, at); err != nil || n != 0 {
			t.Fatalf("prune before done: %d %v", n, err)
		}
		if n, err := db2.PrunePrintJobsBefore(ctx, at.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("prune: %d %v", n, err)
		}
		if got, _ := db2.QueuedPrintJobs(ctx, o.ID, "q2", 100); len(got) != 1 {
			t.Fatalf("a queued job was pruned: %+v", got)
		}
	})
}

func TestHasStation(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		has := func(counter string) bool {
			t.Helper()
			ok, err := db.HasStation(ctx, "hoankiem", counter)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if has("q1") {
			t.Fatal("a station without any device")
		}
		if err := db.PutDevice(ctx, queue.Device{ID: "kiosk", Office: "hoankiem", Kind: queue.DeviceKiosk}, []byte("k1-key-hash-of-thirty-two-bytes!")); err != nil {
			t.Fatal(err)
		}
		if err := db.PutDevice(ctx, queue.Device{ID: "st1", Office: "hoankiem", Kind: queue.DeviceStation, Counter: "q1"}, []byte("k2-key-hash-of-thirty-two-bytes!")); err != nil {
			t.Fatal(err)
		}
		if !has("q1") || has("q2") {
			t.Fatal("station of q1 not found, or found at q2")
		}
		if err := db.RevokeDevice(ctx, "st1"); err != nil {
			t.Fatal(err)
		}
		if has("q1") {
			t.Fatal("a revoked station still counts")
		}
	})
}
