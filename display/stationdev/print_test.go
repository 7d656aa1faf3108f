package stationdev

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/printer"
	"luot/printer/virtual"
	"luot/server/client"
)

// newVirtual starts a virtual printer on a pty and a printer of package
// printer on it: the counter's printer, which outlives station restarts.
func newVirtual(t *testing.T) (*virtual.Printer, Printer) {
	t.Helper()
	v, err := virtual.Start(virtual.Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	p, err := printer.New(printer.Config{Port: v.Path()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return v, &SerialPrinter{P: p}
}

// testPrint queues the admin's test receipt for q3 through the API.
func (e *env) testPrint(t *testing.T, admin string) int64 {
	t.Helper()
	var out struct{ Job client.PrintJob }
	e.srv.Call(t, "POST", "/api/v1/admin/offices/"+e.srv.Office+"/counters/q3/test-print",
		map[string]string{"Authorization": "Bearer " + admin}, nil, http.StatusCreated, &out)
	if out.Job.ID == 0 {
		t.Fatal("test-print answered no job")
	}
	return out.Job.ID
}

// queued lists q3's queued jobs as its station sees them.
func (e *env) queued(t *testing.T) []client.PrintJob {
	t.Helper()
	var out struct{ Jobs []client.PrintJob }
	e.srv.Call(t, "GET", "/api/v1/station/print-jobs", map[string]string{"X-Device-Key": stationKey}, nil, http.StatusOK, &out)
	return out.Jobs
}

// TestStationPrintsOnceAcrossRestart: jobs queued through the API (the
// admin's test receipt, a clerk's reprint) come out of the virtual
// printer in order and are acknowledged. A job printed whose
// acknowledgement did not reach the server is, after a restart of the
// station, acknowledged from the journal without printing it again.
func TestStationPrintsOnceAcrossRestart(t *testing.T) {
	e := newEnv(t)
	v, p := newVirtual(t)
	cfg := e.config(t)
	admin := e.srv.Login(t, "admin", "")

	r := e.start(t, cfg, Options{Printer: p})
	r.waitFor("connected", func(s State) bool { return s.Connected })
	e.testPrint(t, admin)
	tk := e.srv.Issue(t, "chung-thuc")
	clerk := e.srv.Login(t, "nv2", "q3")
	hdr := map[string]string{"Authorization": "Bearer " + clerk, "Idempotency-Key": "k1"}
	e.srv.Call(t, "POST", "/api/v1/counters/q3/open", hdr, nil, http.StatusOK, nil)
	hdr["Idempotency-Key"] = "k2"
	e.srv.Call(t, "POST", "/api/v1/counters/q3/next", hdr, nil, http.StatusOK, nil)
	var re struct{ Job client.PrintJob }
	e.srv.Call(t, "POST", "/api/v1/tickets/"+tk.ID+"/reprint", map[string]string{"Authorization": "Bearer " + clerk}, nil, http.StatusCreated, &re)

	r.waitFor("both jobs printed and acknowledged", func(s State) bool { return s.Counts.Acked == 2 })
	got := receipts(t, v, 2)
	if !strings.Contains(got[1].Text, tk.Number) {
		t.Errorf("the second receipt (the reprint) does not show %s:\n%s", tk.Number, got[1].Text)
	}
	if got[0].PNGPath == "" {
		t.Error("the virtual printer wrote no PNG")
	}
	if q := e.queued(t); len(q) != 0 {
		t.Errorf("jobs still queued on the server: %+v", q)
	}

	// The acknowledgement of the third job does not arrive: printed once,
	// still queued on the server.
	e.net.setNoAcks(true)
	third := e.testPrint(t, admin)
	r.waitFor("the third job printed", func(s State) bool { return s.Counts.Printed == 3 })
	receipts(t, v, 3)
	if q := e.queued(t); len(q) != 1 || q[0].ID != third {
		t.Fatalf("queued %+v, want job %d only", q, third)
	}
	if err := r.halt(); err != nil {
		t.Fatal(err)
	}
	e.net.setNoAcks(false)

	// Restarted with the same journal: the third job is acknowledged, and
	// the printer prints nothing more.
	r = e.start(t, cfg, Options{Printer: p})
	r.waitFor("the third job acknowledged", func(s State) bool { return s.Counts.Acked == 1 })
	if n := len(v.Tickets()); n != 3 {
		t.Errorf("%d receipts after the restart, want 3 (none printed twice)", n)
	}
	if st := r.d.StateNow(); st.Counts.Printed != 0 {
		t.Errorf("the restarted station printed %d jobs, want 0", st.Counts.Printed)
	}
	if q := e.queued(t); len(q) != 0 {
		t.Errorf("jobs still queued: %+v", q)
	}
}

// TestStationPrinterFault: a printer out of paper keeps the job queued,
// shows the fault on the screen and reports it as device.status with the
// fault's code; with paper back the job prints and "ok" is reported.
func TestStationPrinterFault(t *testing.T) {
	e := newEnv(t)
	v, p := newVirtual(t)
	admin := e.srv.Login(t, "admin", "")

	// The test follows the office's stream as staff see it.
	statuses := make(chan string, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	staff, _ := client.New(e.srv.URL, client.WithToken(admin))
	go staff.Follow(ctx, e.srv.Office, client.FollowOptions{}, follower{func(ev client.Event) {
		if ev.Type == "device.status" {
			var d struct{ Device, Status string }
			if json.Unmarshal(ev.Data, &d) == nil && d.Device == "station-q3" {
				statuses <- d.Status
			}
		}
	}})

	v.SetFault(printer.FaultPaperEnd, true)
	r := e.start(t, e.config(t), Options{Printer: p})
	r.waitFor("connected", func(s State) bool { return s.Connected })
	job := e.testPrint(t, admin)
	st := r.waitFor("the fault shown", func(s State) bool { return s.Fault != nil && s.Printer != "" })
	if st.Fault.Code != "paper-end" || !strings.Contains(st.PrinterEN, "paper") {
		t.Errorf("fault %+v, screen says %q", st.Fault, st.PrinterEN)
	}
	if got := next(t, statuses); got != "paper-end" {
		t.Errorf("device.status %q, want paper-end", got)
	}
	if q := e.queued(t); len(q) != 1 || q[0].ID != job {
		t.Errorf("queued %+v, want the job kept for when the printer is fixed", q)
	}
	if n := len(v.Tickets()); n != 0 {
		t.Errorf("%d receipts printed without paper", n)
	}

	v.SetFault(printer.FaultPaperEnd, false)
	r.waitFor("the job printed once the paper is back", func(s State) bool { return s.Counts.Acked == 1 && s.Fault == nil && s.Printer == "" })
	receipts(t, v, 1)
	// The printer's status is several queries (DLE EOT 1, 2, 4): one read
	// across the moment the paper comes back may see the printer still
	// offline without the paper end, and reports that; "ok" must follow.
	for got := next(t, statuses); got != "ok"; got = next(t, statuses) {
		if got != "offline" && got != "paper-end" {
			t.Fatalf("device.status %q after the paper came back, want ok", got)
		}
		t.Logf("device.status %q while the paper came back", got)
	}
	if n := len(v.Tickets()); n != 1 {
		t.Errorf("%d receipts, want 1", n)
	}
}

// receipts waits until the virtual printer has cut n receipts (it
// decodes what the station wrote on its own goroutine) and returns them.
func receipts(t *testing.T, v *virtual.Printer, n int) []*virtual.Ticket {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(v.Tickets()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d receipts out of the printer, want %d", len(v.Tickets()), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return v.Tickets()
}

func next(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no device.status event within 10 s")
		return ""
	}
}

type follower struct{ f func(client.Event) }

func (f follower) Event(e client.Event) { f.f(e) }
func (follower) Connected(bool, error)  {}
