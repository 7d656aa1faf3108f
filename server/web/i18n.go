package web

import (
	"net/http"

	"luot/server/msgtext"
)

// lang is the page language: ?lang=vi|en, else the luot_lang cookie, else
// the browser's first choice between the two (read as the API reads it);
// Vietnamese by default.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie("luot_lang"); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	return msgtext.Lang(r.Header.Get("Accept-Language"))
}

// translator returns the function that looks a text key up in lang; an
// unknown key shows as itself (a visible mistake, never a blank).
func translator(lang string) func(string) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	return func(key string) string {
		if t, ok := texts[key]; ok {
			return t[i]
		}
		return key
	}
}

// texts are the staff pages' texts: Vietnamese, English.
var texts = map[string][2]string{
	"app":             {"Lượt", "Lượt"},
	"login":           {"Đăng nhập", "Log in"},
	"login.clerk":     {"Đăng nhập quầy", "Counter login"},
	"login.admin":     {"Đăng nhập quản trị", "Administrator login"},
	"office":          {"Đơn vị", "Office"},
	"counter":         {"Quầy", "Counter"},
	"counter.none":    {"(không chọn quầy)", "(no counter)"},
	"staff.code":      {"Mã nhân viên", "Staff code"},
	"pin":             {"Mã PIN", "PIN"},
	"logout":          {"Đăng xuất", "Log out"},
	"lang.other":      {"English", "Tiếng Việt"},
	"lang.other.code": {"en", "vi"},
	"current":         {"Đang phục vụ", "Current ticket"},
	"no.current":      {"Chưa gọi số nào", "No ticket called"},
	"service":         {"Lĩnh vực", "Service"},
	"source":          {"Nguồn", "Source"},
	"priority":        {"Ưu tiên", "Priority"},
	"waited":          {"Đã chờ", "Waited"},
	"phone":           {"Điện thoại", "Phone"},
	"name":            {"Họ tên", "Name"},
	"status":          {"Trạng thái", "Status"},
	"next":            {"Gọi số tiếp", "Call next"},
	"recall":          {"Gọi lại", "Recall"},
	"start":           {"Bắt đầu", "Start"},
	"done":            {"Hoàn thành", "Done"},
	"no-show":         {"Vắng mặt", "No-show"},
	"transfer":        {"Chuyển", "Transfer"},
	"transfer.to":     {"Chuyển đến", "Transfer to"},
	"keep.place":      {"Giữ thứ tự", "Keep place"},
	"to.end":          {"Xuống cuối hàng", "To the end"},
	"call.number":     {"Gọi số", "Call number"},
	"pause":           {"Tạm dừng", "Pause"},
	"resume":          {"Mở lại", "Resume"},
	"open":            {"Mở quầy", "Open counter"},
	"close":           {"Đóng quầy", "Close counter"},
	"waiting.list":    {"Danh sách chờ", "Waiting list"},
	"my.today":        {"Hôm nay của tôi", "My day"},
	"called":          {"Đã gọi", "Called"},
	"served":          {"Đã phục vụ", "Served"},
	"no-shows":        {"Vắng mặt", "No-shows"},
	"avg.service":     {"TB phục vụ (phút)", "Avg service (min)"},
	"avg.wait":        {"TB chờ (phút)", "Avg wait (min)"},
	"live":            {"Đã kết nối", "Connected"},
	"offline":         {"Mất kết nối — đang kết nối lại…", "Disconnected — reconnecting…"},
	"shortcuts":       {"Phím tắt", "Shortcuts"},
	"admin":           {"Quản trị", "Administration"},
	"reports":         {"Báo cáo", "Reports"},
	"services":        {"Lĩnh vực", "Services"},
	"counters":        {"Quầy", "Counters"},
	"staff":           {"Nhân viên", "Staff"},
	"devices":         {"Thiết bị", "Devices"},
	"hours":           {"Giờ làm việc và ngày nghỉ", "Opening hours and holidays"},
	"policy":          {"Ưu tiên và lịch hẹn", "Priority and bookings"},
	"ticker":          {"Dòng chữ chạy", "Board ticker"},
	"save":            {"Lưu", "Save"},
	"add":             {"Thêm", "Add"},
	"audit":           {"Nhật ký thay đổi", "Audit log"},
	"from":            {"Từ ngày", "From"},
	"to":              {"Đến ngày", "To"},
	"show":            {"Xem", "Show"},
	"csv":             {"Tải CSV", "Download CSV"},
	"total":           {"Tổng", "Total"},
	"tickets":         {"Số phiếu", "Tickets"},
	"cancelled":       {"Đã hủy", "Cancelled"},
	"expired":         {"Hết hạn", "Expired"},
	"wait.avg":        {"Chờ TB (phút)", "Avg wait (min)"},
	"wait.p90":        {"Chờ P90 (phút)", "P90 wait (min)"},
	"svc.avg":         {"Phục vụ TB (phút)", "Avg service (min)"},
	"svc.p90":         {"Phục vụ P90 (phút)", "P90 service (min)"},
	"est.bias":        {"Sai số ước tính TB (phút)", "Estimate bias (min)"},
	"est.mae":         {"Sai số tuyệt đối TB (phút)", "Estimate MAE (min)"},
	"ratings":         {"Đánh giá 1/2/3/4", "Ratings 1/2/3/4"},
	"by.service":      {"Theo lĩnh vực", "By service"},
	"by.counter":      {"Theo quầy", "By counter"},
	"by.staff":        {"Theo nhân viên", "By clerk"},
	"by.hour":         {"Theo giờ trong ngày", "By hour of day"},
	"by.day":          {"Theo ngày", "By day"},
	"kiosk":           {"Kiosk", "Kiosk"},
	"remote":          {"Trực tuyến", "Online"},
	"booking":         {"Lịch hẹn", "Appointment"},
	"clerk":           {"Tại quầy", "At counter"},
	"chart.hour":      {"Số phiếu theo giờ", "Tickets by hour"},
	"chart.day":       {"Số phiếu theo ngày", "Tickets by day"},
	"chart.wait":      {"Thời gian chờ TB theo lĩnh vực (phút)", "Average wait by service (min)"},
	"latest":          {"Mời công dân có số", "Now serving"},
	"to.counter":      {"đến quầy", "to counter"},
	"recent":          {"Vừa gọi", "Recent calls"},
	"waiting":         {"Đang chờ", "Waiting"},
	"sound.on":        {"Bật âm thanh", "Enable sound"},
	"board":           {"Bảng gọi số", "Call board"},
	"board.ready":     {"Hồ sơ đã có kết quả", "Results ready for pickup"},
	"board.no.office": {"Không có đơn vị này: kiểm tra địa chỉ của bảng gọi số", "There is no such office: check the board's address"},
	"disabled":        {"Đã khóa", "Disabled"},
	"enable":          {"Mở khóa", "Enable"},
	"disable":         {"Khóa", "Disable"},
	"reset.pin":       {"Đặt lại PIN", "Reset PIN"},
	"role":            {"Vai trò", "Role"},
	"register":        {"Đăng ký", "Register"},
	"revoke":          {"Thu hồi", "Revoke"},
	"last.seen":       {"Lần cuối", "Last seen"},
	"kind":            {"Loại", "Kind"},
	"new.key":         {"Khóa thiết bị mới (chỉ hiện một lần)", "New device key (shown once)"},
	"saved":           {"Đã lưu", "Saved"},
	"none":            {"Không có", "None"},
}

