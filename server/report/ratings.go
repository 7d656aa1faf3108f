package report

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"

	"luot/server/queue"
)

// Channels are the rating channels in the order reports show them.
var Channels = []string{queue.RatingStation, queue.RatingPhone}

// RatingStats are the ratings of one clerk or counter, split by channel.
type RatingStats struct {
	// ByChannel[ch][s] counts the ratings of channel ch with score s
	// (index 0 unused).
	ByChannel map[string]*[MaxScore + 1]int `json:"-"`
	// Reasons counts the reasons given, by id.
	Reasons map[string]int `json:"reasons"`
}

// N is how many ratings channel ch has ("" for all channels).
func (s *RatingStats) N(ch string) int {
	n := 0
	for c, byScore := range s.ByChannel {
		if ch == "" || c == ch {
			for _, k := range byScore[1:] {
				n += k
			}
		}
	}
	return n
}

// Avg is the mean score of channel ch ("" for all), 0 when none.
func (s *RatingStats) Avg(ch string) float64 {
	n, sum := 0, 0
	for c, byScore := range s.ByChannel {
		if ch == "" || c == ch {
			for sc, k := range byScore {
				n += k
				sum += sc * k
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// Count is how many ratings of channel ch ("" for all) have score sc.
func (s *RatingStats) Count(ch string, sc int) int {
	n := 0
	for c, byScore := range s.ByChannel {
		if (ch == "" || c == ch) && sc >= 1 && sc <= MaxScore {
			n += byScore[sc]
		}
	}
	return n
}

func (s *RatingStats) add(r *queue.Rating) {
	ch := cmp.Or(r.Channel, queue.RatingPhone)
	if s.ByChannel[ch] == nil {
		s.ByChannel[ch] = new([MaxScore + 1]int)
	}
	s.ByChannel[ch][r.Score]++
	for _, id := range r.Reasons {
		s.Reasons[id]++
	}
}

func newRatingStats() RatingStats {
	return RatingStats{ByChannel: map[string]*[MaxScore + 1]int{}, Reasons: map[string]int{}}
}

// RatingGroup is the ratings of one clerk (staff id) or counter (id).
type RatingGroup struct {
	Key string
	RatingStats
}

// RatingReport is an office's ratings over a range of business days, by
// clerk and by counter, each split by channel.
type RatingReport struct {
	From, To  string
	Total     RatingStats
	ByStaff   []RatingGroup
	ByCounter []RatingGroup
}

// ComputeRatings makes the rating report of the ratings of tickets of the
// business days from … to (inclusive): a rating counts for the clerk and
// the counter it holds (those that finished the ticket), in its channel
// (phone when it has none). Ratings of other days, with a score out of
// 1–4, are ignored; a rating without a clerk or counter counts only in
// the total.
func ComputeRatings(ratings []queue.Rating, from, to string) RatingReport {
	r := RatingReport{From: from, To: to, Total: newRatingStats()}
	staff, counters := map[string]*RatingStats{}, map[string]*RatingStats{}
	get := func(m map[string]*RatingStats, k string) *RatingStats {
		if s, ok := m[k]; ok {
			return s
		}
		s := newRatingStats()
		m[k] = &s
		return &s
	}
	for i := range ratings {
		rt := &ratings[i]
		if rt.Score < 1 || rt.Score > MaxScore || rt.Day < from || rt.Day > to {
			continue
		}
		r.Total.add(rt)
		if rt.Staff != "" {
			get(staff, rt.Staff).add(rt)
		}
		if rt.Counter != "" {
			get(counters, rt.Counter).add(rt)
		}
	}
	r.ByStaff, r.ByCounter = ratingGroups(staff), ratingGroups(counters)
	return r
}

func ratingGroups(m map[string]*RatingStats) []RatingGroup {
	out := make([]RatingGroup, 0, len(m))
	for k, s := range m {
		out = append(out, RatingGroup{Key: k, RatingStats: *s})
	}
	slices.SortFunc(out, func(a, b RatingGroup) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// RatingFigures is a group's ratings as numbers: JSON of the rating
// report and a line of its CSV.
type RatingFigures struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	// N and Avg are over every channel; Scores[s-1] counts score s.
	N      int              `json:"n"`
	Avg    float64          `json:"avg"`
	Scores [MaxScore]int    `json:"scores"`
	ByChan []ChannelFigures `json:"channels"`
	// Reasons counts the reasons given, by id.
	Reasons map[string]int `json:"reasons"`
}

// ChannelFigures are the ratings of one channel of a group.
type ChannelFigures struct {
	Channel string        `json:"channel"`
	N       int           `json:"n"`
	Avg     float64       `json:"avg"`
	Scores  [MaxScore]int `json:"scores"`
}

// Figures are the numbers of s under key and label.
func (s *RatingStats) Figures(key, label string) RatingFigures {
	f := RatingFigures{Key: key, Label: label, N: s.N(""), Avg: round1(s.Avg("")), Reasons: s.Reasons, ByChan: []ChannelFigures{}}
	for sc := 1; sc <= MaxScore; sc++ {
		f.Scores[sc-1] = s.Count("", sc)
	}
	for _, ch := range Channels {
		c := ChannelFigures{Channel: ch, N: s.N(ch), Avg: round1(s.Avg(ch))}
		for sc := 1; sc <= MaxScore; sc++ {
			c.Scores[sc-1] = s.Count(ch, sc)
		}
		f.ByChan = append(f.ByChan, c)
	}
	if f.Reasons == nil {
		f.Reasons = map[string]int{}
	}
	return f
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// ratingColumns are the rating CSV's columns: Vietnamese, English.
var ratingColumns = func() [][2]string {
	cols := [][2]string{{"Phần", "Section"}, {"Mã", "Key"}, {"Tên", "Name"}, {"Số đánh giá", "Ratings"}, {"Điểm TB", "Avg score"}}
	names := map[string][2]string{queue.RatingStation: {"màn hình quầy", "station"}, queue.RatingPhone: {"điện thoại", "phone"}}
	for _, ch := range Channels {
		n := names[ch]
		cols = append(cols, [2]string{"Số đánh giá " + n[0], "Ratings " + n[1]}, [2]string{"Điểm TB " + n[0], "Avg " + n[1]})
		for sc := 1; sc <= MaxScore; sc++ {
			cols = append(cols, [2]string{"Mức " + itoa(sc) + " " + n[0], "Score " + itoa(sc) + " " + n[1]})
		}
	}
	return cols
}()

// ratingSections name the rating CSV's sections: Vietnamese, English.
var ratingSections = map[string][2]string{"total": {"Tổng", "Total"}, "staff": {"Cán bộ", "Clerk"}, "counter": {"Quầy", "Counter"}}

// WriteRatingsCSV writes the rating report as CSV in lang ("vi" or "en"):
// the total, then one line per clerk and per counter, with the figures of
// each channel. label names a key (a clerk's or counter's name); it may
// be nil. Cells a spreadsheet would run as a formula are prefixed with '.
func WriteRatingsCSV(w io.Writer, r *RatingReport, label func(section, key string) string, lang string) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(ratingColumns))
	for i, c := range ratingColumns {
		head[i] = c[langIndex(lang)]
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := func(section, key string, s *RatingStats) error {
		l := ""
		if label != nil {
			l = label(section, key)
		}
		rec := []string{ratingSections[section][langIndex(lang)], safeCell(key), safeCell(l), itoa(s.N("")), ftoa(s.Avg(""))}
		for _, ch := range Channels {
			rec = append(rec, itoa(s.N(ch)), ftoa(s.Avg(ch)))
			for sc := 1; sc <= MaxScore; sc++ {
				rec = append(rec, itoa(s.Count(ch, sc)))
			}
		}
		return cw.Write(rec)
	}
	if err := line("total", r.From+".."+r.To, &r.Total); err != nil {
		return err
	}
	for _, sec := range []struct {
		name string
		gs   []RatingGroup
	}{{"staff", r.ByStaff}, {"counter", r.ByCounter}} {
		for i := range sec.gs {
			if err := line(sec.name, sec.gs[i].Key, &sec.gs[i].RatingStats); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
