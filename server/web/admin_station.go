package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/report"
)

// The counter stations' part of the administration (docs/station.md):
//
//	POST /admin/staff-title          a staff member's title (form, CSRF)
//	POST /admin/staff-photo          a staff member's photo (multipart, CSRF)
//	POST /admin/staff-photo-remove   removes it (form, CSRF)
//	GET  /admin/staff-photo/{id}     the photo, for the admin page
//	GET  /admin/reports/ratings.json ratings by clerk and counter, by channel
//	GET  /admin/reports/ratings.csv  the same as CSV
//
// Stations themselves are registered with the device form (kind station
// and its counter).
func (s *Server) stationAdminRoutes() {
	m := s.mux
	m.HandleFunc("POST /admin/staff-photo", s.staffPhotoPost)
	m.HandleFunc("GET /admin/staff-photo", s.adminFormGet)
	m.HandleFunc("GET /admin/staff-photo/{id}", s.adminStaffPhoto)
	m.HandleFunc("GET /admin/reports/ratings.json", s.ratingsJSON)
	m.HandleFunc("GET /admin/reports/ratings.csv", s.ratingsCSV)
}

// MaxStaffPhoto is the largest staff photo accepted, in bytes.
const MaxStaffPhoto = 2 << 20

// staffPhotoLimits re-encode a staff photo to a small JPEG: the station
// shows it at a few hundred pixels at most.
var staffPhotoLimits = photo.Limits{
	MaxBytes:       MaxStaffPhoto,
	MaxPixels:      24_000_000,
	MaxDecodeBytes: 120 << 20,
	MaxSide:        480,
	ThumbSide:      96,
	Quality:        85,
}

// cleanTitle is a typed title as stored: NFC, trimmed.
func cleanTitle(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// checkTitle refuses a title as names are refused (queue.CheckName).
func checkTitle(title string) error {
	if err := queue.CheckName("staff title", title, false); err != nil {
		var qe *queue.Error
		if errors.As(err, &qe) {
			return &FormError{Field: "title", VI: errText("vi", qe), EN: errText("en", qe)}
		}
		return err
	}
	return nil
}

// staffMember finds a staff member of the admin's office.
func (s *Server) staffMember(ctx context.Context, se *auth.Session, id string) (queue.Staff, error) {
	id = strings.TrimSpace(id)
	list, err := s.cfg.DB.ListStaff(ctx, se.Office)
	if err != nil {
		return queue.Staff{}, err
	}
	i := slices.IndexFunc(list, func(x queue.Staff) bool { return x.ID == id })
	if i < 0 {
		return queue.Staff{}, fieldErr("", "không có nhân viên %s", "staff %s does not exist", truncate(id, 40))
	}
	return list[i], nil
}

// staffTitle sets the title a station shows under a clerk's name.
func (s *Server) staffTitle(ctx context.Context, se *auth.Session, id, title string) (string, error) {
	m, err := s.staffMember(ctx, se, id)
	if err != nil {
		return "", err
	}
	before := m.Title
	m.Title = cleanTitle(title)
	if err := checkTitle(m.Title); err != nil {
		return "", err
	}
	if err := s.cfg.DB.PutStaff(ctx, m, nil); err != nil {
		return "", err
	}
	return auditDetail{Form: "staff-title", Key: m.ID, Before: map[string]string{"title": before}, After: map[string]string{"title": m.Title}}.String(), nil
}

// staffPhotoRemove removes a staff member's photo.
func (s *Server) staffPhotoRemove(ctx context.Context, se *auth.Session, id string) (string, error) {
	m, err := s.staffMember(ctx, se, id)
	if err != nil {
		return "", err
	}
	if err := s.cfg.DB.DeleteStaffPhoto(ctx, se.Office, m.ID); err != nil {
		return "", err
	}
	return auditDetail{Form: "staff-photo-remove", Key: m.ID}.String(), nil
}

// staffPhotoPost takes a staff member's photo: a multipart form with the
// CSRF token, the member's id and the file "photo" (JPEG or PNG, checked
// by its content, at most MaxStaffPhoto bytes). The picture is decoded
// within limits and re-encoded (photo.Process: upright, no metadata, at
// most 480 pixels a side); the upload itself is never kept. Refused, the
// admin page says why by the member's row and nothing changed.
func (s *Server) staffPhotoPost(w http.ResponseWriter, r *http.Request) {
	const form = "staff-photo"
	r.Body = http.MaxBytesReader(w, r.Body, MaxStaffPhoto+64<<10)
	if err := r.ParseMultipartForm(MaxStaffPhoto + 64<<10); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, translator(lang(r))("st.err.large"))
			return
		}
		s.fail(w, r, http.StatusBadRequest, translator(lang(r))("adm.err.form"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	se, tok, ok := s.auth(w, r, auth.ManageStaff, "/admin/login")
	if !ok {
		return
	}
	ctx := r.Context()
	id := r.PostForm.Get("id")
	detail, err := s.staffPhotoSave(ctx, se, id, r)
	if err != nil {
		l := lang(r)
		st := adminState{Form: "staff-photo-" + truncate(strings.TrimSpace(id), 40), Posted: r.PostForm, Err: errText(l, err)}
		status := http.StatusBadRequest
		var fe *FormError
		var qe *queue.Error
		switch {
		case errors.As(err, &fe):
			st.Field = fe.Field
		case errors.As(err, &qe):
			st.Field = "photo"
		default:
			s.log.Error("admin change", "form", form, "err", err)
			status, st.Err = http.StatusServiceUnavailable, translator(l)("adm.err.storage")
		}
		s.renderAdmin(w, r, se, tok, status, st)
		return
	}
	s.audit(ctx, se.Office, se.Staff, "admin."+form, detail)
	http.Redirect(w, r, "/admin?saved="+url.QueryEscape(form)+"#staff", http.StatusSeeOther)
}

func (s *Server) staffPhotoSave(ctx context.Context, se *auth.Session, id string, r *http.Request) (string, error) {
	m, err := s.staffMember(ctx, se, id)
	if err != nil {
		return "", err
	}
	f, _, err := r.FormFile("photo")
	if err != nil {
		return "", fieldErr("photo", "chọn một tệp ảnh JPEG hoặc PNG", "choose a JPEG or PNG photo file")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxStaffPhoto+1))
	if err != nil {
		return "", fieldErr("photo", "không đọc được tệp ảnh: hãy gửi lại", "the photo file could not be read: send it again")
	}
	if len(data) > MaxStaffPhoto {
		return "", fieldErr("photo", "ảnh lớn hơn %d MB: hãy chọn ảnh nhỏ hơn", "the photo is larger than %d MB: choose a smaller one", MaxStaffPhoto>>20)
	}
	if t := photo.Sniff(data); t != "jpeg" && t != "png" {
		return "", fieldErr("photo", "tệp không phải ảnh JPEG hoặc PNG: hãy chọn ảnh thuộc một trong hai định dạng này", "the file is not a JPEG or PNG photo: choose a photo in one of these types")
	}
	res, err := photo.Process(bytes.NewReader(data), staffPhotoLimits)
	if err != nil {
		return "", err
	}
	if err := s.cfg.DB.PutStaffPhoto(ctx, se.Office, m.ID, res.JPEG, s.now()); err != nil {
		return "", err
	}
	return auditDetail{Form: "staff-photo", Key: m.ID, After: map[string]string{"photo": fmt.Sprintf("%d×%d", res.Width, res.Height)}}.String(), nil
}

