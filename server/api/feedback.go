package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"time"

	"luot/server/auth"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/ratelimit"
)

// The feedback reports' API (docs/feedback.md, "JSON API"):
//
//	GET    /api/v1/offices/{office}/feedback       anyone: categories, units, wards, map, limits
//	POST   /api/v1/offices/{office}/reports        anyone, rate-limited per address and phone: multipart form → 201 {report, token, report_url}
//	GET    /api/v1/offices/{office}/reports        anyone: the public list (?category=&status=&from=&to=&bbox=&near=&radius=&open=1&limit=&offset=)
//	GET    /api/v1/reports/{code}                  anyone: the public report and its timeline; with ?k= also mine, can_reopen, can_rate
//	GET    /api/v1/reports/{code}/events           anyone (websocket): the report's public events
//	POST   /api/v1/reports/{code}/me-too           anyone, once per address and report a day → {me_too}
//	POST   /api/v1/reports/{code}/verdict          the reporter (k): {k, verdict, reason} → {report}
//	GET    /api/v1/photos/{hash}                   anyone when a report shows it publicly, else the office's report staff (?size=thumb)
//	GET    /api/v1/feedback/reports                moderators (all), handlers (their unit's): the inbox
//	GET    /api/v1/feedback/reports/{code}         moderators, the handler of its unit: the staff report with the whole timeline
//	POST   /api/v1/feedback/reports/{code}/{action} moderators, handlers: accept, refuse, unfounded, duplicate, assign, start, return, answer, resolve, hide-photo, show-photo
//	POST   /api/v1/feedback/photos                 moderators, handlers: multipart photos for an answer → {photos}
//	GET    /api/v1/feedback/events                 moderators, handlers (websocket, ?since=SEQ): the office's report events they may see
//	GET    /api/v1/feedback/stats(.csv)            moderators, handlers: the figures (?from=&to=)
//	GET    /api/v1/feedback/templates              moderators, handlers: the answer templates
//
// The routes exist when Config.Feedback, PhotoPipeline and PhotoDir are
// set and the Store keeps reports (feedback.Store). Free text goes out as JSON strings only:
// escaping it for a page is the page's job, and the API never answers
// HTML.

// FeedbackMap is the map of the citizen pages.
type FeedbackMap struct {
	// TileURL is the tile server's URL template ({z}/{x}/{y}); empty:
	// the pages draw the map without tiles.
	TileURL     string
	Attribution string
	Center      geo.Point
	Zoom        int
}

// FeedbackLimits are the rate limits and sizes of the feedback reports'
// public writes. Each rate is a token bucket: Burst at once, then one per
// Every.
type FeedbackLimits struct {
	// Reports per client address (10 an hour when 0) and per phone
	// number (5 an hour when 0).
	PerAddrBurst  int
	PerAddrEvery  time.Duration
	PerPhoneBurst int
	PerPhoneEvery time.Duration
	// MeToo and verdicts per client address (30 an hour when 0),
	// besides one "me too" per address and report a day.
	WritesBurst int
	WritesEvery time.Duration
	// MaxPhotos per report or answer (feedback.MaxPhotos when 0) and
	// MaxPhotoBytes per photo (the pipeline's limit when 0).
	MaxPhotos     int
	MaxPhotoBytes int64
}

func (l FeedbackLimits) withDefaults() FeedbackLimits {
	if l.PerAddrBurst <= 0 || l.PerAddrEvery <= 0 {
		l.PerAddrBurst, l.PerAddrEvery = 10, time.Hour/10
	}
	if l.PerPhoneBurst <= 0 || l.PerPhoneEvery <= 0 {
		l.PerPhoneBurst, l.PerPhoneEvery = 5, time.Hour/5
	}
	if l.WritesBurst <= 0 || l.WritesEvery <= 0 {
		l.WritesBurst, l.WritesEvery = 30, time.Hour/30
	}
	if l.MaxPhotos <= 0 {
		l.MaxPhotos = feedback.MaxPhotos
	}
	return l
}

