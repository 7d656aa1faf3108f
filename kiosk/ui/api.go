package ui

import (
	"context"
	"fmt"
	"time"
)

// Server is what the kiosk needs from the Lượt server. The kiosk command
// implements it over server/client (package luot/kiosk/device); every
// method is called from a goroutine of its own, never from the UI thread.
type Server interface {
	// Office returns the office's configuration and whether it is open.
	Office(ctx context.Context) (*Office, error)
	// Issue issues a walk-in ticket. key is the idempotency key of the one
	// tap that asked for it: a retry with the same key returns the same
	// ticket.
	Issue(ctx context.Context, service string, priority Priority, key string) (*Ticket, error)
	// CheckIn turns a booking code into a ticket (key as for Issue).
	CheckIn(ctx context.Context, code, key string) (*Ticket, error)
	// PickupDossier asks for a pickup ticket of a dossier, by its code and
	// the token of the receipt's QR ("" when typed; key as for Issue). The
	// answer has a ticket when the result is ready, otherwise only the
	// status; refusals (unknown dossier, pickup ticket already given,
	// result already returned) are *Refusal values with client's codes.
	PickupDossier(ctx context.Context, code, token, key string) (*Pickup, error)
	// ReportStatus tells staff about the kiosk's condition (a device.status
	// event): status is a short code ("paper-end", "ok"), message words.
	ReportStatus(ctx context.Context, status, message string) error
}

// A refusal is how a Server says "no" to a request (as opposed to not
// answering): any other error from a Server means the server cannot be
// reached or cannot serve now, and the kiosk goes out of service.
type Refusal struct {
	// Code is the server's error code, one of server/client's Code…
	// constants (client.CodeTooEarly …); the kiosk acts on some and shows
	// a general refusal for the others.
	Code string
	// Denied is true when the server refuses this kiosk itself (HTTP 401
	// or 403): its device key is missing, wrong or revoked.
	Denied bool
	// Message is the server's own message, for the log.
	Message string
	// ComeBackAt is when to come back, when the server said it: the
	// opening of a booking's check-in window (too_early). Zero otherwise.
	ComeBackAt time.Time
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("the server refused: %s (%s)", r.Code, r.Message)
}

// Office is what the kiosk shows of an office.
type Office struct {
	Name, NameEN string
	// Open is false outside opening hours and on holidays.
	Open bool
	// Location is the office's timezone (nil: UTC).
	Location *time.Location
	Services []Service
}

// Service is one service on the start screen.
type Service struct {
	ID           string
	Name, NameEN string
	// Active is false when the office switched the service off.
	Active bool
	// Served is false when no counter serves it.
	Served bool
	// CounterOpen is true when a counter serving it is open now; numbers
	// can be taken before that, as in real offices.
	CounterOpen bool
}

// Priority is a priority class a citizen declares ("" for none). The
// values are the server's.
type Priority string

// Priority classes, in the order the kiosk shows them.
const (
	PriorityNone     Priority = ""
	PriorityElderly  Priority = "elderly"
	PriorityDisabled Priority = "disabled"
	PriorityPregnant Priority = "pregnant"
	PriorityMerit    Priority = "merit"
)

// Priorities lists the classes the kiosk offers.
var Priorities = []Priority{PriorityElderly, PriorityDisabled, PriorityPregnant, PriorityMerit}

// Ticket is an issued ticket as the kiosk shows and prints it.
type Ticket struct {
	ID                         string
	Number                     string
	Service                    string
	ServiceName, ServiceNameEN string
	Priority                   Priority
	Ahead                      int
	// ETA is the estimated wait; negative when it cannot be estimated yet
	// (no counter open).
	ETA time.Duration
	// Provisional is true when no counter is open: the kiosk then says so,
	// with Expected (when the ticket is expected to be called; zero when
	// not known), instead of a wait.
	Provisional bool
	Expected    time.Time
	TrackURL    string
	Issued      time.Time
	// Dossier is the code of the dossier whose result this ticket picks
	// up ("" for other tickets).
	Dossier string
}

// DossierStatus is what the kiosk may say of a dossier (never the
// applicant): its procedure, status and due date.
type DossierStatus struct {
	Code                   string
	Procedure, ProcedureEN string
	// Status is one of the ten statuses of docs/dossier.md ("processing").
	Status string
	DueAt  time.Time
	// Late is true when the due date passed unmet; NewDue is the date the
	// office's apology gives instead (zero when none).
	Late   bool
	NewDue time.Time
	// Supplement is what the office asked the applicant to bring.
	Supplement string
}

// Pickup is the server's answer for a dossier: a pickup ticket when the
// result is ready, otherwise the status only (Ticket nil).
type Pickup struct {
	Dossier DossierStatus
	Ticket  *Ticket
}

// Printer prints tickets. Errors are *PrinterFault values.
type Printer interface {
	// Check reads the printer's status: nil when a ticket can be printed.
	Check(ctx context.Context) error
	// Print checks the status again and prints the ticket. warning is a
	// *PrinterFault with Warning set when it printed but needs attention
	// soon (paper near end).
	Print(ctx context.Context, job PrintJob) (warning, err error)
}

// PrintJob is a ticket as printed: Vietnamese first, English below.
type PrintJob struct {
	Office, OfficeEN     string
	Service, ServiceEN   string
	Number               string
	Priority, PriorityEN string
	Ahead                int
	ETA                  time.Duration
	Provisional          bool      // no counter open: print so, with Expected
	Expected             time.Time // expected call time; zero = unknown
	TrackURL             string
	Issued               time.Time
	Kiosk                string
}

// PrinterFault is why the printer cannot print (or, with Warning, soon
// will not), in words for citizens in both languages.
type PrinterFault struct {
	// Code is reported to the server ("paper-end", "cover-open",
	// "not-connected"…).
	Code       string
	Vietnamese string
	English    string
	Warning    bool
}

func (f *PrinterFault) Error() string {
	return "printer: " + f.English + " (" + f.Code + ")"
}
