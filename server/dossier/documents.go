package dossier

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"luot/server/queue"
)

// weekdays are the days of the week in Vietnamese, Sunday first.
var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// DueDay is a due date as a receipt and the applicant's page say it: the
// day it ends (a due date is 24:00 of its day), with its weekday, in the
// office's zone: "Thứ Hai, 07/12/2026".
func DueDay(loc *time.Location, due time.Time) string {
	if due.IsZero() {
		return ""
	}
	d := due.In(loc)
	if d.Hour() == 0 && d.Minute() == 0 && d.Second() == 0 && d.Nanosecond() == 0 {
		d = d.Add(-time.Nanosecond)
	}
	return weekdays[d.Weekday()] + ", " + d.Format("02/01/2006")
}

// Money is a fee in đồng as Vietnamese writes it: "50.000 đ".
func Money(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đ"
}

// clip cuts a text to what a document line holds.
func clip(s string) string {
	if r := []rune(s); len(r) > queue.MaxDocText {
		return string(r[:queue.MaxDocText-1]) + "…"
	}
	return s
}

// Receipt is the dossier's receipt for the counter's printer (giấy
// tiếp nhận hồ sơ và hẹn trả kết quả): the office, the title, the code
// and the QR of the applicant's link (none when link is empty), the
// procedure, the applicant, the papers received, the fee, the due date,
// the clerk and counter, the time of receipt. A refused dossier gets the
// refusal slip (phiếu từ chối tiếp nhận) with the reason instead.
// Vietnamese only, and lean: it prints on 80 mm paper in text mode within
// 1,200 bytes for a usual dossier.
func Receipt(c *Config, o *queue.Office, d Dossier, link, clerk string) queue.Document {
	loc := o.Location()
	p, _ := c.Procedure(d.Procedure)
	title := "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
	if d.Status == StatusRefused {
		title = "PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ"
	}
	lines := []queue.DocLine{
		{Style: queue.LineTitle, Text: clip(o.Name)},
		{Style: queue.LineText, Text: title, Align: "center"},
		{Style: queue.LineText, Text: "Mã hồ sơ: " + d.Code, Align: "center"},
	}
	if link != "" && d.Status != StatusRefused {
		lines = append(lines, queue.DocLine{Style: queue.LineQR, Text: link})
	}
	lines = append(lines,
		queue.DocLine{Style: queue.LineRule},
		queue.DocLine{Style: queue.LineText, Text: clip("Thủ tục: " + cmp.Or(p.Name, d.Procedure))},
		queue.DocLine{Style: queue.LineText, Text: clip("Người nộp: " + d.Applicant.Name)},
	)
	if d.Status == StatusRefused {
		lines = append(lines, queue.DocLine{Style: queue.LineText, Text: clip("Lý do: " + d.Reason)})
	} else {
		if len(d.Papers)+len(d.Extra) > 0 {
			lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Giấy tờ đã nhận:"})
			for _, id := range d.Papers {
				name := id
				if i := slices.IndexFunc(p.Papers, func(pp Paper) bool { return pp.ID == id }); i >= 0 {
					name = p.Papers[i].Name
				}
				lines = append(lines, queue.DocLine{Style: queue.LineSmall, Text: clip("- " + name)})
			}
			for _, x := range d.Extra {
				lines = append(lines, queue.DocLine{Style: queue.LineSmall, Text: clip("- " + x)})
			}
		}
		if d.Fee > 0 {
			lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Lệ phí: " + Money(d.Fee)})
		}
		if !d.DueAt.IsZero() {
			lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Hẹn trả kết quả: " + DueDay(loc, d.DueAt)})
		}
	}
	lines = append(lines, queue.DocLine{Style: queue.LineRule})
	who := clerk
	if k := o.Counter(d.Counter); k != nil {
		vi, _ := queue.CounterLabel(k)
		who = strings.TrimPrefix(who+", "+vi, ", ")
	}
	if who != "" {
		lines = append(lines, queue.DocLine{Style: queue.LineSmall, Text: clip("Người tiếp nhận: " + who)})
	}
	at := cmp.Or(d.ReceivedAt, d.SubmittedAt)
	if !at.IsZero() {
		lines = append(lines, queue.DocLine{Style: queue.LineSmall, Text: "Lúc " + at.In(loc).Format("15:04 02/01/2006")})
	}
	if link != "" && d.Status != StatusRefused {
		lines = append(lines, queue.DocLine{Style: queue.LineSmall, Text: "Quét mã QR để theo dõi hồ sơ", Align: "center"})
	}
	return queue.Document{Lines: lines}
}

