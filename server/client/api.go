package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Office is an office's public configuration.
type Office struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	NameEN   string    `json:"name_en"`
	Timezone string    `json:"timezone"`
	Services []Service `json:"services"`
	Counters []Counter `json:"counters"`
	Ticker   string    `json:"ticker"`
	OpenNow  bool      `json:"open_now"`
}

// Service is a service of an office.
type Service struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Prefix string `json:"prefix"`
	Active bool   `json:"active"`
	// Served is false when no counter serves the service.
	Served bool `json:"served"`
}

// Counter is a counter of an office.
type Counter struct {
	ID       string   `json:"id"`
	Number   int      `json:"number"`
	Name     string   `json:"name"`
	State    string   `json:"state"`
	Services []string `json:"services"`
	Current  *Ticket  `json:"current,omitempty"`
}

// Ticket is a ticket as the API shows it.
type Ticket struct {
	ID            string    `json:"id"`
	Number        string    `json:"number"`
	Service       string    `json:"service"`
	ServiceName   string    `json:"service_name"`
	Status        string    `json:"status"`
	Priority      string    `json:"priority"`
	Source        string    `json:"source"`
	IssuedAt      time.Time `json:"issued_at"`
	CalledAt      time.Time `json:"called_at"`
	Counter       string    `json:"counter"`
	CounterNumber int       `json:"counter_number"`
	Recalls       int       `json:"recalls"`
	Ahead         int       `json:"ahead"`
	// ETASeconds is the estimated wait; −1 when it cannot be estimated
	// (no counter could call the ticket, or none is open while the office
	// is open by its hours).
	ETASeconds int `json:"eta_seconds"`
	// Provisional is true when no counter is open: the wait then counts
	// from the office's next opening time, and a screen says that no
	// counter is open rather than promising a short wait.
	Provisional bool `json:"eta_provisional"`
	// ExpectedAt is when the ticket is expected to be called, in the
	// office's timezone; zero when not known.
	ExpectedAt time.Time `json:"expected_at"`
	TrackURL   string    `json:"track_url"`
}

// Snapshot is an office's live state.
type Snapshot struct {
	Seq      int64          `json:"seq"`
	Day      string         `json:"day"`
	Counters []Counter      `json:"counters"`
	Waiting  map[string]int `json:"waiting"`
	Recent   []Ticket       `json:"recent"`
	Ticker   string         `json:"ticker"`
}

// Session is a staff login.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	// Staff, Name and Counter say who signed in where: at a counter
	// station, the station's counter whatever was asked.
	Staff   string `json:"staff"`
	Name    string `json:"name"`
	Counter string `json:"counter"`
}

func officePath(office string) string { return "/api/v1/offices/" + url.PathEscape(office) }

// Office returns an office's public configuration.
func (c *Client) Office(ctx context.Context, office string) (*Office, error) {
	var o Office
	_, err := c.do(ctx, http.MethodGet, officePath(office), nil, "", &o)
	return &o, err
}

// State returns an office's live state.
func (c *Client) State(ctx context.Context, office string) (*Snapshot, error) {
	var s Snapshot
	_, err := c.do(ctx, http.MethodGet, officePath(office)+"/state", nil, "", &s)
	return &s, err
}

// IssueRequest asks for a walk-in ticket.
type IssueRequest struct {
	Service  string `json:"service"`
	Priority string `json:"priority,omitempty"`
}

// Issue issues a walk-in ticket. key is the idempotency key of this one
// request (NewIdempotencyKey); network errors are retried with it, so one
// tap never makes two tickets.
func (c *Client) Issue(ctx context.Context, office string, r IssueRequest, key string) (*Ticket, error) {
	var out struct {
		Ticket Ticket `json:"ticket"`
	}
	_, err := c.do(ctx, http.MethodPost, officePath(office)+"/tickets", r, key, &out)
	if err != nil {
		return nil, err
	}
	return &out.Ticket, nil
}

// Ticket returns a ticket's status, given its tracking token.
func (c *Client) Ticket(ctx context.Context, id, token string) (*Ticket, error) {
	var t Ticket
	_, err := c.do(ctx, http.MethodGet, "/api/v1/tickets/"+url.PathEscape(id)+"?token="+url.QueryEscape(token), nil, "", &t)
	return &t, err
}

// Login opens a staff session at a counter and returns it. Use the token
// with WithToken on a new client.
func (c *Client) Login(ctx context.Context, office, counter, staff, pin string) (*Session, error) {
	var s Session
	body := map[string]string{"office": office, "counter": counter, "staff": staff, "pin": pin}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/sessions", body, "", &s)
	return &s, err
}

// CounterAction is a clerk's action on their counter.
type CounterAction string

// Counter actions.
const (
	ActionNext     CounterAction = "next"
	ActionRecall   CounterAction = "recall"
	ActionStart    CounterAction = "start"
	ActionDone     CounterAction = "done"
	ActionNoShow   CounterAction = "no-show"
	ActionTransfer CounterAction = "transfer"
	ActionCall     CounterAction = "call"
	ActionPause    CounterAction = "pause"
	ActionOpen     CounterAction = "open"
	ActionClose    CounterAction = "close"
)

// Act performs a clerk's action on a counter; body is the action's JSON
// body (transfer: {service, counter, to_end}; call: {number}) or nil. It
// returns the ticket concerned, or nil (e.g. "next" when nobody waits).
//
// Each call is one press: it sends a new idempotency key and keeps it for
// its retries after network errors, so a retry whose first try did reach
// the server gets that first answer — never a second "next", which would
// end the ticket just called.
func (c *Client) Act(ctx context.Context, counter string, a CounterAction, body any) (*Ticket, error) {
	return c.ActWithKey(ctx, counter, a, body, NewIdempotencyKey())
}

// ActWithKey is Act with the caller's idempotency key (NewIdempotencyKey):
// one per press of the console or of the counter station's keypad, given
// again when the caller itself tries the same press again (after Act gave
// up on a network error, say); a repeat gets the first answer.
func (c *Client) ActWithKey(ctx context.Context, counter string, a CounterAction, body any, key string) (*Ticket, error) {
	if key == "" {
		return nil, errors.New("a counter action needs an idempotency key: use NewIdempotencyKey")
	}
	var out struct {
		Ticket *Ticket `json:"ticket"`
	}
	if body == nil {
		body = struct{}{}
	}
	status, err := c.do(ctx, http.MethodPost, "/api/v1/counters/"+url.PathEscape(counter)+"/"+string(a), body, key, &out)
	if err != nil || status == http.StatusNoContent {
		return nil, err
	}
	return out.Ticket, nil
}

// ReportStatus reports the device's condition (e.g. a printer fault), which
// staff see as a device.status event.
func (c *Client) ReportStatus(ctx context.Context, status, message string) error {
	body := map[string]string{"status": status, "message": message}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/devices/status", body, "", nil)
	return err
}

func eventsPath(office string, since int64) string {
	p := officePath(office) + "/events"
	if since > 0 {
		p += "?since=" + strconv.FormatInt(since, 10)
	}
	return p
}
