package client

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Dossier error codes (docs/dossier.md).
const (
	CodeUnknownDossier     = "unknown_dossier"      // no dossier has this code (404)
	CodeInvalidDossier     = "invalid_dossier"      // not a well-formed dossier code (400)
	CodeDossierNotReady    = "dossier_not_ready"    // the result is not ready yet: the answer carries the status (409)
	CodePickupIssued       = "pickup_issued"        // a pickup ticket of this dossier is still waiting or being served (409)
	CodeDossierReturned    = "dossier_returned"     // the result was handed over already (409)
	CodeDossierOtherOffice = "dossier_other_office" // the code belongs to another office (404 to the kiosk)
	CodeNoPickupService    = "no_pickup_service"    // the office's results service is missing or switched off (409)
)

// DossierStatus is what the kiosk (and anyone holding the code) may learn
// of a dossier: its procedure, status and due date; never the applicant.
type DossierStatus struct {
	Code        string    `json:"code"`
	Procedure   string    `json:"procedure"`
	ProcedureEN string    `json:"procedure_en,omitempty"`
	Status      string    `json:"status"`
	DueAt       time.Time `json:"due_at,omitzero"`
	// Late is true when the due date has passed unmet; NewDue is the
	// apology's new date, if any.
	Late   bool      `json:"late,omitempty"`
	NewDue time.Time `json:"new_due,omitzero"`
	// Supplement is what the office asked the applicant to bring, in
	// words, while the status is needs_supplement.
	Supplement string `json:"supplement,omitempty"`
}

// Pickup is the kiosk's answer for a dossier: a pickup ticket when the
// result is ready, otherwise only the status (Ticket nil).
type Pickup struct {
	Dossier DossierStatus `json:"dossier"`
	Ticket  *Ticket       `json:"ticket,omitempty"`
}

// PickupDossier asks for a pickup ticket of a dossier, as the kiosk does
// when the receipt's QR is scanned or the code typed: code is the
// dossier's code, token the k of the receipt's QR link ("" when typed),
// key the idempotency key of this one request. The server answers 201
// with the ticket (of the office's results service) when the dossier is
// completed, 200 with the status only when it is not ready (no ticket),
// 404 unknown_dossier, 409 pickup_issued or dossier_returned.
func (c *Client) PickupDossier(ctx context.Context, office, code, token, key string) (*Pickup, error) {
	var out Pickup
	body := map[string]string{"code": code}
	if token != "" {
		body["k"] = token
	}
	if _, err := c.do(ctx, http.MethodPost, officePath(office)+"/dossier-pickups", body, key, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReadyDossier is one line of the boards' panel of dossiers ready for
// pickup: the code and, when the office shows them, the masked name.
type ReadyDossier struct {
	Code string    `json:"code"`
	Name string    `json:"name,omitempty"`
	At   time.Time `json:"at"`
}

// ReadyDossiers is the boards' panel: the dossiers whose result waits for
// pickup, newest first (empty, with Off, when the office hides the
// panel). The office's stream announces each change as EventDossiersReady
// with the same list.
type ReadyDossiers struct {
	Off      bool           `json:"off,omitempty"`
	Dossiers []ReadyDossier `json:"dossiers"`
}

// EventDossiersReady is the stream's event that carries the new list of
// ready dossiers (data: ReadyDossiers without Off).
const EventDossiersReady = "dossiers.ready"

// ReadyDossierList returns an office's dossiers ready for pickup (public).
func (c *Client) ReadyDossierList(ctx context.Context, office string) (*ReadyDossiers, error) {
	var out ReadyDossiers
	_, err := c.do(ctx, http.MethodGet, officePath(office)+"/dossiers/ready", nil, "", &out)
	return &out, err
}

// dossierCode is the shape of a dossier code: {prefix}-{YYMMDD}-{NNNN}.
var dossierCode = regexp.MustCompile(`^[A-Z0-9]{2,10}-[0-9]{6}-[0-9]{4,6}$`)

// ValidDossierCode reports whether s is a well-formed dossier code
// (already normalised: upper case, no spaces).
func ValidDossierCode(s string) bool { return dossierCode.MatchString(s) }

// ScannedDossier reads what a scanner read or a citizen typed as a
// dossier: the receipt's QR is the applicant's link
// (…/hs/{code}?k={token}); a typed code has no token. ok is false when it
// is neither (a booking's QR, say).
func ScannedDossier(raw string) (code, token string, ok bool) {
	s := strings.TrimSpace(raw)
	if i := strings.Index(s, "/hs/"); i >= 0 {
		u, err := url.Parse(s[i:])
		if err != nil {
			return "", "", false
		}
		code = strings.ToUpper(strings.TrimPrefix(u.Path, "/hs/"))
		token = u.Query().Get("k")
		if !ValidDossierCode(code) || len(token) > 64 {
			return "", "", false
		}
		return code, token, true
	}
	code = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	return code, "", ValidDossierCode(code)
}
