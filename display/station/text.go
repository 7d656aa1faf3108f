package station

import (
	"strconv"

	"luot/display/stationstate"
)

// texts holds every sentence of the screen, Vietnamese then English. The
// screen shows one language at a time: View.English picks it.
var texts = map[string][2]string{
	"app":     {"Lượt", "Lượt"}, // the header before the office's name is known
	"counter": {"QUẦY", "COUNTER"},
	"lost":    {"Mất kết nối máy chủ — đang kết nối lại…", "Connection lost — reconnecting…"},
	// The language button names the other language, in that language.
	"otherLanguage": {"English", "Tiếng Việt"},

	"connecting":    {"Đang kết nối máy chủ…", "Connecting to the server…"},
	"connectingSub": {"Vui lòng chờ trong giây lát.", "Please wait a moment."},
	"closed":        {"Quầy đóng", "Counter closed"},
	"closedSub":     {"Mời ông/bà đến quầy khác đang mở.", "Please go to another open counter."},
	"idle":          {"Kính chào ông/bà", "Welcome"},
	"idleSub":       {"Vui lòng chờ đến lượt: số của ông/bà sẽ được gọi trên màn hình.", "Please wait for your number to be called on the screen."},
	"called":        {"Mời công dân số", "Now calling number"},
	"serving":       {"Đang phục vụ công dân số", "Now serving number"},
	"paused":        {"Quầy tạm nghỉ", "Counter paused"},
	"pausedSub":     {"Xin vui lòng chờ trong giây lát.", "Please wait a moment."},
	"ticket":        {"Số %s", "Number %s"},
	"question":      {"Ông/bà có hài lòng với sự phục vụ của cán bộ không?", "Are you satisfied with the service you received?"},
	"questionSub":   {"Chạm vào một ô để đánh giá.", "Tap a button to rate."},
	"reasons":       {"Ông/bà chưa hài lòng về điều gì?", "What did not satisfy you?"},
	"reasonsSub":    {"Chọn một hoặc nhiều ý, rồi chạm “Gửi”.", "Choose one or more, then tap “Send”."},
	"send":          {"Gửi", "Send"},
	"countdown":     {"Màn hình tự đóng sau %s giây", "This screen closes in %s seconds"},
	"countdown1":    {"Màn hình tự đóng sau 1 giây", "This screen closes in 1 second"},
	"thanks":        {"Cảm ơn ông/bà!", "Thank you!"},
	"thanksSub":     {"Chúc ông/bà một ngày tốt lành.", "Have a good day."},

	"signIn":   {"Đăng nhập cán bộ", "Clerk sign-in"},
	"staffId":  {"Mã cán bộ: %s_  (Enter)", "Staff id: %s_  (Enter)"},
	"pin":      {"Mã PIN: %s_  (Enter)", "PIN: %s_  (Enter)"},
	"noNumber": {"—", "—"},
}

// tr returns the sentence id in English when en is set, in Vietnamese
// otherwise, with %s replaced by arg.
func tr(en bool, id string, arg ...string) string {
	s, ok := texts[id]
	if !ok {
		return id
	}
	l := s[0]
	if en {
		l = s[1]
	}
	if len(arg) > 0 {
		return replace(l, arg[0])
	}
	return l
}

// replace puts a in place of the first %s of s (texts hold no other verb).
func replace(s, a string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 's' {
			return s[:i] + a + s[i+2:]
		}
	}
	return s
}

// pick returns en when English is wanted and there is one, vi otherwise.
func pick(english bool, vi, en string) string {
	if english && en != "" {
		return en
	}
	return vi
}

// counterNumber is the number on the counter's tile: its number, or its id
// when it has none.
func counterNumber(v *stationstate.View) string {
	if v.CounterNumber > 0 {
		return strconv.Itoa(v.CounterNumber)
	}
	return v.Counter
}

// counterName is the counter's name beside the tile, "" when the name
// only repeats the tile ("Quầy 3" on counter 3).
func counterName(v *stationstate.View) string {
	n := v.CounterName
	if v.CounterNumber > 0 {
		num := strconv.Itoa(v.CounterNumber)
		if n == "Quầy "+num || n == "Counter "+num || n == num {
			return ""
		}
	}
	return n
}
