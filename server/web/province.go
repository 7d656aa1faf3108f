package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/province"
	"luot/server/queue"
	"luot/server/report"
)

// The province administrator's page (docs/province.md):
//
//	GET /admin/province   every office's figures side by side (?from=&to=, business days, today by
//	                      default): queue today and over the period, dossiers, feedback reports, and the
//	                      total; links to the CSV in both languages (GET /api/v1/province/stats.csv)
//
// It needs auth.ReadProvince (queue.RoleProvince): an office's clerk or
// administrator gets 403.

func init() {
	staffTemplateNames = append(staffTemplateNames, "province")
	// pvLine gives a table line its page's data (which columns it shows).
	templateFuncs["pvLine"] = func(d *provinceData, r provinceRow) provinceLine { return provinceLine{D: d, R: r} }
	for k, v := range provinceTexts {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " is defined twice")
		}
		texts[k] = v
	}
	for k, v := range provinceFailTexts {
		if _, dup := failTexts[k]; dup {
			panic("web: refusal " + k + " is defined twice")
		}
		failTexts[k] = v
	}
}

// provinceRefused is the answer to a session without auth.ReadProvince.
const provinceRefused = "only a province administrator may open this page; log in with a province administrator's account"

// provinceData fills the province page.
type provinceData struct {
	From, To string
	P        report.Province
	Rows     []provinceRow
	Total    provinceRow
	// CSV are the CSV links: Vietnamese, English.
	CSV [2]string
	// Dossiers and Feedback say whether any office keeps them (their
	// columns are shown only then).
	Dossiers, Feedback bool
}

// provinceRow is one line of the table, its figures written out.
type provinceRow struct {
	Office, Name, Today string
	QueueToday, Queue   []string
	Dossiers, Feedback  []string
}

// provinceLine is a line of the table and the page's data.
type provinceLine struct {
	D *provinceData
	R provinceRow
}

// provinceSources are the sources of the figures: the pages' store, and
// the dossiers' and feedback reports' configurations when the server has
// them (as the API's).
func (s *Server) provinceSources() (province.Sources, error) {
	q, ok := s.cfg.DB.(province.Store)
	if !ok {
		return province.Sources{}, errors.New("web: the store has no report rows: the province's figures cannot be read")
	}
	src := province.Sources{Queue: q}
	if st, ok := s.cfg.DB.(dossier.Store); ok && s.cfg.Dossiers != nil {
		src.DossierStore, src.DossierConfigs = st, []*dossier.Config{s.cfg.Dossiers}
	}
	if st, ok := s.cfg.DB.(feedback.Store); ok && s.cfg.Feedback != nil {
		src.FeedbackStore, src.FeedbackConfigs = st, []*feedback.Config{s.cfg.Feedback}
	}
	return src, nil
}

func (s *Server) provincePage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.authAny(w, r, "/admin/login")
	if !ok {
		return
	}
	if !se.Can(auth.ReadProvince) {
		s.fail(w, r, http.StatusForbidden, provinceRefused)
		return
	}
	l := lang(r)
	tr := translator(l)
	var offices []*queue.Office
	for _, id := range s.cfg.Engine.OfficeIDs() {
		if v, err := s.cfg.Engine.View(id); err == nil {
			o := v.Office
			offices = append(offices, &o)
		}
	}
	now := s.now()
	today := now.UTC().Format("2006-01-02")
	if len(offices) > 0 {
		today = offices[0].Day(now)
	}
	d := &provinceData{}
	from, to, err := province.Period(r.URL.Query().Get("from"), r.URL.Query().Get("to"), today)
	var pe *province.PeriodError
	if errors.As(err, &pe) {
		switch pe.Reason {
		case "order":
			err = fieldErr("to", "ngày kết thúc ở trước ngày bắt đầu", "the end date is before the start date")
		case "length":
			err = fieldErr("to", "một báo cáo gồm tối đa %d ngày: chọn khoảng ngắn hơn", "a report covers at most %d days: choose a shorter range", province.MaxDays)
		default:
			err = fieldErr(pe.Field, "viết ngày theo dạng YYYY-MM-DD", "write the dates as YYYY-MM-DD")
		}
		s.fail(w, r, http.StatusBadRequest, errText(l, err))
		return
	}
	src, err := s.provinceSources()
	if err == nil {
		d.P, err = province.Gather(r.Context(), src, offices, from, to, now)
	}
	if err != nil {
		s.log.Error("province figures", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, tr("rep.err.read"))
		return
	}
	d.From, d.To = from, to
	q := url.Values{"from": {from}, "to": {to}}
	for i, lg := range []string{"vi", "en"} {
		q.Set("lang", lg)
		d.CSV[i] = "/api/v1/province/stats.csv?" + q.Encode()
	}
	for i := range d.P.Offices {
		o := &d.P.Offices[i]
		d.Dossiers = d.Dossiers || o.Dossiers != nil
		d.Feedback = d.Feedback || o.Feedback != nil
		name := o.Name
		if l == "en" && o.NameEN != "" {
			name = o.NameEN
		}
		d.Rows = append(d.Rows, provinceRowOf(o, name))
	}
	d.Total = provinceRowOf(&d.P.Total, tr("total"))
	s.render(w, r, http.StatusOK, "province", page{Title: "pv.title", CSRF: auth.CSRFToken(tok), Session: se, Data: d})
}

