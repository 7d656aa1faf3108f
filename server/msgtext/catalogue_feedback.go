package msgtext

import "maps"

// feedbackEntries are the messages of the feedback domain and its configuration file (server/feedback, server/feedbackfile).
var feedbackEntries = []Entry{
	// A new report.
	{"unknown_category", "category {category} does not exist: choose one of the categories offered", "Không có lĩnh vực phản ánh {category}: hãy chọn một trong các lĩnh vực có sẵn"},
	{"invalid_media_url", "media_url must be an http or https address of at most {max} characters, without spaces, user name or password", "media_url phải là một địa chỉ http hoặc https dài tối đa {max} ký tự, không có dấu cách, tên người dùng hay mật khẩu"},
	{"invalid_place", "say where the problem is: mark it on the map or write an address", "Hãy cho biết vấn đề ở đâu: đánh dấu trên bản đồ hoặc ghi địa chỉ"},
	{"invalid_place", "the accuracy of the place must be 0 to {max} metres", "Độ chính xác của vị trí phải từ 0 đến {max} mét"},
	{"invalid_place", "the place is not on the Earth: latitude must be -90 to 90 and longitude -180 to 180 degrees", "Vị trí không nằm trên Trái Đất: vĩ độ phải từ -90 đến 90 và kinh độ từ -180 đến 180 độ"},
	{"invalid_photo", "photo {photo} is not a photo's name (64 lower-case hex digits): upload the photo first", "{photo} không phải là tên ảnh (64 chữ số thập lục phân viết thường): hãy tải ảnh lên trước"},
	{"too_many_photos", "at most {max} photos: leave out {n}", "Tối đa {max} ảnh: hãy bỏ bớt {n} ảnh"},
	{"invalid_channel", "channel {channel} is unknown: reports come from the web, an Open311 client or staff", "Không rõ kênh gửi {channel}: phản ánh được gửi từ trang web, từ ứng dụng liên kết hoặc do cán bộ nhập"},

	// Actions on a report.
	{"unknown_action", "{given} is not an action on reports", "{given} không phải là thao tác trên phản ánh"},
	{"report_forbidden", "only a moderator may do this", "Chỉ cán bộ điều phối mới được làm việc này"},
	{"report_forbidden", "only a moderator or the unit in charge may do this", "Chỉ cán bộ điều phối hoặc đơn vị được giao xử lý mới được làm việc này"},
	{"report_forbidden", "only the unit in charge returns a report; a moderator assigns it to another unit instead", "Chỉ đơn vị được giao xử lý mới trả lại phản ánh; cán bộ điều phối thì chuyển phản ánh cho đơn vị khác"},
	{"report_forbidden", "only the reporter may give a verdict, from the link received when sending the report", "Chỉ người phản ánh mới được đánh giá, từ đường dẫn nhận được khi gửi phản ánh"},
	{"report_forbidden", "me too is said by other citizens, not by staff or by the reporter", "\"Tôi cũng gặp vấn đề này\" là để người dân khác bày tỏ, không dành cho cán bộ hay chính người phản ánh"},
	{"report_forbidden", "personal data are erased by the server itself when their time comes", "Thông tin cá nhân do máy chủ tự xóa khi đến hạn"},
	{"not_your_unit", "report {code} is in the hands of another unit: a moderator may assign it to yours", "Phản ánh {code} đang do đơn vị khác xử lý: cán bộ điều phối có thể chuyển cho đơn vị của bạn"},
	{"report_status", "report {code} is {status}: you cannot {action} it", "Phản ánh {code} đang ở trạng thái {status}: không thể {action}"},
	{"report_not_resolved", "report {code} is {status}: a verdict is given once it is resolved", "Phản ánh {code} đang ở trạng thái {status}: chỉ đánh giá được khi đã xử lý xong"},
	{"report_closed", "report {code} is {status}: me too is only for reports still being handled; send a new report", "Phản ánh {code} đang ở trạng thái {status}: chỉ bày tỏ \"Tôi cũng gặp vấn đề này\" với phản ánh đang được xử lý; hãy gửi phản ánh mới"},
	{"report_open", "report {code} is still being handled: personal data are erased only after it closes", "Phản ánh {code} vẫn đang được xử lý: thông tin cá nhân chỉ được xóa sau khi phản ánh kết thúc"},
	{"invalid_duplicate", "{given} is not a report code: write the code of the other report, PA-YYMM-NNNNN", "{given} không phải là mã phản ánh: hãy ghi mã của phản ánh kia, dạng PA-YYMM-NNNNN"},
	{"invalid_duplicate", "a report cannot duplicate itself: give the code of the other report", "Phản ánh không thể trùng với chính nó: hãy ghi mã của phản ánh kia"},
	{"unknown_unit", "unit {unit} does not exist: choose one of the units", "Không có đơn vị {unit}: hãy chọn một trong các đơn vị có sẵn"},
	{"already_assigned", "report {code} is already assigned to unit {unit}", "Phản ánh {code} đã được chuyển cho đơn vị {unit}"},
	{"answer_required", "report {code} has no answer yet: answer it before resolving it", "Phản ánh {code} chưa có nội dung trả lời: hãy trả lời trước khi kết thúc xử lý"},
	{"already_satisfied", "the reporter has said report {code} was handled to their satisfaction: it is closed; send a new report if the problem is back", "Người phản ánh đã đánh giá hài lòng với việc xử lý phản ánh {code}: phản ánh đã kết thúc; hãy gửi phản ánh mới nếu vấn đề tái diễn"},
	{"verdict_expired", "report {code} was resolved more than {days} days ago: it is closed; send a new report if the problem is back", "Phản ánh {code} đã được xử lý xong hơn {days} ngày trước: phản ánh đã kết thúc; hãy gửi phản ánh mới nếu vấn đề tái diễn"},
	{"reopened_once", "report {code} has been reopened once already: send a new report if the problem is back", "Phản ánh {code} đã được mở lại một lần: hãy gửi phản ánh mới nếu vấn đề tái diễn"},
	{"unknown_photo", "report {code} has no photo {photo}", "Phản ánh {code} không có ảnh {photo}"},
	{"photo_hidden", "this photo is hidden already", "Ảnh này đã được ẩn"},
	{"photo_shown", "this photo is shown already", "Ảnh này đang được hiển thị"},
	{"already_erased", "the personal data of report {code} are erased already", "Thông tin cá nhân của phản ánh {code} đã được xóa"},
	{"erase_not_due", "the personal data of report {code} are kept until {date}", "Thông tin cá nhân của phản ánh {code} được lưu đến ngày {date}"},

	// The feedback configuration.
	{"invalid_feedback_config", "the feedback configuration has no units: add at least one department", "Cấu hình phản ánh chưa có đơn vị nào: hãy thêm ít nhất một phòng ban"},
	{"invalid_feedback_config", "the feedback configuration has no categories: add at least one", "Cấu hình phản ánh chưa có lĩnh vực nào: hãy thêm ít nhất một lĩnh vực"},
	{"invalid_feedback_config", "unit id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Mã đơn vị {id} không hợp lệ: mã gồm 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_feedback_config", "unit {id} appears twice", "Đơn vị {id} xuất hiện hai lần"},
	{"invalid_feedback_config", "unit {id}: kind {kind} is unknown: use \"department\" or \"ward\"", "Đơn vị {id}: không rõ loại {kind}: dùng \"department\" (phòng ban) hoặc \"ward\" (phường, xã)"},
	{"invalid_feedback_config", "unit {id} is a department: only a ward has a boundary", "Đơn vị {id} là phòng ban: chỉ phường, xã mới có ranh giới"},
	{"invalid_feedback_config", "category id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Mã lĩnh vực {id} không hợp lệ: mã gồm 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_feedback_config", "category {id} appears twice", "Lĩnh vực {id} xuất hiện hai lần"},
	{"invalid_feedback_config", "category {id} is handled by unit {unit}, which is not among the units: add it or name another", "Lĩnh vực {id} giao cho đơn vị {unit}, nhưng đơn vị này không có trong danh sách: hãy thêm đơn vị đó hoặc chọn đơn vị khác"},
	{"invalid_feedback_config", "category {id}: deadlines must be 1 to {max} working days", "Lĩnh vực {id}: thời hạn phải từ 1 đến {max} ngày làm việc"},
	{"invalid_feedback_config", "category {id}: the acknowledgement deadline is later than the resolution deadline", "Lĩnh vực {id}: hạn tiếp nhận muộn hơn hạn xử lý"},
	{"invalid_feedback_config", "template id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Mã mẫu trả lời {id} không hợp lệ: mã gồm 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_feedback_config", "template {id} appears twice", "Mẫu trả lời {id} xuất hiện hai lần"},
	{"invalid_calendar", "weekend day {day} is not a day of the week (0 is Sunday, 6 Saturday)", "Ngày nghỉ cuối tuần {day} không phải là một ngày trong tuần (0 là Chủ nhật, 6 là thứ Bảy)"},
	{"invalid_calendar", "the weekend takes every day of the week: no deadline could be counted", "Cả bảy ngày trong tuần đều là ngày nghỉ: không thể tính thời hạn"},
	{"invalid_feedback_config", "the reopen window and the erasure delay must not be negative", "Thời gian được mở lại và thời gian chờ xóa dữ liệu không được âm"},
	{"invalid_feedback_config", "the nearby radius must be 0 to {max} metres", "Bán kính tìm phản ánh lân cận phải từ 0 đến {max} mét"},
}

