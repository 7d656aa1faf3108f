package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/queue"
)

// The province's one-stop system (docs/dossier.md, "Integration"): it
// creates and updates the office's dossiers with an API key of scope
// "dossiers", which an administrator issues and may revoke.
//
//	PUT    /api/v1/dossiers/{code}                      integration key: create or update a dossier → 201 or 200 {"dossier", "changed"}
//	GET    /api/v1/admin/integration-clients            admin: the office's integration clients, revoked ones too
//	POST   /api/v1/admin/integration-clients            admin: {"id", "name"} → 201 {"client", "key"} (the key shown once)
//	DELETE /api/v1/admin/integration-clients/{id}       admin: revoke its key → 204
//
// The key goes in "Authorization: Bearer KEY". An unknown, revoked or
// Open311 key is refused (401, 403), and the refusal is in the audit log.
// A PUT is idempotent: the same PUT again changes nothing. What it
// changes is in the dossier's history (actor "integration", the client's
// id and name) and in the audit log.

// ScopeDossiers is the scope of the integration's API keys
// (feedback.APIClient.Scope); Open311's keys have scope "open311".
const ScopeDossiers = feedback.ScopeDossiers

// integrationClients is what the integration keys need from the store
// (*store.DB has it).
type integrationClients interface {
	PutAPIClient(ctx context.Context, c feedback.APIClient, keyHash []byte) error
	APIClientByKeyHash(ctx context.Context, hash []byte) (feedback.APIClient, error)
	APIClients(ctx context.Context, office string) ([]feedback.APIClient, error)
	RevokeAPIClient(ctx context.Context, office, id string) error
}

// IntegrationClientIssued answers POST /admin/integration-clients: the
// client and its key, shown this once.
type IntegrationClientIssued struct {
	Client feedback.APIClient `json:"client"`
	Key    string             `json:"key"`
}

// DossierPutAnswer answers PUT /dossiers/{code}: the dossier as it is now
// (as staff see it) and whether this request changed it.
type DossierPutAnswer struct {
	Dossier StaffDossierJSON `json:"dossier"`
	Changed bool             `json:"changed"`
}

var (
	errIntegrationKey = newError(http.StatusUnauthorized, "invalid_api_key",
		"the integration key is unknown or was revoked: send Authorization: Bearer KEY with a key the office's administrator issued")
	errIntegrationNoKey = newError(http.StatusUnauthorized, "api_key_required",
		"send the integration key as Authorization: Bearer KEY; ask the office's administrator for one")
	errIntegrationScope = newError(http.StatusForbidden, "wrong_key_scope",
		"this key is not an integration key for dossiers (an Open311 key?): ask the office's administrator for a key of scope dossiers")
	errDossiersOff = newError(http.StatusServiceUnavailable, "dossiers_unavailable",
		"dossiers are not set up on this server: ask the administrator to configure them")
)

// dossierIntegRoutes registers the integration's routes, the admin's
// integration keys, the import and the reports.
func (s *Server) dossierIntegRoutes() {
	const p = "/api/v1"
	m := s.mux
	s.dossierImportRoutes()
	s.dossierStatsRoutes()
	m.HandleFunc("PUT "+p+"/dossiers/{code}", s.putDossier)
	m.HandleFunc("GET "+p+"/admin/integration-clients", s.listIntegrationClients)
	m.HandleFunc("POST "+p+"/admin/integration-clients", s.issueIntegrationClient)
	m.HandleFunc("DELETE "+p+"/admin/integration-clients/{id}", s.revokeIntegrationClient)
}

// dossierSetup is the dossier configuration and store, or 503 when the
// server has none (dossier.go's dossierRoutes sets them up).
func (s *Server) dossierSetup() (*dossier.Config, dossier.Store, error) {
	if s.dossiers == nil {
		return nil, nil, errDossiersOff
	}
	return s.dossiers.cfg, s.dossiers.st, nil
}

