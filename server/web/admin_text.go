package web

import (
	"fmt"
	"strings"

	"luot/server/queue"
)

// The admin and reports pages' own texts. They live apart from texts (the
// console's and the login's) so that each page's words are found in one
// place; init adds them to texts and refuses a key defined twice.
func init() {
	for k, v := range adminTexts {
		if _, dup := texts[k]; dup {
			panic("web: text key " + k + " is defined twice")
		}
		texts[k] = v
	}
}

// adminTexts: Vietnamese, English.
var adminTexts = map[string][2]string{
	"adm.id":                    {"Mã", "ID"},
	"adm.name.vi":               {"Tên tiếng Việt", "Vietnamese name"},
	"adm.name.en":               {"Tên tiếng Anh", "English name"},
	"adm.office.name.vi":        {"Tên đơn vị (tiếng Việt)", "Office name (Vietnamese)"},
	"adm.office.name.en":        {"Tên đơn vị (tiếng Anh)", "Office name (English)"},
	"adm.prefix":                {"Chữ đầu số", "Prefix"},
	"adm.digits":                {"Số chữ số", "Digits"},
	"adm.first":                 {"Số bắt đầu", "First number"},
	"adm.minutes":               {"Phút mỗi lượt", "Minutes each"},
	"adm.slot.min":              {"Phút mỗi khung hẹn", "Slot minutes"},
	"adm.slot.cap":              {"Số hẹn mỗi khung", "Bookings per slot"},
	"adm.daily.cap":             {"Tối đa mỗi ngày", "Daily cap"},
	"adm.remote.cap":            {"Tối đa trực tuyến", "Online cap"},
	"adm.active":                {"Đang dùng", "Active"},
	"adm.actions":               {"Thao tác", "Actions"},
	"adm.new.row":               {"dòng mới", "new row"},
	"adm.caps.help":             {"Để trống hoặc 0 là không giới hạn.", "Empty or 0 means no limit."},
	"adm.counter.number":        {"Số quầy", "Number"},
	"adm.counter.name":          {"Tên quầy", "Counter name"},
	"adm.counter.sv":            {"Lĩnh vực phục vụ", "Services served"},
	"adm.counter.help":          {"Viết mã lĩnh vực:số phút lùi, cách nhau bằng dấu phẩy (0 = lĩnh vực chính), ví dụ ho-tich:0, chung-thuc:10.", "Write service id:offset minutes, separated by commas (0 = primary), e.g. ho-tich:0, chung-thuc:10."},
	"adm.staff.name":            {"Họ tên", "Name"},
	"adm.pin.new":               {"PIN mới", "New PIN"},
	"adm.device.id":             {"Mã thiết bị", "Device ID"},
	"adm.device.name":           {"Tên thiết bị", "Device name"},
	"adm.revoked":               {"Đã thu hồi", "Revoked"},
	"adm.active.state":          {"Đang hoạt động", "Active"},
	"adm.role.clerk":            {"Cán bộ một cửa", "Clerk"},
	"adm.role.admin":            {"Quản trị viên", "Administrator"},
	"adm.role.moderator":        {"Cán bộ kiểm duyệt phản ánh", "Report moderator"},
	"adm.role.handler":          {"Cán bộ xử lý phản ánh", "Report handler"},
	"adm.unit":                  {"Đơn vị (cán bộ xử lý)", "Unit (handlers)"},
	"adm.kind.kiosk":            {"Kiosk lấy số", "Kiosk"},
	"adm.kind.display":          {"Màn hình", "Display"},
	"adm.day.mon":               {"Thứ Hai", "Monday"},
	"adm.day.tue":               {"Thứ Ba", "Tuesday"},
	"adm.day.wed":               {"Thứ Tư", "Wednesday"},
	"adm.day.thu":               {"Thứ Năm", "Thursday"},
	"adm.day.fri":               {"Thứ Sáu", "Friday"},
	"adm.day.sat":               {"Thứ Bảy", "Saturday"},
	"adm.day.sun":               {"Chủ Nhật", "Sunday"},
	"adm.dshort.mon":            {"T2", "Mon"},
	"adm.dshort.tue":            {"T3", "Tue"},
	"adm.dshort.wed":            {"T4", "Wed"},
	"adm.dshort.thu":            {"T5", "Thu"},
	"adm.dshort.fri":            {"T6", "Fri"},
	"adm.dshort.sat":            {"T7", "Sat"},
	"adm.dshort.sun":            {"CN", "Sun"},
	"adm.hours.help":            {"Mỗi ngày: các khoảng HH:MM-HH:MM cách nhau bằng dấu phẩy; để trống là ngày nghỉ.", "Each day: spans HH:MM-HH:MM separated by commas; empty means closed."},
	"adm.holidays":              {"Ngày nghỉ lễ (YYYY-MM-DD, mỗi dòng một ngày)", "Holidays (YYYY-MM-DD, one per line)"},
	"adm.default.bonus":         {"Ưu tiên mặc định (phút)", "Default priority bonus (min)"},
	"adm.bonus":                 {"Ưu tiên: %s (phút)", "Priority: %s (min)"},
	"adm.prio.elderly":          {"Người cao tuổi", "Elderly"},
	"adm.prio.disabled":         {"Người khuyết tật", "Disabled person"},
	"adm.prio.pregnant":         {"Phụ nữ mang thai", "Pregnant woman"},
	"adm.prio.merit":            {"Người có công", "Person of merit"},
	"adm.booking.early":         {"Lịch hẹn: đến sớm tối đa (phút)", "Bookings: check in early by (min)"},
	"adm.booking.late":          {"Lịch hẹn: đến muộn tối đa (phút)", "Bookings: check in late by (min)"},
	"adm.late":                  {"Người hẹn đến muộn", "Late booking check-in"},
	"adm.late.walkin":           {"Nhận như số thường", "Take as a walk-in"},
	"adm.late.refuse":           {"Từ chối", "Refuse"},
	"adm.recent":                {"Số lượt vừa gọi trên bảng", "Recent calls on the board"},
	"adm.hours":                 {"Giờ mở cửa", "Opening hours"},
	"adm.closed":                {"không mở cửa", "closed"},
	"adm.yes":                   {"có", "yes"},
	"adm.no":                    {"không", "no"},
	"adm.empty":                 {"(trống)", "(empty)"},
	"adm.when":                  {"Thời điểm", "When"},
	"adm.who":                   {"Người thực hiện", "By"},
	"adm.what":                  {"Việc", "Action"},
	"adm.detail":                {"Chi tiết (trước → sau)", "Details (before → after)"},
	"adm.pin.was.reset":         {"Đã đặt lại PIN", "PIN reset"},
	"adm.disabled.state":        {"Khóa", "Disabled"},
	"adm.act.office":            {"Sửa thông tin đơn vị", "Office edited"},
	"adm.act.hours":             {"Sửa giờ làm việc", "Opening hours edited"},
	"adm.act.policy":            {"Sửa ưu tiên và lịch hẹn", "Priority and bookings edited"},
	"adm.act.service":           {"Sửa lĩnh vực", "Service edited"},
	"adm.act.service.new":       {"Thêm lĩnh vực", "Service added"},
	"adm.act.counter":           {"Sửa quầy", "Counter edited"},
	"adm.act.counter.new":       {"Thêm quầy", "Counter added"},
	"adm.act.staff":             {"Thêm nhân viên", "Staff added"},
	"adm.act.staff-state":       {"Khóa/mở khóa nhân viên", "Staff disabled/enabled"},
	"adm.act.staff-pin":         {"Đặt lại PIN", "PIN reset"},
	"adm.act.device":            {"Đăng ký thiết bị", "Device registered"},
	"adm.act.device-revoke":     {"Thu hồi thiết bị", "Device revoked"},
	"adm.act.login":             {"Đăng nhập", "Login"},
	"adm.act.logout":            {"Đăng xuất", "Logout"},
	"adm.act.login_failed":      {"Đăng nhập sai", "Failed login"},
	"adm.act.login_alert":       {"Cảnh báo nhập sai PIN nhiều lần", "Repeated wrong PINs"},
	"adm.act.device_registered": {"Đăng ký thiết bị", "Device registered"},
	"adm.act.device_revoked":    {"Thu hồi thiết bị", "Device revoked"},
	"adm.err.storage":           {"Không lưu được vì bộ lưu trữ đang lỗi; chưa có gì thay đổi — hãy thử lại.", "The change could not be saved because storage is failing; nothing was changed — try again."},
	"adm.err.read":              {"Không đọc được trang quản trị vì bộ lưu trữ đang lỗi; hãy thử lại sau giây lát.", "The administration page could not be read because storage is failing; try again in a moment."},
	"adm.err.form":              {"Không đọc được biểu mẫu (có lớn hơn 64 KiB không?); chưa có gì thay đổi.", "The form could not be read (is it larger than 64 KiB?); nothing was changed."},
	"rep.group":                 {"Nhóm", "Group"},
	"rep.min":                   {" phút", " min"},
	"rep.err.read":              {"Không đọc được báo cáo vì bộ lưu trữ đang lỗi; hãy thử lại sau giây lát.", "The report could not be read because storage is failing; try again in a moment."},
}

