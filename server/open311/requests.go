package open311

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/msgtext"
	"luot/server/queue"
)

// The spec's "Response Volume": "Default query limit is a span of 90 days
// or first 1000 requests returned, whichever is smallest."
const (
	window      = 90 * 24 * time.Hour
	maxRequests = 1000
)

// requestOut is a service request as GET requests answers it. Pointers are
// fields that "may not be returned": null in JSON, absent in XML.
type requestOut struct {
	XMLName           xml.Name `xml:"request" json:"-"`
	ID                string   `xml:"service_request_id" json:"service_request_id"`
	Status            string   `xml:"status" json:"status"`
	StatusNotes       *string  `xml:"status_notes" json:"status_notes"`
	ServiceName       string   `xml:"service_name" json:"service_name"`
	ServiceCode       string   `xml:"service_code" json:"service_code"`
	Description       string   `xml:"description" json:"description"`
	AgencyResponsible *string  `xml:"agency_responsible" json:"agency_responsible"`
	ServiceNotice     *string  `xml:"service_notice" json:"service_notice"`
	Requested         string   `xml:"requested_datetime" json:"requested_datetime"`
	Updated           string   `xml:"updated_datetime" json:"updated_datetime"`
	Expected          *string  `xml:"expected_datetime" json:"expected_datetime"`
	Address           *string  `xml:"address" json:"address"`
	Lat               *float64 `xml:"lat" json:"lat"`
	Long              *float64 `xml:"long" json:"long"`
	MediaURL          *string  `xml:"media_url" json:"media_url"`
}

type requestList struct {
	XMLName  xml.Name     `xml:"service_requests"`
	Requests []requestOut `xml:"request"`
}

// created is the answer to a POST.
type created struct {
	XMLName       xml.Name `xml:"request" json:"-"`
	ID            string   `xml:"service_request_id" json:"service_request_id"`
	ServiceNotice string   `xml:"service_notice" json:"service_notice"`
	// AccountID is null: the server keeps no accounts of reporters.
	AccountID    *string `xml:"-" json:"account_id"`
	AccountIDXML string  `xml:"account_id" json:"-"`
}

type createdList struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []created `xml:"request"`
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// statusWords say an open report's status in status_notes.
var statusWords = map[feedback.Status][2]string{
	feedback.StatusNew:        {"Mới, chờ tiếp nhận", "New, waiting to be accepted"},
	feedback.StatusAccepted:   {"Đã tiếp nhận", "Accepted"},
	feedback.StatusAssigned:   {"Đã chuyển đơn vị xử lý", "Passed to the unit in charge"},
	feedback.StatusInProgress: {"Đang xử lý", "Being handled"},
}

// out is a report as a service request: from its public view only, so
// that no reporter and no hidden photo can be in it.
func (s *Server) out(r feedback.Report, lang string) requestOut {
	r = feedback.Public(r)
	loc := s.fb.Calendar.Location
	o := requestOut{ID: r.Code, ServiceCode: r.Category, Description: r.Description,
		Requested: w3c(r.Created, loc)}
	en := lang == "en"
	say := func(w [2]string) string {
		if en {
			return w[1]
		}
		return w[0]
	}
	if c, ok := s.fb.Category(r.Category); ok {
		o.ServiceName = c.Name
		if en {
			o.ServiceName = pick(c.NameEN, c.Name)
		}
	} else {
		o.ServiceName = r.Category
	}
	if u, ok := s.fb.Unit(r.Unit); ok {
		o.AgencyResponsible = strp(s.unitName(u, lang))
	}
	updated := r.Created
	for _, t := range []time.Time{r.Accepted, r.Resolved, r.Closed} {
		if t.After(updated) {
			updated = t
		}
	}
	var notes string
	if r.Open() {
		o.Status = "open"
		notes = say(statusWords[r.Status])
		if r.Reopened > 0 && r.Reason != "" {
			notes += ": " + r.Reason
		}
	} else {
		o.Status = "closed"
		// "For requests with status=closed, this will be the date the
		// request was closed."
		if t := closedAt(r); !t.IsZero() {
			updated = t
		}
		switch r.Status {
		case feedback.StatusResolved:
			notes = r.Answer
		case feedback.StatusDuplicate:
			notes = say([2]string{"Trùng với phản ánh ", "Duplicate of report "}) + r.DuplicateOf
			if r.Reason != "" {
				notes += ": " + r.Reason
			}
		default:
			notes = r.Reason
		}
	}
	o.StatusNotes = strp(notes)
	o.Updated = w3c(updated, loc)
	if !r.ResolveDue.IsZero() {
		o.Expected = strp(w3c(r.ResolveDue, loc))
	}
	o.Address = strp(r.Place.Address)
	if p := r.Place.Point; p != nil {
		lat, lon := p.Lat, p.Lon
		o.Lat, o.Long = &lat, &lon
	}
	for _, p := range r.Photos {
		if !p.Hidden && !p.Answer {
			o.MediaURL = strp(s.public + "/api/v1/photos/" + url.PathEscape(p.Hash))
			break
		}
	}
	return o
}

