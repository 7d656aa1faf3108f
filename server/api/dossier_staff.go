package api

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/notify"
	"luot/server/queue"
)

// ReceivedDossierJSON answers POST /counters/{id}/dossiers. Link (the
// applicant's, with the token: the receipt's QR) is in this answer only;
// a replayed request answers without it. Print is the receipt's print
// job at the counter's station, or the reason it was not queued.
type ReceivedDossierJSON struct {
	Dossier StaffDossierJSON `json:"dossier"`
	Link    string           `json:"link,omitempty"`
	Print   *PrintResultJSON `json:"print,omitempty"`
	// SMS is true when the applicant's SMS subscription was made with
	// the dossier (sms_consent).
	SMS bool `json:"sms,omitempty"`
}

// PrintResultJSON is the receipt's print job, or the error code that
// kept it from being queued (no_station: the counter has no station; the
// A5 page is the way then).
type PrintResultJSON struct {
	Job   int64  `json:"job,omitempty"`
	Error string `json:"error,omitempty"`
}

// receive records a dossier received (or refused) at a counter from the
// applicant whose ticket the counter is serving: the dossier (status
// received, at the procedure's department, due date set; or refused with
// its reason), the applicant's token, and the receipt printed at the
// counter's station. With an Idempotency-Key a repeat answers the dossier
// made (without the link) and changes nothing.
func (x *dsr) receive(w http.ResponseWriter, r *http.Request) {
	se, err := x.s.require(r, auth.ServeCounter)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	counter := r.PathValue("id")
	if !se.Can(auth.AnyCounter) && se.Counter != counter {
		x.s.fail(w, r, newError(http.StatusForbidden, "not_your_counter",
			"you are logged in at counter {counter} and may act only there; log in at counter {other} to act on it", "counter", fmt.Sprintf("%q", se.Counter), "other", fmt.Sprintf("%q", truncate(counter, 40))))
		return
	}
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	clerk := m.actor
	clerk.Role = dossier.RoleClerk // an administrator at a counter receives as its clerk
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		x.s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	b, ok := decodeBody(w, r, x.s, decodeReceive)
	if !ok {
		return
	}
	if b.SMSConsent && (x.s.cfg.Notify == nil || !x.s.cfg.SMS) {
		x.s.fail(w, r, errConsentSMSOff)
		return
	}
	ctx := r.Context()
	office := x.cfg.Office
	v, err := x.s.eng.View(office)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	if v.Office.Counter(counter) == nil {
		x.s.fail(w, r, queue.NewError(queue.KindNotFound, queue.ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", fmt.Sprintf("%q", truncate(counter, 40)), "office", office))
		return
	}
	t := v.Tickets[v.Counters[counter].Current]
	if t == nil || t.Status != queue.StatusCalled && t.Status != queue.StatusServing {
		x.s.fail(w, r, newError(http.StatusConflict, "not_serving", "counter {counter} is serving no ticket: call the applicant's ticket first, then receive the dossier", "counter", v.Office.Counter(counter).Number))
		return
	}
	token := random.Token()
	nd := dossier.NewDossier{
		Procedure: b.Procedure,
		Applicant: dossier.Applicant{Name: b.Applicant.Name, Phone: b.Applicant.Phone, Address: b.Applicant.Address},
		IDNumber:  b.Applicant.IDNumber, Channel: dossier.ChannelCounter, Papers: b.Papers, Extra: b.Extra,
		Ticket: t.ID, TicketNumber: t.Display, Counter: counter,
		Status: dossier.StatusReceived, TokenHash: auth.Hash(token),
	}
	if b.Refuse != "" {
		nd.Status, nd.Reason = dossier.StatusRefused, b.Refuse
	}
	now := x.s.now()
	d, ev, err := dossier.Create(x.cfg, nd, clerk, now)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	scoped := ""
	if key != "" {
		scoped = "counter:" + office + ":" + se.Staff + ":" + key
	}
	var subs []notify.Subscription
	if b.SMSConsent {
		// The code is the store's to make: it fills it into the link.
		subs = append(subs, notify.Subscription{Channel: notify.SMS, Lang: cmp.Or(b.Lang, "vi"), Phone: d.Applicant.Phone,
			Link: x.s.public + "/hs/" + dossier.CodeInLink + "?k=" + url.QueryEscape(token), Created: now})
	}
	stored, _, replayed, err := x.st.CreateDossier(ctx, d, ev, x.cfg.Prefix, scoped, subs...)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	if replayed && (stored.Ticket != t.ID || stored.Procedure != b.Procedure) {
		x.s.fail(w, r, newError(http.StatusConflict, "idempotency_key_reused", "this Idempotency-Key was already used for a different dossier: make a new key for each dossier"))
		return
	}
	if stored.Status == dossier.StatusReceived {
		// To the procedure's department at once (also for a repeat whose
		// first request stopped short of it).
		processed, _, err := x.update(ctx, stored.Code, func(cur dossier.Dossier) (dossier.Event, error) {
			return dossier.Decide(x.cfg, cur, dossier.Command{Action: dossier.ActProcess, Actor: clerk, Department: cur.Department}, now)
		})
		if err != nil {
			x.s.log.Warn("a dossier received at a counter was not passed to its department", "dossier", stored.Code, "err", err)
		} else {
			stored = processed
		}
	}
	out := ReceivedDossierJSON{Dossier: x.staffJSON(stored, now)}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusCreated, out)
		return
	}
	out.Link, out.SMS = x.link(stored.Code, token), len(subs) > 0
	action := "dossier_received"
	if stored.Status == dossier.StatusRefused {
		action = "dossier_refused"
	} else {
		doc := dossier.Receipt(x.cfg, &v.Office, stored, out.Link, clerk.Name)
		job, err := x.s.eng.QueuePrint(ctx, x.s.st, office, counter, queue.PrintDossierReceipt, se.Staff, doc)
		out.Print = &PrintResultJSON{Job: job.ID}
		if err != nil {
			out.Print = &PrintResultJSON{Error: errorCode(err)}
		}
	}
	x.s.audit(r, office, se.Staff, action, stored.Code+" "+stored.Procedure+" "+t.Display)
	writeJSON(w, http.StatusCreated, out)
}

