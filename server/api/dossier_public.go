package api

import (
	"errors"
	"net/http"
	"time"

	"luot/internal/random"
	"luot/server/dossier"
	"luot/server/queue"
)

func (x *dsr) catalogue(w http.ResponseWriter, r *http.Request) {
	if err := x.office(r); err != nil {
		x.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, x.catalogueJSON())
}

// PickupJSON answers POST /offices/{office}/dossier-pickups
// (client.Pickup): the dossier's status, and the pickup ticket when its
// result is ready.
type PickupJSON struct {
	Dossier DossierStatusJSON `json:"dossier"`
	Ticket  *TicketJSON       `json:"ticket,omitempty"`
}

// claimFor is how long a pickup claimed on a dossier, whose ticket is not
// (yet) in the queue, counts as active: the time between the claim and
// the issue, or a crash between them.
const claimFor = time.Minute

// pickup is the kiosk's "Nhận kết quả": a dossier whose result is ready
// gets a ticket of the office's pickup service, linked to it; any other
// answers its status. The pickup is claimed on the dossier first, in the
// store's transaction, with the id of the ticket to come, and only then
// is the ticket issued with that id: of two kiosks scanning one receipt
// at once, the second finds the claim and gets 409 pickup_issued. A
// retry with the Idempotency-Key of a pickup that gave its ticket gets
// that ticket again.
func (x *dsr) pickup(w http.ResponseWriter, r *http.Request) {
	if err := x.office(r); err != nil {
		x.s.fail(w, r, err)
		return
	}
	office := x.cfg.Office
	d, hasKey, err := x.s.device(r)
	switch {
	case err != nil:
		x.s.fail(w, r, err)
		return
	case !hasKey:
		x.s.fail(w, r, newError(http.StatusUnauthorized, "device_required", "only a kiosk of the office gives pickup tickets: send its device key (X-Device-Key)"))
		return
	case d.Office != office:
		x.s.fail(w, r, newError(http.StatusForbidden, "wrong_office", "this device is registered for office {office}, not {other}", "office", d.Office, "other", office))
		return
	case d.Kind != queue.DeviceKiosk:
		x.s.fail(w, r, newError(http.StatusForbidden, "not_a_kiosk", "only a kiosk device may issue tickets; this device is a {kind}", "kind", d.Kind))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		x.s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	if ok, retry := x.pickups.Allow(d.ID, x.s.now()); !ok {
		x.s.tooMany(w, r, retry, "dossier look-ups from this kiosk")
		return
	}
	b, ok := decodeBody(w, r, x.s, decodePickup)
	if !ok {
		return
	}
	ctx := r.Context()
	scoped := ""
	if key != "" {
		scoped = actor{device: d}.scope() + key
		if done, err := x.pickedUp(w, r, scoped, b.Code); done || err != nil {
			if err != nil {
				x.s.fail(w, r, err)
			}
			return
		}
	}
	if prefix, _, _, _ := dossier.ParseCode(b.Code); prefix != x.cfg.Prefix {
		// A receipt of another office (its prefix is printed on it): the
		// kiosk says where to go rather than "unknown".
		x.s.fail(w, r, newError(http.StatusNotFound, "dossier_other_office", "dossier {code} was received by another office: its result is handed over there", "code", b.Code))
		return
	}
	dos, err := x.load(ctx, b.Code)
	if err == nil && b.K != "" && !isApplicant(dos, b.K) {
		err = errNoDossier // a QR that is not the receipt's
	}
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	now := x.s.now()
	switch dos.Status {
	case dossier.StatusCompleted:
	case dossier.StatusReturned:
		x.s.fail(w, r, newError(http.StatusConflict, "dossier_returned", "the result of dossier {code} was handed over already", "code", dos.Code))
		return
	default:
		writeJSON(w, http.StatusOK, PickupJSON{Dossier: x.statusJSON(dos, now)})
		return
	}
	v, err := x.s.eng.View(office)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	if sv := v.Office.Service(x.cfg.PickupService); sv == nil || !sv.Active {
		x.s.fail(w, r, newError(http.StatusConflict, "no_pickup_service", "the office gives no pickup tickets now (its results service is missing or closed): please go to the reception counter"))
		return
	}
	if !v.Office.IsOpen(now) {
		// Refused before the claim, which would otherwise hold the
		// dossier for claimFor.
		x.s.fail(w, r, queue.NewError(queue.KindClosed, queue.ErrOfficeClosed.Code, "the office is closed now; see its opening hours"))
		return
	}
	id := random.ID()
	kiosk := dossier.Actor{Role: dossier.RoleKiosk, ID: d.ID, Name: d.Name}
	after, _, err := x.update(ctx, dos.Code, func(cur dossier.Dossier) (dossier.Event, error) {
		if err := x.pickupActive(cur, now); err != nil {
			return dossier.Event{}, err
		}
		v, err := x.s.eng.View(office)
		if err != nil {
			return dossier.Event{}, err
		}
		claim := &dossier.Pickup{Ticket: id, Day: v.Day, At: now}
		return dossier.Decide(x.cfg, cur, dossier.Command{Action: dossier.ActPickup, Actor: kiosk, Pickup: claim}, now)
	})
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	req := queue.IssueRequest{ID: id, Service: x.cfg.PickupService, Priority: x.cfg.PickupPriority, Source: queue.SourceKiosk, Device: d.ID, Dossier: after.Code}
	t, _, err := x.s.eng.Issue(ctx, office, req, scoped)
	if err != nil {
		// The claim stays for claimFor: a kiosk's retry after that gets
		// a ticket.
		x.s.log.Warn("a pickup ticket was claimed but not issued", "dossier", after.Code, "err", err)
		x.s.fail(w, r, err)
		return
	}
	x.s.metrics.issued.WithLabelValues(office, t.Service, string(t.Source)).Inc()
	x.s.audit(r, office, d.ID, "dossier_pickup", after.Code+" "+t.Display)
	tj := x.s.renderCurrent(office, t)
	writeJSON(w, http.StatusCreated, PickupJSON{Dossier: x.statusJSON(after, now), Ticket: &tj})
}

// pickedUp answers a pickup retried with the Idempotency-Key of one that
// gave its ticket (done true); the key of a ticket of another dossier, or
// of no dossier, is 409 idempotency_key_reused.
func (x *dsr) pickedUp(w http.ResponseWriter, r *http.Request, scoped, code string) (done bool, err error) {
	ctx := r.Context()
	id, err := x.s.st.TicketByIdempotencyKey(ctx, x.cfg.Office, scoped)
	if err != nil || id == "" {
		return false, err
	}
	t, _, err := x.s.eng.FindTicket(ctx, id)
	if err != nil || t == nil {
		return false, err
	}
	if t.Dossier != code {
		return false, newError(http.StatusConflict, "idempotency_key_reused", "this Idempotency-Key was already used for a different request: make a new key for each scan")
	}
	dos, err := x.load(ctx, code)
	if err != nil {
		return false, err
	}
	tj := x.s.renderCurrent(x.cfg.Office, t)
	w.Header().Set("Idempotent-Replayed", "true")
	writeJSON(w, http.StatusCreated, PickupJSON{Dossier: x.statusJSON(dos, x.s.now()), Ticket: &tj})
	return true, nil
}

// pickupActive refuses a new pickup ticket while the dossier's last one
// is waiting, called or being served, or was claimed less than claimFor
// ago and is not in the queue yet (being issued, or lost in a crash).
// One that ended (done, no-show, expired) or is of another day lets a new
// one be given.
func (x *dsr) pickupActive(d dossier.Dossier, now time.Time) error {
	p := d.Pickup
	if p == nil {
		return nil
	}
	v, err := x.s.eng.View(x.cfg.Office)
	if err != nil {
		return err
	}
	t, ok := v.Tickets[p.Ticket]
	switch {
	case ok && t.Active():
		return queue.NewError(queue.KindConflict, "pickup_issued", "dossier {code} already has pickup ticket {number}: please wait for it to be called", "code", d.Code, "number", t.Display)
	case !ok && p.Day == v.Day && now.Sub(p.At) < claimFor:
		return queue.NewError(queue.KindConflict, "pickup_issued", "a pickup ticket of dossier {code} is being given: please wait for it to be called", "code", d.Code)
	}
	return nil
}

// applicant checks the applicant's proof against the dossier of the
// request's {code}, under the look-up's rate limits: a look-up by phone
// is charged to the client's address, and a dossier whose phone was
// guessed wrong too often is locked for look-ups by phone; a wrong token
// is charged to the address.
func (x *dsr) applicant(w http.ResponseWriter, r *http.Request, b ApplicantAuthBody) (dossier.Dossier, bool) {
	addr := "addr:" + clientAddr(r)
	now := x.s.now()
	if b.Phone4 != "" {
		if ok, retry := x.byAddr.Allow(addr, now); !ok {
			x.s.tooMany(w, r, retry, "dossier look-ups from your network")
			return dossier.Dossier{}, false
		}
	} else if ok, retry := x.byAddr.Ready(addr, now); !ok {
		x.s.tooMany(w, r, retry, "dossier look-ups from your network")
		return dossier.Dossier{}, false
	}
	d, err := x.load(r.Context(), r.PathValue("code"))
	if err != nil {
		if b.K != "" && errors.Is(err, errNoDossier) {
			x.byAddr.Charge(addr, now)
		}
		x.s.fail(w, r, err)
		return dossier.Dossier{}, false
	}
	if b.K != "" {
		if !isApplicant(d, b.K) {
			x.byAddr.Charge(addr, now)
			x.s.fail(w, r, errNotApplicant)
			return dossier.Dossier{}, false
		}
		return d, true
	}
	lock := "dossier:" + d.Code
	if ok, retry := x.failures.Ready(lock, now); !ok {
		x.s.tooMany(w, r, retry, "wrong phone numbers for this dossier")
		return dossier.Dossier{}, false
	}
	if !phoneEnds(d, b.Phone4) {
		x.failures.Charge(lock, now)
		x.s.fail(w, r, errNotApplicant)
		return dossier.Dossier{}, false
	}
	return d, true
}

// lookup is the applicant's view of their dossier and its timeline.
func (x *dsr) lookup(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeBody(w, r, x.s, decodeLookup)
	if !ok {
		return
	}
	d, ok := x.applicant(w, r, b)
	if !ok {
		return
	}
	evs, err := x.st.History(r.Context(), d.Code)
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	now := x.s.now()
	writeJSON(w, http.StatusOK, LookupJSON{Dossier: x.applicantJSON(d, now), History: x.applicantHistory(evs), CanRate: d.Status == dossier.StatusReturned && d.Rating == nil})
}

// rate records the applicant's rating of a returned dossier, once.
func (x *dsr) rate(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeBody(w, r, x.s, decodeDossierRating)
	if !ok {
		return
	}
	d, ok := x.applicant(w, r, b.ApplicantAuthBody)
	if !ok {
		return
	}
	now := x.s.now()
	cmd := dossier.Command{Action: dossier.ActRate, Actor: dossier.Actor{Role: dossier.RoleApplicant}, Rating: &dossier.Rating{Score: b.Score, Comment: b.Comment, At: now}}
	after, _, err := x.update(r.Context(), d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
		return dossier.Decide(x.cfg, cur, cmd, now)
	})
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	x.s.audit(r, x.cfg.Office, "applicant", "dossier_rated", after.Code)
	writeJSON(w, http.StatusOK, map[string]any{"rating": after.Rating})
}
