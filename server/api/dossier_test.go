package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/client"
	"luot/server/dossier"
	"luot/server/queue"
)

// TestDossierJourney: a ticket called at q1 brings a dossier; the clerk
// receives it (processing at its department, due in 15 working days), the
// receipt is queued on q1's station; a retry with the key changes
// nothing; its handler completes it and the ready list goes out on the
// stream; the kiosk gives a pickup ticket linked to it; the clerk who
// calls that ticket sees the dossier and returns it; the list empties;
// the applicant reads it with the receipt's link and rates it, once.
func TestDossierJourney(t *testing.T) {
	e := newDsEnv(t)
	tok, tk := e.serving(t, "nv1", "q1", "xay-dung")
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: permit(), header: map[string]string{"Idempotency-Key": "k1"}})
	var rd ReceivedDossierJSON
	r.decode(t, &rd)
	d := rd.Dossier
	if d.Code != "TP-261127-0001" || d.Status != dossier.StatusProcessing || d.Department != "qldt" || d.Ticket != tk.ID || d.TicketNumber != tk.Number || d.Counter != "q1" {
		t.Fatalf("dossier %+v", d)
	}
	if d.Applicant.IDMasked != "********7890" || d.Applicant.Phone == "" || d.ProcedureName != "Cấp giấy phép xây dựng nhà ở riêng lẻ" || d.DepartmentName != "Phòng Quản lý đô thị" || d.Late {
		t.Fatalf("staff view %+v", d)
	}
	// Friday 27 November 2026 + 15 working days: Friday 18 December, 24:00.
	if want := time.Date(2026, 12, 19, 0, 0, 0, 0, e.cfg.Calendar.Zone()); !d.DueAt.Equal(want) {
		t.Errorf("due %v, want %v", d.DueAt, want)
	}
	if !strings.HasPrefix(rd.Link, "https://luot.example.vn/hs/TP-261127-0001?k=") {
		t.Fatalf("link %q", rd.Link)
	}
	k := linkToken(t, rd.Link)
	if rd.Print == nil || rd.Print.Job == 0 {
		t.Fatalf("print %+v", rd.Print)
	}
	jobs := e.stationJobs(t, "st-q1")
	if len(jobs) != 1 || jobs[0].Kind != queue.PrintDossierReceipt {
		t.Fatalf("station jobs %+v", jobs)
	}
	doc, _ := json.Marshal(jobs[0].Doc)
	if !strings.Contains(string(doc), "TP-261127-0001") || !strings.Contains(string(doc), k) {
		t.Errorf("the receipt lacks the code or the link: %s", doc)
	}
	// The same key again: the same dossier, no link, nothing printed.
	r2 := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: permit(), header: map[string]string{"Idempotency-Key": "k1"}})
	var again ReceivedDossierJSON
	r2.decode(t, &again)
	if r2.header.Get("Idempotent-Replayed") != "true" || again.Dossier.Code != d.Code || again.Link != "" || again.Print != nil || e.dossierCount(t) != 1 || len(e.stationJobs(t, "st-q1")) != 1 {
		t.Fatalf("replay %+v %v, %d dossiers", again, r2.header, e.dossierCount(t))
	}
	if !e.audited(t, "dossier_received", d.Code) {
		t.Error("the receipt is not in the audit log")
	}
	// The console: the ticket's dossier.
	var byTicket struct {
		Dossier StaffDossierJSON `json:"dossier"`
	}
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/tickets/" + tk.ID + "/dossier", token: tok}).decode(t, &byTicket)
	if byTicket.Dossier.Code != d.Code {
		t.Fatalf("ticket's dossier %+v", byTicket.Dossier)
	}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/done", token: tok})

	// The handlers: qldt's sees it, tu-phap's does not.
	h := e.login(t, "xl-qldt", "")
	other := e.login(t, "xl-tuphap", "")
	var list StaffDossiersJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers", token: h}).decode(t, &list)
	if len(list.Dossiers) != 1 || list.Dossiers[0].Code != d.Code {
		t.Fatalf("handler's list %+v", list)
	}
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers", token: other}).decode(t, &list)
	if len(list.Dossiers) != 0 {
		t.Fatalf("another department's list %+v", list)
	}
	if c := e.must(t, http.StatusForbidden, req{method: "GET", path: "/api/v1/dossiers/" + d.Code, token: other}).errCode(t); c != "not_your_department" {
		t.Errorf("another department's get: %s", c)
	}
	var page StaffDossierJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers/" + d.Code, token: h}).decode(t, &page)
	if len(page.History) != 2 || page.History[0].Type != dossier.TypeCreated || page.History[1].Type != "dossier.process" || page.History[0].Actor.Name != "Nhân viên 1" {
		t.Fatalf("history %+v", page.History)
	}

	seq := e.seq(t)
	done := e.act(t, h, d.Code, "complete", map[string]any{"result": "Giấy phép số 123/GPXD", "version": page.Version})
	if done.Status != dossier.StatusCompleted {
		t.Fatalf("completed %+v", done)
	}
	if got := e.readyEvents(t, seq); len(got) != 1 || !slices.Equal(got[0], []string{d.Code + " Nguyễn V. A."}) {
		t.Fatalf("ready events %q", got)
	}
	var ready ReadyDossiersJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/offices/" + office + "/dossiers/ready"}).decode(t, &ready)
	if len(ready.Dossiers) != 1 || ready.Dossiers[0].Code != d.Code || ready.Dossiers[0].Name != "Nguyễn V. A." {
		t.Fatalf("ready list %+v", ready)
	}

	// The kiosk: a pickup ticket, then no second one.
	var pk PickupJSON
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk2", body: map[string]string{"code": d.Code, "k": k}}).decode(t, &pk)
	if pk.Ticket == nil || pk.Ticket.Service != "ho-tich" || pk.Dossier.Status != dossier.StatusCompleted || pk.Dossier.Code != d.Code {
		t.Fatalf("pickup %+v", pk)
	}
	pt, _, err := e.eng.FindTicket(context.Background(), pk.Ticket.ID)
	if err != nil || pt == nil || pt.Dossier != d.Code {
		t.Fatalf("pickup ticket %+v %v", pt, err)
	}
	if c := e.must(t, http.StatusConflict, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk3", body: map[string]string{"code": strings.ToLower(d.Code)}}).errCode(t); c != client.CodePickupIssued {
		t.Errorf("second pickup: %s", c)
	}

	// The clerk at q2 calls it, sees the dossier and hands it over.
	tok2 := e.clerk(t, "nv2", "q2")
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/call", token: tok2, body: map[string]string{"number": pk.Ticket.Number}})
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/tickets/" + pk.Ticket.ID + "/dossier", token: tok2}).decode(t, &byTicket)
	if byTicket.Dossier.Code != d.Code || byTicket.Dossier.Pickup == nil || byTicket.Dossier.Pickup.Ticket != pk.Ticket.ID || byTicket.Dossier.Pickup.Number != pk.Ticket.Number {
		t.Fatalf("pickup ticket's dossier %+v", byTicket.Dossier)
	}
	seq = e.seq(t)
	if got := e.act(t, tok2, d.Code, "return", nil); got.Status != dossier.StatusReturned {
		t.Fatalf("returned %+v", got)
	}
	if got := e.readyEvents(t, seq); len(got) != 1 || len(got[0]) != 0 {
		t.Fatalf("ready events after the return %q", got)
	}
	if c := e.must(t, http.StatusConflict, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk3", body: map[string]string{"code": d.Code}}).errCode(t); c != client.CodeDossierReturned {
		t.Errorf("pickup of a returned dossier: %s", c)
	}

	// The applicant: the link's token, then the phone's last 4 digits.
	var lk LookupJSON
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/dossiers/" + d.Code + "/lookup", body: map[string]string{"k": k}}).decode(t, &lk)
	if lk.Dossier.Status != dossier.StatusReturned || !lk.CanRate || lk.Dossier.Name != "Nguyễn V. A." || lk.Dossier.Result != "Giấy phép số 123/GPXD" || len(lk.History) < 4 {
		t.Fatalf("lookup %+v", lk)
	}
	raw := e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/dossiers/" + d.Code + "/lookup", body: map[string]string{"phone4": "3456"}}).body
	for _, secret := range []string{"0903", "Nhân viên", "Cán bộ", "Nguyễn Văn An", "7890", "12 Lê Lợi"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the applicant's view shows %q: %s", secret, raw)
		}
	}
	var rt struct {
		Rating dossier.Rating `json:"rating"`
	}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/dossiers/" + d.Code + "/rating", body: map[string]any{"k": k, "score": 4, "comment": "Nhanh"}}).decode(t, &rt)
	if rt.Rating.Score != 4 {
		t.Fatalf("rating %+v", rt)
	}
	if c := e.must(t, http.StatusConflict, req{method: "POST", path: "/api/v1/dossiers/" + d.Code + "/rating", body: map[string]any{"phone4": "3456", "score": 1}}).errCode(t); c != "already_rated" {
		t.Errorf("second rating: %s", c)
	}
	for _, a := range []string{"dossier_complete", "dossier_pickup", "dossier_return", "dossier_rated"} {
		if !e.audited(t, a, d.Code) {
			t.Errorf("%s is not in the audit log", a)
		}
	}
}

