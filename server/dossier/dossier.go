// Package dossier is the domain of dossiers (hồ sơ): the catalogue of
// procedures, dossiers with the ten statuses of the Vietnamese one-stop
// systems and every allowed transition, due dates in working days on the
// office calendar (the same-day cut-off, the clock stopped while waiting
// for supplements or payment), late dossiers with the apology and the new
// due date, the history with per-step deadlines, the pickup of the result
// and the applicant's rating. DESIGN.md, "Dossiers"; docs/dossier.md.
//
// Like server/queue and server/feedback it is pure: no I/O, no clock of
// its own (time is passed in). A command is decided against the current
// dossier (Decide) and returns an Event; nothing changes until Apply
// applies that event. The store writes the event and the applied dossier
// in one transaction.
package dossier

import (
	"time"

	"luot/server/queue"
	"luot/server/workday"
)

// Status is where a dossier stands.
type Status string

// Statuses. Refused, withdrawn and returned are final; the others are
// open (a suspended dossier may be resumed).
const (
	StatusSubmitted       Status = "submitted"        // mới đăng ký (online, not yet received)
	StatusReceived        Status = "received"         // được tiếp nhận
	StatusRefused         Status = "refused"          // không được tiếp nhận
	StatusProcessing      Status = "processing"       // đang xử lý
	StatusNeedsSupplement Status = "needs_supplement" // yêu cầu bổ sung
	StatusAwaitingPayment Status = "awaiting_payment" // chờ thực hiện nghĩa vụ tài chính
	StatusWithdrawn       Status = "withdrawn"        // công dân rút hồ sơ
	StatusSuspended       Status = "suspended"        // dừng xử lý
	StatusCompleted       Status = "completed"        // đã có kết quả
	StatusReturned        Status = "returned"         // đã trả kết quả
)

// Statuses is every status, in the order of a dossier's life.
var Statuses = []Status{
	StatusSubmitted, StatusReceived, StatusRefused, StatusProcessing, StatusNeedsSupplement,
	StatusAwaitingPayment, StatusWithdrawn, StatusSuspended, StatusCompleted, StatusReturned,
}

// Channel is how a dossier arrived.
type Channel string

// Channels.
const (
	ChannelCounter Channel = "counter" // at a counter of the one-stop shop
	ChannelOnline  Channel = "online"  // the province's public service portal
	ChannelPost    Channel = "post"    // by post (bưu chính công ích)
)

// Field is a field (lĩnh vực) of procedures: "Xây dựng", "Hộ tịch".
type Field struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// Department is a unit that processes dossiers. Its id is a staff
// member's unit (queue.Staff.Unit): the same handler role works on the
// feedback reports and on the dossiers of its unit.
type Department struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// Paper is one document of a procedure's checklist (thành phần hồ sơ).
type Paper struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Optional papers are asked for only in some cases.
	Optional bool `json:"optional,omitempty"`
}

// Procedure is an administrative procedure (thủ tục hành chính) of the
// catalogue.
type Procedure struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Field  string `json:"field"`
	// Service is the queue service (queue.Service.ID) whose tickets
	// bring these dossiers: the console proposes the procedure from the
	// ticket being served.
	Service string `json:"service"`
	// Department processes the dossiers.
	Department string `json:"department"`
	// Days is the processing time in working days; 0 is "same day":
	// received before the cut-off hour, due at the end of that working
	// day, after it at the end of the next one.
	Days int `json:"days"`
	// CutOff is the same-day cut-off hour, "HH:MM" local (Config.CutOff
	// when empty).
	CutOff string `json:"cut_off,omitempty"`
	// Fee is the fee in đồng (0: free).
	Fee    int64   `json:"fee"`
	Papers []Paper `json:"papers"`
	// SupplementStops and PaymentStops say whether the clock stops while
	// the dossier waits for supplements or for payment (Config's
	// defaults when nil).
	SupplementStops *bool `json:"supplement_stops,omitempty"`
	PaymentStops    *bool `json:"payment_stops,omitempty"`
}

// BoardNames is what the boards show of a ready dossier's applicant.
type BoardNames string

// Board name policies.
const (
	BoardMasked BoardNames = "masked" // "Nguyễn V. A." (MaskName)
	BoardNone   BoardNames = "none"   // codes only
)

// Board is how the waiting room's boards list dossiers ready for pickup.
type Board struct {
	// Off hides the panel.
	Off bool `json:"off,omitempty"`
	// Names is what is shown beside the code (BoardMasked when empty).
	Names BoardNames `json:"names,omitempty"`
	// Max is how many ready dossiers are listed, newest first (20 when 0).
	Max int `json:"max,omitempty"`
}

