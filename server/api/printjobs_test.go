package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/queue"
)

// addStation registers a counter station for counter under id.
func (e *env) addStation(t testing.TB, id, office, counter string) {
	t.Helper()
	key := "key-" + id + "-" + random.Token()
	if err := e.db.PutDevice(context.Background(), queue.Device{ID: id, Office: office, Name: id, Kind: queue.DeviceStation, Counter: counter}, auth.Hash(key)); err != nil {
		t.Fatal(err)
	}
	e.keys[id] = key
}

type jobAnswer struct {
	Job PrintJobJSON `json:"job"`
}

type stationJobs struct {
	Jobs []StationPrintJobJSON `json:"jobs"`
}

func (e *env) stationJobs(t testing.TB, station string) []StationPrintJobJSON {
	t.Helper()
	var out stationJobs
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/station/print-jobs", device: station}).decode(t, &out)
	return out.Jobs
}

func (e *env) printEvents(t testing.TB, since int64) []queue.PrintData {
	t.Helper()
	evs, _, err := e.db.EventsSince(context.Background(), office, since, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []queue.PrintData
	for _, ev := range evs {
		var w struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(ev.Public, &w); err != nil {
			t.Fatal(err)
		}
		if w.Type != string(queue.EventPrintQueued) {
			continue
		}
		var d queue.PrintData
		dec := json.NewDecoder(strings.NewReader(string(w.Data)))
		dec.DisallowUnknownFields() // nothing of the content
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("print.queued data %s: %v", w.Data, err)
		}
		out = append(out, d)
	}
	return out
}

func TestReprintAndTestPrintReachTheStation(t *testing.T) {
	e := newEnv(t)
	e.addStation(t, "st-q1", office, "q1")
	e.addStation(t, "st-q2", office, "q2")
	clerk := e.clerk(t, "nv1", "q1")
	tk := e.issue(t, "kiosk1", "xay-dung")
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk})
	since := e.seq(t)

	e.clock.Advance(3 * time.Minute)
	var a jobAnswer
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint", token: clerk}).decode(t, &a)
	if a.Job.Counter != "q1" || a.Job.Kind != queue.PrintReprint || a.Job.State != queue.PrintQueued || a.Job.ID != since+1 {
		t.Fatalf("reprint answer %+v (seq before %d)", a.Job, since)
	}
	admin := e.login(t, "admin", "")
	var b jobAnswer
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q1/test-print", token: admin}).decode(t, &b)
	if b.Job.Kind != queue.PrintTest || b.Job.ID != a.Job.ID+1 {
		t.Fatalf("test print answer %+v", b.Job)
	}
	// The stream says which counter and job, nothing more.
	if evs := e.printEvents(t, since); len(evs) != 2 || evs[0] != (queue.PrintData{Counter: "q1", Job: a.Job.ID}) || evs[1].Job != b.Job.ID {
		t.Fatalf("print.queued events %+v", evs)
	}

	jobs := e.stationJobs(t, "st-q1")
	if len(jobs) != 2 || jobs[0].ID != a.Job.ID || jobs[1].ID != b.Job.ID {
		t.Fatalf("station jobs %+v", jobs)
	}
	var text []string
	for _, l := range jobs[0].Doc.Lines {
		text = append(text, l.Style+":"+l.Text)
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"big:" + tk.Number, "text:Cấp phép xây dựng", "qr:" + tk.TrackURL, "small:In lúc 27/11/2026 08:03"} {
		if !strings.Contains(all, want) {
			t.Errorf("reprint lacks %q:\n%s", want, all)
		}
	}
	if !strings.Contains(fmt.Sprint(jobs[1].Doc.Lines), "ệ") {
		t.Errorf("test receipt lacks the tone sample: %+v", jobs[1].Doc.Lines)
	}
	if got := e.stationJobs(t, "st-q2"); len(got) != 0 {
		t.Fatalf("q2's station sees q1's jobs: %+v", got)
	}

	// Acknowledged: printed once; again the same is harmless; the other
	// result is refused; the list empties.
	ack := func(station string, id int64, body any) resp {
		return e.do(t, req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", id), device: station, body: body})
	}
	r := ack("st-q1", a.Job.ID, map[string]string{"result": "printed"})
	if r.status != http.StatusOK {
		t.Fatalf("ack: %d %s", r.status, r.body)
	}
	var done struct {
		Job StationPrintJobJSON `json:"job"`
	}
	r.decode(t, &done)
	if done.Job.State != queue.PrintPrinted || done.Job.DoneAt.IsZero() {
		t.Fatalf("acked job %+v", done.Job)
	}
	if r := ack("st-q1", a.Job.ID, map[string]string{"result": "printed"}); r.status != http.StatusOK {
		t.Fatalf("same ack again: %d %s", r.status, r.body)
	}
	if r := ack("st-q1", a.Job.ID, map[string]string{"result": "failed", "fault": "paper-end"}); r.status != http.StatusConflict || r.errCode(t) != "print_job_done" {
		t.Fatalf("other result: %d %s", r.status, r.body)
	}
	if r := ack("st-q1", b.Job.ID, map[string]string{"result": "failed", "fault": "cover-open"}); r.status != http.StatusOK {
		t.Fatalf("failed: %d %s", r.status, r.body)
	}
	if got := e.stationJobs(t, "st-q1"); len(got) != 0 {
		t.Fatalf("jobs left after acks: %+v", got)
	}
	j, err := e.db.PrintJob(context.Background(), office, b.Job.ID)
	if err != nil || j.State != queue.PrintFailed || j.Fault != "cover-open" || j.By != "admin" {
		t.Fatalf("stored failed job %+v %v", j, err)
	}
}