// TestDossierPickupConcurrentKiosks: eight kiosks scanning one receipt
// at once give one pickup ticket; the others are told it is issued.
func TestDossierPickupConcurrentKiosks(t *testing.T) {
	e := newDsEnv(t)
	code, k := e.completed(t)
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: fmt.Sprintf("kiosk%d", i+1), body: map[string]string{"code": code, "k": k}})
			statuses[i] = r.status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if want := []int{201, 409, 409, 409, 409, 409, 409, 409}; !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	v, _ := e.eng.View(office)
	n := 0
	for _, tk := range v.Tickets {
		if tk.Dossier == code {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d pickup tickets of %s", n, code)
	}
}

// TestDossierPickupAgain: a pickup ticket that ended without the hand-over
// (a no-show) lets the kiosk give another; a claim whose ticket never came
// (a crash between the two) holds for a minute only; a retry with the
// same Idempotency-Key gets the same ticket.
func TestDossierPickupAgain(t *testing.T) {
	e := newDsEnv(t)
	code, _ := e.completed(t)
	pick := func(status int, key string) PickupJSON {
		t.Helper()
		var pk PickupJSON
		r := req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": code}}
		if key != "" {
			r.header = map[string]string{"Idempotency-Key": key}
		}
		res := e.must(t, status, r)
		if status < 300 {
			res.decode(t, &pk)
		}
		return pk
	}
	first := pick(http.StatusCreated, "scan-1")
	if again := pick(http.StatusCreated, "scan-1"); again.Ticket == nil || again.Ticket.ID != first.Ticket.ID {
		t.Fatalf("retry with the key: %+v, first %+v", again, first)
	}
	tok := e.clerk(t, "nv2", "q2")
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/call", token: tok, body: map[string]string{"number": first.Ticket.Number}})
	e.later(time.Minute)
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/no-show", token: tok})
	second := pick(http.StatusCreated, "")
	if second.Ticket.ID == first.Ticket.ID {
		t.Fatal("the same ticket after a no-show")
	}
	// A claim without its ticket, as after a crash between the two.
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/call", token: tok, body: map[string]string{"number": second.Ticket.Number}})
	e.later(time.Minute)
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/no-show", token: tok})
	now := e.clock.Now()
	v, _ := e.eng.View(office)
	if _, _, err := e.db.UpdateDossier(context.Background(), code, func(cur dossier.Dossier) (dossier.Event, error) {
		return dossier.Decide(e.cfg, cur, dossier.Command{Action: dossier.ActPickup, Actor: dossier.Actor{Role: dossier.RoleKiosk, ID: "kiosk1"}, Pickup: &dossier.Pickup{Ticket: "lost-ticket", Day: v.Day, At: now}}, now)
	}); err != nil {
		t.Fatal(err)
	}
	pick(http.StatusConflict, "")
	e.later(61 * time.Second)
	if third := pick(http.StatusCreated, ""); third.Ticket == nil {
		t.Fatal("no ticket once the lost claim ran out")
	}
}