// Config is an office's dossier configuration: the catalogue and how the
// office works with it.
type Config struct {
	Office string
	// Prefix starts the office's dossier codes ({Prefix}-{YYMMDD}-{NNNN}):
	// 2–10 upper-case letters or digits.
	Prefix      string
	Fields      []Field
	Departments []Department
	Procedures  []Procedure
	Calendar    workday.Calendar
	// CutOff is the default same-day cut-off, "HH:MM" ("15:00" when empty).
	CutOff string
	// SupplementStops and PaymentStops are the defaults of the
	// procedures' (true when nil).
	SupplementStops *bool
	PaymentStops    *bool
	// PickupService is the queue service of pickup tickets (the results
	// service, "R" in the demo); PickupPriority their priority class.
	PickupService  string
	PickupPriority queue.Priority
	Board          Board
}

// Limits on what a dossier holds.
const (
	MaxName    = 100  // characters of the applicant's name
	MaxNote    = 1000 // characters of a note, reason, result or comment
	MaxPapers  = 50   // papers received
	MaxHistory = 500  // events of one dossier
)

// Applicant is who applies. Name and Phone are for staff and for the
// applicant; the ID number is kept masked ("********1234"): the office
// checks the card, Lượt never needs the number.
type Applicant struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	// IDMasked is the ID card number with all but its last 4 digits
	// replaced by '*'.
	IDMasked string `json:"id_masked,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Supplement is a request for what is missing (yêu cầu bổ sung).
type Supplement struct {
	What string    `json:"what"`
	By   time.Time `json:"by"` // the applicant's deadline to bring it
	At   time.Time `json:"at"` // when it was asked
}

// Apology is a late dossier's apology (văn bản xin lỗi và hẹn lại).
type Apology struct {
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
	NewDue time.Time `json:"new_due"`
	By     string    `json:"by,omitempty"` // staff name
}

// Pickup is the ticket that came to collect the result.
type Pickup struct {
	Ticket string    `json:"ticket"` // queue ticket id
	Number string    `json:"number"` // its display number ("R004")
	Day    string    `json:"day"`    // its business day
	At     time.Time `json:"at"`
}

// Rating is the applicant's rating of the whole dossier, once, after the
// result is returned: 4 very satisfied … 1 dissatisfied (the queue's
// scale).
type Rating struct {
	Score   int       `json:"score"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// Dossier is one application.
type Dossier struct {
	// Code is {prefix}-{YYMMDD}-{NNNN}, the date of receipt (or of
	// submission) in the office's time zone; the store gives it.
	Code       string    `json:"code"`
	Office     string    `json:"office"`
	Procedure  string    `json:"procedure"`
	Field      string    `json:"field"`
	Department string    `json:"department"`
	Channel    Channel   `json:"channel"`
	Applicant  Applicant `json:"applicant"`
	// Papers are the ids of the checklist's papers received; Extra are
	// other papers, in words.
	Papers []string `json:"papers"`
	Extra  []string `json:"extra,omitempty"`
	Fee    int64    `json:"fee"`
	Status Status   `json:"status"`
	// Ticket and TicketNumber are the queue ticket it was received from
	// (at the counter); Counter and ReceivedBy the counter and the clerk.
	Ticket       string `json:"ticket,omitempty"`
	TicketNumber string `json:"ticket_number,omitempty"`
	Counter      string `json:"counter,omitempty"`
	ReceivedBy   string `json:"received_by,omitempty"`
	// SubmittedAt is when an online dossier was submitted; ReceivedAt
	// when the office received it (the clock starts).
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	ReceivedAt  time.Time `json:"received_at,omitzero"`
	// DueAt is the due date now (moved by clock stops and apologies);
	// OriginalDue the one of the receipt.
	DueAt       time.Time `json:"due_at,omitzero"`
	OriginalDue time.Time `json:"original_due,omitzero"`
	// StoppedAt is when the clock stopped (zero while it runs);
	// StoppedDays the working days it has been stopped in all.
	StoppedAt   time.Time   `json:"stopped_at,omitzero"`
	StoppedDays int         `json:"stopped_days,omitempty"`
	Supplement  *Supplement `json:"supplement,omitempty"`
	Apology     *Apology    `json:"apology,omitempty"`
	// Reason is why it was refused, withdrawn or suspended (the latest).
	Reason      string    `json:"reason,omitempty"`
	Result      string    `json:"result,omitempty"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	ReturnedAt  time.Time `json:"returned_at,omitzero"`
	Pickup      *Pickup   `json:"pickup,omitempty"`
	Rating      *Rating   `json:"rating,omitempty"`
	// External is the id the province's system knows it by, if any.
	External string `json:"external,omitempty"`
	// Sample marks the demo's sample dossiers.
	Sample bool `json:"sample,omitempty"`
	// TokenHash is the SHA-256 of the applicant's token (the k of the
	// receipt's QR link).
	TokenHash []byte `json:"-"`
	// Version counts the events applied; the store refuses a write whose
	// dossier changed meanwhile.
	Version int `json:"version"`
}

// Role is who acts on a dossier.
type Role string

// Roles of actors.
const (
	RoleClerk       Role = "clerk"       // receives at the counter, hands results over
	RoleHandler     Role = "handler"     // a department's staff: that department's dossiers
	RoleManager     Role = "manager"     // an administrator: every dossier, apologies
	RoleApplicant   Role = "applicant"   // holds the code and the token (or phone's last 4)
	RoleIntegration Role = "integration" // the province's one-stop system, with its key
	RoleKiosk       Role = "kiosk"       // the kiosk's pickup
	RoleSystem      Role = "system"      // the server itself
)

// Actor is who did something: a role, and for staff their id, name and
// department (unit).
type Actor struct {
	Role Role   `json:"role"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Unit string `json:"unit,omitempty"`
}