// provinceRowOf writes an office's figures as the table shows them:
// waits in minutes, rates in percent, "–" for a figure over nothing.
func provinceRowOf(o *report.ProvinceOffice, name string) provinceRow {
	queue := func(q report.ProvinceQueue) []string {
		wait := "–"
		if q.Waits > 0 {
			wait = fmt.Sprintf("%.1f", q.AvgWaitSeconds/60)
		}
		return []string{fmt.Sprint(q.Tickets), fmt.Sprint(q.Served), fmt.Sprint(q.NoShow), wait}
	}
	row := provinceRow{Office: o.Office, Name: name, Today: o.Today, QueueToday: queue(o.QueueToday), Queue: queue(o.Queue)}
	if x := o.Dossiers; x != nil {
		row.Dossiers = []string{fmt.Sprint(x.Received), fmt.Sprint(x.OnTime), fmt.Sprint(x.Late), fmt.Sprint(x.OpenLate), pct(x.OnTime, x.Done)}
	} else {
		row.Dossiers = []string{"–", "–", "–", "–", "–"}
	}
	if x := o.Feedback; x != nil {
		row.Feedback = []string{fmt.Sprint(x.Reports), fmt.Sprint(x.Open), fmt.Sprint(x.Overdue), pct(x.OnTime, x.Closed)}
	} else {
		row.Feedback = []string{"–", "–", "–", "–"}
	}
	return row
}

// provinceTexts are the province page's texts: Vietnamese, English.
var provinceTexts = map[string][2]string{
	"pv.title":     {"Số liệu toàn tỉnh", "Province figures"},
	"pv.nav":       {"Toàn tỉnh", "Province"},
	"pv.intro":     {"Số liệu của từng đơn vị đặt cạnh nhau: xếp hàng hôm nay và trong khoảng thời gian đã chọn, hồ sơ tiếp nhận và phản ánh nhận được trong khoảng đó.", "Every office's figures side by side: the queue today and over the chosen period, the dossiers received and the reports made in it."},
	"pv.csv.vi":    {"Tải CSV (tiếng Việt)", "Download CSV (Vietnamese)"},
	"pv.csv.en":    {"Tải CSV (tiếng Anh)", "Download CSV (English)"},
	"pv.office":    {"Đơn vị", "Office"},
	"pv.today":     {"Xếp hàng hôm nay", "Queue today"},
	"pv.period":    {"Xếp hàng trong kỳ", "Queue in the period"},
	"pv.dossiers":  {"Hồ sơ", "Dossiers"},
	"pv.feedback":  {"Phản ánh", "Feedback reports"},
	"pv.received":  {"Tiếp nhận", "Received"},
	"pv.ontime":    {"Đúng hạn", "On time"},
	"pv.late":      {"Trễ hạn", "Late"},
	"pv.openlate":  {"Đang quá hạn", "Open, late"},
	"pv.rate":      {"Tỷ lệ đúng hạn", "On time (%)"},
	"pv.reports":   {"Số phản ánh", "Reports"},
	"pv.open":      {"Đang xử lý", "Open"},
	"pv.overdue":   {"Quá hạn", "Overdue"},
	"pv.fb.rate":   {"Xử lý đúng hạn", "Closed on time"},
	"pv.none":      {"Chưa có đơn vị nào.", "There is no office yet."},
	"pv.dash":      {"– : đơn vị không quản lý hồ sơ hoặc phản ánh trên hệ thống này, hoặc không có số liệu để tính.", "– : the office keeps no dossiers or reports on this system, or there is nothing to compute it from."},
	"pv.wait.note": {"Chờ TB: thời gian trung bình từ lúc lấy số đến lần gọi đầu tiên, tính bằng phút.", "Avg wait: the mean time from taking a number to its first call, in minutes."},
}

// provinceFailTexts are the page's refusals, keyed by their English:
// Vietnamese, English ("" is the key itself).
var provinceFailTexts = map[string][2]string{
	provinceRefused: {"Chỉ cán bộ quản trị cấp tỉnh mới được mở trang này; hãy đăng nhập bằng tài khoản quản trị cấp tỉnh", ""},
}
