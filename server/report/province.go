package report

import (
	"encoding/csv"
	"io"

	"luot/server/dossier"
	"luot/server/feedback"
)

// The province's figures: every office's queue, dossiers and feedback
// reports side by side (docs/province.md). Each line is taken from the
// figures the office's own reports compute (Compute, dossier.Figures,
// feedback.Stats), so that an office's line and its own report agree.

// ProvinceQueue is an office's queue figures over some business days.
// AvgWaitSeconds is the mean wait (first call − issue) over Waits called
// tickets (Stats.Wait), 0 when none was called.
type ProvinceQueue struct {
	Tickets        int     `json:"tickets"`
	Served         int     `json:"served"`
	NoShow         int     `json:"no_show"`
	Waits          int     `json:"waits"`
	AvgWaitSeconds float64 `json:"avg_wait_seconds"`
}

// ProvinceQueueOf takes an office's queue figures from its report's
// stats (the total, or a day of ByDay).
func ProvinceQueueOf(s *Stats) ProvinceQueue {
	return ProvinceQueue{Tickets: s.Tickets, Served: s.Served, NoShow: s.NoShow, Waits: s.Wait.N, AvgWaitSeconds: s.Wait.Avg}
}

// ProvinceDossiers are an office's dossiers received in the period
// (dossier.Tally's All): Done of them completed, OnTime of those by their
// due day (early or on it), Late after it; Open still being handled,
// OpenLate of those past their due date. OnTimeRate is OnTime/Done, 0
// when none is done.
type ProvinceDossiers struct {
	Received   int     `json:"received"`
	Done       int     `json:"done"`
	OnTime     int     `json:"on_time"`
	Late       int     `json:"late"`
	Open       int     `json:"open"`
	OpenLate   int     `json:"open_late"`
	OnTimeRate float64 `json:"on_time_rate"`
}

// ProvinceDossiersOf takes an office's dossier figures from the tally of
// all its dossiers of the period.
func ProvinceDossiersOf(t dossier.Tally) ProvinceDossiers {
	d := ProvinceDossiers{Received: t.Total, Done: t.Done, OnTime: t.Early + t.OnTime, Late: t.Late, Open: t.Open, OpenLate: t.OpenLate}
	d.rate()
	return d
}

func (d *ProvinceDossiers) rate() { d.OnTimeRate = share(d.OnTime, d.Done) }

// share is n/of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// ProvinceFeedback are an office's feedback reports created in the
// period (feedback.Figures): Open of them still being handled, Overdue of
// those past their deadline; Closed the others, OnTime of those closed
// (resolved or otherwise) by their deadline. OnTimeRate is
// OnTime/Closed, 0 when none is closed.
type ProvinceFeedback struct {
	Reports    int     `json:"reports"`
	Open       int     `json:"open"`
	Overdue    int     `json:"overdue"`
	Closed     int     `json:"closed"`
	OnTime     int     `json:"on_time"`
	OnTimeRate float64 `json:"on_time_rate"`
}

// ProvinceFeedbackOf takes an office's feedback figures from the
// figures of its reports of the period.
func ProvinceFeedbackOf(f *feedback.Figures) ProvinceFeedback {
	p := ProvinceFeedback{Reports: f.Total, Open: f.Open, Overdue: f.Overdue, Closed: f.Closed, OnTime: f.OnTime}
	p.rate()
	return p
}

func (p *ProvinceFeedback) rate() { p.OnTimeRate = share(p.OnTime, p.Closed) }

// ProvinceOffice is one office's line: its names (Vietnamese, English
// when it has one), its queue today (Today, its business day at the time
// asked) and over the period, and its dossiers
// and feedback reports over the period — nil when the office keeps none
// (no dossier or feedback configuration of its own).
type ProvinceOffice struct {
	Office     string            `json:"office"`
	Name       string            `json:"name"`
	NameEN     string            `json:"name_en,omitempty"`
	Today      string            `json:"today"`
	QueueToday ProvinceQueue     `json:"queue_today"`
	Queue      ProvinceQueue     `json:"queue"`
	Dossiers   *ProvinceDossiers `json:"dossiers"`
	Feedback   *ProvinceFeedback `json:"feedback"`
}

// Province is every office's figures over the business days From … To
// (inclusive, YYYY-MM-DD), by office id, and their total.
type Province struct {
	From    string           `json:"from"`
	To      string           `json:"to"`
	Offices []ProvinceOffice `json:"offices"`
	Total   ProvinceOffice   `json:"total"`
}