// adminStaffPhoto serves a staff member's photo to the admin page.
func (s *Server) adminStaffPhoto(w http.ResponseWriter, r *http.Request) {
	se, _, ok := s.auth(w, r, auth.ManageStaff, "/admin/login")
	if !ok {
		return
	}
	b, _, err := s.cfg.DB.StaffPhoto(r.Context(), se.Office, r.PathValue("id"))
	if errors.Is(err, queue.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, translator(lang(r))("st.err.nophoto"))
		return
	}
	if err != nil {
		s.log.Error("staff photo", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, translator(lang(r))("adm.err.read"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}

// loadRatings reads the rating report of the range asked (as the reports
// page does) for a reader of reports.
func (s *Server) loadRatings(w http.ResponseWriter, r *http.Request) (*engine.View, *report.RatingReport, func(section, key string) string, bool) {
	se, _, ok := s.auth(w, r, auth.ReadReports, "/admin/login")
	if !ok {
		return nil, nil, nil, false
	}
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return nil, nil, nil, false
	}
	from, to, err := reportRange(r, v, s.now())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, errText(lang(r), err))
		return nil, nil, nil, false
	}
	rows, err := s.cfg.DB.RatingRows(r.Context(), se.Office, from, to)
	var staff []queue.Staff
	if err == nil {
		staff, err = s.cfg.DB.ListStaff(r.Context(), se.Office)
	}
	if err != nil {
		s.log.Error("rating report", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, translator(lang(r))("rep.err.read"))
		return nil, nil, nil, false
	}
	rep := report.ComputeRatings(rows, from, to)
	return v, &rep, ratingLabeler(v, staff, lang(r)), true
}