// consoleTexts are the clerk console's texts (the page's and those its
// script shows): Vietnamese, English. A connection is "kết nối /
// connected"; a ticket taken on the phone is "trực tuyến / online" — never
// the same word for both.
var consoleTexts = map[string][2]string{
	"console":              {"Bàn làm việc tại quầy", "Counter console"},
	"console.state":        {"Trạng thái quầy", "Counter state"},
	"state.open":           {"Quầy đang mở", "The counter is open"},
	"state.open.hint":      {"Công dân được gọi đến quầy này.", "Citizens are called to this counter."},
	"state.paused":         {"Quầy đang tạm dừng", "The counter is paused"},
	"state.paused.hint":    {"Không gọi số mới. Bấm “Mở lại” để tiếp tục.", "No new calls. Press “Resume” to go on."},
	"state.closed":         {"Quầy đang đóng", "The counter is closed"},
	"state.closed.hint":    {"Chưa gọi được số nào. Bấm “Mở quầy” để bắt đầu nhận công dân.", "No ticket can be called. Press “Open counter” to start."},
	"actions":              {"Thao tác", "Actions"},
	"status.waiting":       {"Đang chờ", "Waiting"},
	"status.called":        {"Đã gọi, chờ công dân đến", "Called, waiting for the citizen"},
	"status.serving":       {"Đang phục vụ", "Being served"},
	"status.recalls":       {"gọi %d lần", "called %d times"},
	"prio.elderly":         {"Người cao tuổi", "Elderly person"},
	"prio.disabled":        {"Người khuyết tật", "Person with a disability"},
	"prio.pregnant":        {"Phụ nữ mang thai", "Pregnant woman"},
	"prio.merit":           {"Người có công với cách mạng", "Person with meritorious service"},
	"src.kiosk":            {"Máy lấy số", "Kiosk"},
	"src.remote":           {"Lấy số trực tuyến", "Taken online"},
	"src.booking":          {"Lịch hẹn", "Appointment"},
	"src.clerk":            {"Cấp tại quầy", "Issued at a counter"},
	"dur.s1":               {"%d giây", "%d second"},
	"dur.s":                {"%d giây", "%d seconds"},
	"dur.m1":               {"%d phút", "%d minute"},
	"dur.m":                {"%d phút", "%d minutes"},
	"dur.h1":               {"%d giờ", "%d hour"},
	"dur.h":                {"%d giờ", "%d hours"},
	"to.service":           {"Lĩnh vực %s", "the %s service"},
	"to.counter.n":         {"Quầy %d", "counter %d"},
	"transfer.target":      {"Nơi chuyển đến", "Transfer target"},
	"transferred":          {"Đã chuyển %s đến %s.", "%s was transferred to %s."},
	"transferred.end":      {"Đã chuyển %s đến %s, xuống cuối hàng.", "%s was transferred to %s, at the end of the line."},
	"transferred.first":    {"Không có ai chờ trước.", "Nobody is waiting ahead of it."},
	"transferred.ahead":    {"%d người đang chờ trước.", "%d waiting ahead."},
	"confirm.transfer":     {"Chuyển %s đến %s?", "Transfer %s to %s?"},
	"confirm.transfer.end": {"Chuyển %s đến %s, xuống cuối hàng?", "Transfer %s to %s, at the end of the line?"},
	"confirm.close":        {"Đóng quầy %d? Sẽ không gọi công dân nào đến quầy này cho đến khi mở lại.", "Close counter %d? No citizen will be called to it until it is opened again."},
	"confirm":              {"Đồng ý", "Confirm"},
	"go.back":              {"Quay lại", "Go back"},
	"noshow.pending":       {"%s sẽ được ghi vắng mặt sau %s.", "%s will be marked as a no-show in %s."},
	"noshow.done":          {"Đã ghi %s vắng mặt.", "%s was marked as a no-show."},
	"noshow.undone":        {"Đã hoàn tác: %s vẫn đang được gọi.", "Undone: %s is still called."},
	"undo":                 {"Hoàn tác", "Undo"},
	"err.counter.gone":     {"Quầy của bạn không còn nữa: đăng xuất rồi đăng nhập tại quầy khác.", "Your counter no longer exists: log out and log in at another counter."},
	"err.counter.none":     {"Phiên đăng nhập không gắn với quầy nào của đơn vị này: đăng nhập tại một quầy.", "Your session has no counter of this office: log in at a counter."},
	"err.network":          {"Không liên lạc được với máy chủ: kiểm tra mạng rồi thử lại.", "The server cannot be reached: check the network and try again."},
	"err.http":             {"Máy chủ báo lỗi (HTTP %d): thử lại sau ít phút.", "The server answered with an error (HTTP %d): try again in a few minutes."},
	"queue.number":         {"Số", "Number"},
	"call.number.input":    {"Số cần gọi", "Number to call"},
}

func init() {
	for k, t := range consoleTexts {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " is defined twice")
		}
		texts[k] = t
	}
}