// TestDossierPickupNotReady: a dossier being processed answers its status
// and due date, no ticket; a code of another office's prefix is said to be
// another office's; a code never given, or the QR of a forged link, is an
// unknown dossier.
func TestDossierPickupNotReady(t *testing.T) {
	e := newDsEnv(t)
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	rd := e.received(t, tok, "q1", permit())
	var pk PickupJSON
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": rd.Dossier.Code}}).decode(t, &pk)
	if pk.Ticket != nil || pk.Dossier.Status != dossier.StatusProcessing || pk.Dossier.DueAt.IsZero() || pk.Dossier.Procedure != "Cấp giấy phép xây dựng nhà ở riêng lẻ" {
		t.Fatalf("not ready %+v", pk)
	}
	// The client reads the same answer.
	var cp client.Pickup
	if err := json.Unmarshal(e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": rd.Dossier.Code}}).body, &cp); err != nil || cp.Dossier.Code != rd.Dossier.Code || !cp.Dossier.DueAt.Equal(pk.Dossier.DueAt) || cp.Ticket != nil {
		t.Fatalf("client.Pickup %+v %v", cp, err)
	}
	if got := e.must(t, http.StatusNotFound, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": "HN-261127-0001"}}).errCode(t); got != client.CodeDossierOtherOffice {
		t.Errorf("a receipt of another office: %s", got)
	}
	for _, c := range []map[string]string{
		{"code": "TP-261127-0009"},
		{"code": rd.Dossier.Code, "k": "forged"},
	} {
		if got := e.must(t, http.StatusNotFound, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: c}).errCode(t); got != client.CodeUnknownDossier {
			t.Errorf("%v: %s", c, got)
		}
	}
	if got := e.must(t, http.StatusForbidden, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk-hn", body: map[string]string{"code": rd.Dossier.Code}}).errCode(t); got != "wrong_office" {
		t.Errorf("another office's kiosk: %s", got)
	}
	if got := e.must(t, http.StatusUnauthorized, req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", body: map[string]string{"code": rd.Dossier.Code}}).errCode(t); got != "device_required" {
		t.Errorf("without a key: %s", got)
	}
}

