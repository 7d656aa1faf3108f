package ui

import (
	"fmt"
	"time"
)

// Lang is a display language of the kiosk.
type Lang string

// Languages: Vietnamese is the default; English is one tap away on every
// screen.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// texts holds every sentence of the kiosk, Vietnamese then English.
var texts = map[string][2]string{
	"switch":         {"English", "Tiếng Việt"},
	"choose":         {"Mời chọn dịch vụ", "Please choose a service"},
	"page":           {"Trang %d/%d", "Page %d of %d"},
	"prev":           {"Trang trước", "Previous page"},
	"next":           {"Trang sau", "Next page"},
	"appointment":    {"Tôi đã đặt lịch hẹn", "I have an appointment"},
	"appointmentSub": {"Nhập hoặc quét mã đặt lịch", "Type or scan your booking code"},
	"priority":       {"Ưu tiên", "Priority"},
	"prioritySub":    {"Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công", "Elderly, disabled, pregnant, persons with meritorious service"},
	"priorityOn":     {"Ưu tiên: %s", "Priority: %s"},
	"priorityOnSub":  {"Áp dụng cho số tiếp theo — chạm để đổi", "Applies to your next number — tap to change"},
	"priorityTitle":  {"Bạn thuộc đối tượng ưu tiên nào?", "Which priority applies to you?"},
	"priorityNote":   {"Vui lòng xuất trình giấy tờ khi được gọi.", "Please show a document when you are called."},
	"priorityNone":   {"Không ưu tiên", "No priority"},
	"back":           {"Quay lại", "Back"},
	"busy":           {"Đang lấy số, xin chờ…", "Getting your number, please wait…"},
	"notServed":      {"Chưa có quầy phục vụ", "No counter serves it today"},
	"inactive":       {"Tạm ngừng tiếp nhận", "Not offered at the moment"},
	"capReached":     {"Đã hết số hôm nay", "No numbers left today"},
	"notOpenYet":     {"Quầy chưa mở — vẫn lấy số trước được", "Counters not open yet — you can take a number now"},
	"refusedOther":   {"Không lấy được số cho dịch vụ này. Xin hỏi cán bộ hướng dẫn.", "No number could be given for this service. Please ask the staff."},

	"yourNumber":    {"Số thứ tự của bạn", "Your number"},
	"ahead":         {"Số người chờ trước bạn: %d", "People ahead of you: %d"},
	"eta":           {"Thời gian chờ dự kiến: %s", "Estimated wait: %s"},
	"etaUnknown":    {"chưa ước tính được (quầy chưa mở)", "not known yet (no counter open)"},
	"etaSoon":       {"dưới 1 phút", "under a minute"},
	"noCounter":     {"Chưa có quầy mở", "No counter is open yet"},
	"noCounterAt":   {"Chưa có quầy mở; dự kiến gọi sau %s", "No counter is open yet; expected to be called after %s"},
	"etaMin":        {"khoảng %d phút", "about %d min"},
	"etaHour":       {"khoảng %d giờ %d phút", "about %d h %d min"},
	"scan":          {"Quét mã để theo dõi lượt trên điện thoại", "Scan to follow your turn on your phone"},
	"printing":      {"Đang in phiếu…", "Printing your ticket…"},
	"printed":       {"Mời nhận phiếu ở khe bên dưới", "Please take your ticket below"},
	"printedWarn":   {"Mời nhận phiếu ở khe bên dưới (máy in sắp hết giấy)", "Please take your ticket below (printer paper is low)"},
	"printFault":    {"Không in được phiếu: %s Số của bạn vẫn hợp lệ — hãy ghi nhớ số, chụp ảnh màn hình hoặc quét mã QR.", "The ticket could not be printed: %s Your number is still valid — remember it, take a photo or scan the QR code."},
	"noPrinter":     {"Ki-ốt này không có máy in — hãy ghi nhớ số hoặc quét mã QR.", "This kiosk has no printer — remember your number or scan the QR code."},
	"done":          {"Xong", "Done"},
	"autoBack":      {"Tự động quay lại sau %d giây", "Returns to the start in %d seconds"},
	"checkedInNote": {"Đã xác nhận lịch hẹn %s", "Appointment %s checked in"},

	"codeTitle":     {"Nhập mã đặt lịch hẹn (6 ký tự)", "Enter your booking code (6 characters)"},
	"codeScan":      {"hoặc đưa mã QR của lịch hẹn vào máy quét", "or hold your booking's QR code to the scanner"},
	"delete":        {"Xóa", "Delete"},
	"clear":         {"Xóa hết", "Clear"},
	"confirm":       {"Xác nhận", "Confirm"},
	"checking":      {"Đang kiểm tra mã…", "Checking the code…"},
	"codeInvalid":   {"Mã %q không hợp lệ: mã gồm 6 ký tự chữ và số.", "%q is not a booking code: codes have 6 letters and digits."},
	"codeUnknown":   {"Không tìm thấy lịch hẹn có mã %s. Vui lòng kiểm tra lại mã.", "No appointment has the code %s. Please check the code."},
	"codeCancelled": {"Lịch hẹn %s đã bị hủy. Bạn có thể lấy số thường.", "Appointment %s was cancelled. You can take a normal number."},
	"codeEarlyAt":   {"Bạn đến sớm so với giờ hẹn. Vui lòng quay lại lúc %s.", "You are early for your appointment. Please come back at %s."},
	"codeEarlyOn":   {"Bạn đến sớm so với giờ hẹn. Vui lòng quay lại lúc %s ngày %s.", "You are early for your appointment. Please come back at %s on %s."},
	"codeEarly":     {"Bạn đến sớm so với giờ hẹn. Vui lòng quay lại gần giờ hẹn.", "You are early for your appointment. Please come back closer to its time."},
	"codeLate":      {"Đã quá giờ hẹn của lịch %s. Vui lòng lấy số thường.", "Appointment %s is past its time. Please take a normal number."},
	"codeUsed":      {"Mã %s đã được dùng để lấy số.", "The code %s was already used for a number."},
	"codeOther":     {"Không xác nhận được mã %s. Xin hỏi cán bộ hướng dẫn.", "The code %s could not be checked in. Please ask the staff."},

	"dossier":          {"Nhận kết quả / Tra cứu hồ sơ", "Collect a result / Track an application"},
	"dossierSub":       {"Quét mã QR trên giấy hẹn trả kết quả hoặc nhập mã hồ sơ", "Scan the QR code of your receipt or type its code"},
	"dossierTitle":     {"Nhập mã hồ sơ (in trên giấy tiếp nhận hồ sơ)", "Enter the application code (printed on your receipt)"},
	"dossierScan":      {"hoặc đưa mã QR trên giấy tiếp nhận hồ sơ vào máy quét", "or hold the QR code of your receipt to the scanner"},
	"dossierLookUp":    {"Tra cứu", "Look up"},
	"dossierChecking":  {"Đang tra cứu hồ sơ…", "Looking up the application…"},
	"dossierInvalid":   {"%q không phải mã hồ sơ: mã gồm ký hiệu, ngày và số thứ tự, cách nhau bởi dấu gạch ngang, như trên giấy tiếp nhận.", "%q is not an application code: codes have a prefix, a date and a number separated by dashes, as on the receipt."},
	"dossierUnknown":   {"Không tìm thấy hồ sơ có mã %s tại cơ quan này. Vui lòng kiểm tra lại mã.", "No application has the code %s at this office. Please check the code."},
	"pickupIssued":     {"Hồ sơ %s đã được cấp số để nhận kết quả. Vui lòng chờ gọi số đó.", "A number to collect the result of %s was already given. Please wait for it to be called."},
	"dossierReturned":  {"Kết quả của hồ sơ %s đã được trả. Xin hỏi cán bộ nếu cần hỗ trợ.", "The result of %s was already handed over. Please ask the staff if you need help."},
	"dossierNotReady":  {"Hồ sơ %s chưa có kết quả.", "The result of %s is not ready yet."},
	"dossierOther":     {"Không tra cứu được hồ sơ %s. Xin hỏi cán bộ hướng dẫn.", "The application %s could not be looked up. Please ask the staff."},
	"noPickupService":  {"Hiện ki-ốt chưa cấp được số nhận kết quả. Mời quý vị đến quầy hướng dẫn.", "The kiosk cannot give numbers to collect results now. Please go to the reception counter."},
	"dossierSlowDown":  {"Ki-ốt vừa nhận quá nhiều lượt tra cứu. Vui lòng thử lại sau ít phút.", "Too many look-ups at this kiosk just now. Please try again in a few minutes."},
	"dossierOf":        {"Hồ sơ %s", "Application %s"},
	"statusIs":         {"Tình trạng: %s", "Status: %s"},
	"dueOn":            {"Ngày hẹn trả kết quả: %s", "Result due on %s"},
	"lateNewDue":       {"Hồ sơ bị trễ hạn. Cơ quan xin lỗi và hẹn trả kết quả vào ngày %s.", "The application is late. The office apologises and now expects the result on %s."},
	"lateAsk":          {"Hồ sơ đã quá ngày hẹn trả. Xin hỏi cán bộ hướng dẫn.", "The application is past its due date. Please ask the staff."},
	"supplementWhat":   {"Cần bổ sung: %s", "Please bring: %s"},
	"notReadyNoTicket": {"Hồ sơ chưa có kết quả nên chưa cần lấy số. Mời quý vị quay lại vào ngày hẹn.", "The result is not ready, so no number is needed. Please come back on the due date."},
	"closedNoTicket":   {"Hồ sơ không còn được xử lý. Xin hỏi cán bộ hướng dẫn.", "The application is no longer being processed. Please ask the staff."},
	"pickupFor":        {"Nhận kết quả hồ sơ %s", "Collecting the result of %s"},

	"oosTitle":    {"Tạm ngừng phục vụ", "Out of service"},
	"oosServer":   {"Ki-ốt đang mất kết nối tới máy chủ. Hệ thống sẽ tự động hoạt động lại.", "The kiosk cannot reach the server. It will work again by itself."},
	"oosClosed":   {"Ngoài giờ làm việc. Mời quý vị quay lại trong giờ làm việc.", "The office is closed now. Please come back during opening hours."},
	"oosDevice":   {"Ki-ốt chưa được cấp phép (khóa thiết bị sai). Xin báo cán bộ.", "This kiosk is not authorised (wrong device key). Please tell the staff."},
	"oosStarting": {"Đang kết nối…", "Connecting…"},
	"oosAsk":      {"Xin hỏi cán bộ hướng dẫn để được hỗ trợ.", "Please ask the staff for help."},

	"pinTitle":     {"Nhân viên: nhập mã PIN", "Staff: enter the PIN"},
	"pinWrong":     {"Mã PIN không đúng.", "Wrong PIN."},
	"staffTitle":   {"Chức năng nhân viên", "Staff"},
	"reprint":      {"In lại phiếu cuối (%s)", "Reprint last ticket (%s)"},
	"reprintNone":  {"Chưa có phiếu nào để in lại", "No ticket to reprint yet"},
	"printerCheck": {"Kiểm tra máy in", "Check the printer"},
	"printerOK":    {"Máy in sẵn sàng.", "The printer is ready."},
	"printerBad":   {"Máy in: %s", "Printer: %s"},
	"reprinted":    {"Đã in lại phiếu %s.", "Ticket %s was printed again."},
	"reload":       {"Tải lại cấu hình", "Reload the configuration"},
	"exit":         {"Thoát", "Exit"},
}

