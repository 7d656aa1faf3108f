package api

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math"
	"mime/multipart"
	"net/http"
	"slices"
	"time"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
	"luot/server/queue"
)

func (f *fb) config(w http.ResponseWriter, r *http.Request) {
	if err := f.office(r); err != nil {
		f.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f.configJSON())
}

// CreatedReportJSON answers POST /offices/{office}/reports. Token and
// ReportURL are in this answer only: the server keeps the token's hash.
// A replayed request (the same Idempotency-Key) answers the report
// without them.
type CreatedReportJSON struct {
	Report    PublicReportJSON `json:"report"`
	Token     string           `json:"token,omitempty"`
	ReportURL string           `json:"report_url,omitempty"`
}

// maxReportBody is the largest body of a new report: the photos, the
// fields, and the multipart framing.
// decide carries out cmd on the report with that code through
// feedback.Decide, in the store's transaction, once check (when not nil)
// has passed on the report as the transaction reads it; then it wakes
// the streams.
func (f *fb) decide(ctx context.Context, code string, check func(feedback.Report) error, cmd feedback.Command, now time.Time) (feedback.Report, error) {
	after, ev, err := f.st.UpdateReport(ctx, code, func(cur feedback.Report) (feedback.Event, error) {
		if check != nil {
			if err := check(cur); err != nil {
				return feedback.Event{}, err
			}
		}
		return feedback.Decide(f.cfg, cur, cmd, now)
	})
	if err != nil {
		return feedback.Report{}, err
	}
	f.bus.publish(ev)
	return after, nil
}

func (f *fb) maxReportBody() int64 {
	return int64(f.lim.MaxPhotos)*f.lim.MaxPhotoBytes + maxFormFields + 64<<10
}

