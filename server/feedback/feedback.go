// Package feedback is the domain of citizens' feedback reports (phản ánh
// hiện trường): categories, the units that handle them (departments and
// wards), reports, their statuses and every allowed transition, deadlines
// in working days on the office calendar, routing by category and ward,
// duplicates and "me too", the reporter's verdict and reopening, and the
// figures of the statistics. DESIGN.md, "Feedback reports".
//
// Like server/queue it is pure: no I/O, no clock of its own (time is
// passed in). A command is decided against the current report and
// returns an Event; nothing changes until Apply applies that event to the
// report. The store writes the event and the applied report in one
// transaction.
package feedback

import (
	"time"

	"luot/server/geo"
)

// Status is where a report stands.
type Status string

// Statuses. A report starts new; resolved, unfounded, refused and
// duplicate are closed (a resolved one may be reopened once, see
// Config.ReopenWindow).
const (
	StatusNew        Status = "new"         // mới
	StatusAccepted   Status = "accepted"    // đã tiếp nhận
	StatusAssigned   Status = "assigned"    // đã chuyển xử lý
	StatusInProgress Status = "in_progress" // đang xử lý
	StatusResolved   Status = "resolved"    // đã xử lý
	StatusUnfounded  Status = "unfounded"   // phản ánh không đúng
	StatusRefused    Status = "refused"     // không tiếp nhận
	StatusDuplicate  Status = "duplicate"   // trùng
)

// Channel is how a report arrived.
type Channel string

// Channels.
const (
	ChannelWeb     Channel = "web"
	ChannelOpen311 Channel = "open311"
	ChannelStaff   Channel = "staff"
)

// UnitKind tells a department from a ward.
type UnitKind string

// Unit kinds.
const (
	UnitDepartment UnitKind = "department" // phòng, ban, đơn vị của thành phố
	UnitWard       UnitKind = "ward"       // UBND phường, xã
)

// Unit is a department or ward that handles reports.
type Unit struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	NameEN string   `json:"name_en,omitempty"`
	Kind   UnitKind `json:"kind"`
	// Area is a ward's boundary; empty for departments and for wards
	// whose boundary is not configured.
	Area geo.MultiPolygon `json:"-"`
}

// Category is a field of reports and who handles it by default.
type Category struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Hint is a line under the tile (Vietnamese; HintEN in English).
	Hint   string `json:"hint,omitempty"`
	HintEN string `json:"hint_en,omitempty"`
	// Unit is the unit that handles the category's reports by default.
	Unit string `json:"unit"`
	// ByWard routes a located report to the ward it falls in, when ward
	// boundaries are configured; Unit otherwise.
	ByWard bool `json:"by_ward,omitempty"`
	// AckDays and ResolveDays are the deadlines in working days.
	AckDays     int `json:"ack_days"`
	ResolveDays int `json:"resolve_days"`
}

// Template is a ready answer a handler can start from.
type Template struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	TextEN string `json:"text_en,omitempty"`
}

// Config is a city's (an office's) feedback configuration.
type Config struct {
	Office     string
	Categories []Category
	Units      []Unit
	Templates  []Template
	Calendar   Calendar
	// ReopenWindow is how long after resolution the reporter may reopen
	// (7 days when 0).
	ReopenWindow time.Duration
	// EraseAfter is how long after a report closes its reporter's name
	// and phone are erased (365 days when 0).
	EraseAfter time.Duration
	// NearbyRadius is the distance within which open reports of the same
	// category are offered for "me too" (200 m when 0).
	NearbyRadius float64
}

// Limits on what a report holds.
const (
	MaxDescription = 4000 // characters (runes)
	MaxPhotos      = 5    // a report's photos, and an answer's
	MaxReason      = 1000 // characters of a reason or an answer
	MaxName        = 100
	MaxAddress     = 300
	MaxMediaURL    = 2000 // bytes of an Open311 media_url
)

// Place is where a report is. A report has a Point, an Address, or both.
type Place struct {
	Point    *geo.Point `json:"point,omitempty"`
	Accuracy float64    `json:"accuracy,omitempty"` // metres, as the browser said
	Address  string     `json:"address,omitempty"`
	// Ward is the unit id of the ward the point falls in, when ward
	// boundaries are configured.
	Ward string `json:"ward,omitempty"`
}

// Photo is a stored photo of a report or of its answer, named by the
// content hash the photo store gave it.
type Photo struct {
	Hash string `json:"hash"`
	// Answer is true for a photo of the answer ("after"), false for the
	// reporter's ("before").
	Answer bool `json:"answer,omitempty"`
	// Hidden photos are shown to staff only.
	Hidden bool `json:"hidden,omitempty"`
}

// Reporter is who sent a report. Name and Phone are for staff only and
// are erased a while after the report closes; an anonymous report keeps
// neither.
type Reporter struct {
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Anonymous bool   `json:"anonymous,omitempty"`
}

// Verdict is the reporter's judgement of the handling.
type Verdict string

// Verdicts.
const (
	VerdictNone      Verdict = ""
	VerdictSatisfied Verdict = "satisfied"
	VerdictReopened  Verdict = "reopened"
)

