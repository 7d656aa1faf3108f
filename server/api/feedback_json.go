package api

import (
	"encoding/json"
	"time"

	"luot/server/feedback"
)

// PublicReportJSON is a report as anyone may see it: never the reporter,
// never a hidden photo.
type PublicReportJSON struct {
	Code        string          `json:"code"`
	Category    string          `json:"category"`
	Status      feedback.Status `json:"status"`
	Description string          `json:"description"`
	Place       PlaceJSON       `json:"place"`
	Photos      []PhotoJSON     `json:"photos"`
	Unit        string          `json:"unit,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	AckDue      time.Time       `json:"ack_due"`
	ResolveDue  time.Time       `json:"resolve_due"`
	ResolvedAt  *time.Time      `json:"resolved_at,omitempty"`
	Answer      string          `json:"answer,omitempty"`
	MeToo       int             `json:"me_too"`
	Verdict     string          `json:"verdict,omitempty"`
	Overdue     bool            `json:"overdue"`
	DuplicateOf string          `json:"duplicate_of,omitempty"`
	Reason      string          `json:"reason,omitempty"`
}

// PlaceJSON is where a report is; Lat and Lon are absent when it has
// only an address.
type PlaceJSON struct {
	Lat      *float64 `json:"lat,omitempty"`
	Lon      *float64 `json:"lon,omitempty"`
	Accuracy float64  `json:"accuracy,omitempty"`
	Address  string   `json:"address,omitempty"`
	Ward     string   `json:"ward,omitempty"`
}

// PhotoJSON is a photo of a report: its URLs, whether it belongs to the
// answer, and for staff whether the public does not see it.
type PhotoJSON struct {
	Hash     string `json:"hash"`
	URL      string `json:"url"`
	ThumbURL string `json:"thumb_url"`
	Answer   bool   `json:"answer,omitempty"`
	Hidden   bool   `json:"hidden,omitempty"`
}

// StaffReportJSON is a report as its staff see it: the public report, the
// reporter (nothing when anonymous), the channel, hidden photos, and the
// version actions are checked against.
type StaffReportJSON struct {
	PublicReportJSON
	Reporter ReporterJSON     `json:"reporter"`
	Channel  feedback.Channel `json:"channel"`
	// MediaURL is the link an Open311 client sent (never fetched).
	MediaURL   string     `json:"media_url,omitempty"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	Reopened   int        `json:"reopened,omitempty"`
	Version    int        `json:"version"`
}

// ReporterJSON is who sent a report, for staff only.
type ReporterJSON struct {
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Anonymous bool   `json:"anonymous"`
}

// TimelineJSON is one step of a report's public timeline: units, never
// staff names.
type TimelineJSON struct {
	Type   string          `json:"type"`
	At     time.Time       `json:"at"`
	Status feedback.Status `json:"status"`
	Unit   string          `json:"unit,omitempty"`
	Reason string          `json:"reason,omitempty"`
	Text   string          `json:"text,omitempty"`
}