// feedbackWords are the Vietnamese of the words and phrases that fill the
// parameters of the feedback domain's messages: statuses, the staff's
// actions and the fields checked.
var feedbackWords = map[string]string{
	// Report statuses (feedback.Status).
	"new": "mới", "accepted": "đã tiếp nhận", "assigned": "đã chuyển xử lý", "in_progress": "đang xử lý",
	"resolved": "đã xử lý", "unfounded": "phản ánh không đúng", "refused": "không tiếp nhận", "duplicate": "trùng",
	// Actions, as verbs (feedback's verbs).
	"accept": "tiếp nhận", "refuse": "từ chối tiếp nhận", "find unfounded": "kết luận phản ánh không đúng",
	"mark as a duplicate": "đánh dấu trùng", "assign": "chuyển xử lý", "start": "bắt đầu xử lý",
	"return": "trả lại", "answer": "trả lời", "resolve": "kết thúc xử lý",
	// Fields checked.
	"description": "nội dung phản ánh", "address": "địa chỉ", "the reason": "lý do", "the answer": "nội dung trả lời",
	"unit name": "tên đơn vị", "unit English name": "tên tiếng Anh của đơn vị",
	"category name": "tên lĩnh vực phản ánh", "category English name": "tên tiếng Anh của lĩnh vực phản ánh",
	"category hint": "dòng gợi ý của lĩnh vực", "category English hint": "dòng gợi ý tiếng Anh của lĩnh vực",
	"tile URL": "địa chỉ máy chủ ô bản đồ", "map attribution": "dòng ghi nguồn bản đồ",
	"template title": "tiêu đề mẫu trả lời", "template text": "nội dung mẫu trả lời", "template English text": "nội dung tiếng Anh của mẫu trả lời",
}

