package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
)

// dossierState is everything a dossier request may change: the
// dossiers, their histories, the print jobs of q1 and the office's queue
// stream.
func (e *dsEnv) dossierState(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	ds, err := e.db.Dossiers(ctx, dossier.Filter{Office: office})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range ds {
		j, _ := json.Marshal(d)
		b.Write(j)
		evs, err := e.db.History(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		j, _ = json.Marshal(evs)
		b.Write(j)
	}
	jobs, err := e.db.QueuedPrintJobs(ctx, office, "q1", 100)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(jobs)
	b.Write(j)
	v, _ := e.eng.View(office)
	b.WriteString(" seq " + time.Duration(v.Seq).String())
	return b.String()
}

// TestDossierBadInputChangesNothing is the bad-input matrix for
// the dossiers' API: an unknown procedure, a date in the past, a code of
// another office, a second pickup ticket for one dossier, oversized and
// malformed JSON, and the rest of what a request may get wrong. Each
// gets its status and a JSON error with its code, and changes nothing.
func TestDossierBadInputChangesNothing(t *testing.T) {
	e := newDsEnv(t)
	completed, k := e.completed(t) // its pickup ticket is given below
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": completed, "k": k}})
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	open := e.received(t, tok, "q1", permit()).Dossier.Code
	idle := e.login(t, "nv3", "q3") // at a counter serving nobody
	h := e.login(t, "xl-qldt", "")
	other := e.login(t, "xl-tuphap", "")

	receive := func(body any) req {
		return req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: body}
	}
	with := func(f func(m map[string]any)) map[string]any {
		m := permit()
		f(m)
		return m
	}
	applicant := func(f func(a map[string]string)) map[string]any {
		return with(func(m map[string]any) {
			a := map[string]string{"name": "Nguyễn Văn An", "phone": "0903123456"}
			f(a)
			m["applicant"] = a
		})
	}
	action := func(code, name string, body any, token string) req {
		return req{method: "POST", path: "/api/v1/dossiers/" + code + "/actions/" + name, token: token, body: body}
	}
	pickup := func(body any, device string) req {
		return req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: device, body: body}
	}
	lookup := func(code string, body any) req {
		return req{method: "POST", path: "/api/v1/dossiers/" + code + "/lookup", body: body}
	}
	big := strings.Repeat("ư", 5000) // 10,000 bytes: more than the API's 8 KiB
	cases := []struct {
		name   string
		q      req
		status int
		code   string
	}{
		// The counter's receipt.
		{"unknown procedure", receive(with(func(m map[string]any) { m["procedure"] = "XD-99" })), 404, "unknown_procedure"},
		{"procedure that is no code", receive(with(func(m map[string]any) { m["procedure"] = "x'); DROP TABLE dossiers; --" })), 400, "invalid_procedure"},
		{"no procedure", receive(with(func(m map[string]any) { delete(m, "procedure") })), 400, "invalid_procedure"},
		{"no applicant's name", receive(applicant(func(a map[string]string) { a["name"] = " " })), 400, "invalid_name"},
		{"name with markup", receive(applicant(func(a map[string]string) { a["name"] = "<b>An</b>" })), 400, "invalid_name"},
		{"name with a bidi override", receive(applicant(func(a map[string]string) { a["name"] = "An\u202e" })), 400, "invalid_name"},
		{"not a phone", receive(applicant(func(a map[string]string) { a["phone"] = "12345" })), 400, "invalid_phone"},
		{"ID number with symbols", receive(applicant(func(a map[string]string) { a["id_number"] = "0012-3456" })), 400, "invalid_id_number"},
		{"ID number of 5 digits", receive(applicant(func(a map[string]string) { a["id_number"] = "12345" })), 400, "invalid_id_number"},
		{"address on two lines", receive(applicant(func(a map[string]string) { a["address"] = "12 Lê Lợi\nQuận 1" })), 400, "invalid_address"},
		{"a paper twice", receive(with(func(m map[string]any) { m["papers"] = []string{"don", "don", "ban-ve"} })), 400, "invalid_papers"},
		{"a paper of another procedure", receive(with(func(m map[string]any) { m["papers"] = []string{"don", "ban-ve", "to-khai"} })), 400, "invalid_papers"},
		{"a required paper missing", receive(with(func(m map[string]any) { m["papers"] = []string{"don"} })), 400, "papers_missing"},
		{"papers that are no ids", receive(with(func(m map[string]any) { m["papers"] = []string{"Đơn"} })), 400, "invalid_paper"},
		{"a refusal reason with NUL characters", receive(with(func(m map[string]any) { m["refuse"] = strings.Repeat("x\u0000", 10) })), 400, "invalid_refuse"},
		{"oversized JSON", receive(with(func(m map[string]any) { m["extra"] = []string{big} })), 413, "body_too_large"},
		{"malformed JSON", receive(`{"procedure": "XD-01",`), 400, "invalid_json"},
		{"JSON then more", receive(`{"procedure":"XD-01"} {}`), 400, "invalid_json"},
		{"a number for a name", receive(`{"procedure":"XD-01","applicant":{"name":7}}`), 400, "invalid_json"},
		{"unknown field", receive(with(func(m map[string]any) { m["status"] = "completed" })), 400, "unknown_field"},
		{"not JSON", req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: "procedure=XD-01", ctype: "application/x-www-form-urlencoded"}, 415, "not_json"},
		{"empty body", req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok}, 400, "empty_body"},
		{"not UTF-8", receive([]byte("{\"procedure\":\"XD-01\",\"applicant\":{\"name\":\"A\xff\"}}")), 400, "invalid_json"},
		{"bad Idempotency-Key", req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: permit(), header: map[string]string{"Idempotency-Key": "khóa"}}, 400, "invalid_idempotency_key"},
		{"another counter", req{method: "POST", path: "/api/v1/counters/q2/dossiers", token: tok, body: permit()}, 403, "not_your_counter"},
		{"a counter serving nobody", req{method: "POST", path: "/api/v1/counters/q3/dossiers", token: idle, body: permit()}, 409, "not_serving"},
		{"no session", req{method: "POST", path: "/api/v1/counters/q1/dossiers", body: permit()}, 401, "unauthenticated"},
		{"a kiosk's key", req{method: "POST", path: "/api/v1/counters/q1/dossiers", device: "kiosk1", body: permit()}, 401, "unauthenticated"},
		{"a handler", req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: h, body: permit()}, 403, "forbidden"},

		// Staff actions.
		{"supplements by a day in the past", action(open, "supplement", map[string]string{"what": "Bản vẽ mặt cắt", "by": "2026-11-26"}, h), 400, "date_in_past"},
		{"an apology for a dossier not late", action(open, "apologize", map[string]string{"note": "Xin lỗi", "new_due": "2027-01-05"}, h), 409, "not_late"},
		{"a date that is no date", action(open, "supplement", map[string]string{"what": "Bản vẽ", "by": "mai"}, h), 400, "invalid_by"},
		{"a code of another office", action("HN-261127-0001", "complete", map[string]string{"result": "Xong"}, h), 404, "unknown_dossier"},
		{"a code that is no code", action("TP-1", "complete", map[string]string{"result": "Xong"}, h), 404, "unknown_dossier"},
		{"a code never given", action("TP-261127-0099", "complete", map[string]string{"result": "Xong"}, h), 404, "unknown_dossier"},
		{"unknown action", action(open, "approve", nil, h), 404, "unknown_action"},
		{"the kiosk's pickup as a staff action", action(completed, "pickup", nil, tok), 404, "unknown_action"},
		{"transfer to an unknown department", action(open, "transfer", map[string]string{"department": "cong-an"}, h), 400, "unknown_department"},
		{"transfer to a department that is no id", action(open, "transfer", map[string]string{"department": "Công an"}, h), 400, "invalid_department"},
		{"complete without a result", action(open, "complete", nil, h), 400, "invalid_result"},
		{"a stale version", action(open, "complete", map[string]any{"result": "Xong", "version": 1}, h), 409, "stale_dossier"},
		{"a negative version", action(open, "complete", map[string]any{"result": "Xong", "version": -1}, h), 400, "invalid_version"},
		{"another department's handler", action(open, "complete", map[string]string{"result": "Xong"}, other), 403, "not_your_department"},
		{"a clerk completes", action(open, "complete", map[string]string{"result": "Xong"}, tok), 403, "dossier_forbidden"},
		{"return before completion", action(open, "return", nil, tok), 409, "dossier_status"},
		{"a reason and a note", action(open, "suspend", map[string]string{"reason": "a", "note": "b"}, h), 400, "invalid_reason"},
		{"an empty note", action(open, "note", map[string]string{"note": " "}, h), 400, "invalid_note"},
		{"oversized note", action(open, "note", map[string]string{"note": big}, h), 413, "body_too_large"},
		{"malformed action", action(open, "note", `{"note":`, h), 400, "invalid_json"},

		// The kiosk.
		{"a second pickup ticket for one dossier", pickup(map[string]string{"code": completed}, "kiosk2"), 409, "pickup_issued"},
		{"a pickup code that is no code", pickup(map[string]string{"code": "B012"}, "kiosk2"), 400, "invalid_dossier"},
		{"a pickup code of another office", pickup(map[string]string{"code": "HN-261127-0001"}, "kiosk2"), 404, "dossier_other_office"},
		{"a token too long", pickup(map[string]string{"code": completed, "k": strings.Repeat("k", 129)}, "kiosk2"), 400, "invalid_k"},
		{"a display's key", pickup(map[string]string{"code": completed}, "display"), 403, "not_a_kiosk"},
		{"a forged device key", pickup(map[string]string{"code": completed}, "forged-key"), 401, "invalid_device_key"},
		{"malformed pickup", pickup(`{"code":`, "kiosk2"), 400, "invalid_json"},

		// The applicant.
		{"k and phone4", lookup(open, map[string]string{"k": "x", "phone4": "3456"}), 400, "invalid_lookup"},
		{"neither", lookup(open, map[string]string{}), 400, "invalid_lookup"},
		{"phone4 of letters", lookup(open, map[string]string{"phone4": "34a6"}), 400, "invalid_phone4"},
		{"a wrong token", lookup(open, map[string]string{"k": "forged"}), 403, "not_applicant"},
		{"a lookup code of another office", lookup("HN-261127-0001", map[string]string{"phone4": "3456"}), 404, "unknown_dossier"},
		{"a score of 5", req{method: "POST", path: "/api/v1/dossiers/" + open + "/rating", body: map[string]any{"phone4": "3456", "score": 5}}, 400, "invalid_score"},
		{"rating before the hand-over", req{method: "POST", path: "/api/v1/dossiers/" + open + "/rating", body: map[string]any{"phone4": "3456", "score": 4}}, 409, "dossier_not_returned"},

		// Printing, lists, tickets.
		{"print of an unknown kind", req{method: "POST", path: "/api/v1/dossiers/" + open + "/print", token: tok, body: map[string]string{"kind": "poster"}}, 400, "invalid_kind"},
		{"print of an apology never made", req{method: "POST", path: "/api/v1/dossiers/" + open + "/print", token: tok, body: map[string]string{"kind": "apology"}}, 409, "no_apology"},
		{"print at another counter", req{method: "POST", path: "/api/v1/dossiers/" + open + "/print", token: tok, body: map[string]string{"counter": "q2"}}, 403, "not_your_counter"},
		{"print by a handler", req{method: "POST", path: "/api/v1/dossiers/" + open + "/print", token: h, body: map[string]string{"counter": "q1"}}, 403, "forbidden"},
		{"list of an unknown status", req{method: "GET", path: "/api/v1/dossiers?status=done", token: h}, 400, "invalid_status"},
		{"list late=yes", req{method: "GET", path: "/api/v1/dossiers?late=yes", token: h}, 400, "invalid_late"},
		{"list limit=-1", req{method: "GET", path: "/api/v1/dossiers?limit=-1", token: h}, 400, "invalid_limit"},
		{"list of another department", req{method: "GET", path: "/api/v1/dossiers?department=tu-phap", token: h}, 403, "not_your_department"},
		{"list without a session", req{method: "GET", path: "/api/v1/dossiers"}, 401, "unauthenticated"},
		{"dossier of an unknown ticket", req{method: "GET", path: "/api/v1/tickets/nope/dossier", token: tok}, 404, "unknown_ticket"},
		{"catalogue of another office", req{method: "GET", path: "/api/v1/offices/hn-bd/dossier-catalogue"}, 404, "unknown_office"},
	}
	before := e.dossierState(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, c.q)
			if r.status != c.status || r.errCode(t) != c.code {
				t.Errorf("status %d, want %d %s: %s", r.status, c.status, c.code, r.body)
			}
			if after := e.dossierState(t); after != before {
				t.Fatalf("the request changed something")
			}
		})
	}
}

