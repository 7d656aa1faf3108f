package api

import (
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
)

// ReportForm is a new report's form (POST /offices/{office}/reports),
// checked; the photos are handed to a callback as they are read.
type ReportForm struct {
	Category    string
	Description string
	Point       *geo.Point
	Accuracy    float64
	Address     string
	Anonymous   bool
	Name        string
	Phone       string
	// Photos is how many photos were read.
	Photos int
}

// reportFields are the form's text fields.
var reportFields = map[string]bool{
	"category": true, "description": true, "lat": true, "lon": true, "accuracy": true,
	"address": true, "anonymous": true, "name": true, "phone": true,
}

// multipartOf returns the multipart reader of a request whose body is
// multipart/form-data (415 otherwise, 400 without a boundary).
func multipartOf(r *http.Request) (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, newError(http.StatusUnsupportedMediaType, "not_multipart", "send the report as multipart/form-data (a form with its photos)")
	}
	b := params["boundary"]
	if b == "" || len(b) > 70 {
		return nil, badRequest("invalid_multipart", "the multipart form has no boundary (or a boundary longer than 70 characters) in its Content-Type")
	}
	return multipart.NewReader(r.Body, b), nil
}

// errMultipart is the answer to a body that is not a well-formed
// multipart form; the parser's words stay in the log.
func errMultipart(cause error) error {
	var mbe *http.MaxBytesError
	if errors.As(cause, &mbe) {
		return newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", mbe.Limit)
	}
	var ae *Error
	if errors.As(cause, &ae) {
		return ae
	}
	e := badRequest("invalid_multipart", "the multipart form is malformed or cut short: send the whole form again")
	e.cause = cause
	return e
}

// readFormParts reads a multipart form part by part: text fields (at
// most maxFields bytes together) are passed to field, photo files (at
// most maxPhotos of at most maxPhoto bytes each) to photo as they come.
// A photo beyond maxPhotos is refused before it is read, an oversize one
// as soon as it passes the limit; any other part name is refused.
func readFormParts(mr *multipart.Reader, fields map[string]bool, maxFields int64, maxPhotos int, maxPhoto int64,
	field func(name, value string) error, photo func(data []byte) error) (photos int, err error) {
	seen := map[string]bool{}
	left := maxFields
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return photos, nil
		}
		if err != nil {
			return photos, errMultipart(err)
		}
		name := p.FormName()
		switch {
		case name == "photo":
			if photos >= maxPhotos {
				return photos, newError(http.StatusRequestEntityTooLarge, "too_many_photos", "at most {max} photos may be sent at once", "max", maxPhotos)
			}
			if p.FileName() == "" {
				return photos, badRequest("invalid_photo", "each photo must be sent as a file (a part with a filename)")
			}
			data, err := io.ReadAll(io.LimitReader(p, maxPhoto+1))
			if err != nil {
				return photos, errMultipart(err)
			}
			if int64(len(data)) > maxPhoto {
				return photos, newError(http.StatusRequestEntityTooLarge, "photo_too_large", "photo {n} is larger than {max} MB: send a smaller photo", "n", photos+1, "max", maxPhoto>>20)
			}
			if len(data) == 0 {
				return photos, badRequest("invalid_photo", "photo {n} is empty", "n", photos+1)
			}
			photos++
			if err := photo(data); err != nil {
				return photos, err
			}
		case fields[name]:
			if seen[name] {
				return photos, badRequest("duplicate_field", "the form has field {field} twice", "field", name)
			}
			seen[name] = true
			if p.FileName() != "" {
				return photos, badRequest("invalid_field", "field {field} must be text, not a file", "field", name)
			}
			data, err := io.ReadAll(io.LimitReader(p, left+1))
			if err != nil {
				return photos, errMultipart(err)
			}
			left -= int64(len(data))
			if left < 0 {
				return photos, newError(http.StatusRequestEntityTooLarge, "fields_too_large", "the form's text fields are larger than {max} bytes together", "max", maxFields)
			}
			if err := field(name, string(data)); err != nil {
				return photos, err
			}
		default:
			return photos, badRequest("unknown_field", "the request has a field this API does not know: {field}", "field", fmt.Sprintf("%q", truncate(name, 40)))
		}
	}
}

// decodeReportForm reads and checks a new report's form; photo receives
// each photo's bytes in order.
func decodeReportForm(mr *multipart.Reader, maxPhotos int, maxPhoto int64, photo func([]byte) error) (ReportForm, error) {
	raw := map[string]string{}
	n, err := readFormParts(mr, reportFields, maxFormFields, maxPhotos, maxPhoto,
		func(name, v string) error { raw[name] = v; return nil }, photo)
	if err != nil {
		return ReportForm{}, err
	}
	f, err := checkReportFields(raw)
	f.Photos = n
	return f, err
}

