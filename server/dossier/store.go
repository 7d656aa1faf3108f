package dossier

import (
	"context"
	"time"

	"luot/server/notify"
)

// CodeInLink in a Link given to Store.CreateDossier's subscriptions is
// replaced by the code the store makes ("/hs/{code}?k=…").
const CodeInLink = "{code}"

// Store keeps dossiers and their events. The SQLite store implements it
// (and later the PostgreSQL one); the API and the web pages use it.
// "Not found" is an error wrapping queue.ErrNotFound.
type Store interface {
	// CreateDossier stores d (made by Create) and e, its
	// "dossier.created" event, in one transaction and returns both with
	// the code given: d.Code when set (the integration's; a code in use
	// is refused with queue.ErrConflict), otherwise
	// {prefix}-{YYMMDD}-{NNNN} from the next number of that office and
	// day, never reused, even after a crash. With a non-empty key (an
	// Idempotency-Key, scoped by the caller), a key seen before returns
	// the dossier it made and replayed true, and stores nothing.
	//
	// subs are opt-ins the applicant gave with the dossier (the consent
	// to SMS at the counter): each is stored in the same transaction,
	// before the event's notices are written, so that the "received"
	// notice reaches it. The store sets each one's Item to the dossier
	// (the code made) and replaces "{code}" in its Link with the code
	// (the caller cannot know a code the store makes). A subscription
	// the outbox cannot store fails the whole creation; a replay stores
	// none.
	CreateDossier(ctx context.Context, d Dossier, e Event, prefix, key string, subs ...notify.Subscription) (stored Dossier, ev Event, replayed bool, err error)
	// Dossier returns the dossier with that code.
	Dossier(ctx context.Context, code string) (Dossier, error)
	// DossierByTicket returns the dossier received from, or picked up
	// by, that queue ticket.
	DossierByTicket(ctx context.Context, ticket string) (Dossier, error)
	// UpdateDossier loads the dossier, calls decide with it, applies the
	// event decide returns (Apply) and stores the event and the new
	// dossier in one transaction. An error from decide is returned as is
	// and nothing changes.
	UpdateDossier(ctx context.Context, code string, decide func(Dossier) (Event, error)) (Dossier, Event, error)
	// Dossiers lists the dossiers the filter selects.
	Dossiers(ctx context.Context, f Filter) ([]Dossier, error)
	// History is a dossier's events, oldest first.
	History(ctx context.Context, code string) ([]Event, error)
	// DossierEventsSince is an office's dossier events after seq, oldest
	// first, at most limit of them.
	DossierEventsSince(ctx context.Context, office string, seq int64, limit int) ([]Event, error)
}

// Filter selects dossiers. Zero fields select everything.
type Filter struct {
	Office      string
	Codes       []string
	Statuses    []Status
	Procedures  []string
	Departments []string
	// From and To bound the time of receipt (From ≤ received < To).
	From, To time.Time
	// Phone4 selects the dossiers whose applicant's phone ends with
	// these 4 digits (with Codes, for the applicant's look-up).
	Phone4 string
	// Order is "due" (the nearer due date first, so late ones first) or
	// "" (newest first); "completed" is the newest completed first (the
	// boards' list).
	Order string
	// Limit is at most this many (no limit when 0); Offset skips.
	Limit, Offset int
}