// Report is a citizen's feedback report.
type Report struct {
	// Code is the public code, PA-YYMM-NNNNN (the store gives it).
	Code        string   `json:"code"`
	Office      string   `json:"office"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Place       Place    `json:"place"`
	Photos      []Photo  `json:"photos"`
	Reporter    Reporter `json:"-"`
	Channel     Channel  `json:"channel"`
	// Client is the Open311 client (API key name) that filed it, if any.
	Client string `json:"-"`
	// MediaURL is the link to media an Open311 client sent with the
	// report (its media_url). The server never fetches it; staff see it
	// as an outside link, the public never.
	MediaURL string `json:"media_url,omitempty"`
	Status   Status `json:"status"`
	// Unit is the unit in charge.
	Unit string `json:"unit,omitempty"`
	// Reason is why it was refused, found unfounded, returned or reopened
	// (the latest).
	Reason      string `json:"reason,omitempty"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Answer is the handler's answer, shown to the public once resolved.
	Answer   string    `json:"answer,omitempty"`
	Verdict  Verdict   `json:"verdict,omitempty"`
	Reopened int       `json:"reopened,omitempty"`
	MeToo    int       `json:"me_too"`
	Created  time.Time `json:"created_at"`
	// AckDue and ResolveDue are the deadlines; Accepted, Resolved and
	// Closed when those happened.
	AckDue     time.Time `json:"ack_due"`
	ResolveDue time.Time `json:"resolve_due"`
	Accepted   time.Time `json:"accepted_at,omitzero"`
	Resolved   time.Time `json:"resolved_at,omitzero"`
	Closed     time.Time `json:"closed_at,omitzero"`
	// Erased is when the reporter's personal data were erased.
	Erased time.Time `json:"-"`
	// TokenHash is the SHA-256 of the reporter's manage token (the k of
	// the report's link).
	TokenHash []byte `json:"-"`
	// Version counts the events applied; the store refuses a write whose
	// report changed meanwhile.
	Version int `json:"version"`
}

// Role is who acts on a report.
type Role string

// Roles of actors.
const (
	RoleReporter  Role = "reporter"  // holds the report's manage token
	RolePublic    Role = "public"    // anyone ("me too")
	RoleModerator Role = "moderator" // the city's handling officers: every report
	RoleHandler   Role = "handler"   // a unit's staff: that unit's reports
	RoleSystem    Role = "system"    // the server itself (erasure)
	RoleClient    Role = "client"    // an Open311 client
)

// Actor is who did something: a role, and for staff their id, name and
// unit.
type Actor struct {
	Role Role   `json:"role"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Unit string `json:"unit,omitempty"`
}

// Action is what a command does.
type Action string

// Actions. The HTTP API names them the same, with '-' for '_'.
const (
	ActAccept    Action = "accept"     // moderator: new → accepted
	ActRefuse    Action = "refuse"     // moderator: new, accepted → refused (reason)
	ActUnfounded Action = "unfounded"  // moderator, handler: open → unfounded (reason)
	ActDuplicate Action = "duplicate"  // moderator: new, accepted → duplicate (of)
	ActAssign    Action = "assign"     // moderator: accepted, assigned, in_progress → assigned (unit)
	ActStart     Action = "start"      // handler, moderator: assigned → in_progress
	ActReturn    Action = "return"     // handler: assigned, in_progress → accepted (reason: not ours)
	ActAnswer    Action = "answer"     // handler, moderator: assigned, in_progress: set the answer (text, photos)
	ActResolve   Action = "resolve"    // handler, moderator: assigned, in_progress with an answer → resolved
	ActReopen    Action = "reopen"     // reporter: resolved, once, within the window → assigned (reason)
	ActSatisfied Action = "satisfied"  // reporter: resolved → verdict satisfied
	ActMeToo     Action = "me_too"     // public: open report → me_too+1
	ActHidePhoto Action = "hide_photo" // moderator: a photo hidden from the public
	ActShowPhoto Action = "show_photo" // moderator: shown again
	ActErase     Action = "erase"      // system: reporter's personal data erased
)

// Command asks for an action on a report.
type Command struct {
	Action      Action
	Actor       Actor
	Reason      string
	Unit        string
	DuplicateOf string
	Text        string
	// Photos are the answer's photos (hashes from the photo store).
	Photos []string
	// Photo is the hash of the photo to hide or show.
	Photo string
}

// Event is one change of a report: what happened, who did it, when and
// why. Apply turns a report and an event into the next report. Seq is
// given by the store (strictly increasing per server).
type Event struct {
	Seq    int64     `json:"seq"`
	Report string    `json:"report"`
	Office string    `json:"office"`
	Type   string    `json:"type"` // "report." + the action or "created": see EventType
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	// Status is the report's status after the event.
	Status      Status   `json:"status"`
	Unit        string   `json:"unit,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	DuplicateOf string   `json:"duplicate_of,omitempty"`
	Text        string   `json:"text,omitempty"`
	Photos      []string `json:"photos,omitempty"`
	Photo       string   `json:"photo,omitempty"`
	// ResolveDue is the new resolution deadline of a reopened report
	// (counted from the reopening on the calendar, which Apply does not
	// know).
	ResolveDue time.Time `json:"resolve_due,omitzero"`
	// Report is the whole new report for "report.created" only.
	Created *Report `json:"-"`
}

// NewReport is what a reporter (or an Open311 client, or staff) sends.
type NewReport struct {
	Category    string
	Description string
	Place       Place
	// Photos are hashes from the photo store, in order.
	Photos   []string
	Reporter Reporter
	Channel  Channel
	Client   string
	// MediaURL is an Open311 client's media_url: an http or https link,
	// kept for staff, never fetched.
	MediaURL string
	// TokenHash is the SHA-256 of the manage token made for the reporter.
	TokenHash []byte
}
