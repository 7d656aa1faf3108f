package board

import (
	"fmt"
	"strings"
	"time"
)

// texts holds every sentence of the board, Vietnamese then English. The
// board shows the Vietnamese always and the English next to or under it
// when Options.English is set.
var texts = map[string][2]string{
	"lost":       {"Mất kết nối — đang kết nối lại…", "Connection lost — reconnecting…"},
	"connecting": {"Đang kết nối máy chủ…", "Connecting to the server…"},
	"noOffice":   {"Lượt", "Lượt"}, // the header before the office's name is known

	"latestTitle":   {"Mời công dân có số thứ tự", "Now calling"},
	"noCalls":       {"Chưa có lượt gọi", "No calls yet"},
	"recall":        {"Gọi lại lần %d", "Recall"},
	"countersTitle": {"Quầy đang phục vụ", "Counters"},
	"noCounters":    {"Chưa có quầy mở", "No counter open"},
	"paused":        {"Tạm nghỉ", "Paused"},
	"recentTitle":   {"Vừa gọi", "Recently called"},
	"waitingTitle":  {"Số người đang chờ", "People waiting"},
	"dossiersTitle": {"Hồ sơ đã có kết quả", "Ready"},
}

// Languages of a sentence in texts.
const (
	langVI = 0
	langEN = 1
)

// tr returns the sentence id in language l (langVI or langEN), formatted with args
// when it has verbs: the English "Recall" does not repeat the count.
func tr(l int, id string, args ...any) string {
	s, ok := texts[id]
	if !ok {
		return id
	}
	if len(args) == 0 || !strings.Contains(s[l], "%") {
		return s[l]
	}
	return fmt.Sprintf(s[l], args...)
}

// line returns the sentence id in Vietnamese, followed on the same line
// by " · " and the English when english is set.
func line(id string, english bool, args ...any) string {
	s := tr(langVI, id, args...)
	if english {
		s += " · " + tr(langEN, id, args...)
	}
	return s
}

// viWeekdays are the Vietnamese names of the weekdays, Sunday first as
// time.Weekday counts.
var viWeekdays = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// dateLines returns the date in Vietnamese ("Thứ Hai, 02/03/2026") and in
// English ("Monday, 2 March 2026").
func dateLines(t time.Time) (string, string) {
	return viWeekdays[t.Weekday()] + ", " + t.Format("02/01/2006"), t.Format("Monday, 2 January 2006")
}