// writeRequests answers service requests in format f.
func writeRequests(w http.ResponseWriter, f format, list []requestOut) {
	if f == formatJSON {
		write(w, f, http.StatusOK, list)
		return
	}
	write(w, f, http.StatusOK, requestList{Requests: list})
}

// request answers GET requests/{id}: one report of the office.
func (s *Server) request(w http.ResponseWriter, r *http.Request, f format, id string) {
	rep, err := s.st.Report(r.Context(), id)
	if err == nil && rep.Office != s.fb.Office {
		err = queue.ErrNotFound
	}
	if errors.Is(err, queue.ErrNotFound) {
		writeError(w, r, f, newError(http.StatusNotFound, "request_not_found", "service_request_id {id} was not found", "id", strconv.Quote(truncate(id, 64))))
		return
	}
	if err != nil {
		s.fail(w, r, f, err)
		return
	}
	writeRequests(w, f, []requestOut{s.out(rep, msgtext.Lang(r.Header.Get("Accept-Language")))})
}

// listArgs reads GET requests' arguments into a filter of the office's
// reports.
func (s *Server) listArgs(q url.Values) (feedback.Filter, []*Error) {
	flt := feedback.Filter{Office: s.fb.Office, Limit: maxRequests}
	var errs []*Error
	list := func(name string) []string {
		var out []string
		for _, v := range q[name] {
			for p := range strings.SplitSeq(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
		return out
	}
	// service_request_id: "This overrides all other arguments."
	if ids := list("service_request_id"); len(ids) > 0 {
		if len(ids) > maxRequests {
			return flt, []*Error{newError(http.StatusBadRequest, "too_many_ids", "service_request_id names {count} requests, more than {max}", "count", len(ids), "max", maxRequests)}
		}
		flt.Codes = ids
		return flt, nil
	}
	for _, code := range list("service_code") {
		if _, ok := s.fb.Category(code); !ok {
			errs = append(errs, newError(http.StatusBadRequest, "unknown_service_code", "service_code {code} is not a service of this server: GET services lists them", "code", strconv.Quote(truncate(code, 64))))
			continue
		}
		flt.Categories = append(flt.Categories, code)
	}
	for _, st := range list("status") {
		switch st {
		case "open":
			flt.Statuses = append(flt.Statuses, feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress)
		case "closed":
			flt.Statuses = append(flt.Statuses, feedback.StatusResolved, feedback.StatusUnfounded, feedback.StatusRefused, feedback.StatusDuplicate)
		default:
			errs = append(errs, newError(http.StatusBadRequest, "invalid_status", "status {status} is neither open nor closed", "status", strconv.Quote(truncate(st, 40))))
		}
	}
	if len(flt.Statuses) == 8 {
		flt.Statuses = nil // open and closed: every status
	}
	loc := s.fb.Calendar.Location
	date := func(name string) (time.Time, bool) {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}, false
		}
		t, ok := parseW3C(v, loc)
		if !ok {
			errs = append(errs, newError(http.StatusBadRequest, "invalid_date", "{field} {value} is not a W3C date and time: write it like 2026-12-01T00:00:00+07:00 or 2026-12-01T00:00:00Z", "field", name, "value", strconv.Quote(truncate(v, 40))))
		}
		return t, ok
	}
	start, hasStart := date("start_date")
	end, hasEnd := date("end_date")
	// "When not specified, the range defaults to most recent 90 days";
	// a range "may not span more than 90 days".
	switch {
	case hasStart && hasEnd:
		if end.Before(start) {
			errs = append(errs, newError(http.StatusBadRequest, "dates_reversed", "end_date is before start_date"))
		} else if end.Sub(start) > window {
			errs = append(errs, newError(http.StatusBadRequest, "window_too_long", "start_date to end_date spans more than 90 days: ask for 90 days at most"))
		}
	case hasStart:
		end = start.Add(window)
	case hasEnd:
		start = end.Add(-window)
	default:
		end = s.now()
		start = end.Add(-window)
	}
	flt.From = start
	// end_date is the "latest datetime to include", to the second.
	flt.To = end.Truncate(time.Second).Add(time.Second)
	return flt, errs
}

