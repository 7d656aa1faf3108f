package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/engine"
	"luot/server/queue"
)

// TrackJSON is what the holder's tracking page shows: the ticket with its
// forecast, the clock time it is expected to be called, the counters that
// serve its service with the number each is serving, and, after a no-show,
// cancellation or expiry, the reason.
type TrackJSON struct {
	Ticket TicketJSON `json:"ticket"`
	// Office is the ticket's office's id (the page's opt-in names it).
	Office       string         `json:"office"`
	OfficeName   string         `json:"office_name"`
	OfficeNameEN string         `json:"office_name_en,omitempty"`
	ETAAt        *time.Time     `json:"eta_at"`
	Counters     []TrackCounter `json:"counters"`
	// Reason is "no_show" (called but not present), "cancelled" or
	// "day_ended" when the ticket ended without being served.
	Reason string `json:"reason,omitempty"`
	// CanCancel and CanRate say which actions the holder has.
	CanCancel bool `json:"can_cancel"`
	CanRate   bool `json:"can_rate"`
	Rated     bool `json:"rated"`
}

// TrackCounter is a counter that serves the ticket's service.
type TrackCounter struct {
	Number  int                `json:"number"`
	Name    string             `json:"name,omitempty"`
	State   queue.CounterState `json:"state"`
	Current string             `json:"current,omitempty"` // the number being served
}

func (c *citizen) renderTrack(ctx context.Context, t *queue.Ticket, v *engine.View) TrackJSON {
	return c.renderTrackRated(t, v, func(id string) bool { return c.rated(ctx, id) })
}

// rated reports whether ticket id has been rated.
func (c *citizen) rated(ctx context.Context, id string) bool {
	rt, err := c.s.st.RatingOf(ctx, id)
	return err == nil && rt != nil
}

// renderTrackRated is renderTrack with the rating lookup of a done ticket
// given.
func (c *citizen) renderTrackRated(t *queue.Ticket, v *engine.View, rated func(id string) bool) TrackJSON {
	if v != nil {
		if cur, ok := v.Tickets[t.ID]; ok {
			t = cur
		}
	}
	j := TrackJSON{Ticket: c.s.render(t, v), Office: t.Office, Counters: []TrackCounter{}}
	if v != nil {
		j.OfficeName, j.OfficeNameEN = v.Office.Name, v.Office.NameEN
		if t.Status == queue.StatusWaiting && j.Ticket.ExpectedAt != nil {
			at := *j.Ticket.ExpectedAt
			j.ETAAt = &at
		}
		for i := range v.Office.Counters {
			k := &v.Office.Counters[i]
			if _, ok := k.Serves(t.Service); !ok && t.Pinned != k.ID && t.Counter != k.ID {
				continue
			}
			cs := v.Counters[k.ID]
			tc := TrackCounter{Number: k.Number, Name: k.Name, State: cs.State}
			if tc.State == "" {
				tc.State = queue.CounterClosed
			}
			if cur, ok := v.Tickets[cs.Current]; ok && cur.Active() {
				tc.Current = cur.Display
			}
			j.Counters = append(j.Counters, tc)
		}
		j.CanCancel = t.Day == v.Day && (t.Status == queue.StatusWaiting || t.Status == queue.StatusCalled)
	}
	switch t.Status {
	case queue.StatusNoShow:
		j.Reason = "no_show"
	case queue.StatusCancelled:
		j.Reason = "cancelled"
	case queue.StatusExpired:
		j.Reason = "day_ended"
	case queue.StatusDone:
		j.CanRate = true
		if rated(t.ID) {
			j.Rated, j.CanRate = true, false
		}
	}
	return j
}

// track answers the tracking page's poll.
func (c *citizen) track(w http.ResponseWriter, r *http.Request) {
	t, v, ok := c.holderTicket(w, r, r.URL.Query().Get("token"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, c.renderTrack(r.Context(), t, v))
}

// trackFeeds shares the live tracking message of each followed ticket
// among the clients that follow it (a family on several phones, the
// ticket's page open in several tabs, or thousands in a load test): the
// message is rendered and encoded at most once per view of the office
// (once per event) and ticket, and only for tickets that have followers,
// when the first of them wakes up for that event. An entry holds one
// message and lives while its ticket has followers, so memory is bounded
// by the number of followed tickets.
type trackFeeds struct {
	mu sync.Mutex
	m  map[string]*trackFeed // by ticket id
	// renders counts the messages rendered and encoded (for tests).
	renders atomic.Int64
}

// trackFeed is one followed ticket's latest message.
type trackFeed struct {
	n int // followers; guarded by trackFeeds.mu

	mu   sync.Mutex
	view *engine.View // the view j was rendered from
	j    TrackJSON
	// shown is what the tracking page shows of j: j with the forecast to
	// the minute (see shownAt), encoded; msg is j encoded, once a
	// follower needed it (nil until then).
	shown, msg []byte
	// rated and ratedAt cache the rating lookup of a done ticket: a
	// rating is final, and a missing one is looked up again at most every
	// ratingRecheck (a rating makes no office event, so the stream learns
	// of it at the next event anyway) instead of a query per event.
	rated   bool
	ratedAt time.Time
}

// ratingRecheck is how often a feed looks again for the rating of its done
// ticket.
const ratingRecheck = 5 * time.Second

// follow registers a follower of ticket id; call unfollow when it leaves.
func (fs *trackFeeds) follow(id string) *trackFeed {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.m == nil {
		fs.m = map[string]*trackFeed{}
	}
	f := fs.m[id]
	if f == nil {
		f = &trackFeed{}
		fs.m[id] = f
	}
	f.n++
	return f
}

func (fs *trackFeeds) unfollow(id string, f *trackFeed) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f.n--; f.n == 0 && fs.m[id] == f {
		delete(fs.m, id)
	}
}

