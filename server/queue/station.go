package queue

import "time"

// DeviceStation is a counter station: the screen at a counter that faces
// the citizen, with the clerk's keypad and the counter's printer. Unlike a
// kiosk or a display it is bound to one counter (Device.Counter).
const DeviceStation DeviceKind = "station"

// Rating channels: where a rating was given.
const (
	// RatingPhone: the citizen rated on the tracking page.
	RatingPhone = "phone"
	// RatingStation: the citizen tapped the counter station's screen.
	RatingStation = "station"
)

// RatingPolicy is how an office asks for ratings at its counter stations.
// The scale itself is fixed: 4 very satisfied, 3 satisfied, 2 neutral,
// 1 dissatisfied (the same on the phone).
type RatingPolicy struct {
	// Reasons are the optional reasons a citizen may add to a low score
	// (2 or 1); empty gives DefaultRatingReasons.
	Reasons []RatingReason `json:"reasons,omitempty"`
	// PromptSeconds is how long the station shows the rating prompt
	// after done (default 30).
	PromptSeconds int `json:"prompt_seconds,omitempty"`
	// WindowSeconds is how long after done a station may still rate a
	// ticket (default 600); the phone has no such limit.
	WindowSeconds int `json:"window_seconds,omitempty"`
}

// RatingReason is one optional reason of a low rating.
type RatingReason struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// DefaultRatingReasons are the reasons offered when an office names none.
var DefaultRatingReasons = []RatingReason{
	{ID: "wait", Name: "Chờ lâu", NameEN: "Long wait"},
	{ID: "attitude", Name: "Thái độ", NameEN: "Attitude"},
	{ID: "guidance", Name: "Hướng dẫn chưa rõ", NameEN: "Unclear guidance"},
	{ID: "other", Name: "Khác", NameEN: "Other"},
}

// PrintJobState is where a print job is.
type PrintJobState string

// Print job states. A job is queued until its counter's station
// acknowledges it printed or failed; both are final.
const (
	PrintQueued  PrintJobState = "queued"
	PrintPrinted PrintJobState = "printed"
	PrintFailed  PrintJobState = "failed"
)

// PrintJob kinds.
const (
	PrintReprint        = "reprint"         // a ticket printed again
	PrintTest           = "test"            // the administrator's test receipt
	PrintDossierReceipt = "dossier_receipt" // issue "Dossiers"
	PrintApology        = "apology"         // issue "Dossiers": a late dossier's notice
)

// PrintJob is a document the server sends to a counter's station printer.
// It is durable on the server until the station acknowledges it.
type PrintJob struct {
	ID      int64         `json:"id"`
	Office  string        `json:"office"`
	Counter string        `json:"counter"`
	Kind    string        `json:"kind"`
	State   PrintJobState `json:"state"`
	Doc     Document      `json:"doc"`
	// By is who asked for it (a staff login, or "system").
	By        string    `json:"by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
	// Fault is the printer's typed fault of a failed job ("paper-end" …).
	Fault string `json:"fault,omitempty"`
}

// Document is what a receipt printer prints: lines top to bottom.
type Document struct {
	Lines []DocLine `json:"lines"`
}

// DocLine styles.
const (
	LineTitle = "title" // bold, double height, centred
	LineText  = "text"  // normal text
	LineBig   = "big"   // a number, very large, centred
	LineSmall = "small" // small print
	LineRule  = "rule"  // a dashed line across the paper
	LineQR    = "qr"    // a QR code of Text, centred
	LineBlank = "blank" // an empty line
)

// DocLine is one line of a Document. Text is Vietnamese (or a URL for a
// QR line); TextEN, when set, is printed below it.
type DocLine struct {
	Style  string `json:"style"`
	Text   string `json:"text,omitempty"`
	TextEN string `json:"text_en,omitempty"`
	// Align is "left", "center" or "right" ("" is the style's own).
	Align string `json:"align,omitempty"`
}

// EventPrintQueued tells an office's stream that a print job waits for a
// counter's station: data is PrintData (no content: the station fetches
// the job with its key).
const EventPrintQueued EventType = "print.queued"

// PrintData is the payload of print.queued.
type PrintData struct {
	Counter string `json:"counter"`
	Job     int64  `json:"job"`
}