// errConsentSMSOff refuses the consent to SMS on a server without an SMS
// route (the console does not offer it then).
var errConsentSMSOff = newError(http.StatusNotFound, "sms_off", "this server sends no SMS: receive the dossier without the consent to SMS")

// errorCode is the code an error would be answered with.
func errorCode(err error) string {
	var ae *Error
	var qe *queue.Error
	switch {
	case errors.As(err, &ae):
		return ae.Code
	case errors.As(err, &qe):
		return cmp.Or(qe.Code, string(qe.Kind))
	}
	return "unavailable"
}

// StaffDossiersJSON answers GET /dossiers.
type StaffDossiersJSON struct {
	Dossiers []StaffDossierJSON `json:"dossiers"`
}

// maxDossierScan bounds the dossiers read for one list, which is ordered
// (late first) and filtered (late, text) here: an office's dossiers of a
// year are some ten thousand.
const maxDossierScan = 20_000

// list is the staff's list: a handler's their department's dossiers,
// others' every one; late first, then by due date.
func (x *dsr) list(w http.ResponseWriter, r *http.Request) {
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	lq, err := parseDossierQuery(r.URL.Query())
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	f := lq.filter
	f.Office, f.Order, f.Limit = x.cfg.Office, "due", maxDossierScan
	if m.actor.Role == dossier.RoleHandler {
		if len(f.Departments) > 0 && !slices.Equal(f.Departments, []string{m.actor.Unit}) {
			x.s.fail(w, r, errNotYourDept)
			return
		}
		f.Departments = []string{m.actor.Unit}
	}
	ds, err := x.st.Dossiers(r.Context(), f)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	now := x.s.now()
	ds = slices.DeleteFunc(ds, func(d dossier.Dossier) bool {
		return lq.late && !d.Late(now) || lq.text != "" && !dossierMatches(d, lq.text)
	})
	slices.SortStableFunc(ds, func(a, b dossier.Dossier) int {
		if la, lb := a.Late(now), b.Late(now); la != lb {
			if la {
				return -1
			}
			return 1
		}
		if oa, ob := a.Open(), b.Open(); oa != ob { // the open ones before the closed
			if oa {
				return -1
			}
			return 1
		}
		return a.DueAt.Compare(b.DueAt)
	})
	ds = page(ds, lq.offset, lq.limit)
	out := StaffDossiersJSON{Dossiers: make([]StaffDossierJSON, 0, len(ds))}
	for _, d := range ds {
		out.Dossiers = append(out.Dossiers, x.staffJSON(d, now))
	}
	writeJSON(w, http.StatusOK, out)
}

// dossierQuery is GET /dossiers's query, checked.
type dossierQuery struct {
	filter        dossier.Filter
	late          bool
	text          string
	limit, offset int
}

// Limits of the list's pages.
const (
	defaultDossierPage = 50
	maxDossierPage     = 500
)