// bearer is the token of an Authorization: Bearer header ("" without one).
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// integrationClient authenticates the integration's key for the office
// of cfg. A refused key is audited (who: "integration?"), without the key.
func (s *Server) integrationClient(r *http.Request, cfg *dossier.Config) (feedback.APIClient, error) {
	key := bearer(r)
	if key == "" {
		return feedback.APIClient{}, errIntegrationNoKey
	}
	st, ok := s.st.(integrationClients)
	if !ok {
		return feedback.APIClient{}, errDossiersOff
	}
	refuse := func(why string, e *Error) (feedback.APIClient, error) {
		s.audit(r, cfg.Office, "integration?", "integration_refused", why+" "+r.Method+" "+truncate(r.URL.Path, 80))
		return feedback.APIClient{}, e
	}
	if len(key) > 256 {
		return refuse("unknown key", errIntegrationKey)
	}
	c, err := st.APIClientByKeyHash(r.Context(), auth.Hash(key))
	switch {
	case c.Revoked:
		return refuse("revoked key of "+c.ID, errIntegrationKey)
	case errors.Is(err, queue.ErrNotFound):
		return refuse("unknown key", errIntegrationKey)
	case err != nil:
		return feedback.APIClient{}, err
	case c.Scope != ScopeDossiers:
		return refuse("key of "+c.ID+" has scope "+c.Scope, errIntegrationScope)
	case c.Office != cfg.Office:
		return refuse("key of "+c.ID+" is of office "+c.Office, errIntegrationScope)
	}
	return c, nil
}

// integrationActor is the dossier's actor for a client.
func integrationActor(c feedback.APIClient) dossier.Actor {
	return dossier.Actor{Role: dossier.RoleIntegration, ID: c.ID, Name: c.Name}
}

// ownCode refuses a code that does not carry the office's prefix, or is
// not a dossier code at all: to the caller it is an unknown dossier.
func ownCode(cfg *dossier.Config, code string) error {
	prefix, _, _, err := dossier.ParseCode(code)
	if err != nil || prefix != cfg.Prefix {
		return newError(http.StatusNotFound, "unknown_dossier", "there is no dossier {code} in this office: its codes start with {prefix}-", "code", fmt.Sprintf("%q", truncate(code, 40)), "prefix", cfg.Prefix)
	}
	return nil
}