// TestDossierLookupLimits: five wrong phone numbers lock a dossier's
// look-up by phone for an hour (its link still works); an address makes
// at most ten look-ups by phone in ten minutes.
func TestDossierLookupLimits(t *testing.T) {
	e := newDsEnv(t)
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	rd := e.received(t, tok, "q1", permit())
	code, k := rd.Dossier.Code, linkToken(t, rd.Link)
	look := func(body map[string]string) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/dossiers/" + code + "/lookup", body: body})
	}
	for i := range 5 {
		if r := look(map[string]string{"phone4": fmt.Sprintf("000%d", i)}); r.status != http.StatusForbidden || r.errCode(t) != "not_applicant" {
			t.Fatalf("wrong phone %d: %d %s", i, r.status, r.body)
		}
	}
	if r := look(map[string]string{"phone4": "3456"}); r.status != http.StatusTooManyRequests {
		t.Fatalf("the right phone after five wrong ones: %d %s", r.status, r.body)
	}
	if r := look(map[string]string{"k": k}); r.status != http.StatusOK {
		t.Fatalf("the link while the phone is locked: %d %s", r.status, r.body)
	}
	e.later(time.Hour)
	if r := look(map[string]string{"phone4": "3456"}); r.status != http.StatusOK {
		t.Fatalf("the right phone an hour later: %d %s", r.status, r.body)
	}
	// The address: 10 look-ups by phone, then one a minute.
	e.later(time.Hour)
	n := 0
	for ; n < 20; n++ {
		if r := look(map[string]string{"phone4": "3456"}); r.status == http.StatusTooManyRequests {
			break
		}
	}
	if n != 10 {
		t.Fatalf("%d look-ups by phone before the limit, want 10", n)
	}
}

