package notify

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text is one kind's words in one language: a push notification's Title
// and Body, and the SMS, shorter, which the item's link and the
// unsubscribe link follow (SMSText).
//
// A template names a parameter {name}. A part in brackets is said only
// when its parameters are all known: "Hồ sơ[ {code}] đã có kết quả." is
// "Hồ sơ đã có kết quả." without a code. Alternatives in brackets,
// "[số {number}|số của bạn]", say the first whose parameters are known,
// or nothing. Every parameter stands in brackets, so a notice lacking one
// still reads well.
type Text struct{ Title, Body, SMS string }

// Langs are the languages of the texts, the first the default.
var Langs = []string{"vi", "en"}

// Lang is the language of the texts for a subscriber's or a notice's
// language tag: "en" for English ("en", "en-GB"), Vietnamese otherwise.
func Lang(tag string) string {
	if t := strings.ToLower(strings.TrimSpace(tag)); t == "en" || strings.HasPrefix(t, "en-") || strings.HasPrefix(t, "en_") {
		return "en"
	}
	return "vi"
}

// variant names a second wording of a kind for a case worth its own
// words: nearNext, a ticket with nobody left ahead.
type variant struct {
	kind Kind
	name string
}

// nearNext is TicketNear's wording when "ahead" is 0.
const nearNext = "next"