func (s *Server) putDossier(w http.ResponseWriter, r *http.Request) {
	cfg, st, err := s.dossierSetup()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.integrationClient(r, cfg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if err := ownCode(cfg, code); err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodeDossierPut)
	if !ok {
		return
	}
	res, err := s.applyDossierPut(r.Context(), cfg, st, c, code, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.changed {
		s.audit(r, cfg.Office, "integration:"+c.ID, "dossier_put", code+" "+res.what)
		s.dossierChanged(r.Context(), res)
	}
	status := http.StatusOK
	if res.created {
		status = http.StatusCreated
	}
	writeJSON(w, status, DossierPutAnswer{Dossier: s.dossiers.staffJSON(res.d, s.now()), Changed: res.changed})
}

// putResult is what a PUT (or an import's line) did.
type putResult struct {
	before  dossier.Status // the status before ("" for a new dossier)
	d       dossier.Dossier
	events  []dossier.Event
	created bool
	changed bool
	what    string // for the audit log: "created received", "processing → completed"
}

// maxPutRetries bounds the reloads of a dossier that changed between
// reading its history and deciding.
const maxPutRetries = 3

// applyDossierPut creates the dossier, or moves it by the one transition
// to the status asked for. key scopes the creation's idempotency.
func (s *Server) applyDossierPut(ctx context.Context, cfg *dossier.Config, st dossier.Store, c feedback.APIClient, code string, b DossierPut) (putResult, error) {
	now := s.now()
	actor := integrationActor(c)
	d, err := st.Dossier(ctx, code)
	if errors.Is(err, queue.ErrNotFound) {
		res, err := s.createFromPut(ctx, cfg, st, actor, "integration:"+c.ID+":"+code, code, b, now)
		if !errors.Is(err, queue.ErrConflict) {
			return res, err
		}
		// Created meanwhile by a concurrent PUT: update it.
		d, err = st.Dossier(ctx, code)
	}
	if err != nil {
		return putResult{}, err
	}
	for range maxPutRetries {
		res, retry, err := s.updateFromPut(ctx, cfg, st, actor, d, b, now)
		if !retry {
			return res, err
		}
		if d, err = st.Dossier(ctx, code); err != nil {
			return putResult{}, err
		}
	}
	return putResult{}, newError(http.StatusConflict, "dossier_busy", "dossier {code} kept changing while this request was applied: send it again", "code", code)
}

// createFromPut creates the dossier of a PUT or an import's line, and
// applies the transition to its status when it starts beyond received
// (checked before anything is stored).
func (s *Server) createFromPut(ctx context.Context, cfg *dossier.Config, st dossier.Store, actor dossier.Actor, key, code string, b DossierPut, now time.Time) (putResult, error) {
	if b.Procedure == "" {
		return putResult{}, badRequest("procedure_required", "dossier {code} does not exist yet: send its procedure, applicant and status to create it", "code", code)
	}
	start, at := dossier.StatusReceived, b.ReceivedAt
	switch {
	case b.Status == dossier.StatusSubmitted || (b.Status == "" && b.ReceivedAt.IsZero()):
		start, at = dossier.StatusSubmitted, b.SubmittedAt
	case b.Status == dossier.StatusRefused:
		start = dossier.StatusRefused
	}
	if at.IsZero() {
		at = now
	}
	if at.After(now) {
		return putResult{}, badRequest("time_in_future", "{field} {at} is in the future: send the time it happened", "field", "received_at", "at", at.Format(time.RFC3339))
	}
	nd := dossier.NewDossier{
		Procedure: b.Procedure, Applicant: b.Applicant, IDNumber: b.IDNumber, Channel: b.Channel,
		Papers: b.Papers, Status: start, Reason: b.Note, Code: code, External: b.External,
	}
	if nd.Channel == "" {
		nd.Channel = dossier.ChannelOnline
	}
	d, ev, err := dossier.Create(cfg, nd, actor, at)
	if err != nil {
		return putResult{}, err
	}
	if !b.SubmittedAt.IsZero() && d.SubmittedAt.IsZero() {
		d.SubmittedAt = b.SubmittedAt
	}
	// The transition beyond the starting status is decided before the
	// dossier is stored, so that a PUT it refuses stores nothing.
	var next *dossier.Command
	var nextAt time.Time
	if b.Status != "" && b.Status != d.Status {
		cmd, err := transitionTo(d, b)
		if err != nil {
			return putResult{}, err
		}
		nextAt = b.StatusAt
		if nextAt.IsZero() {
			nextAt = now
		}
		if err := checkStatusAt(nextAt, at, now); err != nil {
			return putResult{}, err
		}
		cmd.Actor = actor
		if _, err := dossier.Decide(cfg, d, cmd, nextAt); err != nil {
			return putResult{}, err
		}
		next = &cmd
	}
	stored, sev, replayed, err := st.CreateDossier(ctx, d, ev, cfg.Prefix, key)
	if err != nil {
		return putResult{}, err
	}
	res := putResult{d: stored, created: !replayed, changed: !replayed, what: "created " + string(stored.Status), events: []dossier.Event{sev}}
	if replayed || next == nil {
		return res, nil
	}
	stored2, ev2, err := st.UpdateDossier(ctx, code, func(cur dossier.Dossier) (dossier.Event, error) {
		return dossier.Decide(cfg, cur, *next, nextAt)
	})
	if err != nil {
		return putResult{}, err
	}
	res.d, res.what = stored2, res.what+" → "+string(stored2.Status)
	res.events = append(res.events, ev2)
	return res, nil
}

// errRetry makes UpdateDossier store nothing when the dossier changed
// since its history was read.
var errRetry = errors.New("dossier changed meanwhile")

// updateFromPut applies the one transition a PUT asks for (or a note),
// at status_at, to d. retry is true when d changed meanwhile.
func (s *Server) updateFromPut(ctx context.Context, cfg *dossier.Config, st dossier.Store, actor dossier.Actor, d dossier.Dossier, b DossierPut, now time.Time) (putResult, bool, error) {
	if b.Procedure != "" && b.Procedure != d.Procedure {
		return putResult{}, false, newError(http.StatusConflict, "procedure_mismatch", "dossier {code} is of procedure {procedure}, not {other}: its procedure cannot change", "code", d.Code, "procedure", d.Procedure, "other", b.Procedure)
	}
	if b.External != "" && d.External != b.External {
		return putResult{}, false, newError(http.StatusConflict, "code_in_use", "dossier {code} is another dossier (external id {other}, not {external}): give this one another code", "code", d.Code, "other", fmt.Sprintf("%q", d.External), "external", b.External)
	}
	hist, err := st.History(ctx, d.Code)
	if err != nil {
		return putResult{}, false, err
	}
	var last dossier.Event
	if len(hist) > 0 {
		last = hist[len(hist)-1]
	}
	same := putResult{d: d}
	cmd, err := transitionTo(d, b)
	if err != nil {
		return putResult{}, false, err
	}
	if cmd.Action == "" {
		// Nothing to move: a note is recorded once (the same PUT again
		// finds it the latest event's).
		if b.Note == "" || (last.Note == b.Note && last.Actor.Role == actor.Role && last.Actor.ID == actor.ID) {
			return same, false, nil
		}
		cmd = dossier.Command{Action: dossier.ActNote, Note: b.Note}
	}
	at := b.StatusAt
	if at.IsZero() {
		at = now
	}
	if err := checkStatusAt(at, last.At, now); err != nil {
		return putResult{}, false, err
	}
	cmd.Actor = actor
	version := d.Version
	stored, ev, err := st.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
		if cur.Version != version {
			return dossier.Event{}, errRetry
		}
		return dossier.Decide(cfg, cur, cmd, at)
	})
	if errors.Is(err, errRetry) {
		return putResult{}, true, nil
	}
	if err != nil {
		return putResult{}, false, err
	}
	what := string(d.Status) + " → " + string(stored.Status)
	if cmd.Action == dossier.ActNote {
		what = "note"
	}
	return putResult{before: d.Status, d: stored, changed: true, what: what, events: []dossier.Event{ev}}, false, nil
}

