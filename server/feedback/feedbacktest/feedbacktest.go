// Package feedbacktest builds feedback data for tests and benchmarks:
// a configuration shaped like the seed's city (its categories, the
// departments that handle them, three wards) and the 1,756 reports of the
// seed's statistics, deterministic, so that the figures, their CSV and
// their charts can be checked against the seed's numbers.
package feedbacktest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"luot/server/feedback"
	"luot/server/geo"
)

// SeedCategories are the seed's categories in its table's order, with
// the number of reports each has in the seed's 19 months (2019-06 to
// 2020-12): 1,756 in all.
var SeedCategories = []struct {
	ID string
	N  int
}{
	{"xay-dung", 593}, {"do-thi", 435}, {"moi-truong", 326}, {"giao-thong", 229}, {"van-hoa", 108},
	{"rung", 20}, {"thuc-pham", 28}, {"gia-ca", 11}, {"thu-tuc", 0}, {"khac", 6},
}

// The seed's other figures.
const (
	SeedTotal     = 1756
	SeedUnfounded = 54
	SeedMonths    = 19 // 2019-06 to 2020-12
	SeedOpen      = 30 // the last 30 reports are still being handled
	SeedRefused   = 25
	SeedDuplicate = 15
)

// SeedFirstMonth is the month of the seed's first report.
var SeedFirstMonth = time.Date(2019, time.June, 1, 0, 0, 0, 0, time.UTC)

// Config is a configuration of the seed's city: its ten categories with
// the departments of one-stop-services.md and their deadlines, and three
// wards (Phường Đông, Tây and Nam, without boundaries) to which
// construction and urban order go by ward. Its calendar is loc's, without
// holidays.
func Config(loc *time.Location) *feedback.Config {
	cat := func(id, name, en, unit string, byWard bool, resolve int) feedback.Category {
		return feedback.Category{ID: id, Name: name, NameEN: en, Unit: unit, ByWard: byWard, AckDays: 1, ResolveDays: resolve}
	}
	dept := func(id, name, en string) feedback.Unit {
		return feedback.Unit{ID: id, Name: name, NameEN: en, Kind: feedback.UnitDepartment}
	}
	ward := func(id, name, en string) feedback.Unit {
		return feedback.Unit{ID: id, Name: name, NameEN: en, Kind: feedback.UnitWard}
	}
	return &feedback.Config{
		Office: "demo",
		Categories: []feedback.Category{
			cat("xay-dung", "Trật tự xây dựng", "Construction order", "qldt", true, 10),
			cat("do-thi", "Trật tự đô thị", "Urban order", "qldt", true, 5),
			cat("moi-truong", "Môi trường", "Environment", "tnmt", false, 7),
			cat("giao-thong", "An toàn giao thông, an ninh trật tự", "Traffic safety, public order", "cong-an", false, 5),
			cat("van-hoa", "Văn hóa, du lịch", "Culture and tourism", "vhtt", false, 10),
			cat("rung", "Quản lý, bảo vệ rừng", "Forest protection", "kiem-lam", false, 10),
			cat("thuc-pham", "Vệ sinh an toàn thực phẩm", "Food safety", "y-te", false, 7),
			cat("gia-ca", "Giá cả thị trường", "Market prices", "tckh", false, 7),
			cat("thu-tuc", "Thủ tục hành chính, thái độ phục vụ", "Administrative procedures", "vp", false, 5),
			cat("khac", "Khác", "Other", "vp", false, 10),
		},
		Units: []feedback.Unit{
			dept("qldt", "Phòng Quản lý đô thị", "Urban Management Office"),
			dept("tnmt", "Phòng Tài nguyên và Môi trường", "Natural Resources and Environment Office"),
			dept("cong-an", "Công an thành phố", "City Police"),
			dept("vhtt", "Phòng Văn hóa – Thông tin", "Culture and Information Office"),
			dept("kiem-lam", "Hạt Kiểm lâm", "Forest Protection Unit"),
			dept("y-te", "Phòng Y tế", "Health Office"),
			dept("tckh", "Phòng Tài chính – Kế hoạch", "Finance and Planning Office"),
			dept("vp", "Văn phòng HĐND và UBND", "Office of the People's Council and Committee"),
			ward("phuong-dong", "Phường Đông (mẫu)", "Dong Ward (sample)"),
			ward("phuong-tay", "Phường Tây (mẫu)", "Tay Ward (sample)"),
			ward("phuong-nam", "Phường Nam (mẫu)", "Nam Ward (sample)"),
		},
		Calendar: feedback.Calendar{Location: loc},
	}
}

