package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// The counter station's part of the wire contract (docs/station.md). A
// station authenticates with its device key (WithDeviceKey); the server
// knows from the key which counter it is bound to.

// Station is what a counter station shows besides the queue: its office
// and counter, the clerk signed in there, and how to ask for ratings.
type Station struct {
	Device  string  `json:"device"`
	Office  Office  `json:"office"`
	Counter Counter `json:"counter"`
	// Clerk is the clerk with a session at the counter, nil when nobody
	// is signed in.
	Clerk  *Clerk       `json:"clerk,omitempty"`
	Rating RatingPolicy `json:"rating"`
}

// Clerk is what a station shows of the clerk at its counter.
type Clerk struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	// PhotoURL is the path of the clerk's photo (GET with the station's
	// key), "" when there is none.
	PhotoURL string `json:"photo_url,omitempty"`
}

// RatingPolicy is the office's rating prompt: the fixed 4-level scale,
// the optional reasons of a low score, how long the prompt stays, and
// how long after done a station may still rate.
type RatingPolicy struct {
	Scale         []RatingLevel  `json:"scale"`
	Reasons       []RatingReason `json:"reasons"`
	PromptSeconds int            `json:"prompt_seconds"`
	WindowSeconds int            `json:"window_seconds"`
}

// RatingLevel is one step of the scale, 4 (very satisfied) to 1.
type RatingLevel struct {
	Score  int    `json:"score"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// RatingReason is an optional reason of a low score.
type RatingReason struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Rating is a stored rating as the station sees it.
type Rating struct {
	Ticket  string    `json:"ticket"`
	Score   int       `json:"score"`
	Channel string    `json:"channel"`
	Reasons []string  `json:"reasons,omitempty"`
	At      time.Time `json:"at"`
}

// StationRating is a citizen's tap on the station's rating prompt.
type StationRating struct {
	Ticket  string   `json:"ticket"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
}

// PrintJob is a document for the station's printer.
type PrintJob struct {
	ID        int64     `json:"id"`
	Counter   string    `json:"counter"`
	Kind      string    `json:"kind"`
	State     string    `json:"state"`
	Doc       Document  `json:"doc"`
	CreatedAt time.Time `json:"created_at"`
}

// Document is what a receipt printer prints, line by line.
type Document struct {
	Lines []DocLine `json:"lines"`
}

// DocLine is a line of a Document: Style is title, text, big, small,
// rule, qr or blank; TextEN, when set, is printed below Text.
type DocLine struct {
	Style  string `json:"style"`
	Text   string `json:"text,omitempty"`
	TextEN string `json:"text_en,omitempty"`
	Align  string `json:"align,omitempty"`
}

// PrintResult is a station's acknowledgement of a print job.
type PrintResult struct {
	// Result is "printed" or "failed".
	Result string `json:"result"`
	// Fault is the printer's fault code when it failed ("paper-end" …).
	Fault string `json:"fault,omitempty"`
}

// Station returns the station's configuration as the server sees it now
// (GET /api/v1/station).
func (c *Client) Station(ctx context.Context) (*Station, error) {
	var out Station
	_, err := c.do(ctx, http.MethodGet, "/api/v1/station", nil, "", &out)
	return &out, err
}

// RateAtStation stores a citizen's rating given on the station's screen.
// A ticket already rated (on the phone or here) is a 409 already_rated;
// another counter's ticket or one finished too long ago is refused.
func (c *Client) RateAtStation(ctx context.Context, r StationRating, key string) (*Rating, error) {
	var out struct {
		Rating Rating `json:"rating"`
	}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/station/ratings", r, key, &out)
	return &out.Rating, err
}

// PrintJobs returns the station's queued print jobs, oldest first.
func (c *Client) PrintJobs(ctx context.Context) ([]PrintJob, error) {
	var out struct {
		Jobs []PrintJob `json:"jobs"`
	}
	_, err := c.do(ctx, http.MethodGet, "/api/v1/station/print-jobs", nil, "", &out)
	return out.Jobs, err
}

// AckPrintJob acknowledges a print job printed or failed. Acknowledging
// it again with the same result is harmless (the station retries after a
// restart).
func (c *Client) AckPrintJob(ctx context.Context, id int64, r PrintResult) error {
	_, err := c.do(ctx, http.MethodPost, "/api/v1/station/print-jobs/"+strconv.FormatInt(id, 10), r, "ack-"+strconv.FormatInt(id, 10), nil)
	return err
}
