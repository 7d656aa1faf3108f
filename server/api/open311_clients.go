package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"luot/server/auth"
	"luot/server/feedback"
	"luot/server/queue"
)

// The admin's Open311 keys (server/open311): an app or aggregator that
// files reports by Open311 needs an api_key, which an administrator of the
// office issues here and may revoke. The key is shown once; the store
// keeps its SHA-256.
//
//	GET    /api/v1/admin/open311-clients        admin: the office's clients, revoked ones too
//	POST   /api/v1/admin/open311-clients        admin: {"id", "name"} → 201 {"client", "key"}
//	DELETE /api/v1/admin/open311-clients/{id}   admin: revoke its key → 204

// open311Clients is what the keys need from the store: feedback.Store's
// Open311 clients (*store.DB has them). A store without them answers 503.
type open311Clients interface {
	PutAPIClient(ctx context.Context, c feedback.APIClient, keyHash []byte) error
	APIClients(ctx context.Context, office string) ([]feedback.APIClient, error)
	RevokeAPIClient(ctx context.Context, office, id string) error
}

// Open311ClientBody is the body of POST /admin/open311-clients.
type Open311ClientBody struct {
	// ID is the client's id (1–32 lower-case letters, digits, '-' or
	// '_'); it names the client in reports' audit.
	ID string `json:"id"`
	// Name is who the client is: the app or the organisation.
	Name string `json:"name"`
}

// Open311ClientIssued answers POST /admin/open311-clients: the client and
// its key, shown this once.
type Open311ClientIssued struct {
	Client feedback.APIClient `json:"client"`
	Key    string             `json:"key"`
}

func (s *Server) open311ClientRoutes() {
	const p = "/api/v1/admin/open311-clients"
	s.mux.HandleFunc("GET "+p, s.listOpen311Clients)
	s.mux.HandleFunc("POST "+p, s.issueOpen311Client)
	s.mux.HandleFunc("DELETE "+p+"/{id}", s.revokeOpen311Client)
}

// open311Store is the store's Open311 clients, and the admin's session.
func (s *Server) open311Store(r *http.Request) (open311Clients, *auth.Session, error) {
	se, err := s.require(r, auth.ManageDevices)
	if err != nil {
		return nil, nil, err
	}
	st, ok := s.st.(open311Clients)
	if !ok {
		return nil, nil, newError(http.StatusServiceUnavailable, "open311_unavailable", "this server's storage keeps no Open311 clients")
	}
	return st, se, nil
}

func decodeOpen311Client(data []byte) (Open311ClientBody, error) {
	var b Open311ClientBody
	if err := decodeStrict(data, &b); err != nil {
		return b, err
	}
	if err := checkID("client", b.ID, true); err != nil {
		return b, err
	}
	name, err := cleanText("client name", b.Name, true)
	if err != nil {
		return b, err
	}
	b.Name = name
	return b, nil
}

func (s *Server) issueOpen311Client(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.open311Store(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodeOpen311Client)
	if !ok {
		return
	}
	all, err := st.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range all {
		if c.ID == b.ID {
			s.fail(w, r, newError(http.StatusConflict, "open311_client_exists", "Open311 client {id} exists already: choose another id (a revoked client's id is not reused)", "id", b.ID))
			return
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // never fails (crypto/rand)
	key := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(key))
	c := feedback.APIClient{ID: b.ID, Office: se.Office, Name: b.Name, Created: s.now()}
	if err := st.PutAPIClient(r.Context(), c, sum[:]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "open311_client_issued", c.ID+" "+c.Name)
	writeJSON(w, http.StatusCreated, Open311ClientIssued{Client: c, Key: key})
}

func (s *Server) listOpen311Clients(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.open311Store(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := st.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The integration's keys (scope dossiers) have their own page.
	cs := []feedback.APIClient{}
	for _, c := range all {
		if open311Scope(c) {
			cs = append(cs, c)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": cs})
}

func (s *Server) revokeOpen311Client(w http.ResponseWriter, r *http.Request) {
	st, se, err := s.open311Store(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	all, err := st.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = fmt.Errorf("open311 client %q: %w", id, queue.ErrNotFound)
	for _, c := range all {
		if c.ID == id && open311Scope(c) {
			err = st.RevokeAPIClient(r.Context(), se.Office, id)
		}
	}
	if errors.Is(err, queue.ErrNotFound) {
		err = newError(http.StatusNotFound, "open311_client_not_found", "no Open311 client {id} in this office", "id", fmt.Sprintf("%q", truncate(id, 40)))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "open311_client_revoked", id)
	w.WriteHeader(http.StatusNoContent)
}

// open311Scope reports whether c is an Open311 client (not a key of
// another API, which this page neither lists nor revokes).
func open311Scope(c feedback.APIClient) bool {
	return c.Scope == "" || c.Scope == feedback.ScopeOpen311
}

// ReportEvent wakes the report streams for an event committed outside
// the API — a report filed by Open311 (open311.Config.Published) — so
// that the staff's inboxes show it at once rather than at their next
// ping.
func (s *Server) ReportEvent(e feedback.Event) {
	if s.feedback != nil {
		s.feedback.bus.publish(e)
	}
}

// ClientAddr is the address a request is counted by (clientaddr.go: the
// peer, or behind a trusted proxy the client it names; an IPv6 /64), for
// the handlers served beside the API (open311.Config.ClientAddr), so
// that their limits count clients as the API's do.
func (s *Server) ClientAddr(r *http.Request) string {
	return resolveClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
}