// Action is what a command does. The HTTP API names them the same, with
// '-' for '_'.
type Action string

// Actions.
const (
	ActReceive    Action = "receive"    // submitted → received (clock starts)
	ActRefuse     Action = "refuse"     // submitted → refused (reason)
	ActProcess    Action = "process"    // received → processing (department, step deadline)
	ActTransfer   Action = "transfer"   // processing → processing at another department
	ActSupplement Action = "supplement" // processing → needs_supplement (what, by): clock stops as configured
	ActSupplied   Action = "supplied"   // needs_supplement → processing: clock resumes
	ActPayment    Action = "payment"    // processing → awaiting_payment: clock stops as configured
	ActPaid       Action = "paid"       // awaiting_payment → processing: clock resumes
	ActSuspend    Action = "suspend"    // processing → suspended (reason)
	ActResume     Action = "resume"     // suspended → processing
	ActWithdraw   Action = "withdraw"   // any open → withdrawn (reason)
	ActComplete   Action = "complete"   // processing → completed (result)
	ActApologize  Action = "apologize"  // a late open dossier: apology text and new due date
	ActPickup     Action = "pickup"     // completed: a pickup ticket linked (one active at a time)
	ActReturn     Action = "return"     // completed → returned (handed over)
	ActRate       Action = "rate"       // returned: the applicant's rating, once
	ActNote       Action = "note"       // any: a note in the history
)

// Command asks for an action on a dossier.
type Command struct {
	Action     Action
	Actor      Actor
	Note       string
	Department string
	// What and By are a supplement request's.
	What string
	By   time.Time
	// NewDue is an apology's new due date.
	NewDue time.Time
	Result string
	Rating *Rating
	Pickup *Pickup
}

// Event is one change of a dossier: what happened, who did it, when and
// why; the dossier's history. Apply turns a dossier and an event into the
// next dossier. Seq is given by the store (strictly increasing per
// server).
type Event struct {
	Seq     int64     `json:"seq"`
	Dossier string    `json:"dossier"`
	Office  string    `json:"office"`
	Type    string    `json:"type"` // "dossier." + the action, or "dossier.created"
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	// Status is the dossier's status after the event; Department the
	// department in charge after it.
	Status     Status `json:"status"`
	Department string `json:"department,omitempty"`
	Note       string `json:"note,omitempty"`
	// StepDue is the deadline of the step this event starts (per-step
	// deadlines of the history); DueAt the dossier's due date after it.
	StepDue    time.Time   `json:"step_due,omitzero"`
	DueAt      time.Time   `json:"due_at,omitzero"`
	Supplement *Supplement `json:"supplement,omitempty"`
	Apology    *Apology    `json:"apology,omitempty"`
	Result     string      `json:"result,omitempty"`
	Pickup     *Pickup     `json:"pickup,omitempty"`
	Rating     *Rating     `json:"rating,omitempty"`
	// StoppedAt and StoppedDays are the dossier's StoppedAt and
	// StoppedDays after the event (a clock that stops sets StoppedAt; one
	// that resumes clears it and adds the working days it was stopped).
	StoppedAt   time.Time `json:"stopped_at,omitzero"`
	StoppedDays int       `json:"stopped_days,omitempty"`
	// Created is the whole new dossier, for "dossier.created" only.
	Created *Dossier `json:"-"`
}

// TypeCreated is the type of a dossier's first event.
const TypeCreated = "dossier.created"

// EventType is the type of the events of an action: "dossier." and the
// action ("dossier.complete").
func EventType(a Action) string { return "dossier." + string(a) }

// NewDossier is what the counter's clerk, the integration or an import
// sends to create a dossier.
type NewDossier struct {
	Procedure string
	Applicant Applicant
	// IDNumber is the ID card number as typed; only its masked form is
	// kept (MaskID).
	IDNumber string
	Channel  Channel
	Papers   []string
	Extra    []string
	// Ticket, TicketNumber and Counter: the ticket being served, at the
	// counter.
	Ticket, TicketNumber, Counter string
	// Status is the status it starts in: received (the default; the
	// clock starts then), submitted (online, not yet received) or refused
	// (at the counter, with Reason).
	Status Status
	Reason string
	// Code is the integration's own code (it must carry this office's
	// prefix); empty: the store gives one.
	Code     string
	External string
	Sample   bool
	// TokenHash is the SHA-256 of the applicant's token.
	TokenHash []byte
}
