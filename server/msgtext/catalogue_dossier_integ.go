package msgtext

import "maps"

// dossierIntegEntries are the messages of the dossiers' integration (PUT
// /dossiers/{code} with the province's key, the integration keys), the
// CSV import and the reports.
var dossierIntegEntries = []Entry{
	{"invalid_api_key", "the integration key is unknown or was revoked: send Authorization: Bearer KEY with a key the office's administrator issued", "Khóa kết nối không tồn tại hoặc đã bị thu hồi: hãy gửi Authorization: Bearer KHÓA với khóa do quản trị viên của cơ quan cấp"},
	{"api_key_required", "send the integration key as Authorization: Bearer KEY; ask the office's administrator for one", "Hãy gửi khóa kết nối dạng Authorization: Bearer KHÓA; xin khóa từ quản trị viên của cơ quan"},
	{"wrong_key_scope", "this key is not an integration key for dossiers (an Open311 key?): ask the office's administrator for a key of scope dossiers", "Khóa này không phải khóa kết nối hồ sơ (khóa của ứng dụng phản ánh?): hãy xin quản trị viên của cơ quan một khóa kết nối hồ sơ"},
	{"dossiers_unavailable", "dossiers are not set up on this server: ask the administrator to configure them", "Máy chủ này chưa thiết lập hồ sơ: hãy đề nghị quản trị viên cấu hình"},
	{"dossiers_unavailable", "dossiers are not set up for office {office}", "Cơ quan {office} chưa thiết lập hồ sơ"},
	{"unknown_dossier", "there is no dossier {code} in this office: its codes start with {prefix}-", "Cơ quan này không có hồ sơ {code}: mã hồ sơ của cơ quan bắt đầu bằng {prefix}-"},
	{"procedure_required", "dossier {code} does not exist yet: send its procedure, applicant and status to create it", "Hồ sơ {code} chưa có: hãy gửi thủ tục, người nộp và trạng thái để tạo hồ sơ"},
	{"time_in_future", "{field} {at} is in the future: send the time it happened", "{field} {at} ở tương lai: hãy gửi thời điểm việc đã xảy ra"},
	{"dossier_busy", "dossier {code} kept changing while this request was applied: send it again", "Hồ sơ {code} liên tục thay đổi trong khi xử lý yêu cầu: hãy gửi lại"},
	{"procedure_mismatch", "dossier {code} is of procedure {procedure}, not {other}: its procedure cannot change", "Hồ sơ {code} thuộc thủ tục {procedure}, không phải {other}: không thể đổi thủ tục của hồ sơ"},
	{"code_in_use", "dossier {code} is another dossier (external id {other}, not {external}): give this one another code", "Hồ sơ {code} là một hồ sơ khác (mã liên thông {other}, không phải {external}): hãy đặt mã khác cho hồ sơ này"},
	{"invalid_new_due", "new_due goes with an apology, which the office's staff record: leave it out", "new_due đi kèm thư xin lỗi, do cán bộ của cơ quan ghi nhận: hãy bỏ trường này"},
	{"stale_change", "status_at {at} is before the dossier's latest change at {last}: it has moved on since; read it again before changing it", "Thời điểm đổi trạng thái {at} trước lần thay đổi gần nhất của hồ sơ lúc {last}: hồ sơ đã chuyển bước từ đó; hãy đọc lại hồ sơ trước khi thay đổi"},
	{"no_transition", "dossier {code} is {from}: no single step leads from there to {to}; send the steps one by one", "Hồ sơ {code} đang ở trạng thái {from}: không có một bước nào dẫn thẳng tới {to}; hãy gửi từng bước một"},
	{"integration_client_exists", "client {id} exists already: choose another id (a revoked client's id is not reused)", "Đã có hệ thống kết nối {id}: hãy chọn mã khác (mã của hệ thống đã thu hồi khóa không được dùng lại)"},
	{"integration_client_not_found", "no integration client {id} in this office", "Cơ quan này không có hệ thống kết nối {id}"},
	{"invalid_procedure", "{field} has more than {max} characters", "{field} dài hơn {max} ký tự"},
	{"invalid_procedure", "{field} {value} must be printable ASCII characters without spaces", "{field} {value} chỉ được gồm ký tự ASCII in được, không có khoảng trắng"},
	{"invalid_applicant_name", "{what} is not UTF-8: send it as UTF-8 text", "{what} không phải UTF-8: hãy gửi văn bản UTF-8"},
	{"invalid_applicant_name", "{what} has {n} characters; at most {max} are kept", "{what} có {n} ký tự; chỉ được tối đa {max}"},
	{"invalid_applicant_name", "{what} has a control character: send plain text", "{what} có ký tự điều khiển: hãy gửi văn bản thường"},
	{"invalid_id_number", "the ID number has more than {max} characters: send the digits of the card", "Số giấy tờ tùy thân dài hơn {max} ký tự: hãy gửi các chữ số trên thẻ"},
	{"invalid_channel", "channel {value} is unknown: use counter, online or post", "Không rõ kênh {value}: dùng \"counter\" (tại quầy), \"online\" (trực tuyến) hoặc \"post\" (bưu chính)"},
	{"invalid_papers", "a dossier has at most {max} papers", "Một hồ sơ có tối đa {max} giấy tờ"},
	{"invalid_status", "status {value} is unknown: use one of submitted, received, refused, processing, needs_supplement, awaiting_payment, withdrawn, suspended, completed, returned", "Không rõ trạng thái {value}: dùng một trong \"submitted\", \"received\", \"refused\", \"processing\", \"needs_supplement\", \"awaiting_payment\", \"withdrawn\", \"suspended\", \"completed\", \"returned\""},
	{"invalid_status", "a new dossier starts submitted, received, refused or processing, not {status}", "Hồ sơ mới bắt đầu ở trạng thái \"submitted\", \"received\", \"refused\" hoặc \"processing\", không phải {status}"},
	{"invalid_time", "{field} {value} is not a time: write it in RFC 3339 with its offset, e.g. 2026-03-02T09:30:00+07:00", "{field} {value} không phải thời điểm: hãy viết theo RFC 3339 kèm múi giờ, ví dụ 2026-03-02T09:30:00+07:00"},
	{"invalid_time", "{field} {value} is not a time: write 2026-03-02 09:30 (the office's time) or RFC 3339", "{field} {value} không phải thời điểm: hãy viết 2026-03-02 09:30 (giờ của cơ quan) hoặc theo RFC 3339"},
	{"not_csv", "send the dossiers as CSV with Content-Type: text/csv", "Hãy gửi danh sách hồ sơ dạng CSV với Content-Type: text/csv"},
	{"empty_body", "the file is empty: send a header line and one dossier a line", "Tệp trống: hãy gửi một dòng tiêu đề rồi mỗi dòng một hồ sơ"},
	{"empty_body", "the file has a header but no dossier: send one dossier a line", "Tệp chỉ có dòng tiêu đề, không có hồ sơ: hãy gửi mỗi dòng một hồ sơ"},
	{"invalid_csv", "the file is not UTF-8: save it as CSV UTF-8", "Tệp không phải UTF-8: hãy lưu dạng CSV UTF-8"},
	{"invalid_csv", "the file is not valid CSV at line {line}: {detail}", "Tệp không phải CSV hợp lệ ở dòng {line}: {detail}"},
	{"invalid_csv", "the file is not valid CSV: {detail}", "Tệp không phải CSV hợp lệ: {detail}"},
	{"invalid_csv_header", "the header names column {column} twice", "Dòng tiêu đề có cột {column} hai lần"},
	{"invalid_csv_header", "the header names an unknown column {column}: the columns are {columns}", "Dòng tiêu đề có cột không rõ {column}: các cột là {columns}"},
	{"invalid_csv_header", "the header lacks column {column}: the columns are {columns}", "Dòng tiêu đề thiếu cột {column}: các cột là {columns}"},
	{"too_many_lines", "the file has more than {max} dossiers: split it", "Tệp có hơn {max} hồ sơ: hãy chia nhỏ"},
	{"duplicate_code", "dossier {code} is on line {line} already: one line a dossier", "Hồ sơ {code} đã có ở dòng {line}: mỗi hồ sơ một dòng"},
	{"duplicate_line", "this line repeats line {line}: one line a dossier", "Dòng này lặp lại dòng {line}: mỗi hồ sơ một dòng"},
	{"import_invalid", "{n} lines of the file are refused and nothing was imported: correct them and send the whole file again", "{n} dòng của tệp bị từ chối nên chưa nhập hồ sơ nào: hãy sửa rồi gửi lại cả tệp"},
	{"invalid_period", "the period ends ({to}) before it starts ({from}): swap the dates", "Khoảng thời gian kết thúc ({to}) trước khi bắt đầu ({from}): hãy đổi chỗ hai ngày"},
}

// dossierIntegWords are the phrases that fill the integration's
// messages: the fields whose text is checked.
var dossierIntegWords = map[string]string{
	"applicant name": "tên người nộp", "applicant address": "địa chỉ người nộp", "note": "ghi chú",
	"result": "kết quả", "what": "nội dung cần bổ sung", "client": "mã hệ thống kết nối", "client name": "tên hệ thống kết nối",
	"paper": "giấy tờ", "department": "phòng ban",
}

func init() { maps.Copy(words, dossierIntegWords) }
