package web

import (
	"errors"
	"strconv"

	"luot/server/msgtext"
	"luot/server/queue"
)

// failTexts are the staff pages' own refusals, keyed by their English,
// and the error page's titles, keyed by status: Vietnamese, English.
var failTexts = map[string][2]string{
	"the administration page could not be read because storage is failing; try again in a moment": {
		"Không đọc được trang quản trị vì bộ lưu trữ đang lỗi; hãy thử lại sau giây lát", ""},
	"the form could not be read (is it larger than 64 KiB?)": {
		"Không đọc được biểu mẫu (có lớn hơn 64 KiB không?)", ""},
	"there is no office with this id: check the board's address": {
		"Không có cơ quan nào có mã này: hãy kiểm tra địa chỉ của bảng hiển thị", ""},
	"your counter no longer exists: log out and log in at another counter": {
		"Quầy của bạn không còn nữa: hãy đăng xuất và đăng nhập ở quầy khác", ""},
	"your session has no counter of this office: log in at a counter": {
		"Phiên làm việc của bạn không gắn với quầy nào của cơ quan này: hãy đăng nhập tại một quầy", ""},
	"the report could not be read because storage is failing; try again in a moment": {
		"Không đọc được báo cáo vì bộ lưu trữ đang lỗi; hãy thử lại sau giây lát", ""},
	"log in first": {"Hãy đăng nhập trước", ""},
	"this request comes from another site's page and was refused": {
		"Yêu cầu này đến từ trang của một trang web khác nên bị từ chối", ""},
	"the form has no valid security token (it may be from an old page): reload the page and try again": {
		"Biểu mẫu không có mã bảo mật hợp lệ (có thể là trang cũ): hãy tải lại trang và thử lại", ""},
	"the server could not read your session because its storage is failing; try again in a moment": {
		"Máy chủ không đọc được phiên làm việc vì bộ lưu trữ đang lỗi; hãy thử lại sau giây lát", ""},
	"only an administrator of the office may open this page; log in as an administrator": {
		"Chỉ quản trị viên của cơ quan mới mở được trang này; hãy đăng nhập bằng tài khoản quản trị", ""},
	"the session could not be ended because storage is failing; try again": {
		"Không kết thúc được phiên làm việc vì bộ lưu trữ đang lỗi; hãy thử lại", ""},
	"the change could not be saved because storage is failing; nothing was changed — try again": {
		"Không lưu được thay đổi vì bộ lưu trữ đang lỗi; chưa có gì thay đổi — hãy thử lại", ""},
	"status.400": {"Yêu cầu không hợp lệ", "Bad request"},
	"status.401": {"Cần đăng nhập", "Login required"},
	"status.403": {"Không được phép", "Not allowed"},
	"status.404": {"Không tìm thấy", "Not found"},
	"status.409": {"Không thực hiện được", "Could not be done"},
	"status.503": {"Tạm thời không phục vụ được", "Temporarily unavailable"},
}

// failText is a refusal of the staff pages in lang: an English sentence
// of failTexts (itself in English), or the key itself when it has none —
// a test keeps every sentence passed to fail in failTexts.
func failText(lang, msg string) string {
	t, ok := failTexts[msg]
	if !ok {
		return msg
	}
	if lang == "en" {
		if t[1] != "" {
			return t[1]
		}
		return msg
	}
	return t[0]
}

// statusTitle is the error page's title for status in lang.
func statusTitle(lang string, status int) string {
	key := "status." + strconv.Itoa(status)
	if _, ok := failTexts[key]; ok {
		return failText(lang, key)
	}
	return failText(lang, "status.400")
}

// errText says err in lang: a form's refusal (FormError), a refusal from
// the domain or the engine (through the msgtext catalogue); anything else
// by its text.
func errText(lang string, err error) string {
	var fe *FormError
	if errors.As(err, &fe) {
		return fe.In(lang)
	}
	var qe *queue.Error
	if errors.As(err, &qe) {
		return msgtext.Say(lang, qe.Template, qe.Args, qe.Message)
	}
	return err.Error()
}
