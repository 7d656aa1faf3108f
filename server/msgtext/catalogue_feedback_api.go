package msgtext

import "maps"

// feedbackAPIEntries are the messages of the feedback reports' API and pages.
var feedbackAPIEntries = []Entry{
	// Reports and who may act on them.
	{"unknown_report", "no report has this code: check the code on your confirmation", "Không có phản ánh nào có mã này: hãy kiểm tra mã trên giấy xác nhận"},
	{"unknown_report", "report {code} does not exist: duplicate_of must be the code of an existing report", "Không có phản ánh {code}: duplicate_of phải là mã của một phản ánh đã có"},
	{"not_reporter", "only the reporter may do this, with the link received when the report was sent (the code alone is not enough)", "Chỉ người gửi phản ánh mới làm được việc này, bằng đường dẫn nhận được khi gửi (chỉ có mã là chưa đủ)"},
	{"forbidden", "only the office's moderators and handlers may do this", "Chỉ cán bộ kiểm duyệt và cán bộ xử lý phản ánh của cơ quan mới làm được việc này"},
	{"not_your_unit", "this report is in another unit's charge: only its handlers and the moderators may see it", "Phản ánh này do đơn vị khác phụ trách: chỉ cán bộ xử lý của đơn vị đó và cán bộ kiểm duyệt mới xem được"},
	{"no_unit", "your staff account belongs to no unit: ask an administrator to set your department or ward", "Tài khoản của bạn chưa thuộc đơn vị nào: hãy đề nghị quản trị viên gán phòng ban hoặc phường cho bạn"},
	{"unknown_action", "{action} is not an action on reports: docs/feedback.md lists them", "{action} không phải là thao tác trên phản ánh: danh sách thao tác nằm trong tệp docs/feedback.md"},
	{"invalid_duplicate_of", "duplicate_of must be a report code such as PA-2612-00042", "Trường duplicate_of phải là mã phản ánh, ví dụ PA-2612-00042"},
	{"invalid_duplicate_of", "say which report this one repeats: duplicate_of, a report code such as PA-2612-00042", "Hãy cho biết phản ánh này trùng với phản ánh nào: duplicate_of, mã phản ánh ví dụ PA-2612-00042"},
	{"invalid_duplicate_of", "a report cannot be a duplicate of itself", "Phản ánh không thể trùng với chính nó"},
	{"invalid_verdict", "verdict must be \"satisfied\" or \"reopen\"", "verdict phải là \"satisfied\" (hài lòng) hoặc \"reopen\" (mở lại)"},

	// The report's form.
	{"not_multipart", "send the report as multipart/form-data (a form with its photos)", "Hãy gửi phản ánh dạng multipart/form-data (biểu mẫu kèm ảnh)"},
	{"invalid_multipart", "the multipart form has no boundary (or a boundary longer than 70 characters) in its Content-Type", "Biểu mẫu multipart thiếu boundary (hoặc boundary dài hơn 70 ký tự) trong Content-Type"},
	{"invalid_multipart", "the multipart form is malformed or cut short: send the whole form again", "Biểu mẫu multipart sai định dạng hoặc bị cắt ngang: hãy gửi lại toàn bộ biểu mẫu"},
	{"duplicate_field", "the form has field {field} twice", "Biểu mẫu có trường {field} hai lần"},
	{"invalid_field", "field {field} must be text, not a file", "Trường {field} phải là văn bản, không phải tệp"},
	{"fields_too_large", "the form's text fields are larger than {max} bytes together", "Các trường văn bản của biểu mẫu cộng lại dài hơn {max} byte"},
	{"invalid_text", "field {field} is not valid UTF-8", "Trường {field} không phải UTF-8 hợp lệ"},
	{"invalid_description", "{field} is required", "Cần có {field}"},
	{"invalid_description", "{field} is longer than {max} characters", "{field} dài hơn {max} ký tự"},
	{"invalid_address", "{field} must be one line", "{field} chỉ được có một dòng"},
	{"invalid_place", "send both lat and lon, or neither", "Hãy gửi cả vĩ độ (lat) và kinh độ (lon), hoặc không gửi cả hai"},
	{"invalid_place", "lat and lon must be decimal degrees (latitude −90 to 90, longitude −180 to 180)", "Vĩ độ (lat) và kinh độ (lon) phải là số độ thập phân (vĩ độ từ −90 đến 90, kinh độ từ −180 đến 180)"},
	{"invalid_accuracy", "accuracy must be metres, from 0 to 100000", "Độ chính xác (accuracy) phải là số mét, từ 0 đến 100000"},
	{"place_required", "say where the problem is: a place on the map (lat, lon) or an address", "Hãy cho biết nơi xảy ra sự việc: một vị trí trên bản đồ (vĩ độ, kinh độ) hoặc một địa chỉ"},
	{"invalid_anonymous", "anonymous must be 1 (send anonymously) or left out", "anonymous phải là 1 (gửi ẩn danh) hoặc để trống"},

	// Photos.
	{"too_many_photos", "at most {max} photos may be sent at once", "Chỉ được gửi tối đa {max} ảnh một lần"},
	{"invalid_photo", "each photo must be sent as a file (a part with a filename)", "Mỗi ảnh phải được gửi dạng tệp (phần có tên tệp)"},
	{"photo_too_large", "photo {n} is larger than {max} MB: send a smaller photo", "Ảnh thứ {n} lớn hơn {max} MB: hãy gửi ảnh nhỏ hơn"},
	{"invalid_photo", "photo {n} is empty", "Ảnh thứ {n} trống"},
	{"invalid_photo", "photo {n} could not be read as a JPEG, PNG or WebP image: send another photo", "Không đọc được ảnh thứ {n} dưới dạng JPEG, PNG hay WebP: hãy gửi ảnh khác"},
	{"invalid_photo", "{hash} is not a photo's hash: use the hash POST /api/v1/feedback/photos answered", "{hash} không phải là mã băm của ảnh: hãy dùng mã băm mà POST /api/v1/feedback/photos trả về"},
	{"unknown_photo", "photo {hash} was not uploaded: upload it with POST /api/v1/feedback/photos first", "Ảnh {hash} chưa được tải lên: hãy tải lên bằng POST /api/v1/feedback/photos trước"},
	{"unknown_photo", "no photo has this address", "Không có ảnh nào ở địa chỉ này"},
	{"invalid_size", "size must be thumb, or left out for the whole photo", "size phải là thumb (ảnh thu nhỏ), hoặc để trống để lấy cả ảnh"},
	{"no_photo", "send at least one photo (multipart field photo)", "Hãy gửi ít nhất một ảnh (trường multipart photo)"},

	// Lists and their filters.
	{"invalid_status", "status {status} is unknown: use new, accepted, assigned, in_progress, resolved, unfounded, refused or duplicate", "Không rõ trạng thái {status}: dùng \"new\", \"accepted\", \"assigned\", \"in_progress\", \"resolved\", \"unfounded\", \"refused\" hoặc \"duplicate\""},
	{"invalid_date", "{field} must be a date written YYYY-MM-DD", "{field} phải là ngày viết dạng YYYY-MM-DD"},
	{"invalid_bbox", "bbox must be west,south,east,north in decimal degrees, west ≤ east and south ≤ north", "bbox phải là tây,nam,đông,bắc tính bằng độ thập phân, tây ≤ đông và nam ≤ bắc"},
	{"invalid_near", "near must be lat,lon in decimal degrees", "near phải là vĩ độ,kinh độ tính bằng độ thập phân"},
	{"invalid_radius", "radius must be metres, more than 0 and at most 50000", "radius phải là số mét, lớn hơn 0 và không quá 50000"},
	{"invalid_open", "open must be 1 (open reports only) or left out", "Tham số ?open= phải là 1 (chỉ phản ánh đang xử lý) hoặc để trống"},
	{"invalid_overdue", "overdue must be 1 (overdue reports only) or left out", "overdue phải là 1 (chỉ phản ánh quá hạn) hoặc để trống"},
	{"invalid_q", "q is at most 200 bytes", "q dài tối đa 200 byte"},
	{"invalid_limit", "{field} must be a whole number from 0 to {max}", "{field} phải là số nguyên từ 0 đến {max}"},
}

// feedbackAPIWords are the Vietnamese of the phrases the feedback API
// fills messages with: the fields whose text is checked.
var feedbackAPIWords = map[string]string{
	"the description": "nội dung phản ánh", "the reason": "lý do", "the answer": "nội dung trả lời", "address": "địa chỉ",
	"category": "lĩnh vực phản ánh", "unit": "đơn vị",
}

func init() { maps.Copy(words, feedbackAPIWords) }