// StaffEventJSON is one event as staff see it: the whole event, with who
// did it.
type StaffEventJSON struct {
	Seq         int64           `json:"seq"`
	Report      string          `json:"report"`
	Type        string          `json:"type"`
	At          time.Time       `json:"at"`
	Actor       feedback.Actor  `json:"actor"`
	Status      feedback.Status `json:"status"`
	Unit        string          `json:"unit,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	DuplicateOf string          `json:"duplicate_of,omitempty"`
	Text        string          `json:"text,omitempty"`
	Photos      []string        `json:"photos,omitempty"`
	Photo       string          `json:"photo,omitempty"`
}

func photoURL(hash string) (url, thumb string) {
	u := "/api/v1/photos/" + hash
	return u, u + "?size=thumb"
}

func optTime(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	return &t
}

// public renders the report for anyone: it goes through feedback.Public
// (no reporter, no hidden photo, no token) and keeps no hidden photo
// whatever that returns.
func (f *fb) public(r feedback.Report) PublicReportJSON {
	now := f.s.now()
	loc := f.loc()
	p := feedback.Public(r)
	j := PublicReportJSON{
		Code: p.Code, Category: p.Category, Status: p.Status, Description: p.Description,
		Place:  PlaceJSON{Accuracy: p.Place.Accuracy, Address: p.Place.Address, Ward: p.Place.Ward},
		Photos: []PhotoJSON{}, Unit: p.Unit, CreatedAt: p.Created.In(loc), AckDue: p.AckDue.In(loc), ResolveDue: p.ResolveDue.In(loc),
		ResolvedAt: optTime(p.Resolved, loc), Answer: p.Answer, MeToo: p.MeToo, Verdict: string(p.Verdict),
		Overdue: r.Overdue(now), DuplicateOf: p.DuplicateOf, Reason: p.Reason,
	}
	if pt := p.Place.Point; pt != nil {
		lat, lon := pt.Lat, pt.Lon
		j.Place.Lat, j.Place.Lon = &lat, &lon
	}
	for _, ph := range p.Photos {
		if ph.Hidden {
			continue
		}
		u, t := photoURL(ph.Hash)
		j.Photos = append(j.Photos, PhotoJSON{Hash: ph.Hash, URL: u, ThumbURL: t, Answer: ph.Answer})
	}
	return j
}

// staff renders the report for its staff: every photo, and the reporter
// (an anonymous report keeps none).
func (f *fb) staff(r feedback.Report) StaffReportJSON {
	loc := f.loc()
	j := StaffReportJSON{PublicReportJSON: f.public(r), Channel: r.Channel, MediaURL: r.MediaURL,
		AcceptedAt: optTime(r.Accepted, loc), ClosedAt: optTime(r.Closed, loc), Reopened: r.Reopened, Version: r.Version}
	// What the public does not see, staff do: the answer before it is
	// public, the photos hidden.
	j.Answer = r.Answer
	j.Photos = []PhotoJSON{}
	for _, ph := range r.Photos {
		u, t := photoURL(ph.Hash)
		j.Photos = append(j.Photos, PhotoJSON{Hash: ph.Hash, URL: u, ThumbURL: t, Answer: ph.Answer, Hidden: ph.Hidden})
	}
	if r.Reporter.Anonymous {
		j.Reporter = ReporterJSON{Anonymous: true}
	} else {
		j.Reporter = ReporterJSON{Name: r.Reporter.Name, Phone: r.Reporter.Phone}
	}
	return j
}

// publicTimeline is the report's events for anyone: status changes with
// their units and reasons, never who did them. "Me too" and photo
// visibility are left out (they are not steps of the handling), and the
// answer's text only while the report is resolved (as feedback.Public
// shows the answer).
func (f *fb) publicTimeline(r feedback.Report, evs []feedback.Event) []TimelineJSON {
	loc := f.loc()
	out := []TimelineJSON{}
	for _, e := range evs {
		switch feedback.Action(trimType(e.Type)) {
		case feedback.ActMeToo, feedback.ActHidePhoto, feedback.ActShowPhoto:
			continue
		}
		t := TimelineJSON{Type: e.Type, At: e.At.In(loc), Status: e.Status, Unit: e.Unit, Reason: e.Reason, Text: e.Text}
		if feedback.Action(trimType(e.Type)) == feedback.ActAnswer && r.Status != feedback.StatusResolved {
			t.Text = ""
		}
		if e.Type == "report.created" {
			t.Text = "" // the description, shown in the report
		}
		out = append(out, t)
	}
	return out
}

// trimType is the action of an event type ("report.accept" → "accept").
func trimType(t string) string {
	const p = "report."
	if len(t) > len(p) && t[:len(p)] == p {
		return t[len(p):]
	}
	return t
}

func (f *fb) staffEvent(e feedback.Event) StaffEventJSON {
	return StaffEventJSON{Seq: e.Seq, Report: e.Report, Type: e.Type, At: e.At.In(f.loc()), Actor: e.Actor, Status: e.Status,
		Unit: e.Unit, Reason: e.Reason, DuplicateOf: e.DuplicateOf, Text: e.Text, Photos: e.Photos, Photo: e.Photo}
}

// wardsGeoJSON is the configured wards' boundaries as a GeoJSON
// FeatureCollection ([lon, lat] positions), or nil when none is
// configured.
func wardsGeoJSON(units []feedback.Unit) json.RawMessage {
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	var fs []feature
	for _, u := range units {
		if u.Kind != feedback.UnitWard || len(u.Area) == 0 {
			continue
		}
		coords := make([][][][2]float64, 0, len(u.Area))
		for _, poly := range u.Area {
			rings := make([][][2]float64, 0, len(poly))
			for _, ring := range poly {
				pts := make([][2]float64, 0, len(ring))
				for _, p := range ring {
					pts = append(pts, [2]float64{p.Lon, p.Lat})
				}
				rings = append(rings, pts)
			}
			coords = append(coords, rings)
		}
		fs = append(fs, feature{Type: "Feature", ID: u.ID,
			Properties: map[string]any{"id": u.ID, "name": u.Name, "name_en": u.NameEN},
			Geometry:   map[string]any{"type": "MultiPolygon", "coordinates": coords}})
	}
	if len(fs) == 0 {
		return nil
	}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs})
	return b
}

// FeedbackConfigJSON answers GET /offices/{office}/feedback.
type FeedbackConfigJSON struct {
	Categories []CategoryJSON   `json:"categories"`
	Units      []UnitJSON       `json:"units"`
	Wards      json.RawMessage  `json:"wards"`
	Map        FeedbackMapJSON  `json:"map"`
	Limits     FeedbackLimitsJS `json:"limits"`
}

// CategoryJSON is a category as the pages show it.
type CategoryJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Hint   string `json:"hint,omitempty"`
	HintEN string `json:"hint_en,omitempty"`
}

// UnitJSON is a unit as the pages show it.
type UnitJSON struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`
	NameEN string            `json:"name_en,omitempty"`
	Kind   feedback.UnitKind `json:"kind"`
}