// checkReportFields checks the text fields of a report's form.
func checkReportFields(raw map[string]string) (ReportForm, error) {
	var f ReportForm
	for name, v := range raw {
		if !utf8.ValidString(v) {
			return f, badRequest("invalid_text", "field {field} is not valid UTF-8", "field", name)
		}
	}
	f.Category = strings.TrimSpace(raw["category"])
	if err := checkID("category", f.Category, true); err != nil {
		return f, err
	}
	var err error
	if f.Description, err = freeText("description", "the description", raw["description"], feedback.MaxDescription, true); err != nil {
		return f, err
	}
	if f.Address, err = oneLine("address", "address", raw["address"], feedback.MaxAddress); err != nil {
		return f, err
	}
	lat, lon := strings.TrimSpace(raw["lat"]), strings.TrimSpace(raw["lon"])
	if (lat == "") != (lon == "") {
		return f, badRequest("invalid_place", "send both lat and lon, or neither")
	}
	if lat != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		p := geo.Point{Lat: la, Lon: lo}
		if err1 != nil || err2 != nil || !p.Valid() {
			return f, badRequest("invalid_place", "lat and lon must be decimal degrees (latitude −90 to 90, longitude −180 to 180)")
		}
		f.Point = &p
	}
	if a := strings.TrimSpace(raw["accuracy"]); a != "" {
		acc, err := strconv.ParseFloat(a, 64)
		if err != nil || math.IsNaN(acc) || acc < 0 || acc > 100_000 {
			return f, badRequest("invalid_accuracy", "accuracy must be metres, from 0 to 100000")
		}
		f.Accuracy = acc
	}
	if f.Point == nil && f.Address == "" {
		return f, badRequest("place_required", "say where the problem is: a place on the map (lat, lon) or an address")
	}
	switch strings.TrimSpace(raw["anonymous"]) {
	case "", "0", "false":
	case "1", "true", "on":
		f.Anonymous = true
	default:
		return f, badRequest("invalid_anonymous", "anonymous must be 1 (send anonymously) or left out")
	}
	if f.Anonymous {
		// An anonymous report keeps neither name nor phone, even if sent.
		return f, nil
	}
	if n := strings.TrimSpace(raw["name"]); n != "" {
		if f.Name, err = citizenName(n); err != nil {
			return f, err
		}
	}
	if p := strings.TrimSpace(raw["phone"]); p != "" {
		if f.Phone, err = phoneOf(p); err != nil {
			return f, err
		}
	}
	return f, nil
}

// freeText cleans free text of several lines: NFC, trimmed, the rules of
// queue.CheckComment, at most max characters; code is the field's name.
func freeText(code, what, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(norm.NFC.String(s))
	if required && s == "" {
		return "", badRequest("invalid_"+code, "{field} is required", "field", code)
	}
	if utf8.RuneCountInString(s) > max {
		return "", badRequest("invalid_"+code, "{field} is longer than {max} characters", "field", code, "max", max)
	}
	if err := queue.CheckComment(what, s, max); err != nil {
		return "", domainError(http.StatusBadRequest, "invalid_"+code, err)
	}
	return s, nil
}

// oneLine cleans a one-line text (an address): NFC, trimmed, the rules of
// names, at most max characters.
func oneLine(code, what, s string, max int) (string, error) {
	s = strings.TrimSpace(norm.NFC.String(s))
	if utf8.RuneCountInString(s) > max {
		return "", badRequest("invalid_"+code, "{field} is longer than {max} characters", "field", code, "max", max)
	}
	if err := queue.CheckComment(what, s, max); err != nil {
		return "", domainError(http.StatusBadRequest, "invalid_"+code, err)
	}
	if strings.ContainsAny(s, "\n\t") {
		return "", badRequest("invalid_"+code, "{field} must be one line", "field", code)
	}
	return s, nil
}