// Sum fills p.Total from p.Offices: counts are added up, the mean wait
// is weighted by each office's waits, the rates are recomputed from the
// sums. Dossiers and Feedback stay nil when no office has them.
func (p *Province) Sum() {
	t := ProvinceOffice{}
	var waitToday, wait float64
	for i := range p.Offices {
		o := &p.Offices[i]
		addQueue(&t.QueueToday, &o.QueueToday, &waitToday)
		addQueue(&t.Queue, &o.Queue, &wait)
		if d := o.Dossiers; d != nil {
			if t.Dossiers == nil {
				t.Dossiers = &ProvinceDossiers{}
			}
			s := t.Dossiers
			s.Received, s.Done, s.OnTime, s.Late = s.Received+d.Received, s.Done+d.Done, s.OnTime+d.OnTime, s.Late+d.Late
			s.Open, s.OpenLate = s.Open+d.Open, s.OpenLate+d.OpenLate
		}
		if f := o.Feedback; f != nil {
			if t.Feedback == nil {
				t.Feedback = &ProvinceFeedback{}
			}
			s := t.Feedback
			s.Reports, s.Open, s.Overdue, s.Closed, s.OnTime = s.Reports+f.Reports, s.Open+f.Open, s.Overdue+f.Overdue, s.Closed+f.Closed, s.OnTime+f.OnTime
		}
	}
	if t.QueueToday.Waits > 0 {
		t.QueueToday.AvgWaitSeconds = waitToday / float64(t.QueueToday.Waits)
	}
	if t.Queue.Waits > 0 {
		t.Queue.AvgWaitSeconds = wait / float64(t.Queue.Waits)
	}
	if t.Dossiers != nil {
		t.Dossiers.rate()
	}
	if t.Feedback != nil {
		t.Feedback.rate()
	}
	p.Total = t
}

// addQueue adds q to t, and q's total wait to *wait.
func addQueue(t, q *ProvinceQueue, wait *float64) {
	t.Tickets += q.Tickets
	t.Served += q.Served
	t.NoShow += q.NoShow
	t.Waits += q.Waits
	*wait += q.AvgWaitSeconds * float64(q.Waits)
}

// provinceColumns are the province CSV's columns: Vietnamese, English.
// Waits are in minutes with one decimal, rates in percent with one.
var provinceColumns = [][2]string{
	{"Mã đơn vị", "Office"}, {"Tên đơn vị", "Name"}, {"Hôm nay", "Today"},
	{"Số phiếu hôm nay", "Tickets today"}, {"Đã phục vụ hôm nay", "Served today"}, {"Vắng mặt hôm nay", "No-shows today"}, {"Chờ TB hôm nay (phút)", "Avg wait today (min)"},
	{"Số phiếu", "Tickets"}, {"Đã phục vụ", "Served"}, {"Vắng mặt", "No-shows"}, {"Chờ TB (phút)", "Avg wait (min)"},
	{"Hồ sơ tiếp nhận", "Dossiers received"}, {"Hồ sơ đã giải quyết", "Dossiers done"}, {"Hồ sơ đúng hạn", "Dossiers on time"}, {"Hồ sơ trễ hạn", "Dossiers late"},
	{"Hồ sơ đang giải quyết quá hạn", "Dossiers open and late"}, {"Tỷ lệ hồ sơ đúng hạn (%)", "Dossiers on time (%)"},
	{"Phản ánh", "Reports"}, {"Phản ánh đang xử lý", "Reports open"}, {"Phản ánh quá hạn", "Reports overdue"}, {"Phản ánh đã đóng", "Reports closed"},
	{"Phản ánh xử lý đúng hạn", "Reports closed on time"}, {"Tỷ lệ phản ánh đúng hạn (%)", "Reports on time (%)"},
}

// ProvinceCSVHeader is the first line of the province CSV in lang ("vi"
// or "en").
func ProvinceCSVHeader(lang string) []string {
	out := make([]string, len(provinceColumns))
	for i, c := range provinceColumns {
		out[i] = c[langIndex(lang)]
	}
	return out
}

// WriteProvinceCSV writes the province's figures as CSV in lang ("vi" or
// "en"): one line per office (named in lang when it has such a name),
// then the total (its office cell "Tổng" or "Total"). An office that keeps no dossiers or feedback reports has
// those cells empty, as a rate over nothing does. Cells that a
// spreadsheet would run as a formula are prefixed with '.
func WriteProvinceCSV(w io.Writer, p *Province, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProvinceCSVHeader(lang)); err != nil {
		return err
	}
	queue := func(q ProvinceQueue) []string {
		wait := ""
		if q.Waits > 0 {
			wait = mins(q.AvgWaitSeconds)
		}
		return []string{itoa(q.Tickets), itoa(q.Served), itoa(q.NoShow), wait}
	}
	line := func(o *ProvinceOffice, office string) error {
		rec := []string{safeCell(office), safeCell(nameIn(lang, o.Name, o.NameEN, "")), o.Today}
		rec = append(rec, queue(o.QueueToday)...)
		rec = append(rec, queue(o.Queue)...)
		if d := o.Dossiers; d != nil {
			rate := ""
			if d.Done > 0 {
				rate = ftoa(100 * d.OnTimeRate)
			}
			rec = append(rec, itoa(d.Received), itoa(d.Done), itoa(d.OnTime), itoa(d.Late), itoa(d.OpenLate), rate)
		} else {
			rec = append(rec, make([]string, 6)...)
		}
		if f := o.Feedback; f != nil {
			rate := ""
			if f.Closed > 0 {
				rate = ftoa(100 * f.OnTimeRate)
			}
			rec = append(rec, itoa(f.Reports), itoa(f.Open), itoa(f.Overdue), itoa(f.Closed), itoa(f.OnTime), rate)
		} else {
			rec = append(rec, make([]string, 6)...)
		}
		return cw.Write(rec)
	}
	for i := range p.Offices {
		if err := line(&p.Offices[i], p.Offices[i].Office); err != nil {
			return err
		}
	}
	if err := line(&p.Total, [2]string{"Tổng", "Total"}[langIndex(lang)]); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
