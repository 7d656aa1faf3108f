package msgtext

import "maps"

// stationEntries are the messages of the counter stations: their
// registration, the sessions opened at them, GET /station and the
// ratings given on their screen, and the office's rating policy.
var stationEntries = []Entry{
	{"invalid_kind", "device kind {kind} is unknown: use {kiosk}, {display} or {station}", "Không rõ loại thiết bị {kind}: dùng {kiosk}, {display} hoặc {station}"},
	{"counter_required", "a counter station is bound to one counter: choose its counter", "Màn hình quầy gắn với một quầy: hãy chọn quầy của nó"},
	{"counter_not_station", "only a counter station is bound to a counter: leave the counter out for a {kind}", "Chỉ màn hình quầy mới gắn với quầy: hãy bỏ trống quầy cho thiết bị loại {kind}"},
	{"not_a_station", "only a counter station may use this; this device is a {kind}", "Chỉ màn hình quầy được dùng chức năng này; thiết bị này thuộc loại {kind}"},
	{"station_counter_gone", "counter {counter}, which this station is bound to, is no longer a counter of the office: register the station again for another counter", "Quầy {counter} mà màn hình này gắn với không còn là quầy của cơ quan: hãy đăng ký lại màn hình cho một quầy khác"},
	{"station_other_counter", "this station is bound to counter {counter}: sign in at counter {counter} here, or at {other} on its own station or computer", "Màn hình này gắn với quầy {counter}: hãy đăng nhập quầy {counter} tại đây, hoặc đăng nhập quầy {other} trên màn hình hay máy tính của quầy đó"},
	{"no_clerk_photo", "the clerk at this counter has no photo (or has signed out)", "Cán bộ tại quầy này không có ảnh (hoặc đã đăng xuất)"},
	{"invalid_ticket", "ticket must be the id of a ticket (at most 64 printable ASCII characters)", "Trường phiếu phải là mã của một phiếu (tối đa 64 ký tự ASCII in được)"},
	{"unknown_ticket", "there is no ticket {ticket} in this office", "Cơ quan này không có phiếu {ticket}"},
	{"not_this_counter", "ticket {ticket} was not served at this station's counter: a station rates only its own counter's tickets", "Phiếu {ticket} không được phục vụ tại quầy của màn hình này: màn hình chỉ nhận đánh giá cho phiếu của quầy mình"},
	{"rating_too_late", "ticket {ticket} was finished more than {minutes} minutes ago: it can no longer be rated at the counter", "Phiếu {ticket} đã xong hơn {minutes} phút trước: không thể đánh giá tại quầy nữa"},
	{"invalid_reasons", "a rating has at most {max} reasons", "Một đánh giá có tối đa {max} lý do"},
	{"invalid_reasons", "reasons go with a score of 2 or 1 only: send a score of 3 or 4 without reasons", "Chỉ mức 2 hoặc 1 mới kèm lý do: hãy gửi mức 3 hoặc 4 không kèm lý do"},
	{"invalid_reasons", "reason {reason} is given twice", "Lý do {reason} bị gửi hai lần"},
	{"unknown_reason", "{reason} is not one of this office's rating reasons", "{reason} không phải là một lý do đánh giá của cơ quan này"},
	{"idempotency_key_reused", "this Idempotency-Key was already used for a different rating: make a new key for each tap", "Idempotency-Key này đã được dùng cho một đánh giá khác: hãy tạo khóa mới cho mỗi lần chạm"},
	{"invalid_rating", "rating: {n} reasons are too many for the station's screen; give at most {max}", "Đánh giá: {n} lý do là quá nhiều cho màn hình quầy; hãy đặt tối đa {max}"},
	{"invalid_rating", "rating: reason {n} has id {id}, which is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Đánh giá: lý do thứ {n} có mã {id} không hợp lệ: dùng 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_rating", "rating: reason {id} appears twice", "Đánh giá: lý do {id} xuất hiện hai lần"},
	{"invalid_rating", "rating: prompt_seconds {n} is out of bounds: give {min} to {max} seconds, or leave it out for {default}", "Đánh giá: prompt_seconds {n} nằm ngoài giới hạn: đặt từ {min} đến {max} giây, hoặc bỏ trống để dùng {default}"},
	{"invalid_rating", "rating: window_seconds {n} is out of bounds: give at least the prompt's {min} seconds and at most {max}, or leave it out for {default}", "Đánh giá: window_seconds {n} nằm ngoài giới hạn: đặt ít nhất bằng {min} giây của lời mời đánh giá và tối đa {max}, hoặc bỏ trống để dùng {default}"},
}

// stationWords are the phrases that fill the stations' messages: the
// fields whose text is checked.
var stationWords = map[string]string{
	"rating reason name": "tên lý do đánh giá", "rating reason English name": "tên tiếng Anh của lý do đánh giá",
	"staff title": "chức danh của nhân viên",
}

func init() { maps.Copy(words, stationWords) }