// multipartBody bounds the request's body to maxReportBody, refusing at
// once a body that declares more, and returns its multipart reader.
func (f *fb) multipartBody(w http.ResponseWriter, r *http.Request) (*multipart.Reader, error) {
	max := f.maxReportBody()
	if r.ContentLength > max {
		return nil, newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", max)
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	return multipartOf(r)
}

// create files a new report from a multipart form. The address's limit
// is charged before the body is read, the phone's once the form is. The
// photos go through the pipeline as they arrive (one at a time, so that a
// request holds at most one upload and the processed photos, about a
// megabyte each); they are written to the photo folder only once the
// whole form is good, and removed again if the report is not stored.
func (f *fb) create(w http.ResponseWriter, r *http.Request) {
	if err := f.office(r); err != nil {
		f.refuse(w, r, err)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		f.refuse(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	addr := clientAddr(r)
	if ok, retry := f.createByAddr.Allow("addr:"+addr, f.s.now()); !ok {
		w.Header().Set("Connection", "close")
		f.s.tooMany(w, r, retry, "requests from your network")
		return
	}
	mr, err := f.multipartBody(w, r)
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	ctx := r.Context()
	var photos []photo.Result
	form, err := decodeReportForm(mr, f.lim.MaxPhotos, f.lim.MaxPhotoBytes, func(data []byte) error {
		res, err := f.pipe.Process(ctx, bytes.NewReader(data))
		if err != nil {
			return photoError(len(photos)+1, err)
		}
		photos = append(photos, res)
		return nil
	})
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	if form.Phone != "" {
		if ok, retry := f.createByPhone.Allow("phone:"+form.Phone, f.s.now()); !ok {
			w.Header().Set("Connection", "close")
			f.s.tooMany(w, r, retry, "requests for this phone number")
			return
		}
	}
	hashes := make([]string, len(photos))
	for i, p := range photos {
		hashes[i] = p.Hash
	}
	token := random.Token()
	in := feedback.NewReport{
		Category: form.Category, Description: form.Description,
		Place:    feedback.Place{Point: form.Point, Accuracy: form.Accuracy, Address: form.Address},
		Photos:   hashes,
		Reporter: feedback.Reporter{Name: form.Name, Phone: form.Phone, Anonymous: form.Anonymous},
		Channel:  feedback.ChannelWeb, TokenHash: auth.Hash(token),
	}
	rep, ev, err := feedback.Create(f.cfg, in, f.s.now())
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	scoped := ""
	if key != "" {
		scoped = "web:" + key
	}
	// The photos are written only now that everything else is right, and
	// removed again if the report is not stored.
	created, err := f.savePhotos(photos)
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	stored, ev, replayed, err := f.st.CreateReport(ctx, rep, ev, scoped)
	if err != nil {
		f.removePhotos(created)
		f.refuse(w, r, err)
		return
	}
	if replayed {
		// The first request kept its photos; this one's, if any were
		// new, are nobody's.
		f.removePhotos(created)
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusCreated, CreatedReportJSON{Report: f.public(stored)})
		return
	}
	f.bus.publish(ev)
	writeJSON(w, http.StatusCreated, CreatedReportJSON{Report: f.public(stored), Token: token, ReportURL: f.reportURL(stored.Code, token)})
}

// refuse answers err to an upload whose body may not have been read to
// its end, and closes the connection after the answer: the server does
// not read (up to 256 KB of) what it refused to learn whether the
// connection could serve another request, and the client gets its
// answer while it is still sending.
func (f *fb) refuse(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Connection", "close")
	f.s.fail(w, r, err)
}

// savePhotos writes processed photos to the folder and returns the hashes
// of those that were not there before; on failure it removes them again.
// Two requests that send the same photo at the same instant may both
// count it as theirs: one failing then removes the other's, which the
// report's page shows as a missing picture. That is judged rare enough.
func (f *fb) savePhotos(photos []photo.Result) (created []string, err error) {
	for _, p := range photos {
		had := f.dir.Has(p.Hash)
		if err := f.dir.Save(p); err != nil {
			f.removePhotos(created)
			return nil, err
		}
		if !had {
			created = append(created, p.Hash)
		}
	}
	return created, nil
}

// removePhotos removes photos kept by a request that failed; a failure is
// logged (the sweep of unattached uploads removes them later).
func (f *fb) removePhotos(hashes []string) {
	for _, h := range hashes {
		if err := f.dir.Remove(h); err != nil {
			f.s.log.Warn("removing a photo of a failed request", "photo", h, "err", err)
		}
	}
}

// photoError is the answer to photo n refused by the pipeline: its own
// error when it says why (a *queue.Error or an *Error), else a 400 that
// does not repeat the decoder's words.
func photoError(n int, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var qe *queue.Error
	var ae *Error
	if errors.As(err, &qe) || errors.As(err, &ae) {
		return err
	}
	e := badRequest("invalid_photo", "photo {n} could not be read as a JPEG, PNG or WebP image: send another photo", "n", n)
	e.cause = err
	return e
}

// ReportsJSON is a list of reports.
type ReportsJSON struct {
	Reports []PublicReportJSON `json:"reports"`
}

// list is the public list: filters, a box or a circle, pages.
func (f *fb) list(w http.ResponseWriter, r *http.Request) {
	if err := f.office(r); err != nil {
		f.s.fail(w, r, err)
		return
	}
	lq, err := parseListQuery(r.URL.Query(), f.loc())
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	flt := lq.filter
	flt.Office = f.cfg.Office
	if lq.open {
		if len(flt.Statuses) == 0 {
			flt.Statuses = openStatuses
		} else {
			flt.Statuses = slices.DeleteFunc(flt.Statuses, func(s feedback.Status) bool { return !slices.Contains(openStatuses, s) })
			if len(flt.Statuses) == 0 {
				writeJSON(w, http.StatusOK, ReportsJSON{Reports: []PublicReportJSON{}})
				return
			}
		}
	}
	limit, offset := flt.Limit, flt.Offset
	if lq.near != nil {
		// The circle's bounding box (intersected with bbox) goes to the
		// store; the distance is checked here, then the page is cut.
		sw, ne := around(*lq.near, lq.radius)
		if flt.SW != nil {
			sw = geo.Point{Lat: math.Max(sw.Lat, flt.SW.Lat), Lon: math.Max(sw.Lon, flt.SW.Lon)}
			ne = geo.Point{Lat: math.Min(ne.Lat, flt.NE.Lat), Lon: math.Min(ne.Lon, flt.NE.Lon)}
		}
		flt.SW, flt.NE = &sw, &ne
		flt.Limit, flt.Offset = 0, 0
	}
	reps, err := f.st.Reports(r.Context(), flt)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	if lq.near != nil {
		reps = slices.DeleteFunc(reps, func(x feedback.Report) bool {
			return x.Place.Point == nil || geo.Distance(*lq.near, *x.Place.Point) > lq.radius
		})
		reps = page(reps, offset, limit)
	}
	out := ReportsJSON{Reports: make([]PublicReportJSON, 0, len(reps))}
	for _, x := range reps {
		out.Reports = append(out.Reports, f.public(x))
	}
	writeJSON(w, http.StatusOK, out)
}

// around is the box that holds the circle of radius metres around p.
func around(p geo.Point, radius float64) (sw, ne geo.Point) {
	const mPerDeg = 111_320.0
	dLat := radius / mPerDeg
	dLon := 180.0
	if c := math.Cos(p.Lat * math.Pi / 180); c > 1e-6 {
		dLon = math.Min(180, radius/(mPerDeg*c))
	}
	sw = geo.Point{Lat: math.Max(-90, p.Lat-dLat), Lon: math.Max(-180, p.Lon-dLon)}
	ne = geo.Point{Lat: math.Min(90, p.Lat+dLat), Lon: math.Min(180, p.Lon+dLon)}
	return sw, ne
}

func page[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return nil
	}
	s = s[offset:]
	if limit > 0 && limit < len(s) {
		s = s[:limit]
	}
	return s
}

// ReportPageJSON answers GET /reports/{code}: the public report, its
// timeline, and for the reporter (?k=) what they may do.
type ReportPageJSON struct {
	Report    PublicReportJSON `json:"report"`
	Timeline  []TimelineJSON   `json:"timeline"`
	Mine      bool             `json:"mine,omitempty"`
	CanReopen bool             `json:"can_reopen,omitempty"`
	CanRate   bool             `json:"can_rate,omitempty"`
}

func (f *fb) get(w http.ResponseWriter, r *http.Request) {
	rep, err := f.report(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	evs, err := f.st.Timeline(r.Context(), rep.Code)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	j := ReportPageJSON{Report: f.public(rep), Timeline: f.publicTimeline(rep, evs)}
	if isReporter(rep, r.URL.Query().Get("k")) {
		now := f.s.now()
		reporter := feedback.Actor{Role: feedback.RoleReporter}
		j.Mine = true
		_, err := feedback.Decide(f.cfg, rep, feedback.Command{Action: feedback.ActReopen, Actor: reporter, Reason: "?"}, now)
		j.CanReopen = err == nil
		_, err = feedback.Decide(f.cfg, rep, feedback.Command{Action: feedback.ActSatisfied, Actor: reporter}, now)
		j.CanRate = err == nil
	}
	writeJSON(w, http.StatusOK, j)
}

// writesLimited charges a public write (me too, verdict) to the address.
func (f *fb) writesLimited(w http.ResponseWriter, r *http.Request) bool {
	ok, retry := f.writes.Allow("addr:"+clientAddr(r), f.s.now())
	if !ok {
		f.s.tooMany(w, r, retry, "requests from your network")
	}
	return !ok
}

// meTooReport counts one more person who has the problem: once per
// address and report a day; a repeat answers the count and changes
// nothing.
func (f *fb) meTooReport(w http.ResponseWriter, r *http.Request) {
	if f.writesLimited(w, r) {
		return
	}
	if _, err := readBody(w, r, f.s.cfg.MaxBody); err != nil {
		f.s.fail(w, r, err)
		return
	}
	rep, err := f.report(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	if ok, _ := f.meToo.Allow(clientAddr(r)+" "+rep.Code, f.s.now()); !ok {
		writeJSON(w, http.StatusOK, map[string]int{"me_too": rep.MeToo})
		return
	}
	now := f.s.now()
	after, err := f.decide(r.Context(), rep.Code, nil, feedback.Command{Action: feedback.ActMeToo, Actor: feedback.Actor{Role: feedback.RolePublic}}, now)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"me_too": after.MeToo})
}

// verdict is the reporter's: satisfied, or reopen with a reason.
func (f *fb) verdict(w http.ResponseWriter, r *http.Request) {
	if f.writesLimited(w, r) {
		return
	}
	b, ok := decodeBody(w, r, f.s, decodeVerdict)
	if !ok {
		return
	}
	rep, err := f.report(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	cmd := feedback.Command{Action: feedback.ActSatisfied, Actor: feedback.Actor{Role: feedback.RoleReporter}}
	if b.Verdict == "reopen" {
		cmd.Action, cmd.Reason = feedback.ActReopen, b.Reason
	}
	now := f.s.now()
	after, err := f.decide(r.Context(), rep.Code, func(cur feedback.Report) error {
		if !isReporter(cur, b.K) {
			return errReportToken
		}
		return nil
	}, cmd, now)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"report": f.public(after)})
}