// maxFormFields bounds the text of a report's form: every field but the
// photos together (the description is at most 4,000 characters of up to
// 4 bytes each).
const maxFormFields = 64 << 10

// fb is the feedback reports' API: its configuration, store, photos,
// rate limits and the broadcast of report events to the streams.
type fb struct {
	s   *Server
	cfg *feedback.Config
	st  feedback.Store
	// pipe processes photos (bounded in memory); dir keeps them.
	pipe *photo.Pipeline
	dir  *photo.Dir
	lim  FeedbackLimits
	// create limits new reports per address and per phone; writes the
	// other public writes per address; meToo one "me too" per address
	// and report.
	createByAddr, createByPhone, writes, meToo *ratelimit.Limiter
	bus                                        *reportBus
}

// feedbackRoutes registers the feedback API when it is configured.
func (s *Server) feedbackRoutes() {
	fst, ok := s.cfg.Store.(feedback.Store)
	if s.cfg.Feedback == nil || !ok || s.cfg.PhotoPipeline == nil || s.cfg.PhotoDir == nil {
		return
	}
	lim := s.cfg.FeedbackLimits.withDefaults()
	if lim.MaxPhotoBytes <= 0 || lim.MaxPhotoBytes > s.cfg.PhotoPipeline.Limits().MaxBytes {
		lim.MaxPhotoBytes = s.cfg.PhotoPipeline.Limits().MaxBytes
	}
	f := &fb{s: s, cfg: s.cfg.Feedback, st: fst, pipe: s.cfg.PhotoPipeline, dir: s.cfg.PhotoDir, lim: lim, bus: newReportBus(),
		createByAddr:  ratelimit.New(lim.PerAddrBurst, lim.PerAddrEvery, 100_000),
		createByPhone: ratelimit.New(lim.PerPhoneBurst, lim.PerPhoneEvery, 100_000),
		writes:        ratelimit.New(lim.WritesBurst, lim.WritesEvery, 100_000),
		meToo:         ratelimit.New(1, 24*time.Hour, 100_000),
	}
	s.feedback = f
	const p = "/api/v1"
	m := s.mux
	m.HandleFunc("GET "+p+"/offices/{office}/feedback", f.config)
	m.HandleFunc("POST "+p+"/offices/{office}/reports", f.create)
	m.HandleFunc("GET "+p+"/offices/{office}/reports", f.list)
	m.HandleFunc("GET "+p+"/reports/{code}", f.get)
	m.HandleFunc("GET "+p+"/reports/{code}/events", f.reportEvents)
	m.HandleFunc("POST "+p+"/reports/{code}/me-too", f.meTooReport)
	m.HandleFunc("POST "+p+"/reports/{code}/verdict", f.verdict)
	m.HandleFunc("GET "+p+"/photos/{hash}", f.photo)
	m.HandleFunc("GET "+p+"/feedback/reports", f.inbox)
	m.HandleFunc("GET "+p+"/feedback/reports/{code}", f.staffReport)
	m.HandleFunc("POST "+p+"/feedback/reports/{code}/{action}", f.act)
	m.HandleFunc("POST "+p+"/feedback/photos", f.uploadPhotos)
	m.HandleFunc("GET "+p+"/feedback/events", f.staffEvents)
	m.HandleFunc("GET "+p+"/feedback/stats", f.stats)
	m.HandleFunc("GET "+p+"/feedback/stats.csv", f.statsCSV)
	m.HandleFunc("GET "+p+"/feedback/templates", f.templates)
}

// Errors of the feedback API.
var (
	errNoReport     = newError(http.StatusNotFound, "unknown_report", "no report has this code: check the code on your confirmation")
	errReportToken  = newError(http.StatusForbidden, "not_reporter", "only the reporter may do this, with the link received when the report was sent (the code alone is not enough)")
	errNotReporting = newError(http.StatusForbidden, "forbidden", "only the office's moderators and handlers may do this")
	errNotYourUnit  = newError(http.StatusForbidden, "not_your_unit", "this report is in another unit's charge: only its handlers and the moderators may see it")
)