// requests answers GET requests: the office's reports the arguments
// select, newest first, at most 1000.
func (s *Server) requests(w http.ResponseWriter, r *http.Request, f format) {
	flt, errs := s.listArgs(r.URL.Query())
	if len(errs) > 0 {
		writeError(w, r, f, errs...)
		return
	}
	reps, err := s.st.Reports(r.Context(), flt)
	if err != nil {
		s.fail(w, r, f, err)
		return
	}
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	out := make([]requestOut, 0, len(reps))
	for _, rep := range reps {
		if rep.Office == s.fb.Office {
			out = append(out, s.out(rep, lang))
		}
	}
	writeRequests(w, f, out)
}

// maxForm is the largest form-encoded POST body; a multipart one may have
// the photos besides.
const maxForm = 64 << 10

// post files a report: POST requests.
func (s *Server) post(w http.ResponseWriter, r *http.Request, f format) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var media []mediaPart
	var mediaErr *Error
	switch mt {
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			writeError(w, r, f, bodyError(err))
			return
		}
	case "multipart/form-data":
		limit := maxForm + int64(feedback.MaxPhotos)*(s.maxPhotoBytes()+4<<10)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseMultipartForm(maxForm); err != nil {
			writeError(w, r, f, bodyError(err))
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		media, mediaErr = s.mediaParts(r)
		r.PostForm = url.Values(r.MultipartForm.Value)
	default:
		writeError(w, r, f, newError(http.StatusBadRequest, "form_required", "send the request as Content-Type: application/x-www-form-urlencoded (or multipart/form-data with media parts)"))
		return
	}
	form, errs := decodeForm(r.PostForm)
	// The key first: a client without one learns nothing else.
	client, err := s.client(r, form.APIKey)
	if err != nil {
		s.fail(w, r, f, err)
		return
	}
	// Refused requests count too: a client looping on a mistake is slowed.
	if ok, retry := s.byKey.Allow(client.ID, s.now()); !ok {
		s.tooMany(w, r, f, retry)
		return
	}
	if mediaErr != nil {
		writeError(w, r, f, mediaErr)
		return
	}
	if len(errs) > 0 {
		writeError(w, r, f, errs...)
		return
	}
	cat, ok := s.fb.Category(form.ServiceCode)
	if !ok {
		writeError(w, r, f, serviceNotFound(form.ServiceCode))
		return
	}
	attrs, errs := checkAttributes(cat.ID, form.Attributes)
	if form.Lat == nil && form.AddressString == "" {
		errs = append(errs, newError(http.StatusBadRequest, "address_id_unsupported", "address_id cannot be looked up here: send lat and long, or address_string"))
	}
	address := form.AddressString
	if attrs.Detail != "" {
		address = strings.TrimSuffix(attrs.Detail+", "+address, ", ")
	}
	if n := len([]rune(address)); n > maxAddress {
		errs = append(errs, newError(http.StatusBadRequest, "address_too_long", "address_detail and address_string together have {count} characters, more than {max}", "count", n, "max", maxAddress))
	}
	if len(errs) > 0 {
		writeError(w, r, f, errs...)
		return
	}
	in := feedback.NewReport{
		Category: cat.ID, Description: form.Description,
		Place:   feedback.Place{Address: address, Accuracy: attrs.Accuracy},
		Channel: feedback.ChannelOpen311, Client: client.ID,
		MediaURL: form.MediaURL,
	}
	if form.Lat != nil {
		in.Place.Point = &geo.Point{Lat: *form.Lat, Lon: *form.Long}
	}
	if attrs.Anonymous {
		in.Reporter.Anonymous = true
	} else {
		// Vietnamese names are written family name first.
		in.Reporter.Name = strings.TrimSpace(form.LastName + " " + form.FirstName)
		in.Reporter.Phone = form.Phone
	}
	photos, err := s.processPhotos(r.Context(), media)
	if err != nil {
		s.fail(w, r, f, err)
		return
	}
	for _, p := range photos {
		in.Photos = append(in.Photos, p.Hash)
	}
	k := newToken()
	sum := sha256.Sum256([]byte(k))
	in.TokenHash = sum[:]
	now := s.now()
	rep, ev, err := feedback.Create(s.fb, in, now)
	if err != nil {
		s.fail(w, r, f, err)
		return
	}
	// The photos are written only now that everything else is right, and
	// removed again if the report is not stored.
	var kept []string
	if len(photos) > 0 {
		if kept, err = s.savePhotos(photos); err != nil {
			s.fail(w, r, f, err)
			return
		}
	}
	rep, ev, _, err = s.st.CreateReport(r.Context(), rep, ev, "")
	if err != nil {
		s.removePhotos(kept)
		s.fail(w, r, f, err)
		return
	}
	if s.cfg.Published != nil {
		s.cfg.Published(ev)
	}
	link := s.public + "/pa/" + url.PathEscape(rep.Code) + "?k=" + url.QueryEscape(k)
	due := rep.ResolveDue.In(s.fb.Calendar.Location).Format(time.DateOnly)
	notice := "Phản ánh " + rep.Code + " đã được tiếp nhận; hạn xử lý " + due + ". Người phản ánh theo dõi và đánh giá tại: " + link
	if msgtext.Lang(r.Header.Get("Accept-Language")) == "en" {
		notice = "Report " + rep.Code + " is received and due to be resolved by " + due + ". The reporter follows and rates it at: " + link
	}
	w.Header().Set("Location", s.public+Prefix+"requests/"+url.PathEscape(rep.Code)+"."+string(f))
	c := created{ID: rep.Code, ServiceNotice: notice}
	if f == formatJSON {
		write(w, f, http.StatusCreated, []created{c})
		return
	}
	write(w, f, http.StatusCreated, createdList{Requests: []created{c}})
}