// checkStatusAt refuses a change's time in the future or before the
// dossier's latest event (a stale change: the dossier moved on since).
func checkStatusAt(at, last, now time.Time) error {
	if at.After(now) {
		return badRequest("time_in_future", "{field} {at} is in the future: send the time it happened", "field", "status_at", "at", at.Format(time.RFC3339))
	}
	if !last.IsZero() && at.Before(last) {
		return newError(http.StatusConflict, "stale_change", "status_at {at} is before the dossier's latest change at {last}: it has moved on since; read it again before changing it",
			"at", at.Format(time.RFC3339), "last", last.Format(time.RFC3339))
	}
	return nil
}

// transitionTo is the command that moves d to the status (and department)
// b asks for: the one transition of docs/dossier.md's table between them.
// An empty action: d is there already.
func transitionTo(d dossier.Dossier, b DossierPut) (dossier.Command, error) {
	to := b.Status
	if to == "" || to == d.Status {
		if d.Status == dossier.StatusProcessing && b.Department != "" && b.Department != d.Department {
			return dossier.Command{Action: dossier.ActTransfer, Department: b.Department, Note: b.Note}, nil
		}
		return dossier.Command{}, nil
	}
	cmd := dossier.Command{Note: b.Note, Department: b.Department}
	from := d.Status
	open := d.Open() && from != dossier.StatusCompleted
	switch {
	case from == dossier.StatusSubmitted && to == dossier.StatusReceived:
		cmd.Action = dossier.ActReceive
	case (from == dossier.StatusSubmitted || from == dossier.StatusReceived) && to == dossier.StatusRefused:
		cmd.Action = dossier.ActRefuse
	case from == dossier.StatusReceived && to == dossier.StatusProcessing:
		cmd.Action = dossier.ActProcess
		if cmd.Department == "" {
			cmd.Department = d.Department
		}
	case from == dossier.StatusProcessing && to == dossier.StatusNeedsSupplement:
		cmd.Action, cmd.What, cmd.By = dossier.ActSupplement, b.What, b.By
	case from == dossier.StatusNeedsSupplement && to == dossier.StatusProcessing:
		cmd.Action = dossier.ActSupplied
	case from == dossier.StatusProcessing && to == dossier.StatusAwaitingPayment:
		cmd.Action = dossier.ActPayment
	case from == dossier.StatusAwaitingPayment && to == dossier.StatusProcessing:
		cmd.Action = dossier.ActPaid
	case slices.Contains([]dossier.Status{dossier.StatusProcessing, dossier.StatusNeedsSupplement, dossier.StatusAwaitingPayment}, from) && to == dossier.StatusSuspended:
		cmd.Action = dossier.ActSuspend
	case from == dossier.StatusSuspended && to == dossier.StatusProcessing:
		cmd.Action = dossier.ActResume
	case open && to == dossier.StatusWithdrawn:
		cmd.Action = dossier.ActWithdraw
	case from == dossier.StatusProcessing && to == dossier.StatusCompleted:
		cmd.Action, cmd.Result = dossier.ActComplete, b.Result
	case from == dossier.StatusCompleted && to == dossier.StatusReturned:
		cmd.Action = dossier.ActReturn
	default:
		return cmd, newError(http.StatusConflict, "no_transition", "dossier {code} is {from}: no single step leads from there to {to}; send the steps one by one", "code", d.Code, "from", string(from), "to", string(to))
	}
	return cmd, nil
}