// SeedReports builds the seed's 1,756 reports under cfg (from Config):
// SeedCategories' counts, spread evenly over the 19 months from
// SeedFirstMonth (92 or 93 a month, in office hours of loc), of which
// SeedUnfounded unfounded, SeedRefused refused, SeedDuplicate duplicates,
// the last SeedOpen still open and the others resolved, some late, about
// a third with the reporter satisfied and a few reopened. Deadlines are
// counted on cfg's calendar. The same call builds the same reports.
func SeedReports(cfg *feedback.Config) []feedback.Report {
	loc := cfg.Calendar.Location
	if loc == nil {
		loc = time.UTC
	}
	rnd := rand.New(rand.NewPCG(1756, 54))
	var cats []string
	for _, c := range SeedCategories {
		for range c.N {
			cats = append(cats, c.ID)
		}
	}
	rnd.Shuffle(len(cats), func(i, j int) { cats[i], cats[j] = cats[j], cats[i] })

	// Which of the closed reports (all but the last SeedOpen) are
	// unfounded, refused or duplicate: the first of a shuffled order.
	closing := make([]feedback.Status, SeedTotal)
	order := rnd.Perm(SeedTotal - SeedOpen)
	for k, i := range order {
		switch {
		case k < SeedUnfounded:
			closing[i] = feedback.StatusUnfounded
		case k < SeedUnfounded+SeedRefused:
			closing[i] = feedback.StatusRefused
		case k < SeedUnfounded+SeedRefused+SeedDuplicate:
			closing[i] = feedback.StatusDuplicate
		default:
			closing[i] = feedback.StatusResolved
		}
	}
	open := []feedback.Status{feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress}
	wards := []string{"phuong-dong", "phuong-tay", "phuong-nam"}

	out := make([]feedback.Report, 0, SeedTotal)
	for i := range SeedTotal {
		m := i * SeedMonths / SeedTotal // month m holds reports firstOf(m) … firstOf(m+1)−1
		k := i - firstOf(m)             // the report's rank in its month
		month := SeedFirstMonth.AddDate(0, m, 0)
		days := time.Date(month.Year(), month.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		day := 1 + k*days/monthSize(m)
		created := time.Date(month.Year(), month.Month(), day, 7+k%11, (k*13)%60, 0, 0, loc)

		cat, _ := cfg.Category(cats[i])
		r := feedback.Report{
			Code:        fmt.Sprintf("PA-%s-%05d", created.Format("0601"), k+1),
			Office:      cfg.Office,
			Category:    cat.ID,
			Description: "Phản ánh mẫu số " + fmt.Sprint(i+1),
			Channel:     feedback.ChannelWeb,
			Unit:        cat.Unit,
			Created:     created,
			AckDue:      cfg.Calendar.AddWorkingDays(created, cat.AckDays),
			ResolveDue:  cfg.Calendar.AddWorkingDays(created, cat.ResolveDays),
			Version:     1,
		}
		if i%4 != 0 {
			w := wards[(i%7)%len(wards)] // 3 : 2 : 2
			r.Place = feedback.Place{Point: &geo.Point{Lat: 16.4637 - 0.001*float64(i%7), Lon: 107.5909 + 0.001*float64(i%5)}, Ward: w}
			if cat.ByWard {
				r.Unit = w
			}
		} else {
			r.Place = feedback.Place{Address: fmt.Sprintf("%d Lê Lợi", 1+i%120)}
		}
		accepted := created.Add(time.Duration(1+i%60) * time.Hour) // some after the next working day's end
		if i >= SeedTotal-SeedOpen {
			r.Status = open[i%len(open)]
			if r.Status != feedback.StatusNew {
				r.Accepted = accepted
			}
			r.Version = 2
			out = append(out, r)
			continue
		}
		r.Status = closing[i]
		switch r.Status {
		case feedback.StatusRefused:
			r.Closed = created.Add(5 * time.Hour)
		case feedback.StatusDuplicate:
			r.Closed = created.Add(30 * time.Minute)
		case feedback.StatusUnfounded:
			r.Accepted = accepted
			r.Closed = accepted.Add(48 * time.Hour)
		case feedback.StatusResolved:
			r.Accepted = accepted
			// 1 to 16 days and some hours: the longer ones are late.
			r.Resolved = created.Add(time.Duration(1+(i*37)%16)*24*time.Hour + time.Duration(i%9)*time.Hour)
			switch {
			case i%3 == 0:
				r.Verdict = feedback.VerdictSatisfied
				r.Closed = r.Resolved.Add(24 * time.Hour)
			case i%23 == 1:
				r.Verdict = feedback.VerdictReopened
				r.Reopened = 1
			}
		}
		r.Version = 4
		out = append(out, r)
	}
	return out
}

// firstOf is the index of the first report of month m (0 = SeedFirstMonth).
func firstOf(m int) int { return (m*SeedTotal + SeedMonths - 1) / SeedMonths }

// monthSize is how many reports month m has.
func monthSize(m int) int { return firstOf(m+1) - firstOf(m) }