// ratingLabeler names the rating report's keys: clerks by name, counters
// as the reports page does.
func ratingLabeler(v *engine.View, staff []queue.Staff, lang string) func(section, key string) string {
	counters := labeler(v, lang)
	return func(section, key string) string {
		if section == "staff" {
			if i := slices.IndexFunc(staff, func(m queue.Staff) bool { return m.ID == key }); i >= 0 {
				return staff[i].Name
			}
			return key
		}
		if section == "counter" {
			return counters("counter", key)
		}
		return ""
	}
}

// RatingsJSON is the rating report as JSON.
type RatingsJSON struct {
	From      string                 `json:"from"`
	To        string                 `json:"to"`
	Total     report.RatingFigures   `json:"total"`
	ByStaff   []report.RatingFigures `json:"by_staff"`
	ByCounter []report.RatingFigures `json:"by_counter"`
}

func ratingsJSONOf(rep *report.RatingReport, label func(section, key string) string) RatingsJSON {
	j := RatingsJSON{From: rep.From, To: rep.To, Total: rep.Total.Figures("", ""), ByStaff: []report.RatingFigures{}, ByCounter: []report.RatingFigures{}}
	for i := range rep.ByStaff {
		g := &rep.ByStaff[i]
		j.ByStaff = append(j.ByStaff, g.Figures(g.Key, label("staff", g.Key)))
	}
	for i := range rep.ByCounter {
		g := &rep.ByCounter[i]
		j.ByCounter = append(j.ByCounter, g.Figures(g.Key, label("counter", g.Key)))
	}
	return j
}

func (s *Server) ratingsJSON(w http.ResponseWriter, r *http.Request) {
	_, rep, label, ok := s.loadRatings(w, r)
	if !ok {
		return
	}
	writeJSON(w, ratingsJSONOf(rep, label))
}

func (s *Server) ratingsCSV(w http.ResponseWriter, r *http.Request) {
	v, rep, label, ok := s.loadRatings(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-ratings-%s-%s-%s-%s.csv"`, v.Office.ID, rep.From, rep.To, lang(r)))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\ufeff")) // spreadsheets read UTF-8 with it
	if err := report.WriteRatingsCSV(w, rep, label, lang(r)); err != nil {
		s.log.Warn("write rating CSV", "err", err)
	}
}

// stationTexts are the stations' admin and report texts: Vietnamese,
// English.
var stationTexts = map[string][2]string{
	"st.title":                   {"Chức danh", "Title"},
	"st.photo":                   {"Ảnh", "Photo"},
	"st.photo.upload":            {"Tải ảnh lên", "Upload photo"},
	"st.photo.remove":            {"Xóa ảnh", "Remove photo"},
	"st.photo.hint":              {"JPEG hoặc PNG, tối đa 2 MB", "JPEG or PNG, at most 2 MB"},
	"st.title.save":              {"Lưu chức danh", "Save title"},
	"st.counter":                 {"Quầy (màn hình quầy)", "Counter (station)"},
	"st.counter.none":            {"— không —", "— none —"},
	"adm.kind.station":           {"Màn hình quầy", "Counter station"},
	"st.err.large":               {"Ảnh lớn hơn 2 MB: hãy chọn ảnh nhỏ hơn; chưa có gì thay đổi.", "The photo is larger than 2 MB: choose a smaller one; nothing was changed."},
	"st.err.nophoto":             {"Nhân viên này chưa có ảnh.", "This staff member has no photo."},
	"adm.act.staff-title":        {"Sửa chức danh", "Title edited"},
	"adm.act.staff-photo":        {"Tải ảnh nhân viên", "Staff photo uploaded"},
	"adm.act.staff-photo-remove": {"Xóa ảnh nhân viên", "Staff photo removed"},
	"rat.title":                  {"Đánh giá theo cán bộ và quầy", "Ratings by clerk and counter"},
	"rat.by.staff":               {"Đánh giá theo cán bộ", "Ratings by clerk"},
	"rat.by.counter":             {"Đánh giá theo quầy", "Ratings by counter"},
	"rat.n":                      {"Số đánh giá", "Ratings"},
	"rat.avg":                    {"Điểm TB", "Avg score"},
	"rat.station":                {"Màn hình quầy", "Counter station"},
	"rat.phone":                  {"Điện thoại", "Phone"},
	"rat.scores":                 {"Mức 1/2/3/4", "Scores 1/2/3/4"},
	"rat.none":                   {"Chưa có đánh giá nào trong khoảng ngày này.", "No ratings in this date range."},
	"rat.csv":                    {"Tải CSV đánh giá", "Download ratings CSV"},
	"rat.json":                   {"JSON đánh giá", "Ratings JSON"},
}

func init() {
	for k, v := range stationTexts {
		if _, dup := texts[k]; dup {
			panic("web: text key " + k + " is defined twice")
		}
		texts[k] = v
	}
}