// TestDossierRefusedAndLists: a refusal at the counter keeps a coded
// record, prints nothing and is audited; an administrator at a counter
// receives as its clerk; the manager's list puts the late first and finds
// by text and status; the public board's stream carries the ready list
// (masked names, or none when the office shows codes only) live.
func TestDossierRefusedAndLists(t *testing.T) {
	cfg := dossierConfig(t)
	cfg.Board.Names = dossier.BoardNone
	e := newDsEnv(t, withConfig(func(c *Config) { c.Dossiers = cfg }))
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	body := permit()
	body["papers"] = []string{"don"}
	body["refuse"] = "Thiếu bản vẽ thiết kế"
	ref := e.received(t, tok, "q1", body)
	if ref.Dossier.Status != dossier.StatusRefused || ref.Dossier.Reason != "Thiếu bản vẽ thiết kế" || ref.Print != nil || ref.Dossier.Code != "TP-261127-0001" {
		t.Fatalf("refused %+v, print %+v", ref.Dossier, ref.Print)
	}
	if len(e.stationJobs(t, "st-q1")) != 0 || !e.audited(t, "dossier_refused", ref.Dossier.Code) {
		t.Fatal("a refusal printed something, or is not audited")
	}
	if c := e.must(t, http.StatusConflict, req{method: "POST", path: "/api/v1/dossiers/" + ref.Dossier.Code + "/print", token: tok, body: map[string]string{}}).errCode(t); c != "no_receipt" {
		t.Errorf("printing a refusal's receipt: %s", c)
	}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/done", token: tok})

	// The administrator serves at q4: a birth registration, same day.
	adm, _ := e.serving(t, "admin", "q4", "ho-tich")
	hr := e.received(t, adm, "q4", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Trần Thị Bình", "phone": "0912000111"}, "papers": []string{"to-khai"}})
	if hr.Dossier.Department != "tu-phap" || hr.Dossier.ReceivedBy != "Quản trị" || hr.Print == nil || hr.Print.Error != "no_station" {
		t.Fatalf("received by the administrator %+v, print %+v", hr.Dossier, hr.Print)
	}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q4/done", token: adm})
	tok, _ = e.serving(t, "nv1", "q1", "xay-dung")
	pr := e.received(t, tok, "q1", permit())

	// Two days on, the same-day dossier is late, the permit is not.
	e.later(48 * time.Hour)
	adm = e.login(t, "admin", "")
	var list StaffDossiersJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers", token: adm}).decode(t, &list)
	var order []string
	for _, d := range list.Dossiers {
		order = append(order, fmt.Sprintf("%s %s %v", d.Code, d.Status, d.Late))
	}
	want := []string{hr.Dossier.Code + " processing true", pr.Dossier.Code + " processing false", ref.Dossier.Code + " refused false"}
	if !slices.Equal(order, want) {
		t.Fatalf("manager's list %q, want %q", order, want)
	}
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers?q=tr%E1%BA%A7n&status=processing,completed", token: adm}).decode(t, &list)
	if len(list.Dossiers) != 1 || list.Dossiers[0].Code != hr.Dossier.Code {
		t.Fatalf("found by name %+v", list.Dossiers)
	}
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers?late=1&limit=1&offset=1", token: adm}).decode(t, &list)
	if len(list.Dossiers) != 0 {
		t.Fatalf("second page of one late dossier %+v", list.Dossiers)
	}

	ws := e.dial(t, "", nil) // the public board's stream
	if snap := readEvent(t, ws); snap.Type != "snapshot" {
		t.Fatalf("first message %+v", snap)
	}
	h := e.login(t, "xl-tuphap", "")
	e.act(t, h, hr.Dossier.Code, "complete", map[string]string{"result": "Giấy khai sinh"})
	ev := readEvent(t, ws)
	for i := 0; i < 5 && ev.Type != "dossiers.ready"; i++ { // the day rolled over first
		ev = readEvent(t, ws)
	}
	var data queue.DossiersReadyData
	if err := json.Unmarshal(ev.Data, &data); err != nil || ev.Type != "dossiers.ready" || len(data.Dossiers) != 1 || data.Dossiers[0].Code != hr.Dossier.Code || data.Dossiers[0].Name != "" {
		t.Fatalf("board's event %s %s: %v", ev.Type, ev.Data, err)
	}
}

// TestDossierPickupOfficeClosed: outside opening hours the kiosk is told
// the office is closed, and the dossier is not claimed (a claim would
// hold it for a minute after the opening).
func TestDossierPickupOfficeClosed(t *testing.T) {
	e := newDsEnv(t)
	code, _ := e.completed(t)
	o := testOffice()
	o.Hours = queue.WeekHours{"fri": {{From: "13:30", To: "17:00"}}}
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "test")
	}); err != nil {
		t.Fatal(err)
	}
	pick := req{method: "POST", path: "/api/v1/offices/" + office + "/dossier-pickups", device: "kiosk1", body: map[string]string{"code": code}}
	if c := e.must(t, http.StatusServiceUnavailable, pick).errCode(t); c != client.CodeOfficeClosed {
		t.Fatalf("closed: %s", c)
	}
	if d, err := e.db.Dossier(context.Background(), code); err != nil || d.Pickup != nil {
		t.Fatalf("claimed while closed: %+v %v", d.Pickup, err)
	}
	e.clock.Set(start.Add(5*time.Hour + 30*time.Minute))
	e.must(t, http.StatusCreated, pick)
}

// TestDossierConcurrentCounters: four clerks receiving at once get four
// codes of the day, none twice, and four receipts.
func TestDossierConcurrentCounters(t *testing.T) {
	e := newDsEnv(t)
	toks := map[string]string{}
	for i, q := range []string{"q1", "q2", "q3", "q4"} {
		service := map[string]string{"q1": "xay-dung", "q2": "ho-tich", "q3": "xay-dung", "q4": "xay-dung"}[q]
		toks[q], _ = e.serving(t, fmt.Sprintf("nv%d", i+1), q, service)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var codes []string
	for q, tok := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := permit()
			if q == "q2" {
				body = map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Lê Văn Dũng"}, "papers": []string{"to-khai"}}
			}
			r := e.do(t, req{method: "POST", path: "/api/v1/counters/" + q + "/dossiers", token: tok, body: body})
			var out ReceivedDossierJSON
			if r.status == http.StatusCreated {
				_ = json.Unmarshal(r.body, &out)
			}
			mu.Lock()
			codes = append(codes, fmt.Sprintf("%d %s", r.status, out.Dossier.Code))
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(codes)
	want := []string{"201 TP-261127-0001", "201 TP-261127-0002", "201 TP-261127-0003", "201 TP-261127-0004"}
	if !slices.Equal(codes, want) {
		t.Fatalf("codes %q, want %q", codes, want)
	}
}
