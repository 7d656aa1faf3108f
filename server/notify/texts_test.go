package notify_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"luot/internal/browsertest"
	"luot/server/notify"
)

// kindParams are the parameters each kind's notices carry
// (notify.go's comments): a text may name only these.
var kindParams = map[notify.Kind][]string{
	notify.TicketNear:        {"number", "ahead"},
	notify.TicketCalled:      {"number", "counter"},
	notify.TicketMissed:      {"number"},
	notify.BookingDayBefore:  {"service", "time", "date"},
	notify.BookingHourBefore: {"service", "time", "date"},
	notify.DossierReceived:   {"code", "procedure", "due"},
	notify.DossierSupplement: {"code", "procedure", "due", "papers", "by"},
	notify.DossierReady:      {"code", "procedure", "due"},
	notify.DossierLate:       {"code", "procedure", "due", "new_due"},
	notify.ReportStatus:      {"code", "status"},
	notify.PhoneCode:         {"code"},
	notify.LinkAgain:         {"link", "number", "code"},
}

// full are a notice's parameters, every one known.
var full = map[string]string{
	"number": "A012", "ahead": "3", "counter": "5", "service": "Hộ tịch",
	"time": "2026-12-04T02:30:00Z", "date": "2026-12-04T02:30:00Z",
	"code": "TP-261203-0001", "procedure": "1.001", "due": "2026-12-09T17:00:00Z",
	"papers": "Bản sao giấy khai sinh", "by": "2026-12-07T17:00:00Z", "new_due": "2026-12-15T17:00:00Z",
	"status": "resolved", "link": "https://luot.example.vn/t/T1?token=abc",
}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

