package msgtext

import "maps"

// open311Entries are the messages of Open311 (server/open311). Field names
// of the spec (service_code, "lat", attribute[…]) stay as they are: they
// are what the client's developer sends.
var open311Entries = []Entry{
	// Routes and formats.
	{"no_resource", "no Open311 resource at {path}: the resources are under /open311/v2/ and end in .json or .xml, e.g. /open311/v2/services.json", "Không có tài nguyên nào tại {path}: hãy dùng các đường dẫn của đặc tả, có đuôi .json hoặc .xml"},
	{"unknown_format", "format {format} is not served: use .json or .xml", "Không phục vụ định dạng {format}: hãy dùng .json hoặc .xml"},
	{"method_not_allowed", "{method} is not allowed here: use {allowed}", "Không được dùng phương thức {method} ở đây: hãy dùng {allowed}"},
	{"token_not_found", "token {token} was not found: this server answers a POST with the service_request_id at once (every service is realtime) and issues no tokens", "Không tìm thấy mã tạm {token}: máy chủ này trả service_request_id ngay khi nhận yêu cầu (mọi dịch vụ đều tức thời) và không cấp mã tạm"},
	{"rate_limited", "too many requests: try again in {seconds} s", "Quá nhiều yêu cầu: hãy thử lại sau {seconds} giây"},

	// The body of a POST.
	{"form_required", "send the request as Content-Type: application/x-www-form-urlencoded (or multipart/form-data with media parts)", "Hãy gửi yêu cầu dưới dạng Content-Type: application/x-www-form-urlencoded (hoặc multipart/form-data kèm các phần ảnh \"media\")"},
	{"unreadable_body", "the request body could not be read as a form: send it as application/x-www-form-urlencoded (or multipart/form-data) in UTF-8", "Không đọc được nội dung yêu cầu như một biểu mẫu: hãy gửi dạng application/x-www-form-urlencoded (hoặc multipart/form-data) mã hóa UTF-8"},
	{"too_many_parameters", "the request has {count} parameters, more than {max}: send only the spec's arguments", "Yêu cầu có {count} tham số, nhiều hơn {max}: chỉ gửi các tham số của đặc tả"},
	{"unknown_parameter", "parameter {name} is not an argument of POST requests; see the spec's list (service_code, lat, long, address_string, attribute[code], description, …)", "Tham số {name} không thuộc yêu cầu tạo phản ánh; xem danh sách trong đặc tả (service_code, \"lat\", \"long\", address_string, attribute[…], \"description\", …)"},
	{"repeated_parameter", "parameter {name} is sent {count} times: send it once", "Tham số {name} được gửi {count} lần: chỉ gửi một lần"},
	{"invalid_attribute", "parameter {name} is not of the form attribute[code]=value with a code of letters, digits, '-' or '_'", "Tham số {name} không có dạng attribute[mã]=giá trị với mã gồm chữ cái, chữ số, '-' hoặc '_'"},
	{"repeated_attribute", "attribute[{code}] is sent {count} times: send one value, or attribute[{code}][]=… for each value of a list", "Thuộc tính attribute[{code}] được gửi {count} lần: gửi một giá trị, hoặc attribute[{code}][]=… cho từng giá trị của một danh sách"},
	{"too_many_values", "attribute[{code}] has more than {max} values", "Thuộc tính attribute[{code}] có hơn {max} giá trị"},
	{"too_many_attributes", "the request has more than {max} attributes", "Yêu cầu có hơn {max} thuộc tính"},
	{"invalid_text", "{field} is not valid UTF-8: the spec requires UTF-8 everywhere", "Trường {field} không phải UTF-8 hợp lệ: đặc tả yêu cầu UTF-8 ở mọi nơi"},
	{"text_too_long", "{field} has {count} characters, more than {max}", "Trường {field} dài {count} ký tự, quá {max}"},
	{"invalid_text", "{field} contains a control or invisible character (U+{rune}): remove it", "Trường {field} chứa ký tự điều khiển hoặc ký tự ẩn (U+{rune}): hãy bỏ ký tự đó"},
	{"invalid_phone", "phone {phone} is not a phone number: use digits, with '+', spaces, '-', '.' or brackets", "{phone} không phải số điện thoại: hãy dùng chữ số, có thể kèm '+', dấu cách, '-', '.' hoặc dấu ngoặc"},
	{"service_code_required", "service_code is required: take one from GET services", "Cần có service_code: lấy một mã từ GET services"},
	{"location_required", "a location is required: send lat and long, or address_string", "Cần có vị trí: gửi \"lat\" và \"long\", hoặc address_string"},
	{"lat_long_pair", "lat and long go together: send both, or neither", "\"lat\" và \"long\" đi cùng nhau: gửi cả hai, hoặc không gửi cái nào"},
	{"invalid_coordinate", "{field} must be a decimal number of degrees (WGS84), like 21.0285", "Trường {field} phải là số độ thập phân (WGS84), ví dụ 21.0285"},
	{"coordinate_out_of_range", "{field} {value} is outside -{limit}…{limit} degrees", "Trường {field} bằng {value}, nằm ngoài khoảng -{limit}…{limit} độ"},
	{"address_id_unsupported", "address_id cannot be looked up here: send lat and long, or address_string", "Máy chủ không tra được address_id: hãy gửi \"lat\" và \"long\", hoặc address_string"},
	{"address_too_long", "address_detail and address_string together have {count} characters, more than {max}", "Trường address_detail và address_string cộng lại dài {count} ký tự, quá {max}"},

	// The API key.
	{"api_key_required", "api_key is required to create a request: ask the city's administrator for one", "Cần có api_key để gửi phản ánh: hãy xin quản trị viên của thành phố cấp"},
	{"api_key_in_url", "send api_key in the request body, not in the URL, where proxies and logs keep it", "Hãy gửi api_key trong nội dung yêu cầu, không đặt trên địa chỉ URL, nơi máy chủ trung gian và nhật ký lưu lại"},
	{"api_key_invalid", "invalid api_key: it is unknown or revoked; ask the city's administrator for a key", "api_key không hợp lệ: khóa không tồn tại hoặc đã bị thu hồi; hãy xin quản trị viên của thành phố cấp khóa"},
	{"api_key_scope", "this api_key is for the {scope} API, not for Open311: ask the city's administrator for an Open311 key", "api_key này chỉ dùng cho API {scope}, không dùng để gửi phản ánh: hãy xin quản trị viên của thành phố cấp khóa cho ứng dụng phản ánh"},

	// Services and their attributes.
	{"service_not_found", "service_code {code} was not found: GET services lists the services", "Không tìm thấy service_code {code}: GET services liệt kê các lĩnh vực"},
	{"unknown_attribute", "attribute[{code}] is not an attribute of this service: GET services/{service}.json lists them", "Thuộc tính attribute[{code}] không phải thuộc tính của lĩnh vực này: GET services/{service}.json liệt kê các thuộc tính"},
	{"attribute_required", "attribute[{code}] is required: GET services/{service}.json describes it", "Cần có attribute[{code}]: GET services/{service}.json mô tả thuộc tính này"},
	{"one_value", "attribute[{code}] takes one value, not {count}", "Thuộc tính attribute[{code}] chỉ nhận một giá trị, không phải {count}"},
	{"invalid_attribute_value", "attribute[{code}] must be one of the keys of its values ({keys}), not {value}", "Thuộc tính attribute[{code}] phải là một trong các khóa của nó ({keys}), không phải {value}"},
	{"invalid_attribute_value", "attribute[{code}] must be a number of metres from 0 to 100000, not {value}", "Thuộc tính attribute[{code}] phải là số mét từ 0 đến 100000, không phải {value}"},

	// Photos sent as media parts.
	{"unknown_file", "file part {name} is not taken: send photos as parts named media", "Không nhận phần tệp {name}: hãy gửi ảnh thành các phần tên \"media\""},
	{"photo_too_large", "photo {file} has {size} bytes, more than {max}", "Ảnh {file} nặng {size} byte, quá {max}"},
	{"too_many_photos", "{count} photos are sent, more than {max}", "Gửi {count} ảnh, nhiều hơn {max}"},
	{"photos_not_taken", "this server takes no photos: send the request without media parts", "Máy chủ này không nhận ảnh: hãy gửi yêu cầu không kèm phần \"media\""},

	// Requests.
	{"request_not_found", "service_request_id {id} was not found", "Không tìm thấy phản ánh có service_request_id {id}"},
	{"too_many_ids", "service_request_id names {count} requests, more than {max}", "Tham số service_request_id nêu {count} phản ánh, nhiều hơn {max}"},
	{"unknown_service_code", "service_code {code} is not a service of this server: GET services lists them", "Mã service_code {code} không phải lĩnh vực của máy chủ này: GET services liệt kê các lĩnh vực"},
	{"invalid_status", "status {status} is neither open nor closed", "Trạng thái {status} không phải \"open\" cũng không phải \"closed\""},
	{"invalid_date", "{field} {value} is not a W3C date and time: write it like 2026-12-01T00:00:00+07:00 or 2026-12-01T00:00:00Z", "Trường {field} bằng {value} không phải ngày giờ theo W3C: hãy viết như 2026-12-01T00:00:00+07:00 hoặc 2026-12-01T00:00:00Z"},
	{"dates_reversed", "end_date is before start_date", "Ngày end_date sớm hơn start_date"},
	{"window_too_long", "start_date to end_date spans more than 90 days: ask for 90 days at most", "Khoảng từ start_date đến end_date dài hơn 90 ngày: chỉ hỏi tối đa 90 ngày"},

	// The admin's Open311 keys (server/api).
	{"open311_unavailable", "this server's storage keeps no Open311 clients", "Bộ lưu trữ của máy chủ này không giữ danh sách ứng dụng liên kết"},
	{"open311_client_exists", "Open311 client {id} exists already: choose another id (a revoked client's id is not reused)", "Đã có ứng dụng liên kết {id}: hãy chọn mã khác (mã của ứng dụng đã bị thu hồi khóa không được dùng lại)"},
	{"open311_client_not_found", "no Open311 client {id} in this office", "Cơ quan này không có ứng dụng liên kết {id}"},
}

// open311Words are the phrases that fill the messages of the admin's
// Open311 keys (server/api/open311_clients.go).
var open311Words = map[string]string{"client": "ứng dụng", "client name": "tên ứng dụng"}

func init() { maps.Copy(words, open311Words) }
