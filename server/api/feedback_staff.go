package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"luot/server/feedback"
	"luot/server/photo"
	"luot/server/queue"
)

// StaffReportsJSON answers the inbox.
type StaffReportsJSON struct {
	Reports []StaffReportJSON `json:"reports"`
}

// maxInboxScan bounds the reports read for an inbox filtered by text or
// by overdue, which the store does not filter: an office's open reports
// are a few hundred.
const maxInboxScan = 20_000

// inbox lists the member's reports: a moderator's every report, a
// handler's their unit's; filtered, ordered by deadline with the overdue
// first.
func (f *fb) inbox(w http.ResponseWriter, r *http.Request) {
	m, err := f.member(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	lq, err := parseListQuery(map[string][]string{"category": q["category"], "status": q["status"], "limit": q["limit"], "offset": q["offset"]}, f.loc())
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	flt := lq.filter
	flt.Office, flt.Order = f.cfg.Office, "deadline"
	if u := strings.TrimSpace(q.Get("unit")); u != "" {
		for _, id := range strings.Split(u, ",") {
			if err := checkID("unit", id, true); err != nil {
				f.s.fail(w, r, err)
				return
			}
			flt.Units = append(flt.Units, id)
		}
	}
	if !m.moderator() {
		if len(flt.Units) > 0 && !slices.Contains(flt.Units, m.actor.Unit) {
			f.s.fail(w, r, errNotYourUnit)
			return
		}
		flt.Units = []string{m.actor.Unit}
	}
	overdue := false
	switch q.Get("overdue") {
	case "", "0":
	case "1":
		overdue = true
	default:
		f.s.fail(w, r, badRequest("invalid_overdue", "overdue must be 1 (overdue reports only) or left out"))
		return
	}
	text := strings.ToLower(strings.TrimSpace(q.Get("q")))
	if len(text) > 200 {
		f.s.fail(w, r, badRequest("invalid_q", "q is at most 200 bytes"))
		return
	}
	limit, offset := flt.Limit, flt.Offset
	if overdue || text != "" {
		flt.Limit, flt.Offset = maxInboxScan, 0
	}
	reps, err := f.st.Reports(r.Context(), flt)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	if overdue || text != "" {
		now := f.s.now()
		reps = slices.DeleteFunc(reps, func(x feedback.Report) bool {
			if overdue && !x.Overdue(now) {
				return true
			}
			return text != "" && !matches(x, text)
		})
		reps = page(reps, offset, limit)
	}
	out := StaffReportsJSON{Reports: make([]StaffReportJSON, 0, len(reps))}
	for _, x := range reps {
		out.Reports = append(out.Reports, f.staffView(x))
	}
	writeJSON(w, http.StatusOK, out)
}

// matches reports whether the inbox's text search (lower case) finds the
// report: its code, description, address, or the reporter's name or
// phone.
func matches(r feedback.Report, text string) bool {
	for _, s := range []string{r.Code, r.Description, r.Place.Address, r.Reporter.Name, r.Reporter.Phone} {
		if strings.Contains(strings.ToLower(s), text) {
			return true
		}
	}
	return false
}

// staffView is the staff report; an anonymous report shows no reporter
// even to staff (staff renders it so).
func (f *fb) staffView(r feedback.Report) StaffReportJSON { return f.staff(r) }

// StaffReportPageJSON answers GET /feedback/reports/{code}.
type StaffReportPageJSON struct {
	Report   StaffReportJSON  `json:"report"`
	Timeline []StaffEventJSON `json:"timeline"`
}

// memberReport is the staff member asking and the report of the path,
// which they may read.
func (f *fb) memberReport(r *http.Request) (member, feedback.Report, error) {
	m, err := f.member(r)
	if err != nil {
		return member{}, feedback.Report{}, err
	}
	rep, err := f.readable(r, m)
	return m, rep, err
}

// readable is the report of the path if m may read it.
func (f *fb) readable(r *http.Request, m member) (feedback.Report, error) {
	rep, err := f.report(r)
	if err != nil {
		return feedback.Report{}, err
	}
	if !m.mayRead(rep) {
		return feedback.Report{}, errNotYourUnit
	}
	return rep, nil
}

func (f *fb) staffReport(w http.ResponseWriter, r *http.Request) {
	_, rep, err := f.memberReport(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	evs, err := f.st.Timeline(r.Context(), rep.Code)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	j := StaffReportPageJSON{Report: f.staffView(rep), Timeline: make([]StaffEventJSON, 0, len(evs))}
	for _, e := range evs {
		j.Timeline = append(j.Timeline, f.staffEvent(e))
	}
	writeJSON(w, http.StatusOK, j)
}

// staffActions are the actions of POST /feedback/reports/{code}/{action}.
var staffActions = map[string]feedback.Action{
	"accept": feedback.ActAccept, "refuse": feedback.ActRefuse, "unfounded": feedback.ActUnfounded,
	"duplicate": feedback.ActDuplicate, "assign": feedback.ActAssign, "start": feedback.ActStart,
	"return": feedback.ActReturn, "answer": feedback.ActAnswer, "resolve": feedback.ActResolve,
	"hide-photo": feedback.ActHidePhoto, "show-photo": feedback.ActShowPhoto,
}

// act carries out a staff member's action through feedback.Decide, in
// the store's transaction (Store.UpdateReport).
func (f *fb) act(w http.ResponseWriter, r *http.Request) {
	m, err := f.member(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	name := r.PathValue("action")
	action, ok := staffActions[name]
	if !ok {
		f.s.fail(w, r, newError(http.StatusNotFound, "unknown_action", "{action} is not an action on reports: docs/feedback.md lists them", "action", fmt.Sprintf("%q", truncate(name, 30))))
		return
	}
	b, ok := decodeBody(w, r, f.s, decodeAction)
	if !ok {
		return
	}
	rep, err := f.readable(r, m)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	if action == feedback.ActDuplicate {
		if b.DuplicateOf == "" {
			f.s.fail(w, r, badRequest("invalid_duplicate_of", "say which report this one repeats: duplicate_of, a report code such as PA-2612-00042"))
			return
		}
		if b.DuplicateOf == rep.Code {
			f.s.fail(w, r, badRequest("invalid_duplicate_of", "a report cannot be a duplicate of itself"))
			return
		}
		orig, err := f.st.Report(ctx, b.DuplicateOf)
		if errors.Is(err, queue.ErrNotFound) || err == nil && orig.Office != f.cfg.Office {
			err = newError(http.StatusNotFound, "unknown_report", "report {code} does not exist: duplicate_of must be the code of an existing report", "code", b.DuplicateOf)
		}
		if err != nil {
			f.s.fail(w, r, err)
			return
		}
	}
	if action == feedback.ActAnswer {
		for _, h := range b.Photos {
			if !f.dir.Has(h) {
				f.s.fail(w, r, newError(http.StatusNotFound, "unknown_photo", "photo {hash} was not uploaded: upload it with POST /api/v1/feedback/photos first", "hash", h))
				return
			}
		}
	}
	cmd := feedback.Command{Action: action, Actor: m.actor, Reason: b.Reason, Unit: b.Unit, DuplicateOf: b.DuplicateOf,
		Text: b.Text, Photos: b.Photos, Photo: b.Photo}
	now := f.s.now()
	after, err := f.decide(ctx, rep.Code, func(cur feedback.Report) error {
		if !m.mayRead(cur) {
			return errNotYourUnit
		}
		return nil
	}, cmd, now)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"report": f.staffView(after)})
}

// UploadedPhotoJSON is a photo uploaded for an answer.
type UploadedPhotoJSON struct {
	Hash     string `json:"hash"`
	URL      string `json:"url"`
	ThumbURL string `json:"thumb_url"`
}

// uploadPhotos takes an answer's photos (multipart "photo" files) through
// the pipeline; they are attached by the answer action, and swept after a
// day if they are not.
func (f *fb) uploadPhotos(w http.ResponseWriter, r *http.Request) {
	if _, err := f.member(r); err != nil {
		f.refuse(w, r, err)
		return
	}
	mr, err := f.multipartBody(w, r)
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	var photos []photo.Result
	n, err := readFormParts(mr, nil, 0, f.lim.MaxPhotos, f.lim.MaxPhotoBytes, nil, func(data []byte) error {
		res, err := f.pipe.Process(r.Context(), bytes.NewReader(data))
		if err != nil {
			return photoError(len(photos)+1, err)
		}
		photos = append(photos, res)
		return nil
	})
	if err == nil && n == 0 {
		err = badRequest("no_photo", "send at least one photo (multipart field photo)")
	}
	if err == nil {
		_, err = f.savePhotos(photos)
	}
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	out := make([]UploadedPhotoJSON, 0, len(photos))
	for _, p := range photos {
		u, t := photoURL(p.Hash)
		out = append(out, UploadedPhotoJSON{Hash: p.Hash, URL: u, ThumbURL: t})
	}
	writeJSON(w, http.StatusCreated, map[string]any{"photos": out})
}

func (f *fb) templates(w http.ResponseWriter, r *http.Request) {
	if _, err := f.member(r); err != nil {
		f.s.fail(w, r, err)
		return
	}
	t := f.cfg.Templates
	if t == nil {
		t = []feedback.Template{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": t})
}