func names(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestTexts checks the table: every kind in both languages, every text
// said, the two languages different and naming the same parameters,
// only the kind's parameters, each in brackets, brackets well formed,
// the source NFC (an SMS counts NFC characters).
func TestTexts(t *testing.T) {
	if len(kindParams) != len(notify.Kinds) {
		t.Fatalf("the test knows %d kinds, notify.Kinds has %d: add the new kind's parameters to kindParams", len(kindParams), len(notify.Kinds))
	}
	for _, k := range notify.Kinds {
		variants := notify.TextsFor(k)
		if _, ok := variants[""]; !ok {
			t.Errorf("%s has no text", k)
		}
		for v, byLang := range variants {
			for _, lang := range notify.Langs {
				tx, ok := byLang[lang]
				if !ok {
					t.Errorf("%s/%s has no %s text", k, v, lang)
					continue
				}
				for field, s := range map[string]string{"title": tx.Title, "body": tx.Body, "sms": tx.SMS} {
					where := string(k) + "/" + v + " " + lang + " " + field
					if strings.TrimSpace(s) == "" {
						t.Errorf("%s is empty", where)
					}
					if w := browsertest.OtherLanguage(placeholder.ReplaceAllString(s, ""), lang); len(w) > 0 {
						t.Errorf("%s has words of the other language: %q", where, w)
					}
					if !norm.NFC.IsNormalString(s) {
						t.Errorf("%s is not NFC: %q", where, s)
					}
					for _, n := range names(s) {
						if !slices.Contains(kindParams[k], n) {
							t.Errorf("%s names {%s}, not a parameter of %s %v", where, n, k, kindParams[k])
						}
					}
					depth := 0
					for _, r := range s {
						switch r {
						case '[':
							depth++
						case ']':
							depth--
						case '{':
							if depth != 1 {
								t.Errorf("%s: a parameter outside brackets (a notice without it would not read well): %q", where, s)
							}
						case '|':
							if depth != 1 {
								t.Errorf("%s: an alternative outside brackets: %q", where, s)
							}
						}
						if depth < 0 || depth > 1 {
							t.Errorf("%s: brackets unbalanced or nested: %q", where, s)
							break
						}
					}
					if depth != 0 {
						t.Errorf("%s: a bracket left open: %q", where, s)
					}
				}
				if lang != "vi" {
					vi := byLang["vi"]
					if vi == tx {
						t.Errorf("%s/%s: the %s text is the Vietnamese", k, v, lang)
					}
					for _, pair := range [][2]string{{vi.Title, tx.Title}, {vi.Body, tx.Body}, {vi.SMS, tx.SMS}} {
						if !slices.Equal(names(pair[0]), names(pair[1])) {
							t.Errorf("%s/%s: %q names %v, its %s %q %v", k, v, pair[0], names(pair[0]), lang, pair[1], names(pair[1]))
						}
					}
				}
			}
		}
	}
}

// subsets are every subset of ps (2^len(ps), at most 32).
func subsets(ps []string) [][]string {
	var out [][]string
	for mask := 0; mask < 1<<len(ps); mask++ {
		var s []string
		for i, p := range ps {
			if mask&(1<<i) != 0 {
				s = append(s, p)
			}
		}
		out = append(out, s)
	}
	return out
}

var leftovers = regexp.MustCompile(`[{}\[\]|]|  | [.,:;]|^[ .,:;]|[.,:;] ?[.,:;]|[^.:]$`)

// TestRenderMissingParams renders every kind in both languages with
// every subset of its parameters (and the "next" wording of near): the
// texts read well without any of them — no template left, no doubled or
// stray punctuation, each text ending its sentence — and say every
// parameter they have.
func TestRenderMissingParams(t *testing.T) {
	for _, k := range notify.Kinds {
		for _, known := range subsets(kindParams[k]) {
			for _, ahead := range []string{"3", "0"} {
				p := map[string]string{}
				for _, name := range known {
					p[name] = full[name]
					if name == "ahead" {
						p[name] = ahead
					}
				}
				n := notify.Notice{Key: "k", Kind: k, Params: p}
				for _, lang := range notify.Langs {
					title, body := notify.Render(n, lang)
					sms := notify.SMSText(n, lang, "", "", false)
					where := string(k) + " " + lang + " with " + strings.Join(known, ",")
					if title == "" || strings.ContainsAny(title, "{}[]|") {
						t.Errorf("%s: title %q", where, title)
					}
					if k == notify.LinkAgain { // the SMS leads to the link that follows it
						text, ok := strings.CutSuffix(sms, ":")
						if p["link"] != "" {
							text, ok = strings.CutSuffix(sms, ": "+p["link"])
						}
						if !ok {
							t.Errorf("%s: the SMS %q does not lead to the link", where, sms)
						}
						sms = text + "."
					}
					for _, s := range []string{body, sms} {
						if leftovers.MatchString(s) {
							t.Errorf("%s: %q does not read well (%q)", where, s, leftovers.FindString(s))
						}
					}
				}
			}
		}
	}
}

// TestRender checks the words of each kind with its parameters.
func TestRender(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	n := func(k notify.Kind, kv ...string) notify.Notice {
		p := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return notify.Notice{Key: "k", Kind: k, Params: p}.InZone(hcm)
	}
	cases := []struct {
		n                 notify.Notice
		lang, title, body string
	}{
		{n(notify.TicketNear, "number", "A012", "ahead", "3"), "vi", "Sắp đến lượt bạn", "Số A012. Còn 3 người trước bạn. Xin mời quay về gần quầy."},
		{n(notify.TicketNear, "number", "A012", "ahead", "3"), "en", "Your turn is near", "Number A012. 3 ahead of you. Please come back near the counters."},
		{n(notify.TicketNear, "number", "A012", "ahead", "0"), "vi", "Bạn là người tiếp theo", "Số A012. Xin mời đến gần quầy, bạn sẽ được gọi ngay."},
		{n(notify.TicketCalled, "number", "A012", "counter", "5"), "vi", "Đến lượt bạn", "Xin mời số A012 đến quầy 5."},
		{n(notify.TicketCalled, "number", "A012", "counter", "5"), "en-GB", "It is your turn", "Number A012, please go to counter 5."},
		{n(notify.TicketCalled), "en", "It is your turn", "Please go to the counters."},
		{n(notify.TicketCalled), "fr", "Đến lượt bạn", "Xin mời đến quầy."},
		{n(notify.TicketMissed, "number", "A012"), "vi", "Bạn đã lỡ lượt", "Số A012 đã được gọi nhưng bạn không có mặt. Xin hỏi nhân viên ở quầy hoặc lấy số mới."},
		{n(notify.TicketMissed), "en", "You missed your turn", "Your number was called but you were not there. Please ask at the counters or take a new number."},
		{n(notify.BookingDayBefore, "service", "Hộ tịch", "time", "2026-12-04T02:30:00Z", "date", "2026-12-04T02:30:00Z"), "vi",
			"Nhắc lịch hẹn ngày mai", "Bạn có lịch hẹn Hộ tịch lúc 09:30 ngày 04/12/2026. Xin mời đến đúng giờ, hoặc hủy lịch trên trang đặt lịch nếu không đến được."},
		{n(notify.BookingHourBefore, "service", "Civil status", "time", "09:30"), "en",
			"Your appointment is in an hour", "You have an appointment for Civil status at 09:30 today. Please be on time."},
		// A due date is the end of its day: 00:00 of 10 December in Hà Nội is 9 December's end.
		{n(notify.DossierReceived, "code", "TP-261203-0001", "due", "2026-12-09T17:00:00Z"), "vi",
			"Hồ sơ đã được tiếp nhận", "Hồ sơ TP-261203-0001 đã được tiếp nhận. Ngày hẹn trả kết quả: 09/12/2026."},
		{n(notify.DossierSupplement, "code", "TP-261203-0001", "papers", "Bản sao\ngiấy khai sinh", "by", "2026-12-07T17:00:00Z"), "en",
			"Your dossier needs more papers", "Dossier TP-261203-0001 needs more papers: Bản sao giấy khai sinh. Please bring them by the end of 07/12/2026."},
		{n(notify.DossierReady, "code", "TP-261203-0001"), "vi", "Hồ sơ đã có kết quả", "Hồ sơ TP-261203-0001 đã có kết quả. Xin mời đến bộ phận một cửa để nhận."},
		{n(notify.DossierLate, "code", "TP-261203-0001", "due", "2026-12-09T17:00:00Z", "new_due", "2026-12-15T17:00:00Z"), "vi",
			"Hồ sơ bị trễ hẹn", "Chúng tôi xin lỗi: hồ sơ TP-261203-0001 chưa có kết quả đúng hẹn ngày 09/12/2026. Ngày hẹn mới: 15/12/2026."},
		{n(notify.ReportStatus, "code", "PA-2612-00012", "status", "in_progress"), "vi", "Phản ánh có cập nhật", "Phản ánh PA-2612-00012: Đang xử lý."},
		{n(notify.ReportStatus, "code", "PA-2612-00012", "status", "resolved"), "en", "Your report was updated", "Report PA-2612-00012: Resolved."},
		{n(notify.ReportStatus, "code", "PA-2612-00012"), "en", "Your report was updated", "Report PA-2612-00012 was updated."},
		{n(notify.PhoneCode, "code", "482913"), "vi", "Mã xác nhận", "Mã xác nhận Lượt: 482913. Xin không đưa mã này cho ai."},
		{n(notify.LinkAgain, "number", "A012", "link", "https://luot.example.vn/t/T1?token=abc"), "en", "Your tracking link",
			"Your tracking link for number A012: https://luot.example.vn/t/T1?token=abc."},
		{n("ticket.teleported"), "vi", "Lượt", "Có tin mới về việc bạn theo dõi. Xin mở trang để xem."},
		{n("ticket.teleported"), "en", "Lượt", "There is news about what you follow. Open its page to see it."},
	}
	for _, tc := range cases {
		title, body := notify.Render(tc.n, tc.lang)
		said := title + " " + body
		for _, v := range tc.n.Params {
			said = strings.ReplaceAll(said, strings.Join(strings.Fields(v), " "), "")
		}
		if w := browsertest.OtherLanguage(said, notify.Lang(tc.lang)); len(w) > 0 {
			t.Errorf("Render(%s, %s) has words of the other language: %q", tc.n.Kind, tc.lang, w)
		}
		if title != tc.title || body != tc.body {
			t.Errorf("Render(%s %v, %s) =\n  %q, %q\nwant\n  %q, %q", tc.n.Kind, tc.n.Params, tc.lang, title, body, tc.title, tc.body)
		}
	}
}

func TestRenderParamsAreSaidNotRead(t *testing.T) {
	long := strings.Repeat("giấy tờ ", 100)
	n := notify.Notice{Kind: notify.DossierSupplement, Params: map[string]string{"code": "{papers}[x|y]", "papers": long}}
	_, body := notify.Render(n, "vi")
	if !strings.HasPrefix(body, "Hồ sơ {papers}[x|y] cần bổ sung: giấy tờ") {
		t.Errorf("a parameter's braces were read as a template: %q", body)
	}
	if !strings.Contains(body, "…") || len([]rune(body)) > notify.MaxParam+80 {
		t.Errorf("a long parameter is not cut: %d characters", len([]rune(body)))
	}
	link := "https://luot.example.vn/t/T1?token=" + strings.Repeat("a", 300)
	_, body = notify.Render(notify.Notice{Kind: notify.LinkAgain, Params: map[string]string{"link": link}}, "vi")
	if !strings.Contains(body, link) {
		t.Errorf("a long link was cut: %q", body)
	}
}

func TestInZone(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	p := map[string]string{"due": "2026-12-09T17:00:00Z", "time": "2026-12-04T02:30:00Z", "number": "A012", "date": "4/12"}
	n := notify.Notice{Kind: notify.DossierReceived, Params: p}
	m := n.InZone(hcm)
	if m.Params["due"] != "2026-12-10T00:00:00+07:00" || m.Params["time"] != "2026-12-04T09:30:00+07:00" ||
		m.Params["number"] != "A012" || m.Params["date"] != "4/12" {
		t.Errorf("InZone: %v", m.Params)
	}
	if p["due"] != "2026-12-09T17:00:00Z" {
		t.Errorf("InZone changed the notice it was given: %v", p)
	}
	if got := n.InZone(nil); got.Params["due"] != p["due"] {
		t.Errorf("InZone(nil) changed the notice: %v", got.Params)
	}
}

// ucs2 counts an SMS's UCS-2 characters (UTF-16 code units).
func ucs2(s string) int { return len(utf16.Encode([]rune(s))) }

// septets counts an SMS's GSM-7 septets (an extension character is two).
func septets(s string) int {
	n := 0
	for _, r := range s {
		n++
		if strings.ContainsRune("\f^{}\\[~]|€", r) {
			n++
		}
	}
	return n
}

func TestSMSText(t *testing.T) {
	link := "https://luot.example.vn/t/T1?token=abc"
	unsub := "https://luot.example.vn/u/Qx7"
	near := notify.Notice{Kind: notify.TicketNear, Params: map[string]string{"number": "A012", "ahead": "3"}}
	called := notify.Notice{Kind: notify.TicketCalled, Params: map[string]string{"number": "A012", "counter": "5"}}
	cases := []struct {
		n                 notify.Notice
		lang, link, unsub string
		unaccented        bool
		want              string
	}{
		{near, "vi", link, unsub, false, "Sắp đến lượt bạn: số A012, còn 3 người trước. " + link + " Hủy: " + unsub},
		{near, "vi", link, unsub, true, "Sap den luot ban: so A012, con 3 nguoi truoc. " + link + " Huy: " + unsub},
		{near, "en", link, unsub, false, "Your turn is near: number A012, 3 ahead. " + link + " Stop: " + unsub},
		{called, "vi", link, unsub, false, "Xin mời số A012 đến quầy 5. " + link + " Hủy: " + unsub},
		{called, "vi", "", "", true, "Xin moi so A012 den quay 5."},
		{notify.Notice{Kind: notify.PhoneCode, Params: map[string]string{"code": "482913"}}, "vi", "", "", true,
			"Ma xac nhan Luot: 482913. Xin khong dua ma nay cho ai."},
		{notify.Notice{Kind: notify.LinkAgain, Params: map[string]string{"number": "A012", "link": link}}, "vi", "", "", false,
			"Đường dẫn theo dõi số A012 của bạn: " + link},
		{notify.Notice{Kind: notify.ReportStatus, Params: map[string]string{"code": "PA-2612-00012", "status": "unfounded"}}, "vi", link, unsub, true,
			"Phan anh PA-2612-00012: Phan anh khong dung. " + link + " Huy: " + unsub},
		// What GSM-7 cannot say becomes '?'; NFD input comes out NFC.
		{notify.Notice{Kind: notify.DossierSupplement, Params: map[string]string{"code": "Ω€→", "by": "x"}}, "vi", "", "", true, "Ho so Ω€? can bo sung giay to, han x."},
		{notify.Notice{Kind: notify.BookingHourBefore, Params: map[string]string{"service": norm.NFD.String("Hộ tịch")}}, "vi", "", "", false, "Nhắc lịch hẹn Hộ tịch hôm nay."},
	}
	for _, tc := range cases {
		got := notify.SMSText(tc.n, tc.lang, tc.link, tc.unsub, tc.unaccented)
		if got != tc.want {
			t.Errorf("SMSText(%s %v, %s, unaccented %v) =\n  %q\nwant\n  %q", tc.n.Kind, tc.n.Params, tc.lang, tc.unaccented, got, tc.want)
		}
		if tc.unaccented && !notify.IsGSM7(got) {
			t.Errorf("%q is not GSM-7", got)
		}
	}
}

// TestSMSLength keeps the frequent SMS short: near and called, the
// messages sent most. Their text leaves most of one UCS-2 part (70) to
// the links; a Vietnamese call fits one part with links of up to 35
// characters; unaccented, each fits one GSM-7 part (160) with a 60-character
// item link and a 40-character unsubscribe link. (A ticket's full link
// with its token is longer: such SMS take two parts in UCS-2.)
func TestSMSLength(t *testing.T) {
	notices := []notify.Notice{
		{Kind: notify.TicketNear, Params: map[string]string{"number": "A012", "ahead": "3"}},
		{Kind: notify.TicketNear, Params: map[string]string{"number": "A012", "ahead": "0"}},
		{Kind: notify.TicketCalled, Params: map[string]string{"number": "A012", "counter": "12"}},
	}
	link := "https://luot.quan1.gov.vn/t/01JEX4K7M2Q9?token=8f3KpQ2xVb7nT" // 60
	unsub := "https://luot.quan1.gov.vn/u/Zp4Lq8Wc2Nx6"                    // 40
	if len(link) != 60 || len(unsub) != 40 {
		t.Fatalf("the links are %d and %d characters, meant 60 and 40", len(link), len(unsub))
	}
	for _, n := range notices {
		for _, lang := range notify.Langs {
			bare := notify.SMSText(n, lang, "", "", false)
			if ucs2(bare) > 45 {
				t.Errorf("%s %s: %q is %d UCS-2 characters, over 45: too long for one part with links", n.Kind, lang, bare, ucs2(bare))
			}
			gsm := notify.SMSText(n, lang, link, unsub, true)
			if septets(gsm) > 160 {
				t.Errorf("%s %s unaccented: %q is %d septets, over one part (160)", n.Kind, lang, gsm, septets(gsm))
			}
		}
	}
	called := notify.SMSText(notices[2], "vi", "https://l.vn/t/01JE", "https://l.vn/u/Z", false) // 35 of links
	if ucs2(called) > 70 {
		t.Errorf("%q is %d UCS-2 characters, over one part (70)", called, ucs2(called))
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"vi": "vi", "en": "en", "EN": "en", "en-US": "en", "en_GB": "en", " en ": "en", "": "vi", "fr": "vi", "eng": "vi", "vi-VN": "vi"} {
		if got := notify.Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}