func parseDossierQuery(q map[string][]string) (dossierQuery, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	lq := dossierQuery{limit: defaultDossierPage}
	for k, v := range q {
		if len(v) > 1 {
			return dossierQuery{}, badRequest("invalid_query", "parameter {param} is given more than once", "param", fmt.Sprintf("%q", truncate(k, 30)))
		}
	}
	if s := get("status"); s != "" {
		for _, v := range strings.Split(s, ",") {
			st := dossier.Status(strings.TrimSpace(v))
			if !slices.Contains(dossier.Statuses, st) {
				return dossierQuery{}, badRequest("invalid_status", "status {status} is unknown: use submitted, received, refused, processing, needs_supplement, awaiting_payment, withdrawn, suspended, completed or returned", "status", fmt.Sprintf("%q", truncate(string(st), 30)))
			}
			lq.filter.Statuses = append(lq.filter.Statuses, st)
		}
	}
	if s := get("department"); s != "" {
		for _, v := range strings.Split(s, ",") {
			if err := checkID("department", strings.TrimSpace(v), true); err != nil {
				return dossierQuery{}, err
			}
			lq.filter.Departments = append(lq.filter.Departments, strings.TrimSpace(v))
		}
	}
	if s := get("procedure"); s != "" {
		for _, v := range strings.Split(s, ",") {
			if err := procedureCode(strings.TrimSpace(v)); err != nil {
				return dossierQuery{}, err
			}
			lq.filter.Procedures = append(lq.filter.Procedures, strings.TrimSpace(v))
		}
	}
	switch get("late") {
	case "", "0":
	case "1":
		lq.late = true
	default:
		return dossierQuery{}, badRequest("invalid_late", "late must be 1 (late dossiers only) or left out")
	}
	lq.text = strings.ToLower(get("q"))
	if len(lq.text) > 200 {
		return dossierQuery{}, badRequest("invalid_q", "q is at most 200 bytes")
	}
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &lq.limit, maxDossierPage}, {"offset", &lq.offset, maxDossierScan}} {
		s := get(p.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > p.max {
			return dossierQuery{}, badRequest("invalid_limit", "{field} must be a whole number from 0 to {max}", "field", p.name, "max", p.max)
		}
		*p.dst = n
	}
	if lq.limit == 0 {
		lq.limit = defaultDossierPage
	}
	return lq, nil
}

// dossierMatches reports whether the list's text search (lower case)
// finds the dossier: its code, the applicant's name or phone, the
// ticket's number.
func dossierMatches(d dossier.Dossier, text string) bool {
	for _, s := range []string{d.Code, d.Applicant.Name, d.Applicant.Phone, d.TicketNumber, d.External} {
		if s != "" && strings.Contains(strings.ToLower(s), text) {
			return true
		}
	}
	return false
}

// readable is the dossier of the path if m may read it.
func (x *dsr) readable(r *http.Request, m dossierMember) (dossier.Dossier, error) {
	d, err := x.load(r.Context(), r.PathValue("code"))
	if err != nil {
		return dossier.Dossier{}, err
	}
	if !m.mayRead(d) {
		return dossier.Dossier{}, errNotYourDept
	}
	return d, nil
}

// get is a dossier with its whole history, staff names included.
func (x *dsr) get(w http.ResponseWriter, r *http.Request) {
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	d, err := x.readable(r, m)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	evs, err := x.st.History(r.Context(), d.Code)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	j := x.staffJSON(d, x.s.now())
	j.History = evs
	if j.History == nil {
		j.History = []dossier.Event{}
	}
	writeJSON(w, http.StatusOK, j)
}

// ofTicket is the dossier a ticket brought (received from it at the
// counter) or came to collect (a pickup ticket): the console shows it
// beside the ticket being served.
func (x *dsr) ofTicket(w http.ResponseWriter, r *http.Request) {
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	noTicket := newError(http.StatusNotFound, "unknown_ticket", "ticket {ticket} does not exist in your office", "ticket", fmt.Sprintf("%q", truncate(id, 40)))
	if len(id) > 64 {
		x.s.fail(w, r, noTicket)
		return
	}
	t, _, err := x.s.eng.FindTicket(r.Context(), id)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	if t == nil || t.Office != x.cfg.Office {
		x.s.fail(w, r, noTicket)
		return
	}
	d, err := x.st.DossierByTicket(r.Context(), t.ID)
	if errors.Is(err, queue.ErrNotFound) || err == nil && d.Office != x.cfg.Office {
		err = newError(http.StatusNotFound, "no_dossier", "ticket {number} has no dossier: none was received from it, and it is no pickup ticket", "number", t.Display)
	}
	if err == nil && !m.mayRead(d) {
		err = errNotYourDept
	}
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dossier": x.staffJSON(d, x.s.now())})
}

// staffDossierActions are the actions of POST
// /dossiers/{code}/actions/{action}: every transition but the kiosk's
// pickup and the applicant's rating.
var staffDossierActions = map[string]dossier.Action{
	"receive": dossier.ActReceive, "refuse": dossier.ActRefuse, "process": dossier.ActProcess,
	"transfer": dossier.ActTransfer, "supplement": dossier.ActSupplement, "supplied": dossier.ActSupplied,
	"payment": dossier.ActPayment, "paid": dossier.ActPaid, "suspend": dossier.ActSuspend,
	"resume": dossier.ActResume, "withdraw": dossier.ActWithdraw, "complete": dossier.ActComplete,
	"return": dossier.ActReturn, "apologize": dossier.ActApologize, "note": dossier.ActNote,
}