// office checks the request's {office}: the one whose reports this
// server keeps.
func (f *fb) office(r *http.Request) error {
	if o := r.PathValue("office"); o != f.cfg.Office {
		return newError(http.StatusNotFound, "unknown_office", "office {office} does not exist", "office", truncate(o, 40))
	}
	return nil
}

// report loads the report of the request's {code} (404 when none).
func (f *fb) report(r *http.Request) (feedback.Report, error) {
	return f.reportByCode(r.Context(), r.PathValue("code"))
}

// reportByCode is report for a code given otherwise than in the path.
func (f *fb) reportByCode(ctx context.Context, code string) (feedback.Report, error) {
	if !feedback.ValidCode(code) {
		return feedback.Report{}, errNoReport
	}
	rep, err := f.st.Report(ctx, code)
	if errors.Is(err, queue.ErrNotFound) || err == nil && rep.Office != f.cfg.Office {
		return feedback.Report{}, errNoReport
	}
	return rep, err
}

// isReporter reports whether k is the report's manage token, compared in
// constant time.
func isReporter(rep feedback.Report, k string) bool {
	if k == "" || len(k) > 128 || len(rep.TokenHash) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(auth.Hash(k), rep.TokenHash) == 1
}

// reportURL is the reporter's link to the report.
func (f *fb) reportURL(code, token string) string {
	return f.s.public + "/pa/" + url.PathEscape(code) + "?k=" + url.QueryEscape(token)
}

// member is a staff member acting on reports.
type member struct {
	session *auth.Session
	actor   feedback.Actor
}

// moderator reports whether the member sees every report.
func (m member) moderator() bool { return m.actor.Role == feedback.RoleModerator }

// mayRead reports whether the member may see the report: a moderator
// every one, a handler those of their unit.
func (m member) mayRead(rep feedback.Report) bool {
	return m.moderator() || m.actor.Unit != "" && rep.Unit == m.actor.Unit
}

// member authenticates a moderator or handler of the office. A handler's
// unit is read from their staff record at each request, so that a change
// of unit counts at once.
func (f *fb) member(r *http.Request) (member, error) {
	se, err := f.s.staff(r)
	if err != nil {
		return member{}, err
	}
	var role feedback.Role
	switch {
	case se.Can(auth.ModerateReports):
		role = feedback.RoleModerator
	case se.Can(auth.HandleReports):
		role = feedback.RoleHandler
	default:
		return member{}, errNotReporting
	}
	if se.Office != f.cfg.Office {
		return member{}, newError(http.StatusForbidden, "wrong_office", "you are logged in at office {office}, not {other}", "office", se.Office, "other", f.cfg.Office)
	}
	st, _, _, err := f.s.st.StaffAuth(r.Context(), se.Office, se.Staff)
	if errors.Is(err, auth.ErrUnknownStaff) {
		return member{}, errBadSession
	}
	if err != nil {
		return member{}, err
	}
	if st.Disabled {
		return member{}, newError(http.StatusForbidden, "staff_disabled", "this staff account is disabled: ask an administrator")
	}
	a := feedback.Actor{Role: role, ID: st.ID, Name: st.Name, Unit: st.Unit}
	if role == feedback.RoleHandler && a.Unit == "" {
		return member{}, newError(http.StatusForbidden, "no_unit", "your staff account belongs to no unit: ask an administrator to set your department or ward")
	}
	return member{session: se, actor: a}, nil
}

// loc is the office's time zone (UTC when the calendar has none).
func (f *fb) loc() *time.Location {
	if f.cfg.Calendar.Location != nil {
		return f.cfg.Calendar.Location
	}
	return time.UTC
}