// VerdictBody is the body of POST /reports/{code}/verdict.
type VerdictBody struct {
	K       string `json:"k"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

func decodeVerdict(data []byte) (VerdictBody, error) {
	var b VerdictBody
	if err := decodeStrict(data, &b); err != nil {
		return b, err
	}
	if b.K == "" || len(b.K) > 128 {
		return b, errReportToken
	}
	switch b.Verdict {
	case "satisfied", "reopen":
	default:
		return b, badRequest("invalid_verdict", "verdict must be \"satisfied\" or \"reopen\"")
	}
	var err error
	if b.Reason, err = freeText("reason", "the reason", b.Reason, feedback.MaxReason, b.Verdict == "reopen"); err != nil {
		return b, err
	}
	return b, nil
}

// ActionBody is the body of POST /feedback/reports/{code}/{action}; each
// action reads the fields it needs (feedback.Decide says which).
type ActionBody struct {
	Reason      string   `json:"reason"`
	Unit        string   `json:"unit"`
	DuplicateOf string   `json:"duplicate_of"`
	Text        string   `json:"text"`
	Photos      []string `json:"photos"`
	Photo       string   `json:"photo"`
}

func decodeAction(data []byte) (ActionBody, error) {
	var b ActionBody
	if len(strings.TrimSpace(string(data))) == 0 {
		return b, nil
	}
	if err := decodeStrict(data, &b); err != nil {
		return b, err
	}
	var err error
	if b.Reason, err = freeText("reason", "the reason", b.Reason, feedback.MaxReason, false); err != nil {
		return b, err
	}
	if b.Text, err = freeText("text", "the answer", b.Text, feedback.MaxReason, false); err != nil {
		return b, err
	}
	if err := checkID("unit", b.Unit, false); err != nil {
		return b, err
	}
	if b.DuplicateOf != "" && !feedback.ValidCode(b.DuplicateOf) {
		return b, badRequest("invalid_duplicate_of", "duplicate_of must be a report code such as PA-2612-00042")
	}
	if len(b.Photos) > feedback.MaxPhotos {
		return b, badRequest("too_many_photos", "at most {max} photos may be sent at once", "max", feedback.MaxPhotos)
	}
	for _, h := range append(b.Photos, b.Photo) {
		if h != "" && !validHash(h) {
			return b, badRequest("invalid_photo", "{hash} is not a photo's hash: use the hash POST /api/v1/feedback/photos answered", "hash", fmt.Sprintf("%q", truncate(h, 70)))
		}
	}
	return b, nil
}

// validHash reports whether s is a photo's hash: 64 lower-case hex digits.
func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// listQuery is the public list's query, checked.
type listQuery struct {
	filter feedback.Filter
	near   *geo.Point
	radius float64
	open   bool
}

// maxList is the most reports one page of a list holds.
const maxList = 500

func parseListQuery(q map[string][]string, loc *time.Location) (listQuery, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	var lq listQuery
	f := &lq.filter
	if c := get("category"); c != "" {
		for _, id := range strings.Split(c, ",") {
			if err := checkID("category", id, true); err != nil {
				return lq, err
			}
			f.Categories = append(f.Categories, id)
		}
	}
	if s := get("status"); s != "" {
		for _, st := range strings.Split(s, ",") {
			if !knownStatus(feedback.Status(st)) {
				return lq, badRequest("invalid_status", "status {status} is unknown: use new, accepted, assigned, in_progress, resolved, unfounded, refused or duplicate", "status", fmt.Sprintf("%q", truncate(st, 20)))
			}
			f.Statuses = append(f.Statuses, feedback.Status(st))
		}
	}
	for _, k := range []string{"from", "to"} {
		v := get(k)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil {
			return lq, badRequest("invalid_date", "{field} must be a date written YYYY-MM-DD", "field", k)
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d.AddDate(0, 0, 1) // to is inclusive
		}
	}
	if b := get("bbox"); b != "" {
		v, err := floats(b, 4)
		sw, ne := geo.Point{Lat: v[1], Lon: v[0]}, geo.Point{Lat: v[3], Lon: v[2]}
		if err != nil || !sw.Valid() || !ne.Valid() || sw.Lat > ne.Lat || sw.Lon > ne.Lon {
			return lq, badRequest("invalid_bbox", "bbox must be west,south,east,north in decimal degrees, west ≤ east and south ≤ north")
		}
		f.SW, f.NE = &sw, &ne
	}
	if n := get("near"); n != "" {
		v, err := floats(n, 2)
		p := geo.Point{Lat: v[0], Lon: v[1]}
		if err != nil || !p.Valid() {
			return lq, badRequest("invalid_near", "near must be lat,lon in decimal degrees")
		}
		lq.near = &p
		lq.radius = 200
		if rs := get("radius"); rs != "" {
			r, err := strconv.ParseFloat(rs, 64)
			if err != nil || !(r > 0 && r <= 50_000) {
				return lq, badRequest("invalid_radius", "radius must be metres, more than 0 and at most 50000")
			}
			lq.radius = r
		}
	}
	switch get("open") {
	case "", "0":
	case "1":
		lq.open = true
	default:
		return lq, badRequest("invalid_open", "open must be 1 (open reports only) or left out")
	}
	var err error
	if f.Limit, err = intParam(get("limit"), "limit", 100, maxList); err != nil {
		return lq, err
	}
	if f.Offset, err = intParam(get("offset"), "offset", 0, 1_000_000); err != nil {
		return lq, err
	}
	return lq, nil
}

func intParam(s, name string, def, max int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, badRequest("invalid_"+name, "{field} must be a whole number from 0 to {max}", "field", name, "max", max)
	}
	return n, nil
}

// floats parses n comma-separated finite numbers; v has n entries even on
// error.
func floats(s string, n int) ([]float64, error) {
	v := make([]float64, n)
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return v, errors.New("wrong count")
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return v, errors.New("not a number")
		}
		v[i] = x
	}
	return v, nil
}

func knownStatus(s feedback.Status) bool {
	switch s {
	case feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress,
		feedback.StatusResolved, feedback.StatusUnfounded, feedback.StatusRefused, feedback.StatusDuplicate:
		return true
	}
	return false
}

// openStatuses are the statuses of reports still being handled.
var openStatuses = []feedback.Status{feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress}