// texts is the table: each kind (and variant) in each of Langs.
var texts = map[variant]map[string]Text{
	{TicketNear, ""}: {
		"vi": {"Sắp đến lượt bạn",
			"[Số {number}. ][Còn {ahead} người trước bạn. ]Xin mời quay về gần quầy.",
			"Sắp đến lượt bạn[: số {number}][, còn {ahead} người trước]."},
		"en": {"Your turn is near",
			"[Number {number}. ][{ahead} ahead of you. ]Please come back near the counters.",
			"Your turn is near[: number {number}][, {ahead} ahead]."},
	},
	{TicketNear, nearNext}: {
		"vi": {"Bạn là người tiếp theo",
			"[Số {number}. ]Xin mời đến gần quầy, bạn sẽ được gọi ngay.",
			"[Số {number}: b|B]ạn là người tiếp theo."},
		"en": {"You are next",
			"[Number {number}. ]Please come near the counters: you are called next.",
			"[Number {number}: y|Y]ou are next."},
	},
	{TicketCalled, ""}: {
		"vi": {"Đến lượt bạn",
			"Xin mời[ số {number}] đến[ quầy {counter}| quầy].",
			"Xin mời[ số {number}] đến[ quầy {counter}| quầy]."},
		"en": {"It is your turn",
			"[Number {number}, p|P]lease go to[ counter {counter}| the counters].",
			"[Number {number}, p|P]lease go to[ counter {counter}| the counters]."},
	},
	{TicketMissed, ""}: {
		"vi": {"Bạn đã lỡ lượt",
			"[Số {number}|Số của bạn] đã được gọi nhưng bạn không có mặt. Xin hỏi nhân viên ở quầy hoặc lấy số mới.",
			"[Số {number}|Số của bạn] đã qua lượt. Xin hỏi nhân viên ở quầy."},
		"en": {"You missed your turn",
			"[Number {number}|Your number] was called but you were not there. Please ask at the counters or take a new number.",
			"[Number {number}|Your number] was called and missed. Please ask at the counters."},
	},
	{BookingDayBefore, ""}: {
		"vi": {"Nhắc lịch hẹn ngày mai",
			"Bạn có lịch hẹn[ {service}][ lúc {time}][ ngày {date}]. Xin mời đến đúng giờ, hoặc hủy lịch trên trang đặt lịch nếu không đến được.",
			"Nhắc lịch hẹn[ {service}][ lúc {time}][ ngày {date}]."},
		"en": {"Your appointment is tomorrow",
			"You have an appointment[ for {service}][ at {time}][ on {date}]. Please be on time, or cancel it on the booking page if you cannot come.",
			"Reminder: appointment[ for {service}][ at {time}][ on {date}]."},
	},
	{BookingHourBefore, ""}: {
		"vi": {"Lịch hẹn trong một giờ nữa",
			"Bạn có lịch hẹn[ {service}][ lúc {time}] hôm nay. Xin mời đến đúng giờ.",
			"Nhắc lịch hẹn[ {service}][ lúc {time}] hôm nay."},
		"en": {"Your appointment is in an hour",
			"You have an appointment[ for {service}][ at {time}] today. Please be on time.",
			"Reminder: appointment[ for {service}][ at {time}] today."},
	},
	{DossierReceived, ""}: {
		"vi": {"Hồ sơ đã được tiếp nhận",
			"Hồ sơ[ {code}] đã được tiếp nhận.[ Ngày hẹn trả kết quả: {due}.]",
			"Hồ sơ[ {code}] đã được tiếp nhận[, hẹn trả ngày {due}]."},
		"en": {"Your dossier was received",
			"Dossier[ {code}] was received.[ Its result is due on {due}.]",
			"Dossier[ {code}] received[, due on {due}]."},
	},
	{DossierSupplement, ""}: {
		"vi": {"Hồ sơ cần bổ sung",
			"Hồ sơ[ {code}] cần bổ sung[: {papers}].[ Xin nộp trước hết ngày {by}.]",
			"Hồ sơ[ {code}] cần bổ sung giấy tờ[, hạn {by}]."},
		"en": {"Your dossier needs more papers",
			"Dossier[ {code}] needs more papers[: {papers}].[ Please bring them by the end of {by}.]",
			"Dossier[ {code}] needs more papers[ by {by}]."},
	},
	{DossierReady, ""}: {
		"vi": {"Hồ sơ đã có kết quả",
			"Hồ sơ[ {code}] đã có kết quả. Xin mời đến bộ phận một cửa để nhận.",
			"Hồ sơ[ {code}] đã có kết quả, xin mời đến nhận."},
		"en": {"Your result is ready",
			"Dossier[ {code}] has its result. Please collect it at the one-stop desk.",
			"Dossier[ {code}] is ready, please collect it."},
	},
	{DossierLate, ""}: {
		"vi": {"Hồ sơ bị trễ hẹn",
			"Chúng tôi xin lỗi: hồ sơ[ {code}] chưa có kết quả đúng hẹn[ ngày {due}].[ Ngày hẹn mới: {new_due}.]",
			"Xin lỗi, hồ sơ[ {code}] bị trễ hẹn[; hẹn mới ngày {new_due}]."},
		"en": {"Your dossier is late",
			"We apologise: dossier[ {code}] is not ready[ by {due}] as promised.[ New date: {new_due}.]",
			"Sorry, dossier[ {code}] is late[; new date {new_due}]."},
	},
	{ReportStatus, ""}: {
		"vi": {"Phản ánh có cập nhật",
			"Phản ánh[ {code}][: {status}| đã được cập nhật].",
			"Phản ánh[ {code}][: {status}| đã được cập nhật]."},
		"en": {"Your report was updated",
			"Report[ {code}][: {status}| was updated].",
			"Report[ {code}][: {status}| was updated]."},
	},
	{PhoneCode, ""}: {
		"vi": {"Mã xác nhận",
			"Mã xác nhận Lượt[: {code}]. Xin không đưa mã này cho ai.",
			"Mã xác nhận Lượt[: {code}]. Xin không đưa mã này cho ai."},
		"en": {"Your code",
			"Your Lượt code[: {code}]. Do not share it.",
			"Your Lượt code[: {code}]. Do not share it."},
	},
	{LinkAgain, ""}: {
		"vi": {"Đường dẫn theo dõi",
			"Đường dẫn theo dõi[ số {number}][ hồ sơ {code}] của bạn[: {link}| ở trên trang của quầy].",
			"Đường dẫn theo dõi[ số {number}][ hồ sơ {code}] của bạn:"},
		"en": {"Your tracking link",
			"Your tracking link[ for number {number}][ for dossier {code}][: {link}| is on the office's page].",
			"Your tracking link[ for number {number}][ for dossier {code}]:"},
	},
}