// dossierChanged follows a change the integration or the import made
// (dossier.go's changed: the boards' ready list).
func (s *Server) dossierChanged(ctx context.Context, res putResult) {
	if res.changed && s.dossiers != nil {
		s.dossiers.changed(ctx, res.before, res.d)
	}
}

// integrationStore is the store's API clients, and the admin's session.
func (s *Server) integrationStore(r *http.Request) (integrationClients, *auth.Session, error) {
	se, err := s.require(r, auth.ManageDossiers)
	if err != nil {
		return nil, nil, err
	}
	st, ok := s.st.(integrationClients)
	if !ok {
		return nil, nil, errDossiersOff
	}
	return st, se, nil
}

func (s *Server) issueIntegrationClient(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.integrationStore(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodeOpen311Client)
	if !ok {
		return
	}
	c, key, err := issueIntegrationKey(r.Context(), st, se.Office, b.ID, b.Name, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "integration_client_issued", c.ID+" "+c.Name)
	writeJSON(w, http.StatusCreated, IntegrationClientIssued{Client: c, Key: key})
}

// issueIntegrationKey registers the integration client id of the office
// with a new key of scope dossiers and returns the key, which is shown
// this once (the store keeps its SHA-256). An id in use (by any client of
// the office, revoked ones too) is a 409 integration_client_exists.
func issueIntegrationKey(ctx context.Context, st interface {
	PutAPIClient(ctx context.Context, c feedback.APIClient, keyHash []byte) error
	APIClients(ctx context.Context, office string) ([]feedback.APIClient, error)
}, office, id, name string, now time.Time) (feedback.APIClient, string, error) {
	if err := checkID("client", id, true); err != nil {
		return feedback.APIClient{}, "", err
	}
	name, err := cleanText("client name", name, true)
	if err != nil {
		return feedback.APIClient{}, "", err
	}
	all, err := st.APIClients(ctx, office)
	if err != nil {
		return feedback.APIClient{}, "", err
	}
	for _, c := range all {
		if c.ID == id {
			return feedback.APIClient{}, "", newError(http.StatusConflict, "integration_client_exists", "client {id} exists already: choose another id (a revoked client's id is not reused)", "id", id)
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // never fails (crypto/rand)
	key := base64.RawURLEncoding.EncodeToString(raw)
	c := feedback.APIClient{ID: id, Office: office, Name: name, Created: now, Scope: ScopeDossiers}
	if err := st.PutAPIClient(ctx, c, auth.Hash(key)); err != nil {
		return feedback.APIClient{}, "", err
	}
	return c, key, nil
}

// integrationClientsOf is the office's clients of scope dossiers among all.
func integrationClientsOf(all []feedback.APIClient) []feedback.APIClient {
	out := []feedback.APIClient{}
	for _, c := range all {
		if c.Scope == ScopeDossiers {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) listIntegrationClients(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.integrationStore(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := st.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": integrationClientsOf(all)})
}

func (s *Server) revokeIntegrationClient(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.integrationStore(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := revokeIntegrationKey(r.Context(), st, se.Office, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "integration_client_revoked", id)
	w.WriteHeader(http.StatusNoContent)
}

// revokeIntegrationKey revokes the key of the office's integration client
// id; an unknown id, or an Open311 client's, is a 404
// integration_client_not_found.
func revokeIntegrationKey(ctx context.Context, st interface {
	APIClients(ctx context.Context, office string) ([]feedback.APIClient, error)
	RevokeAPIClient(ctx context.Context, office, id string) error
}, office, id string) error {
	all, err := st.APIClients(ctx, office)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(integrationClientsOf(all), func(c feedback.APIClient) bool { return c.ID == id }) {
		return newError(http.StatusNotFound, "integration_client_not_found", "no integration client {id} in this office", "id", fmt.Sprintf("%q", truncate(id, 40)))
	}
	return st.RevokeAPIClient(ctx, office, id)
}