// client is the registered client of api_key, of this office, of scope
// open311 and not revoked; a missing or wrong key is a 403, as the spec
// says.
func (s *Server) client(r *http.Request, key string) (feedback.APIClient, error) {
	if key == "" && r.URL.Query().Has("api_key") {
		// A key in the URL ends up in logs: it is not read from there.
		return feedback.APIClient{}, newError(http.StatusForbidden, "api_key_in_url", "send api_key in the request body, not in the URL, where proxies and logs keep it")
	}
	if key == "" {
		return feedback.APIClient{}, newError(http.StatusForbidden, "api_key_required", "api_key is required to create a request: ask the city's administrator for one")
	}
	sum := sha256.Sum256([]byte(key))
	c, err := s.st.APIClientByKeyHash(r.Context(), sum[:])
	if errors.Is(err, queue.ErrNotFound) || (err == nil && (c.Revoked || c.Office != s.fb.Office)) {
		return feedback.APIClient{}, newError(http.StatusForbidden, "api_key_invalid", "invalid api_key: it is unknown or revoked; ask the city's administrator for a key")
	}
	if err == nil && c.Scope != "" && c.Scope != feedback.ScopeOpen311 {
		// A key of the dossiers' integration opens that API only.
		return feedback.APIClient{}, newError(http.StatusForbidden, "api_key_scope", "this api_key is for the {scope} API, not for Open311: ask the city's administrator for an Open311 key", "scope", c.Scope)
	}
	return c, err
}

// newToken is a reporter's manage token (the k of the report's link):
// 144 random bits.
func newToken() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// bodyError is the error of a body that could not be read.
func bodyError(err error) *Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", mbe.Limit)
	}
	return newError(http.StatusBadRequest, "unreadable_body", "the request body could not be read as a form: send it as application/x-www-form-urlencoded (or multipart/form-data) in UTF-8")
}