// stopWords introduce the unsubscribe link of an SMS.
var stopWords = map[string]string{"vi": "Hủy:", "en": "Stop:"}

// reportStatuses are a report's statuses in words (feedback.Status).
var reportStatuses = map[string][2]string{
	"new":         {"Mới", "New"},
	"accepted":    {"Đã tiếp nhận", "Accepted"},
	"assigned":    {"Đã chuyển xử lý", "Assigned"},
	"in_progress": {"Đang xử lý", "In progress"},
	"resolved":    {"Đã xử lý", "Resolved"},
	"unfounded":   {"Phản ánh không đúng", "Unfounded"},
	"refused":     {"Không tiếp nhận", "Refused"},
	"duplicate":   {"Trùng", "Duplicate"},
}

// MaxParam is the most characters of a parameter a text says, but for a
// link (a supplement's list of papers is cut with "…").
const MaxParam = 160

// text is the entry of n in lang.
func text(n Notice, lang string) (Text, bool) {
	v := variant{n.Kind, ""}
	if n.Kind == TicketNear && strings.TrimSpace(n.Params["ahead"]) == "0" {
		v.name = nearNext
	}
	t, ok := texts[v][Lang(lang)]
	return t, ok
}

// Render is a push notification's title and body for n in lang ("vi",
// the default, or "en"). A kind missing from the table (a newer server's
// message read by an older one) gets a neutral text rather than none.
func Render(n Notice, lang string) (title, body string) {
	lang = Lang(lang)
	t, ok := text(n, lang)
	if !ok {
		if lang == "en" {
			return "Lượt", "There is news about what you follow. Open its page to see it."
		}
		return "Lượt", "Có tin mới về việc bạn theo dõi. Xin mở trang để xem."
	}
	vals := values(n.Params, lang)
	return expand(t.Title, vals), expand(t.Body, vals)
}

// SMSText is the SMS for n in lang: its text, the item's link (the
// notice's "link" parameter when link is empty) and the unsubscribe link
// after a stop word, each left out when empty. Unaccented removes the
// Vietnamese marks (Unaccent) and replaces what GSM-7 cannot say with
// '?', for a GSM-7 SMS of 160 characters a part; otherwise the text is
// NFC, for UCS-2 (70 a part).
func SMSText(n Notice, lang, link, unsubscribe string, unaccented bool) string {
	lang = Lang(lang)
	var msg string
	if t, ok := text(n, lang); ok {
		msg = expand(t.SMS, values(n.Params, lang))
	} else {
		_, msg = Render(n, lang)
	}
	if link == "" {
		link = n.Params["link"]
	}
	parts := []string{msg}
	if l := clean(link); l != "" {
		parts = append(parts, l)
	}
	if u := clean(unsubscribe); u != "" {
		parts = append(parts, stopWords[lang]+" "+u)
	}
	s := norm.NFC.String(strings.Join(parts, " "))
	if unaccented {
		s = toGSM7(Unaccent(s))
	}
	return s
}

// values are the notice's parameters as the texts say them: one line,
// cut at MaxParam, times in words, a report's status in lang.
func values(params map[string]string, lang string) func(string) string {
	return func(name string) string {
		v := clean(params[name])
		if v == "" {
			return ""
		}
		switch name {
		case "due", "new_due", "by":
			v = formatTime(v, true)
		case "date":
			v = formatTime(v, false)
		case "time":
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = t.Format("15:04")
			}
		case "status":
			if words, ok := reportStatuses[v]; ok {
				v = words[0]
				if lang == "en" {
					v = words[1]
				}
			}
		}
		if r := []rune(v); len(r) > MaxParam && name != "link" { // a link cut is no link
			v = string(r[:MaxParam-1]) + "…"
		}
		return v
	}
}