// act carries out a staff member's action through dossier.Decide, in the
// store's transaction; the domain decides who may do what.
func (x *dsr) act(w http.ResponseWriter, r *http.Request) {
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	name := r.PathValue("action")
	action, ok := staffDossierActions[name]
	if !ok {
		x.s.fail(w, r, newError(http.StatusNotFound, "unknown_action", "{action} is not an action on dossiers: docs/dossier.md lists them", "action", fmt.Sprintf("%q", truncate(name, 30))))
		return
	}
	data, err := readBody(w, r, x.s.cfg.MaxBody)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	a, err := decodeDossierAction(data, x.loc())
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	if a.Reason != "" && a.Note != "" {
		x.s.fail(w, r, badRequest("invalid_reason", "send the reason as reason or as note, not both"))
		return
	}
	d, err := x.readable(r, m)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	by := m.actor
	if action == dossier.ActReceive && m.manager() && m.session.Can(auth.ServeCounter) {
		by.Role = dossier.RoleClerk // receiving is the counter's work
	}
	now := x.s.now()
	cmd := dossier.Command{Action: action, Actor: by, Note: cmp.Or(a.Reason, a.Note), Department: a.Department,
		What: a.What, By: a.by, NewDue: a.newDue, Result: a.Result}
	after, _, err := x.update(r.Context(), d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
		if !m.mayRead(cur) {
			return dossier.Event{}, errNotYourDept
		}
		if a.Version != 0 && cur.Version != a.Version {
			return dossier.Event{}, newError(http.StatusConflict, "stale_dossier", "dossier {code} has changed since you opened it (version {version}, now {now}): reload it and try again", "code", cur.Code, "version", a.Version, "now", cur.Version)
		}
		return dossier.Decide(x.cfg, cur, cmd, now)
	})
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	x.s.audit(r, x.cfg.Office, m.actor.ID, "dossier_"+string(action), after.Code+" "+string(after.Status))
	writeJSON(w, http.StatusOK, map[string]any{"dossier": x.staffJSON(after, now)})
}

// print queues a dossier's receipt (again) or its apology notice on a
// counter's station. The receipt printed again has the link without the
// token (which the server does not keep): the applicant's page then asks
// for the phone's last 4 digits, and the kiosk reads the code all the
// same.
func (x *dsr) print(w http.ResponseWriter, r *http.Request) {
	m, err := x.member(r)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	se := m.session
	if m.actor.Role == dossier.RoleHandler {
		x.s.fail(w, r, newError(http.StatusForbidden, "forbidden", "only the counter's clerks and the administrators print at a counter"))
		return
	}
	data, err := readBody(w, r, x.s.cfg.MaxBody)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	b, err := decodeDossierPrint(data)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	counter := cmp.Or(b.Counter, se.Counter)
	if counter == "" {
		x.s.fail(w, r, badRequest("counter_required", "say at which counter to print: counter"))
		return
	}
	if !se.Can(auth.AnyCounter) && se.Counter != counter {
		x.s.fail(w, r, newError(http.StatusForbidden, "not_your_counter",
			"you are logged in at counter {counter} and may act only there; log in at counter {other} to act on it", "counter", fmt.Sprintf("%q", se.Counter), "other", fmt.Sprintf("%q", counter)))
		return
	}
	d, err := x.readable(r, m)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	v, err := x.s.eng.View(x.cfg.Office)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	link := x.link(d.Code, "")
	var doc queue.Document
	kind := queue.PrintDossierReceipt
	switch b.Kind {
	case "apology":
		if d.Apology == nil {
			x.s.fail(w, r, newError(http.StatusConflict, "no_apology", "dossier {code} has no apology to print: record one first (action apologize)", "code", d.Code))
			return
		}
		kind, doc = queue.PrintApology, dossier.ApologyNotice(x.cfg, &v.Office, d, link)
	default:
		if d.Status == dossier.StatusRefused || d.Status == dossier.StatusSubmitted {
			x.s.fail(w, r, newError(http.StatusConflict, "no_receipt", "dossier {code} was not received: it has no receipt", "code", d.Code))
			return
		}
		doc = dossier.Receipt(x.cfg, &v.Office, d, link, d.ReceivedBy)
	}
	x.s.queuePrint(w, r, se, counter, kind, doc, "dossier "+b.Kind+" "+d.Code, func(j queue.PrintJob) {
		x.s.audit(r, x.cfg.Office, se.Staff, "dossier_printed", d.Code+" "+b.Kind+" "+counter+" #"+strconv.FormatInt(j.ID, 10))
	})
}
