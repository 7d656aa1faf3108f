// Package stationstate is the counter station's model: from the office's
// event stream, the station's configuration, the clerk's keys and the
// citizen's taps it makes the View the screen draws. It is pure: no Fyne,
// no network, no clock of its own (time is passed in), so its rules are
// tested without a window.
package stationstate

import "time"

// Mode is what the citizen's side of the screen shows.
type Mode string

// Modes of the station's screen.
const (
	// ModeConnecting: no station configuration yet (first start, or the
	// server unreachable before it ever answered).
	ModeConnecting Mode = "connecting"
	// ModeClosed: the counter is closed.
	ModeClosed Mode = "closed"
	// ModeIdle: open, nobody called.
	ModeIdle Mode = "idle"
	// ModeCalled: "Mời công dân số A012".
	ModeCalled Mode = "called"
	// ModeServing: the clerk started serving the ticket.
	ModeServing Mode = "serving"
	// ModePaused: "Quầy tạm nghỉ".
	ModePaused Mode = "paused"
	// ModeRating: after done, the four big buttons.
	ModeRating Mode = "rating"
	// ModeReasons: after a low score, the optional reasons and "Gửi".
	ModeReasons Mode = "reasons"
	// ModeThanks: after a rating (or its timeout), thanks for a moment.
	ModeThanks Mode = "thanks"
)

// View is everything the station's screen draws; the state endpoint
// serves it as JSON.
type View struct {
	// Version counts the model's changes.
	Version int64 `json:"version"`
	Mode    Mode  `json:"mode"`
	// English: the citizen's side is in English (the language button, or
	// the station's configuration); the clerk's corner follows it too.
	English bool `json:"english"`
	// Connected is whether the event stream is up; while it is not, the
	// screen keeps what it had and says so in a banner.
	Connected bool `json:"connected"`

	OfficeName    string `json:"office_name"`
	OfficeNameEN  string `json:"office_name_en,omitempty"`
	Counter       string `json:"counter"`
	CounterNumber int    `json:"counter_number"`
	CounterName   string `json:"counter_name"`

	// Clerk is the clerk signed in at the counter (on the station or at
	// the console), nil when nobody is.
	Clerk *Clerk `json:"clerk,omitempty"`
	// Ticket is the ticket called, served or being rated.
	Ticket *Ticket `json:"ticket,omitempty"`
	// Rating is the prompt while Mode is rating or reasons.
	Rating *Prompt `json:"rating,omitempty"`

	// Corner is the clerk-facing corner: the sign-in prompt, or what the
	// last key did.
	Corner Corner `json:"corner"`
	// Printer is the printer's fault in words, "" when it is fine.
	Printer   string `json:"printer,omitempty"`
	PrinterEN string `json:"printer_en,omitempty"`
}

// Clerk is the clerk as the citizen sees them.
type Clerk struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	// Photo is the clerk's photo (JPEG or PNG bytes), nil when none.
	Photo []byte `json:"-"`
}

// Ticket is the ticket at the counter.
type Ticket struct {
	ID            string `json:"id"`
	Number        string `json:"number"`
	ServiceName   string `json:"service_name"`
	ServiceNameEN string `json:"service_name_en,omitempty"`
}

// Prompt is the rating prompt: the scale (4 … 1), the reasons offered
// after a low score, those the citizen picked, and when it ends.
type Prompt struct {
	Scale    []Level   `json:"scale"`
	Reasons  []Reason  `json:"reasons"`
	Score    int       `json:"score,omitempty"`
	Picked   []string  `json:"picked,omitempty"`
	Deadline time.Time `json:"deadline"`
}

// Level is one button of the scale.
type Level struct {
	Score  int    `json:"score"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Reason is one optional reason.
type Reason struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Corner is what the clerk-facing corner shows.
type Corner struct {
	// SignIn is the step of signing in on the keypad: "" (signed in, or
	// no keypad), "staff" (typing the staff id) or "pin".
	SignIn string `json:"sign_in,omitempty"`
	// Typed is what was typed at this step; a PIN shows as dots.
	Typed string `json:"typed,omitempty"`
	// Message says what the last key did ("F1 → Gọi số tiếp: A012"), OK
	// is false when it was refused.
	Message   string `json:"message,omitempty"`
	MessageEN string `json:"message_en,omitempty"`
	OK        bool   `json:"ok"`
}

// Tap is a touch on the citizen's side of the screen.
type Tap struct {
	Kind TapKind `json:"kind"`
	// Score for TapScore, Reason for TapReason.
	Score  int    `json:"score,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// TapKind is what was touched.
type TapKind string

// Taps.
const (
	TapScore    TapKind = "score"    // one of the four buttons
	TapReason   TapKind = "reason"   // a reason, picked or unpicked
	TapSend     TapKind = "send"     // send the low score with the reasons picked
	TapLanguage TapKind = "language" // Tiếng Việt ⇄ English
)
