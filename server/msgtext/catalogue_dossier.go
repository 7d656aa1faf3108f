package msgtext

import "maps"

// dossierEntries are the messages of the dossier domain and its
// configuration file (server/dossier, server/dossierfile).
var dossierEntries = []Entry{
	// A new dossier.
	{"dossier_forbidden", "dossiers are received by a clerk at the counter or by the province's one-stop system", "Hồ sơ do cán bộ tiếp nhận tại quầy hoặc hệ thống một cửa của tỉnh tiếp nhận"},
	{"unknown_procedure", "procedure {procedure} is not in the catalogue: choose one of its procedures", "Không có thủ tục {procedure} trong danh mục: hãy chọn một thủ tục trong danh mục"},
	{"invalid_channel", "channel {channel} is unknown: a dossier comes at the counter, online or by post", "Không rõ kênh nộp {channel}: hồ sơ được nộp tại quầy, trực tuyến hoặc qua bưu chính"},
	{"invalid_status", "a new dossier is received, submitted or refused, not {status}", "Hồ sơ mới chỉ có thể ở trạng thái được tiếp nhận, mới đăng ký hoặc không được tiếp nhận, không phải {status}"},
	{"unknown_dossier", "dossier {code} is not one of this office's: its codes start with {prefix}", "Hồ sơ {code} không thuộc cơ quan này: mã hồ sơ của cơ quan bắt đầu bằng {prefix}"},
	{"invalid_dossier_code", "{given} is not a dossier code: write it as on the receipt, such as TP-261203-0001", "{given} không phải là mã hồ sơ: hãy ghi đúng như trên giấy tiếp nhận, ví dụ TP-261203-0001"},
	{"invalid_id_number", "the ID number must be the 12 digits of a citizen's identity card (or the 9 of an old one)", "Số giấy tờ tùy thân phải gồm 12 chữ số của thẻ căn cước (hoặc 9 chữ số của chứng minh nhân dân cũ)"},
	{"invalid_id_number", "the masked ID number must be stars and its last 4 digits, such as ********7890", "Số giấy tờ đã che phải gồm các dấu sao và 4 chữ số cuối, ví dụ ********7890"},
	{"invalid_papers", "at most {max} papers are recorded", "Chỉ ghi nhận tối đa {max} giấy tờ"},
	{"invalid_papers", "paper {paper} is not on the checklist of procedure {procedure}: tick papers of the list, or write others in words", "Giấy tờ {paper} không có trong thành phần hồ sơ của thủ tục {procedure}: hãy đánh dấu giấy tờ trong danh sách, hoặc ghi giấy tờ khác bằng chữ"},
	{"invalid_papers", "paper {paper} is ticked twice", "Giấy tờ {paper} được đánh dấu hai lần"},
	{"papers_missing", "the dossier lacks {papers}: receive it once they are brought, or refuse it with the reason", "Hồ sơ còn thiếu: {papers}. Hãy tiếp nhận khi công dân bổ sung đủ, hoặc từ chối tiếp nhận và ghi rõ lý do"},

	// Actions on a dossier.
	{"unknown_action", "{given} is not an action on dossiers", "{given} không phải là thao tác trên hồ sơ"},
	{"dossier_forbidden", "pickup tickets are given by the kiosk", "Số thứ tự nhận kết quả do máy lấy số cấp"},
	{"dossier_forbidden", "only the applicant rates a dossier, with its code and their link or phone", "Chỉ người nộp hồ sơ mới đánh giá được, bằng mã hồ sơ cùng đường dẫn hoặc số điện thoại của mình"},
	{"dossier_forbidden", "only the office's staff may {action} this dossier", "Chỉ cán bộ của cơ quan mới được {action} hồ sơ này"},
	{"dossier_forbidden", "only the department's handlers or an administrator may {action} this dossier", "Chỉ cán bộ xử lý của phòng chuyên môn hoặc quản trị viên mới được {action} hồ sơ này"},
	{"dossier_forbidden", "only a clerk or an administrator may {action} this dossier", "Chỉ cán bộ tiếp nhận hoặc quản trị viên mới được {action} hồ sơ này"},
	{"dossier_forbidden", "only a clerk at the counter may {action} this dossier", "Chỉ cán bộ tiếp nhận tại quầy mới được {action} hồ sơ này"},
	{"not_your_department", "dossier {code} is in the hands of another department", "Hồ sơ {code} đang do phòng chuyên môn khác xử lý"},
	{"dossier_not_ready", "dossier {code} is {status}: its result is not ready yet", "Hồ sơ {code} đang ở trạng thái {status}: chưa có kết quả"},
	{"dossier_not_returned", "dossier {code} is {status}: it is rated once its result is handed over", "Hồ sơ {code} đang ở trạng thái {status}: chỉ đánh giá được sau khi đã nhận kết quả"},
	{"dossier_status", "dossier {code} is {status}: you cannot {action} it", "Hồ sơ {code} đang ở trạng thái {status}: không thể {action} hồ sơ này"},
	{"unknown_department", "say which department the dossier is transferred to", "Hãy chọn phòng chuyên môn nhận hồ sơ chuyển đến"},
	{"unknown_department", "department {department} does not exist: choose one of the departments", "Không có phòng chuyên môn {department}: hãy chọn một trong các phòng có sẵn"},
	{"same_department", "dossier {code} is with department {department} already", "Hồ sơ {code} đang ở phòng {department} rồi"},
	{"invalid_supplement", "say by which day the applicant should bring the supplements", "Hãy cho biết hạn ngày công dân phải nộp bổ sung"},
	{"date_in_past", "{date} is in the past: give today or a later day", "Ngày {date} đã qua: hãy chọn hôm nay hoặc một ngày sau"},
	{"invalid_pickup", "a pickup needs its ticket's id", "Việc nhận kết quả cần mã của phiếu thứ tự"},
	{"already_rated", "dossier {code} has been rated already: a dossier is rated once", "Hồ sơ {code} đã được đánh giá: mỗi hồ sơ chỉ đánh giá một lần"},
	{"invalid_rating", "the rating is 1 (not satisfied) to 4 (very satisfied)", "Mức đánh giá từ 1 (không hài lòng) đến 4 (rất hài lòng)"},
	{"not_late", "dossier {code} is not late: an apology is made once its due day has come", "Hồ sơ {code} chưa trễ hạn: chỉ gửi thư xin lỗi khi đã đến ngày hẹn trả"},
	{"invalid_apology", "give the new due date", "Hãy ghi ngày hẹn trả mới"},
	{"invalid_apology", "the new due date must come after the one it replaces, {date}", "Ngày hẹn trả mới phải sau ngày hẹn cũ, {date}"},

	// The dossier configuration.
	{"invalid_dossier_config", "the dossier code prefix {prefix} is not valid: use 2 to 10 upper-case letters or digits, such as TP", "Tiền tố mã hồ sơ {prefix} không hợp lệ: dùng 2 đến 10 chữ in hoa hoặc chữ số, ví dụ TP"},
	{"invalid_dossier_config", "the dossier configuration needs at least one field, one department and one procedure", "Cấu hình hồ sơ cần ít nhất một lĩnh vực, một phòng chuyên môn và một thủ tục"},
	{"invalid_dossier_config", "the catalogue has {n} procedures; at most {max} are allowed", "Danh mục có {n} thủ tục; tối đa {max}"},
	{"invalid_dossier_config", "the cut-off hour {given} is not a time: write HH:MM, such as 15:00", "Giờ chốt nhận {given} không phải là giờ: viết dạng HH:MM, ví dụ 15:00"},
	{"invalid_dossier_config", "the pickup service {service} is not a service id: use the id of the office's results service, such as tra-ket-qua", "Dịch vụ nhận kết quả {service} không phải là mã dịch vụ: dùng mã của dịch vụ trả kết quả, ví dụ tra-ket-qua"},
	{"invalid_dossier_config", "the pickup priority {priority} is unknown: use elderly, disabled, pregnant, merit or leave it empty", "Không rõ nhóm ưu tiên {priority} của số nhận kết quả: dùng \"elderly\", \"disabled\", \"pregnant\", \"merit\" hoặc để trống"},
	{"invalid_dossier_config", "the board's names {given} is unknown: use \"masked\" or \"none\"", "Không rõ cách hiện tên {given} trên bảng: dùng \"masked\" hoặc \"none\""},
	{"invalid_dossier_config", "the board lists 1 to {max} ready dossiers", "Bảng hiện từ 1 đến {max} hồ sơ đã có kết quả"},
	{"invalid_dossier_config", "{what} id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Mã {what} {id} không hợp lệ: dùng 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_dossier_config", "{what} {id} appears twice", "{what} {id} xuất hiện hai lần"},
	{"invalid_dossier_config", "procedure code {code} is not valid: use 1–32 upper-case letters, digits, '.', '-' or '_', such as XD-01", "Mã thủ tục {code} không hợp lệ: dùng 1–32 chữ in hoa, chữ số, '.', '-' hoặc '_', ví dụ XD-01"},
	{"invalid_dossier_config", "procedure {code} appears twice", "Thủ tục {code} xuất hiện hai lần"},
	{"invalid_dossier_config", "procedure {code} is of field {field}, which is not among the fields: add it or name another", "Thủ tục {code} thuộc lĩnh vực {field}, không có trong danh sách lĩnh vực: hãy thêm lĩnh vực đó hoặc chọn lĩnh vực khác"},
	{"invalid_dossier_config", "procedure {code} is processed by department {department}, which is not among the departments: add it or name another", "Thủ tục {code} do phòng {department} xử lý, không có trong danh sách phòng chuyên môn: hãy thêm phòng đó hoặc chọn phòng khác"},
	{"invalid_dossier_config", "procedure {code}: the queue service {service} is not a service id: use the id of one of the office's services, such as xay-dung", "Thủ tục {code}: dịch vụ {service} không phải là mã dịch vụ: dùng mã của một dịch vụ của cơ quan, ví dụ xay-dung"},
	{"invalid_dossier_config", "procedure {code}: the processing time must be 0 (same day) to {max} working days", "Thủ tục {code}: thời hạn giải quyết phải từ 0 (trong ngày) đến {max} ngày làm việc"},
	{"invalid_dossier_config", "procedure {code}: the cut-off hour {given} is not a time: write HH:MM, such as 15:00", "Thủ tục {code}: giờ chốt nhận {given} không phải là giờ: viết dạng HH:MM, ví dụ 15:00"},
	{"invalid_dossier_config", "procedure {code}: the fee must not be negative", "Thủ tục {code}: lệ phí không được âm"},
	{"invalid_dossier_config", "procedure {code} lists {n} papers; at most {max} are allowed", "Thủ tục {code} có {n} giấy tờ; tối đa {max}"},
	{"invalid_dossier_config", "procedure {code}: paper id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "Thủ tục {code}: mã giấy tờ {id} không hợp lệ: dùng 1–32 chữ thường, chữ số, '-' hoặc '_'"},
	{"invalid_dossier_config", "procedure {code}: paper {id} appears twice", "Thủ tục {code}: giấy tờ {id} xuất hiện hai lần"},
}

// dossierWords are the Vietnamese of the words and phrases that fill the
// parameters of the dossier domain's messages: statuses, actions and the
// fields checked.
var dossierWords = map[string]string{
	// Dossier statuses (dossier.Status); "refused" is the feedback's.
	"submitted": "mới đăng ký", "received": "được tiếp nhận", "processing": "đang xử lý",
	"needs_supplement": "yêu cầu bổ sung", "awaiting_payment": "chờ thực hiện nghĩa vụ tài chính",
	"withdrawn": "công dân rút hồ sơ", "suspended": "dừng xử lý", "completed": "đã có kết quả", "returned": "đã trả kết quả",
	// Actions, as verbs (dossier's verbs); "refuse" is the feedback's.
	"receive": "tiếp nhận", "send for processing": "chuyển xử lý", "transfer": "chuyển phòng",
	"ask for supplements to": "yêu cầu bổ sung", "record the supplements of": "ghi nhận bổ sung",
	"ask for the payment of": "yêu cầu nộp phí, lệ phí cho", "record the payment of": "ghi nhận đã nộp phí, lệ phí cho",
	"suspend": "dừng xử lý", "resume": "tiếp tục xử lý", "withdraw": "rút", "complete": "hoàn thành",
	"give a pickup ticket for": "cấp số nhận kết quả cho", "hand over the result of": "trả kết quả",
	"rate": "đánh giá", "apologise for": "xin lỗi về", "add a note to": "ghi chú vào",
	// Fields checked.
	"field": "lĩnh vực", "department": "phòng chuyên môn",
	"field name": "tên lĩnh vực", "field English name": "tên tiếng Anh của lĩnh vực",
	"department name": "tên phòng chuyên môn", "department English name": "tên tiếng Anh của phòng chuyên môn",
	"procedure name": "tên thủ tục", "procedure English name": "tên tiếng Anh của thủ tục",
	"paper name": "tên giấy tờ", "paper English name": "tên tiếng Anh của giấy tờ",
	"the applicant's name": "họ tên người nộp", "the address": "địa chỉ", "a paper": "giấy tờ",
	"the ticket": "mã phiếu", "the ticket number": "số thứ tự", "the counter": "quầy", "the external id": "mã hồ sơ trên hệ thống của tỉnh",
	"the note": "ghi chú", "what is missing": "nội dung cần bổ sung", "the result": "kết quả giải quyết", "the apology": "nội dung xin lỗi",
}

func init() { maps.Copy(words, dossierWords) }