// formatTime says an RFC 3339 instant as its day, "dd/mm/yyyy", in the
// zone it carries (Notice.InZone); a deadline (the end of its day, 24:00)
// as the day it ends. Anything else is said as it is.
func formatTime(v string, deadline bool) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return v
	}
	if deadline && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		t = t.Add(-time.Nanosecond)
	}
	return t.Format("02/01/2006")
}

// timeParams are the parameters that may hold an instant.
var timeParams = []string{"due", "new_due", "by", "date", "time"}

// InZone is n with its instants (RFC 3339 parameters "due", "new_due",
// "by", "date", "time") moved to loc, the office's zone, so that Render
// and SMSText say their day and hour there. The domains write instants
// in the zone they have (the store's is UTC); the sender, which knows the
// office's zone, calls InZone before Render and SMSText.
func (n Notice) InZone(loc *time.Location) Notice {
	if loc == nil || len(n.Params) == 0 {
		return n
	}
	p := make(map[string]string, len(n.Params))
	for k, v := range n.Params {
		p[k] = v
	}
	for _, k := range timeParams {
		if t, err := time.Parse(time.RFC3339Nano, p[k]); err == nil {
			p[k] = t.In(loc).Format(time.RFC3339Nano)
		}
	}
	n.Params = p
	return n
}

// clean makes a parameter one line: controls and runs of spaces become
// one space, invalid UTF-8 is replaced.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// expand fills a template (see Text) with vals.
func expand(tpl string, vals func(string) string) string {
	var b strings.Builder
	for tpl != "" {
		i := strings.IndexByte(tpl, '[')
		if i < 0 {
			fill(&b, tpl, vals)
			break
		}
		fill(&b, tpl[:i], vals)
		j := strings.IndexByte(tpl[i:], ']')
		if j < 0 { // not in the table (TestTexts): said as written
			fill(&b, tpl[i:], vals)
			break
		}
		for _, alt := range strings.Split(tpl[i+1:i+j], "|") {
			if known(alt, vals) {
				fill(&b, alt, vals)
				break
			}
		}
		tpl = tpl[i+j+1:]
	}
	return b.String()
}

// placeholders calls f with each {name} of s until f says stop.
func placeholders(s string, f func(name string) bool) {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return
		}
		if !f(s[i+1 : i+j]) {
			return
		}
		s = s[i+j+1:]
	}
}

// known tells whether every parameter of s has a value.
func known(s string, vals func(string) string) bool {
	ok := true
	placeholders(s, func(name string) bool { ok = vals(name) != ""; return ok })
	return ok
}

// fill writes s with its parameters' values (once: a value is not read
// as a template).
func fill(b *strings.Builder, s string, vals func(string) string) {
	for {
		i := strings.IndexByte(s, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(s[i:], '}')
		}
		if j < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(vals(s[i+1 : i+j]))
		s = s[i+j+1:]
	}
}

// gsm7 is the GSM 03.38 default alphabet and its extension table (a
// character of the latter takes two septets): what a GSM-7 SMS can say.
const gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" +
	"\f^{}\\[~]|€"

// IsGSM7 tells whether every character of s is in GSM-7 (the default
// alphabet or its extension table).
func IsGSM7(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(gsm7, r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// toGSM7 replaces what GSM-7 cannot say with '?'.
func toGSM7(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !strings.ContainsRune(gsm7, r) {
			return '?'
		}
		return r
	}, s)
}

// Unaccent is s without Vietnamese marks, for a GSM-7 SMS: every tone
// (huyền, sắc, hỏi, ngã, nặng) and vowel mark (â, ê, ô, ă, ơ, ư) removed
// from upper and lower case letters, whether s comes composed (NFC) or
// decomposed (NFD), and đ → d, Đ → D (Ð, the look-alike Eth some
// keyboards type, → D as well). It removes any combining diacritical
// mark (U+0300–U+036F), so other Latin letters lose theirs too (é → e,
// ñ → n). The result is NFC.
func Unaccent(s string) string {
	d := norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case r >= 0x300 && r <= 0x36F:
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ' || r == 'Ð':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