// followed returns how many tickets have followers (for tests).
func (fs *trackFeeds) followed() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.m)
}

// shownAt renders the TrackJSON of t as of view v, only if no follower
// did for v yet, and returns what the tracking page shows of it: the
// message with the forecast rounded to the minute (eta_seconds to whole
// minutes, eta_at and expected_at cut to the minute), encoded. A follower sends the
// message (see current) only when shown differs from what it last sent: an event that
// only moves the wait by seconds (time passing between two events; a
// ticket issued behind this one) wakes no phone, while a change of
// position, status, counters or the forecast's minute always does.
// Neither depends on the follower: the same ticket (same id, same token)
// and the same view give the same bytes, which are shared and must not be
// modified.
func (f *trackFeed) shownAt(c *citizen, t *queue.Ticket, v *engine.View) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// A follower that woke late may bring an older view than the one
	// already rendered: it gets the newer one (seq only grows).
	if f.shown != nil && (f.view == v || (v != nil && f.view != nil && f.view.Seq >= v.Seq)) {
		return f.shown, nil
	}
	j := c.renderTrackRated(t, v, func(id string) bool {
		if !f.rated && time.Since(f.ratedAt) >= ratingRecheck {
			// A follower's request may end while it renders for the
			// others: the lookup gets a context of its own.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			f.rated, f.ratedAt = c.rated(ctx, id), time.Now()
		}
		return f.rated
	})
	r := j
	if r.Ticket.ETASeconds > 0 {
		r.Ticket.ETASeconds = int((time.Duration(r.Ticket.ETASeconds) * time.Second).Round(time.Minute) / time.Second)
	}
	if r.ETAAt != nil {
		at := r.ETAAt.Truncate(time.Minute)
		r.ETAAt = &at
	}
	if r.Ticket.ExpectedAt != nil {
		at := r.Ticket.ExpectedAt.Truncate(time.Minute)
		r.Ticket.ExpectedAt = &at
	}
	shown, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	f.view, f.j, f.shown, f.msg = v, j, shown, nil
	c.feeds.renders.Add(1)
	return shown, nil
}

// current returns the feed's latest message and its shown part, encoding
// the message once, when the first follower needs to send it (most views
// change nothing a page shows: then nobody encodes it).
func (f *trackFeed) current() (msg, shown []byte, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.msg == nil {
		if f.msg, err = json.Marshal(f.j); err != nil {
			return nil, nil, err
		}
	}
	return f.msg, f.shown, nil
}

// ticketEvents is the holder's live stream: a TrackJSON message at once,
// then another whenever an event of the office changes what the tracking
// page shows (position, status, the numbers at the counters, the forecast
// to the minute; see trackFeed.message). It is driven
// by the office's hub: nothing is computed per viewer between events, and
// per event the ticket's message is encoded once for all its followers
// (trackFeeds).
// Pings, the read limit and the slow-client rule are the office stream's.
func (c *citizen) ticketEvents(w http.ResponseWriter, r *http.Request) {
	t, v, ok := c.holderTicket(w, r, r.URL.Query().Get("token"))
	if !ok {
		return
	}
	s := c.s
	office := t.Office
	st, ok := s.openStream(w, r, office, "this stream")
	if !ok {
		return
	}
	defer st.close()

	feed := c.feeds.follow(t.ID)
	defer c.feeds.unfollow(t.ID, feed)
	var last []byte // what the page shows of the last message sent
	send := func() bool {
		if nv, err := s.eng.View(office); err == nil {
			v = nv
		}
		shown, err := feed.shownAt(c, t, v)
		if err != nil || bytes.Equal(shown, last) {
			return err == nil
		}
		// Another follower may render a newer view in between: the
		// message sent is then that view's, and last is its shown part.
		b, shown, err := feed.current()
		if err != nil {
			return false
		}
		last = shown
		return st.write(b)
	}
	if !send() {
		return
	}
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-st.sub.C():
			// Many events may be queued: one answer for all of them.
			for drained := false; !drained; {
				select {
				case <-st.sub.C():
				default:
					drained = true
				}
			}
			if !send() {
				return
			}
		case <-st.sub.Done():
			st.closeWith(websocket.CloseTryAgainLater, "reconnect to keep following the ticket")
			return
		case <-ping.C:
			if !st.ping() {
				return
			}
		case <-st.readerDone:
			return
		}
	}
}
