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
	"board":           {"Bảng hiển thị", "Display board"},
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
	"live":            {"Trực tuyến", "Live"},
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