func TestPrintJobsRefusals(t *testing.T) {
	e := newEnv(t)
	e.addStation(t, "st-q1", office, "q1")
	e.addStation(t, "st-q2", office, "q2")
	clerk1 := e.clerk(t, "nv1", "q1")
	clerk3 := e.clerk(t, "nv3", "q3")
	admin := e.login(t, "admin", "")
	waiting := e.issue(t, "kiosk1", "chung-thuc")
	tk := e.issue(t, "kiosk1", "xay-dung")
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk1})
	var called TicketJSON
	var a ticketAnswer
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q3/next", token: clerk3}).decode(t, &a)
	called = a.Ticket // at q3, which has no station
	if called.ID != waiting.ID {
		t.Fatalf("q3 called %s, want %s", called.ID, waiting.ID)
	}
	var j jobAnswer
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint", token: clerk1}).decode(t, &j)
	cases := []struct {
		name   string
		q      req
		status int
		code   string
	}{
		{"reprint without a session", req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint"}, 401, "unauthenticated"},
		{"reprint with a kiosk key", req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint", device: "kiosk1"}, 401, "unauthenticated"},
		{"reprint of another counter's ticket", req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint", token: clerk3}, 403, "not_your_counter"},
		{"reprint of an unknown ticket", req{method: "POST", path: "/api/v1/tickets/nope/reprint", token: clerk1}, 404, "unknown_ticket"},
		{"reprint of a ticket never called", req{method: "POST", path: "/api/v1/tickets/" + e.issue(t, "kiosk2", "ho-tich").ID + "/reprint", token: admin}, 409, "ticket_not_called"},
		{"reprint at a counter without a station", req{method: "POST", path: "/api/v1/tickets/" + called.ID + "/reprint", token: clerk3}, 409, "no_station"},
		{"reprint with a body", req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/reprint", token: clerk1, body: `{"counter":"q2"}`}, 400, "unknown_field"},
		{"test print by a clerk", req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q1/test-print", token: clerk1}, 403, "forbidden"},
		{"test print for another office", req{method: "POST", path: "/api/v1/admin/offices/hn-bd/counters/q1/test-print", token: admin}, 403, "forbidden"},
		{"test print at an unknown counter", req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q9/test-print", token: admin}, 404, "unknown_counter"},
		{"test print at a counter without a station", req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q3/test-print", token: admin}, 409, "no_station"},
		{"jobs without a key", req{method: "GET", path: "/api/v1/station/print-jobs"}, 401, "device_key_required"},
		{"jobs with a wrong key", req{method: "GET", path: "/api/v1/station/print-jobs", device: "not-a-key"}, 401, "invalid_device_key"},
		{"jobs with a kiosk key", req{method: "GET", path: "/api/v1/station/print-jobs", device: "kiosk1"}, 403, "not_a_station"},
		{"jobs with a staff session", req{method: "GET", path: "/api/v1/station/print-jobs", token: clerk1}, 401, "device_key_required"},
		{"ack with a kiosk key", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "kiosk1", body: map[string]string{"result": "printed"}}, 403, "not_a_station"},
		{"ack of another counter's job", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q2", body: map[string]string{"result": "printed"}}, 404, "unknown_print_job"},
		{"ack of an unknown job", req{method: "POST", path: "/api/v1/station/print-jobs/99999", device: "st-q1", body: map[string]string{"result": "printed"}}, 404, "unknown_print_job"},
		{"ack of a job id that is no number", req{method: "POST", path: "/api/v1/station/print-jobs/1e3", device: "st-q1", body: map[string]string{"result": "printed"}}, 400, "invalid_print_job_id"},
		{"ack of job 0", req{method: "POST", path: "/api/v1/station/print-jobs/0", device: "st-q1", body: map[string]string{"result": "printed"}}, 400, "invalid_print_job_id"},
		{"ack of a negative job", req{method: "POST", path: "/api/v1/station/print-jobs/-1", device: "st-q1", body: map[string]string{"result": "printed"}}, 400, "invalid_print_job_id"},
		{"ack of a huge job id", req{method: "POST", path: "/api/v1/station/print-jobs/99999999999999999999", device: "st-q1", body: map[string]string{"result": "printed"}}, 400, "invalid_print_job_id"},
		{"ack without a body", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1"}, 400, "empty_body"},
		{"ack with an unknown result", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: map[string]string{"result": "done"}}, 400, "invalid_print_result"},
		{"ack printed with a fault", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: map[string]string{"result": "printed", "fault": "paper-end"}}, 400, "invalid_print_fault"},
		{"ack with a bad fault", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: map[string]string{"result": "failed", "fault": "<script>"}}, 400, "invalid_print_fault"},
		{"ack with an unknown field", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":"printed","counter":"q2"}`}, 400, "unknown_field"},
		{"ack with malformed JSON", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":`}, 400, "invalid_json"},
		{"ack with two objects", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":"printed"}{}`}, 400, "invalid_json"},
		{"ack with a result that is no string", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":1}`}, 400, "invalid_json"},
		{"ack as text", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":"printed"}`, ctype: "text/plain"}, 415, "not_json"},
		{"ack too large", req{method: "POST", path: fmt.Sprintf("/api/v1/station/print-jobs/%d", j.Job.ID), device: "st-q1", body: `{"result":"failed","fault":"` + strings.Repeat("a", 10<<10) + `"}`}, 413, "body_too_large"},
	}
	seq := e.seq(t)
	for _, c := range cases {
		r := e.do(t, c.q)
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.code)
		}
	}
	// Nothing changed: no event, the job still queued at q1, nothing at q3.
	if got := e.seq(t); got != seq {
		t.Errorf("refusals added events: seq %d → %d", seq, got)
	}
	if got := e.stationJobs(t, "st-q1"); len(got) != 1 || got[0].ID != j.Job.ID || got[0].State != queue.PrintQueued {
		t.Errorf("q1's jobs after refusals: %+v", got)
	}
	// A revoked station is no station.
	if err := e.db.RevokeDevice(context.Background(), "st-q2"); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q2/test-print", token: admin}); r.status != 409 || r.errCode(t) != "no_station" {
		t.Errorf("revoked station: %d %s", r.status, r.body)
	}
	if r := e.do(t, req{method: "GET", path: "/api/v1/station/print-jobs", device: "st-q2"}); r.status != 401 {
		t.Errorf("revoked station's key: %d %s", r.status, r.body)
	}
	// The refusal is said in Vietnamese too.
	r := e.do(t, req{method: "POST", path: "/api/v1/admin/offices/" + office + "/counters/q3/test-print", token: admin, header: map[string]string{"Accept-Language": "vi"}})
	if !strings.Contains(string(r.body), "Quầy 3 chưa có") {
		t.Errorf("no_station in Vietnamese: %s", r.body)
	}
}