// FeedbackMapJSON is the map of the pages.
type FeedbackMapJSON struct {
	TileURL     string     `json:"tile_url"`
	Attribution string     `json:"attribution"`
	Center      [2]float64 `json:"center"` // [lat, lon]
	Zoom        int        `json:"zoom"`
}

// FeedbackLimitsJS are the limits a page checks before sending.
type FeedbackLimitsJS struct {
	MaxPhotos      int   `json:"max_photos"`
	MaxPhotoBytes  int64 `json:"max_photo_bytes"`
	MaxDescription int   `json:"max_description"`
}

func (f *fb) configJSON() FeedbackConfigJSON {
	j := FeedbackConfigJSON{Categories: []CategoryJSON{}, Units: []UnitJSON{}, Wards: wardsGeoJSON(f.cfg.Units)}
	for _, c := range f.cfg.Categories {
		j.Categories = append(j.Categories, CategoryJSON{ID: c.ID, Name: c.Name, NameEN: c.NameEN, Hint: c.Hint, HintEN: c.HintEN})
	}
	for _, u := range f.cfg.Units {
		j.Units = append(j.Units, UnitJSON{ID: u.ID, Name: u.Name, NameEN: u.NameEN, Kind: u.Kind})
	}
	if j.Wards == nil {
		j.Wards = json.RawMessage("null")
	}
	m := f.s.cfg.FeedbackMap
	if m.Zoom == 0 {
		m.Zoom = 15
	}
	j.Map = FeedbackMapJSON{TileURL: m.TileURL, Attribution: m.Attribution, Center: [2]float64{m.Center.Lat, m.Center.Lon}, Zoom: m.Zoom}
	j.Limits = FeedbackLimitsJS{MaxPhotos: f.lim.MaxPhotos, MaxPhotoBytes: f.lim.MaxPhotoBytes, MaxDescription: feedback.MaxDescription}
	return j
}
