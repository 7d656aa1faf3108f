package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/msgtext"
	"luot/server/queue"
)

// The import of a day's dossiers (docs/dossier.md, "JSON API"):
//
//	POST /api/v1/dossiers/import   manager (session) or integration key: text/csv → {"created", "updated", "unchanged"}
//
// The CSV's header names its columns (DossierCSVColumns, any order). A
// line with a code of this office updates that dossier (its status, by
// the one transition, at the time of the import) or creates it with that
// code; a line without a code creates a dossier numbered by the office.
// A new dossier starts submitted, received (the default), refused (the
// note is the reason) or processing (at the procedure's department, or
// the line's).
//
// All or nothing: every line is checked against the catalogue, the
// dossiers and the transitions before anything is written; one bad line
// and nothing is, and the answer (400 import_invalid) lists every bad
// line with its number, code and message. Writing is per dossier: should
// storage fail half-way, the same file sent again completes it (codes and
// the lines' own keys make it idempotent).

// maxImportBytes and maxImportLines bound an import.
const (
	maxImportBytes = 1 << 20
	maxImportLines = 2000
)

// ImportAnswer answers a successful import.
type ImportAnswer struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportLineError is a refused line of an import: its number in the file
// (the header is line 1), the code it names, and why, in the request's
// language.
type ImportLineError struct {
	Line    int    `json:"line"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	// ErrCode is the error's stable code.
	ErrCode string `json:"error"`
}

// importRefused is the 400 answer of an import with bad lines.
type importRefused struct {
	errorBody
	Lines []ImportLineError `json:"lines"`
}

func (s *Server) dossierImportRoutes() {
	s.mux.HandleFunc("POST /api/v1/dossiers/import", s.importDossiers)
}

// importActor authenticates an import: an administrator's session, or
// the integration's key. key prefixes the idempotency keys of its
// creations.
func (s *Server) importActor(r *http.Request, cfg *dossier.Config) (actor dossier.Actor, who, key string, err error) {
	se, ok, err := s.session(r)
	if ok && err == nil {
		if !se.Can(auth.ManageDossiers) {
			return actor, "", "", errForbidden
		}
		return dossier.Actor{Role: dossier.RoleManager, ID: se.Staff}, se.Staff, "import:staff:" + se.Staff + ":", nil
	}
	if bearer(r) == "" || (err != nil && !errors.Is(err, errBadSession)) {
		if err == nil {
			err = errNoAuth
		}
		return actor, "", "", err
	}
	c, err := s.integrationClient(r, cfg)
	if err != nil {
		return actor, "", "", err
	}
	return integrationActor(c), "integration:" + c.ID, "import:integration:" + c.ID + ":", nil
}

func (s *Server) importDossiers(w http.ResponseWriter, r *http.Request) {
	cfg, st, err := s.dossierSetup()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor, who, keyScope, err := s.importActor(r, cfg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		s.fail(w, r, newError(http.StatusUnsupportedMediaType, "not_csv", "send the dossiers as CSV with Content-Type: text/csv"))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.fail(w, r, newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", maxImportBytes))
		return
	}
	if err != nil {
		e := badRequest("unreadable_body", "the request body ended before its declared length or could not be read: send the whole body again")
		e.cause = err
		s.fail(w, r, e)
		return
	}
	rows, lineErrs, err := DecodeDossierCSV(data, cfg.Calendar.Zone())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := s.now()
	type plan struct {
		row      ImportRow
		existing *dossier.Dossier
		key      string
	}
	plans := make([]plan, 0, len(rows))
	for _, row := range rows {
		if lineErrs[row.Line] != nil {
			continue
		}
		p := plan{row: row, key: keyScope + row.Hash}
		fail := func(err error) { lineErrs[row.Line] = err }
		if row.Code != "" {
			if err := ownCode(cfg, row.Code); err != nil {
				fail(err)
				continue
			}
			d, err := st.Dossier(ctx, row.Code)
			switch {
			case err == nil:
				p.existing = &d
			case !errors.Is(err, queue.ErrNotFound):
				s.fail(w, r, err)
				return
			}
		}
		if err := checkImportRow(cfg, actor, p.existing, row, now); err != nil {
			fail(err)
			continue
		}
		plans = append(plans, p)
	}
	if len(lineErrs) > 0 {
		s.refuseImport(w, r, rows, lineErrs)
		return
	}
	// Lines with their own codes first: the office's numbering then
	// continues past them, and a line without a code never takes a code
	// the file names.
	slices.SortStableFunc(plans, func(a, b plan) int {
		return cmpBool(a.row.Code == "", b.row.Code == "")
	})
	var ans ImportAnswer
	for _, p := range plans {
		if p.existing != nil {
			res, err := s.applyImportUpdate(ctx, cfg, st, actor, *p.existing, p.row.Put, now)
			if err != nil {
				s.failImport(w, r, p.row.Line, ans, err)
				return
			}
			if res.changed {
				ans.Updated++
				s.audit(r, cfg.Office, who, "dossier_import", p.row.Code+" "+res.what)
				s.dossierChanged(ctx, res)
			} else {
				ans.Unchanged++
			}
			continue
		}
		res, err := s.createFromPut(ctx, cfg, st, actor, p.key, p.row.Code, p.row.Put, now)
		if err != nil {
			s.failImport(w, r, p.row.Line, ans, err)
			return
		}
		if res.created {
			ans.Created++
			s.audit(r, cfg.Office, who, "dossier_import", res.d.Code+" "+res.what)
			s.dossierChanged(ctx, res)
		} else {
			ans.Unchanged++
		}
	}
	s.audit(r, cfg.Office, who, "dossiers_imported", fmt.Sprintf("%d lines: %d created, %d updated, %d unchanged", len(rows), ans.Created, ans.Updated, ans.Unchanged))
	writeJSON(w, http.StatusOK, ans)
}

// applyImportUpdate moves an existing dossier by a line, as a PUT
// without status_at (the time of the import).
func (s *Server) applyImportUpdate(ctx context.Context, cfg *dossier.Config, st dossier.Store, actor dossier.Actor, d dossier.Dossier, b DossierPut, now time.Time) (putResult, error) {
	for range maxPutRetries {
		res, retry, err := s.updateFromPut(ctx, cfg, st, actor, d, b, now)
		if !retry {
			return res, err
		}
		var err2 error
		if d, err2 = st.Dossier(ctx, d.Code); err2 != nil {
			return putResult{}, err2
		}
	}
	return putResult{}, newError(http.StatusConflict, "dossier_busy", "dossier {code} kept changing while this request was applied: send it again", "code", d.Code)
}

// checkImportRow decides a line against the catalogue and the dossier it
// names, without storing anything.
func checkImportRow(cfg *dossier.Config, actor dossier.Actor, existing *dossier.Dossier, row ImportRow, now time.Time) error {
	b := row.Put
	if existing != nil {
		if b.Procedure != "" && b.Procedure != existing.Procedure {
			return newError(http.StatusConflict, "procedure_mismatch", "dossier {code} is of procedure {procedure}, not {other}: its procedure cannot change", "code", existing.Code, "procedure", existing.Procedure, "other", b.Procedure)
		}
		cmd, err := transitionTo(*existing, b)
		if err != nil || cmd.Action == "" {
			return err
		}
		cmd.Actor = actor
		_, err = dossier.Decide(cfg, *existing, cmd, now)
		return err
	}
	switch b.Status {
	case dossier.StatusSubmitted, dossier.StatusReceived, dossier.StatusRefused, dossier.StatusProcessing:
	default:
		return badRequest("invalid_status", "a new dossier starts submitted, received, refused or processing, not {status}", "status", string(b.Status))
	}
	at := b.ReceivedAt
	if at.IsZero() {
		at = now
	}
	if at.After(now) {
		return badRequest("time_in_future", "{field} {at} is in the future: send the time it happened", "field", "received_at", "at", at.Format(time.RFC3339))
	}
	start := b.Status
	if start == dossier.StatusProcessing {
		start = dossier.StatusReceived
	}
	d, _, err := dossier.Create(cfg, dossier.NewDossier{Procedure: b.Procedure, Applicant: b.Applicant, IDNumber: b.IDNumber,
		Channel: b.Channel, Status: start, Reason: b.Note, Code: row.Code, External: b.External}, actor, at)
	if err != nil || b.Status != dossier.StatusProcessing {
		return err
	}
	cmd, err := transitionTo(d, b)
	if err != nil {
		return err
	}
	cmd.Actor = actor
	_, err = dossier.Decide(cfg, d, cmd, at)
	return err
}

// refuseImport answers 400 with every bad line.
func (s *Server) refuseImport(w http.ResponseWriter, r *http.Request, rows []ImportRow, errs map[int]error) {
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	codes := map[int]string{}
	for _, row := range rows {
		codes[row.Line] = row.Code
	}
	var out importRefused
	out.Error.Code = "import_invalid"
	n := len(errs)
	e := badRequest("import_invalid", "{n} lines of the file are refused and nothing was imported: correct them and send the whole file again", "n", n)
	out.Error.Message = msgtext.Say(lang, e.Template, e.Args, e.Message)
	lines := make([]int, 0, n)
	for l := range errs {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	for _, l := range lines {
		code, msg := lineMessage(lang, errs[l])
		out.Lines = append(out.Lines, ImportLineError{Line: l, Code: codes[l], Message: msg, ErrCode: code})
	}
	writeJSON(w, http.StatusBadRequest, out)
}

// failImport answers a failure while writing: the lines before it were
// written, and the same file sent again completes the import.
func (s *Server) failImport(w http.ResponseWriter, r *http.Request, line int, done ImportAnswer, err error) {
	s.log.Error("dossier import failed half-way", "line", line, "created", done.Created, "updated", done.Updated, "err", err)
	s.fail(w, r, err)
}

// lineMessage is an error's code and message in lang.
func lineMessage(lang string, err error) (string, string) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Code, msgtext.Say(lang, ae.Template, ae.Args, ae.Message)
	}
	var qe *queue.Error
	if errors.As(err, &qe) {
		return qe.Code, msgtext.Say(lang, qe.Template, qe.Args, qe.Message)
	}
	return "invalid", err.Error()
}

// lineHash is the key of a line's creation: the same line sent again
// makes nothing new.
func lineHash(fields []string) string {
	h := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(h[:16])
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
