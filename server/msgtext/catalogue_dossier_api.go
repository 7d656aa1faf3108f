package msgtext

import "maps"

// dossierAPIEntries are the messages of the dossiers' API: the counter's
// receipt, the staff's list and actions, the kiosk's pickup and the
// applicant's look-up and rating.
var dossierAPIEntries = []Entry{
	// Who may see and act on a dossier.
	{"unknown_dossier", "no dossier has this code: check the code on your receipt", "Không có hồ sơ nào có mã này: hãy kiểm tra mã trên giấy tiếp nhận"},
	{"forbidden", "only the office's clerks, dossier handlers and administrators may do this", "Chỉ cán bộ tiếp nhận, cán bộ xử lý hồ sơ và quản trị viên của cơ quan mới làm được việc này"},
	{"not_your_department", "this dossier is in another department's charge: only its handlers and the administrators may see it", "Hồ sơ này do phòng ban khác xử lý: chỉ cán bộ của phòng ban đó và quản trị viên mới xem được"},
	{"not_applicant", "the link or the phone number's last 4 digits do not match this dossier: check the receipt", "Đường dẫn hoặc 4 số cuối điện thoại không khớp với hồ sơ này: hãy kiểm tra giấy tiếp nhận"},
	{"forbidden", "only the counter's clerks and the administrators print at a counter", "Chỉ cán bộ tại quầy và quản trị viên mới in được tại quầy"},
	{"unknown_action", "{action} is not an action on dossiers: docs/dossier.md lists them", "{action} không phải là thao tác trên hồ sơ: danh sách thao tác nằm trong tệp docs/dossier.md"},
	{"stale_dossier", "dossier {code} has changed since you opened it (version {version}, now {now}): reload it and try again", "Hồ sơ {code} đã thay đổi từ khi bạn mở (phiên bản {version}, nay là {now}): hãy tải lại rồi thử lại"},

	// At the counter.
	{"not_serving", "counter {counter} is serving no ticket: call the applicant's ticket first, then receive the dossier", "Quầy {counter} không phục vụ phiếu nào: hãy gọi số của người nộp trước, rồi tiếp nhận hồ sơ"},
	{"idempotency_key_reused", "this Idempotency-Key was already used for a different dossier: make a new key for each dossier", "Idempotency-Key này đã được dùng cho một hồ sơ khác: hãy tạo khóa mới cho mỗi hồ sơ"},
	{"invalid_procedure", "procedure is required: a procedure code of the office's catalogue", "Cần có thủ tục: mã một thủ tục trong danh mục của cơ quan"},
	{"invalid_procedure", "procedure {procedure} is not a procedure code: use a code of the office's catalogue", "{procedure} không phải là mã thủ tục: hãy dùng mã trong danh mục của cơ quan"},
	{"invalid_id_number", "id_number must be the ID card's number: at most {max} letters and digits", "Số giấy tờ tùy thân (\"id_number\") chỉ gồm tối đa {max} chữ cái và chữ số"},
	{"invalid_papers", "papers lists at most {max} papers", "Danh sách giấy tờ có tối đa {max} giấy tờ"},
	{"invalid_papers", "papers lists a paper twice", "Danh sách giấy tờ có một giấy tờ hai lần"},
	{"invalid_extra", "extra lists at most {max} other papers", "Danh sách giấy tờ khác có tối đa {max} giấy tờ"},
	{"no_apology", "dossier {code} has no apology to print: record one first (action apologize)", "Hồ sơ {code} chưa có văn bản xin lỗi để in: hãy ghi văn bản xin lỗi trước (thao tác apologize)"},
	{"no_receipt", "dossier {code} was not received: it has no receipt", "Hồ sơ {code} chưa được tiếp nhận: không có giấy tiếp nhận"},
	{"counter_required", "say at which counter to print: counter", "Hãy cho biết in tại quầy nào (\"counter\")"},
	{"invalid_kind", "kind must be \"receipt\" or \"apology\"", "kind phải là \"receipt\" (giấy tiếp nhận) hoặc \"apology\" (văn bản xin lỗi)"},
	{"no_dossier", "ticket {number} has no dossier: none was received from it, and it is no pickup ticket", "Phiếu {number} không gắn với hồ sơ nào: không có hồ sơ nào được tiếp nhận từ phiếu này, và đây không phải phiếu nhận kết quả"},

	// The staff's list and actions.
	{"invalid_query", "parameter {param} is given more than once", "Tham số {param} được gửi nhiều lần"},
	{"invalid_status", "status {status} is unknown: use submitted, received, refused, processing, needs_supplement, awaiting_payment, withdrawn, suspended, completed or returned", "Không rõ trạng thái {status}: dùng \"submitted\", \"received\", \"refused\", \"processing\", \"needs_supplement\", \"awaiting_payment\", \"withdrawn\", \"suspended\", \"completed\" hoặc \"returned\""},
	{"invalid_late", "late must be 1 (late dossiers only) or left out", "late phải là 1 (chỉ hồ sơ trễ hạn) hoặc để trống"},
	{"invalid_reason", "send the reason as reason or as note, not both", "Hãy gửi lý do ở reason hoặc ở note, không gửi cả hai"},
	{"invalid_version", "version must be the dossier's version (a whole number from 1), or left out", "version phải là phiên bản của hồ sơ (số nguyên từ 1), hoặc để trống"},
	{"invalid_by", "{field} must be a date such as 2026-12-04 (or a time such as 2026-12-04T17:00:00+07:00)", "{field} phải là một ngày, ví dụ 2026-12-04 (hoặc một thời điểm, ví dụ 2026-12-04T17:00:00+07:00)"},

	// The kiosk's pickup.
	{"device_required", "only a kiosk of the office gives pickup tickets: send its device key (X-Device-Key)", "Chỉ ki-ốt của cơ quan mới cấp phiếu nhận kết quả: hãy gửi khóa thiết bị (X-Device-Key)"},
	{"invalid_dossier", "code {code} is not a dossier code: it looks like TP-261127-0001, as printed on the receipt", "{code} không phải là mã hồ sơ: mã hồ sơ có dạng TP-261127-0001, như in trên giấy tiếp nhận"},
	{"invalid_k", "k is the token of the receipt's link: at most 128 printable ASCII characters", "k là mã bí mật trong đường dẫn của giấy tiếp nhận: tối đa 128 ký tự ASCII in được"},
	{"dossier_other_office", "dossier {code} was received by another office: its result is handed over there", "Hồ sơ {code} do cơ quan khác tiếp nhận: kết quả được trả tại cơ quan đó"},
	{"dossier_returned", "the result of dossier {code} was handed over already", "Kết quả của hồ sơ {code} đã được trả"},
	{"pickup_issued", "dossier {code} already has pickup ticket {number}: please wait for it to be called", "Hồ sơ {code} đã có phiếu nhận kết quả {number}: vui lòng chờ được gọi"},
	{"pickup_issued", "a pickup ticket of dossier {code} is being given: please wait for it to be called", "Phiếu nhận kết quả của hồ sơ {code} đang được cấp: vui lòng chờ được gọi"},
	{"no_pickup_service", "the office gives no pickup tickets now (its results service is missing or closed): please go to the reception counter", "Hiện cơ quan không cấp phiếu nhận kết quả (dịch vụ trả kết quả không có hoặc đang đóng): vui lòng đến quầy hướng dẫn"},
	{"idempotency_key_reused", "this Idempotency-Key was already used for a different request: make a new key for each scan", "Idempotency-Key này đã được dùng cho một yêu cầu khác: hãy tạo khóa mới cho mỗi lần quét"},

	// The applicant's look-up and rating.
	{"invalid_lookup", "send k (from the receipt's link) or phone4 (the last 4 digits of the phone number given at the counter)", "Hãy gửi mã k (trong đường dẫn của giấy tiếp nhận) hoặc 4 số cuối của số điện thoại đã khai tại quầy"},
	{"invalid_lookup", "send k or phone4, not both", "Hãy gửi mã k hoặc 4 số cuối điện thoại, không gửi cả hai"},
	{"invalid_phone4", "phone4 must be the last 4 digits of the phone number given at the counter", "Hãy nhập đúng 4 số cuối của số điện thoại đã khai tại quầy"},
	{"invalid_score", "score must be 4 (very satisfied), 3, 2 or 1 (dissatisfied)", "Mức đánh giá phải là 4 (rất hài lòng), 3, 2 hoặc 1 (không hài lòng)"},
}

// dossierAPIWords are the Vietnamese of the phrases the dossiers' API
// fills messages with.
var dossierAPIWords = map[string]string{
	"dossier look-ups from your network":   "lượt tra cứu hồ sơ từ mạng của bạn",
	"dossier look-ups from this kiosk":     "lượt tra cứu hồ sơ từ kiosk này",
	"wrong phone numbers for this dossier": "lần nhập sai số điện thoại cho hồ sơ này",
	"department":                           "phòng ban",
	"paper":                                "giấy tờ",
	"the note":                             "ghi chú",
	"what is missing":                      "nội dung cần bổ sung",
	"the result":                           "kết quả",
	"other paper":                          "giấy tờ khác",
}

func init() { maps.Copy(words, dossierAPIWords) }