// ApologyNotice is a late dossier's notice for the counter's printer
// (thư xin lỗi và hẹn lại ngày trả kết quả): the office, the title, the
// code and procedure, the applicant, the due date missed, the apology's
// text and its new date, the QR of the applicant's link (none when link
// is empty). Vietnamese only.
func ApologyNotice(c *Config, o *queue.Office, d Dossier, link string) queue.Document {
	loc := o.Location()
	p, _ := c.Procedure(d.Procedure)
	lines := []queue.DocLine{
		{Style: queue.LineTitle, Text: clip(o.Name)},
		{Style: queue.LineText, Text: "THƯ XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", Align: "center"},
		{Style: queue.LineText, Text: "Mã hồ sơ: " + d.Code, Align: "center"},
		{Style: queue.LineRule},
		{Style: queue.LineText, Text: clip("Thủ tục: " + cmp.Or(p.Name, d.Procedure))},
		{Style: queue.LineText, Text: clip("Kính gửi: " + d.Applicant.Name)},
	}
	if !d.OriginalDue.IsZero() {
		lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Hẹn trả trước đây: " + DueDay(loc, d.OriginalDue)})
	}
	if a := d.Apology; a != nil {
		for _, para := range strings.Split(a.Text, "\n") {
			if para = strings.TrimSpace(para); para != "" {
				lines = append(lines, queue.DocLine{Style: queue.LineText, Text: clip(para)})
			}
		}
		lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Hẹn trả mới: " + DueDay(loc, a.NewDue)})
	} else if !d.DueAt.IsZero() {
		lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Hẹn trả kết quả: " + DueDay(loc, d.DueAt)})
	}
	lines = append(lines, queue.DocLine{Style: queue.LineText, Text: "Mong ông/bà thông cảm."})
	if link != "" {
		lines = append(lines,
			queue.DocLine{Style: queue.LineQR, Text: link},
			queue.DocLine{Style: queue.LineSmall, Text: "Quét mã QR để theo dõi hồ sơ", Align: "center"},
		)
	}
	if len(lines) > queue.MaxDocLines {
		lines = lines[:queue.MaxDocLines]
	}
	return queue.Document{Lines: lines}
}

// ReadyList is the boards' "Hồ sơ đã có kết quả" panel from dossiers:
// those completed (result ready, not yet handed over), the newest first
// (then by code), at most Board.Max, with the applicant's masked name
// unless the board shows codes only. Empty (not nil) when the board's
// panel is off or nothing is ready.
func ReadyList(c *Config, ds []Dossier) []queue.ReadyDossier {
	out := []queue.ReadyDossier{}
	if c.Board.Off {
		return out
	}
	var ready []Dossier
	for _, d := range ds {
		if d.Status == StatusCompleted {
			ready = append(ready, d)
		}
	}
	slices.SortStableFunc(ready, func(a, b Dossier) int {
		return cmp.Or(b.CompletedAt.Compare(a.CompletedAt), cmp.Compare(a.Code, b.Code))
	})
	max := c.Board.Max
	if max <= 0 {
		max = DefaultBoardMax
	}
	for _, d := range ready {
		if len(out) == max {
			break
		}
		r := queue.ReadyDossier{Code: d.Code, At: d.CompletedAt}
		if c.Board.Names != BoardNone {
			r.Name = MaskName(d.Applicant.Name)
		}
		out = append(out, r)
	}
	return out
}