// TestDossierApologyDates: a late dossier's apology needs a new due date
// after now; one in the past is refused and changes nothing, a later one
// is recorded and the applicant reads it.
func TestDossierApologyDates(t *testing.T) {
	e := newDsEnv(t)
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	rd := e.received(t, tok, "q1", permit())
	code := rd.Dossier.Code
	e.later(30 * 24 * time.Hour) // 27 December: past its due date, 19 December
	h := e.login(t, "xl-qldt", "")
	var list StaffDossiersJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers?late=1", token: h}).decode(t, &list)
	if len(list.Dossiers) != 1 || !list.Dossiers[0].Late {
		t.Fatalf("late list %+v", list)
	}
	before := e.dossierState(t)
	r := e.do(t, req{method: "POST", path: "/api/v1/dossiers/" + code + "/actions/apologize", token: h, body: map[string]string{"note": "Xin lỗi vì chậm trễ", "new_due": "2026-12-20"}})
	if r.status != http.StatusBadRequest || r.errCode(t) != "date_in_past" || e.dossierState(t) != before {
		t.Fatalf("an apology with a past date: %d %s", r.status, r.body)
	}
	d := e.act(t, h, code, "apologize", map[string]string{"note": "Xin lỗi vì chậm trễ", "new_due": "2027-01-08"})
	if d.Apology == nil || d.Late {
		t.Fatalf("after the apology %+v", d)
	}
	var lk LookupJSON
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/dossiers/" + code + "/lookup", body: map[string]string{"k": linkToken(t, rd.Link)}}).decode(t, &lk)
	if lk.Dossier.Apology == nil || lk.Dossier.Apology.Text != "Xin lỗi vì chậm trễ" || lk.Dossier.NewDue.IsZero() {
		t.Fatalf("the applicant's view of the apology %+v", lk.Dossier)
	}
	var job struct {
		Job PrintJobJSON `json:"job"`
	}
	tok = e.login(t, "nv1", "q1") // a session lasts a day
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/dossiers/" + code + "/print", token: tok, body: map[string]string{"kind": "apology"}}).decode(t, &job)
	if job.Job.Kind != "apology" || job.Job.Counter != "q1" {
		t.Fatalf("apology print %+v", job)
	}
}