// fieldLabels name each form field in the audit log and in error texts,
// by form; a field missing here is shown by its form's label key.
var fieldLabels = map[string]string{
	"name": "adm.name.vi", "name_en": "adm.name.en", "ticker": "ticker",
	"prefix": "adm.prefix", "digits": "adm.digits", "first_number": "adm.first", "default_minutes": "adm.minutes",
	"slot_minutes": "adm.slot.min", "slot_capacity": "adm.slot.cap", "daily_cap": "adm.daily.cap", "remote_cap": "adm.remote.cap",
	"active": "adm.active", "number": "adm.counter.number", "services": "adm.counter.sv",
	"holidays": "adm.holidays", "default_bonus": "adm.default.bonus", "booking_early": "adm.booking.early",
	"booking_late": "adm.booking.late", "late_checkin": "adm.late", "recent_calls": "adm.recent",
	"id": "adm.id", "pin": "adm.pin.new", "role": "role", "disabled": "adm.disabled.state", "kind": "kind",
	"title": "st.title", "counter": "st.counter", "photo": "st.photo",
}

// fieldLabel names a form's field in the page's language.
func fieldLabel(tr func(string) string, form, field string) string {
	switch {
	case form == "office" && field == "name":
		return tr("adm.office.name.vi")
	case form == "office" && field == "name_en":
		return tr("adm.office.name.en")
	case form == "counter" && field == "name":
		return tr("adm.counter.name")
	case (form == "staff" || form == "staff-state") && field == "name":
		return tr("adm.staff.name")
	case form == "device" && field == "name":
		return tr("adm.device.name")
	case strings.HasPrefix(field, "hours_"):
		return tr("adm.day." + strings.TrimPrefix(field, "hours_"))
	case strings.HasPrefix(field, "bonus_"):
		return fmt.Sprintf(tr("adm.bonus"), tr("adm.prio."+strings.TrimPrefix(field, "bonus_")))
	}
	if k, ok := fieldLabels[field]; ok {
		return tr(k)
	}
	return field
}

// queueErrField is the form field a domain refusal of an admin change is
// about, where its code says ("" for the whole form).
func queueErrField(e *queue.Error) string {
	switch e.Code {
	case "invalid_prefix", "duplicate_prefix":
		return "prefix"
	case "invalid_number_format":
		return "digits"
	case "invalid_minutes":
		return "default_minutes"
	case "invalid_capacity":
		return "slot_capacity"
	case "invalid_holiday":
		return "holidays"
	case "invalid_counter", "duplicate_counter", "invalid_service", "invalid_device_id", "device_exists", "device_id_taken":
		return "id"
	case "invalid_counter_number":
		return "number"
	case "unknown_service", "invalid_offset":
		return "services"
	case "invalid_pin", "pin_too_short":
		return "pin"
	case "invalid_kind":
		return "kind"
	case "counter_required", "counter_not_station", "unknown_counter":
		return "counter"
	case "invalid_name":
		switch {
		case strings.HasPrefix(e.Message, "ticker"):
			return "ticker"
		case strings.Contains(e.Message, "English name"):
			return "name_en"
		case strings.HasPrefix(e.Message, "staff title"):
			return "title"
		}
		return "name"
	}
	return ""
}