// photo serves a photo: to anyone when some report shows it publicly,
// otherwise only to the office's report staff. Photos never change (their
// name is their hash), but one may be hidden later: the public may cache
// it an hour, staff not at all.
func (f *fb) photo(w http.ResponseWriter, r *http.Request) {
	hash := r.PathValue("hash")
	thumb := false
	switch r.URL.Query().Get("size") {
	case "":
	case "thumb":
		thumb = true
	default:
		f.s.fail(w, r, badRequest("invalid_size", "size must be thumb, or left out for the whole photo"))
		return
	}
	errNoPhoto := newError(http.StatusNotFound, "unknown_photo", "no photo has this address")
	if !validHash(hash) {
		f.s.fail(w, r, errNoPhoto)
		return
	}
	public, _, err := f.st.PhotoPublic(r.Context(), hash)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	cache := "public, max-age=3600"
	if !public {
		// A hidden photo, or one not (yet) in any report: staff only. A
		// stranger is told it does not exist.
		if _, ok, _ := f.s.session(r); !ok {
			f.s.fail(w, r, errNoPhoto)
			return
		}
		if _, err := f.member(r); err != nil {
			f.s.fail(w, r, err)
			return
		}
		cache = "private, no-store"
	}
	file, err := f.dir.Open(hash, thumb)
	var qe *queue.Error
	if errors.Is(err, fs.ErrNotExist) || errors.As(err, &qe) && qe.Kind == queue.KindNotFound {
		f.s.fail(w, r, errNoPhoto)
		return
	}
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	defer file.Close()
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("Cache-Control", cache)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	etag := `"` + hash
	if thumb {
		etag += "-t"
	}
	h.Set("ETag", etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, file)
}
