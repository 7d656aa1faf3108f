package feedback

import (
	"context"
	"time"

	"luot/server/geo"
)

// Store keeps reports and their events. The SQLite store implements it
// (and later the PostgreSQL one); the API, the web pages and Open311 use
// it. It is declared here, once, because three transports share it.
// "Not found" is an error wrapping queue.ErrNotFound.
type Store interface {
	// CreateReport gives r its code (PA-YYMM-NNNNN, from r.Created in
	// the office's time zone), stores it and e (its "report.created"
	// event, whose Report and Seq it fills in) in one transaction, and
	// returns both. With a non-empty key (an Idempotency-Key, scoped by
	// the caller), a key seen before returns the report it made and
	// replayed true, and stores nothing.
	CreateReport(ctx context.Context, r Report, e Event, key string) (stored Report, ev Event, replayed bool, err error)
	// Report returns the report with that code.
	Report(ctx context.Context, code string) (Report, error)
	// UpdateReport loads the report, calls decide with it, applies the
	// event decide returns (Apply) and stores the event and the new
	// report in one transaction. An error from decide is returned as is
	// and nothing changes.
	UpdateReport(ctx context.Context, code string, decide func(Report) (Event, error)) (Report, Event, error)
	// Reports lists the reports the filter selects.
	Reports(ctx context.Context, f Filter) ([]Report, error)
	// Timeline is a report's events, oldest first.
	Timeline(ctx context.Context, code string) ([]Event, error)
	// ReportEventsSince is an office's events after seq, oldest first, at most
	// limit of them.
	ReportEventsSince(ctx context.Context, office string, seq int64, limit int) ([]Event, error)
	// PhotoPublic reports whether some report shows the photo with that
	// hash to the public (known: some report has it at all).
	PhotoPublic(ctx context.Context, hash string) (public, known bool, err error)
	// EraseDue lists the codes of reports closed before t whose
	// reporter's data are not erased yet.
	EraseDue(ctx context.Context, closedBefore time.Time) ([]string, error)

	// Open311 clients: the API keys the admin issues, kept as SHA-256.
	PutAPIClient(ctx context.Context, c APIClient, keyHash []byte) error
	APIClientByKeyHash(ctx context.Context, hash []byte) (APIClient, error)
	APIClients(ctx context.Context, office string) ([]APIClient, error)
	RevokeAPIClient(ctx context.Context, office, id string) error
}

// Filter selects reports. Zero fields select everything.
type Filter struct {
	Office     string
	Codes      []string
	Categories []string
	Statuses   []Status
	Units      []string
	// From and To bound the creation time (From ≤ created < To).
	From, To time.Time
	// SW and NE bound the point (reports without a point are left out
	// when set).
	SW, NE *geo.Point
	// Order is "deadline" (open first by the nearer deadline, overdue
	// first) or "" (newest first).
	Order string
	// Limit is at most this many (no limit when 0); Offset skips.
	Limit, Offset int
}

// APIClient is a client of the office's APIs registered by the admin:
// an Open311 client, or the province's one-stop system (Scope).
type APIClient struct {
	ID      string    `json:"id"`
	Office  string    `json:"office"`
	Name    string    `json:"name"`
	Created time.Time `json:"created_at"`
	Revoked bool      `json:"revoked,omitempty"`
	// Scope is the one API its key opens (ScopeOpen311 when empty);
	// each API refuses the keys of the other.
	Scope string `json:"scope"`
}

// Scopes of API keys.
const (
	ScopeOpen311  = "open311"  // the Open311 GeoReport API (feedback reports)
	ScopeDossiers = "dossiers" // the dossiers' integration API (PUT /dossiers/{code}, import)
)