func init() { maps.Copy(words, feedbackWords) }

// geoEntries are the messages of reading ward boundaries (server/geo):
// the geo lane's block, kept apart from the domain's above.
var geoEntries = []Entry{
	{"invalid_geojson", "the GeoJSON is {size} bytes, more than the {max} that are read: simplify the boundaries or split the file", "Tệp GeoJSON dài {size} byte, quá giới hạn {max} byte được đọc: hãy đơn giản hóa ranh giới hoặc chia nhỏ tệp"},
	{"invalid_geojson", "the GeoJSON nests arrays and objects {depth} levels deep, more than the {max} that are read: flatten its properties", "Tệp GeoJSON lồng mảng và đối tượng sâu {depth} cấp, quá giới hạn {max} cấp được đọc: hãy giảm độ lồng của các thuộc tính"},
	{"invalid_geojson", "the FeatureCollection has no \"features\" array", "FeatureCollection thiếu mảng \"features\""},
	{"invalid_geojson", "the GeoJSON has no \"type\": it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon", "Tệp GeoJSON thiếu \"type\": phải là FeatureCollection, Feature, Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "the GeoJSON is a {type}: it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon", "Tệp GeoJSON là {type}: phải là FeatureCollection, Feature, Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "the GeoJSON must be an object with a \"type\"", "Tệp GeoJSON phải là một đối tượng có \"type\""},
	{"invalid_geojson", "the GeoJSON is not valid JSON (near byte {offset})", "Tệp GeoJSON không phải JSON hợp lệ (gần byte thứ {offset})"},
	{"invalid_geojson", "the GeoJSON member \"{member}\" has the wrong type (near byte {offset})", "Thành phần \"{member}\" của tệp GeoJSON sai kiểu dữ liệu (gần byte thứ {offset})"},
	{"invalid_geojson", "the GeoJSON has more than {max} positions (the limit was reached in feature {feature}): simplify the boundaries", "Tệp GeoJSON có hơn {max} điểm tọa độ (vượt giới hạn ở vùng {feature}): hãy đơn giản hóa ranh giới"},
	{"invalid_geojson", "feature {feature} is not an object: a FeatureCollection holds Features", "Vùng {feature} không phải là một đối tượng: FeatureCollection chỉ chứa các Feature"},
	{"invalid_geojson", "feature {feature} is a {type}: a FeatureCollection holds Features", "Vùng {feature} là {type}: FeatureCollection chỉ chứa các Feature"},
	{"invalid_geojson", "feature {feature}: the id must be a string or a number", "Vùng {feature}: mã định danh phải là chuỗi hoặc số"},
	{"invalid_geojson", "feature {feature}: the properties must be an object", "Vùng {feature}: các thuộc tính phải là một đối tượng"},
	{"invalid_geojson", "feature {feature} has no geometry: give it a Polygon or a MultiPolygon", "Vùng {feature} không có hình học: hãy cho vùng một Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "feature {feature}: the geometry has no \"type\"", "Vùng {feature}: hình học thiếu \"type\""},
	{"invalid_geojson", "feature {feature}: a {type} is not an area: boundaries must be a Polygon or a MultiPolygon", "Vùng {feature}: {type} không phải là một diện tích: ranh giới phải là Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "feature {feature}: the geometry has no polygon", "Vùng {feature}: hình học không có đa giác nào"},
	{"invalid_geojson", "feature {feature}: a polygon has no ring", "Vùng {feature}: có đa giác không có vòng nào"},
	{"invalid_geojson", "feature {feature}: a ring has {n} positions; a ring needs at least 4, the last the same as the first", "Vùng {feature}: có vòng chỉ gồm {n} điểm; mỗi vòng cần ít nhất 4 điểm, điểm cuối trùng điểm đầu"},
	{"invalid_geojson", "feature {feature}: a position has {n} numbers; write [longitude, latitude]", "Vùng {feature}: có điểm gồm {n} số; hãy viết [kinh độ, vĩ độ]"},
	{"invalid_geojson", "feature {feature}: the position [{lon}, {lat}] is out of range: longitude must be within -180 to 180 and latitude within -90 to 90 (GeoJSON writes longitude first)", "Vùng {feature}: điểm [{lon}, {lat}] nằm ngoài phạm vi: kinh độ phải từ -180 đến 180 và vĩ độ từ -90 đến 90 (GeoJSON viết kinh độ trước)"},
	{"invalid_geojson", "feature {feature}: a ring is not closed: its last position must be the same as its first", "Vùng {feature}: có vòng chưa khép kín: điểm cuối phải trùng điểm đầu"},
	{"invalid_geojson", "feature {feature}: the geometry has no \"coordinates\"", "Vùng {feature}: hình học thiếu \"coordinates\""},
	{"invalid_geojson", "feature {feature}: the coordinates cannot be read: a Polygon's are an array of rings, each an array of [longitude, latitude] numbers, and a MultiPolygon's an array of those", "Vùng {feature}: không đọc được tọa độ: tọa độ của Polygon là một mảng các vòng, mỗi vòng là một mảng các cặp số [kinh độ, vĩ độ], còn của MultiPolygon là một mảng các Polygon như vậy"},
}