// priorityNames are the classes in words, as shown and printed.
var priorityNames = map[Priority][2]string{
	PriorityElderly:  {"Người cao tuổi", "Elderly person"},
	PriorityDisabled: {"Người khuyết tật", "Person with a disability"},
	PriorityPregnant: {"Phụ nữ mang thai", "Pregnant woman"},
	PriorityMerit:    {"Người có công với cách mạng", "Person with meritorious service"},
}

func idx(l Lang) int {
	if l == English {
		return 1
	}
	return 0
}

// tr returns the sentence id in language l, formatted with args.
func tr(l Lang, id string, args ...any) string {
	s, ok := texts[id]
	if !ok {
		return id
	}
	if len(args) == 0 {
		return s[idx(l)]
	}
	return fmt.Sprintf(s[idx(l)], args...)
}

// PriorityName returns a priority class in words in language l ("" for
// none).
func PriorityName(p Priority, l Lang) string {
	n, ok := priorityNames[p]
	if !ok {
		return ""
	}
	return n[idx(l)]
}

// waitText says an estimated wait in words.
// etaLine is the result screen's line about the wait: the estimated wait,
// or, when no counter is open, that none is and after what time the ticket
// is expected to be called (never a short wait nobody will keep).
func etaLine(l Lang, t *Ticket, loc *time.Location) string {
	if !t.Provisional {
		return tr(l, "eta", waitText(l, t.ETA))
	}
	if t.Expected.IsZero() {
		return tr(l, "noCounter")
	}
	at := t.Expected
	if loc != nil {
		at = at.In(loc)
	}
	return tr(l, "noCounterAt", at.Format("15:04"))
}

func waitText(l Lang, d time.Duration) string {
	switch {
	case d < 0:
		return tr(l, "etaUnknown")
	case d < time.Minute:
		return tr(l, "etaSoon")
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m < 60 {
		return tr(l, "etaMin", m)
	}
	return tr(l, "etaHour", m/60, m%60)
}
