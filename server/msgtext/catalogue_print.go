package msgtext

import "maps"

// printEntries are the messages of print jobs: documents, jobs and their
// acknowledgements (server/queue printjob.go) and the print API
// (server/api printjobs*.go).
var printEntries = []Entry{
	{"invalid_document", "the document has no lines: send at least one", "Tài liệu không có dòng nào: hãy gửi ít nhất một dòng"},
	{"invalid_document", "the document has {n} lines; at most {max} are printed", "Tài liệu có {n} dòng; chỉ in được tối đa {max} dòng"},
	{"invalid_document", "line {line} of the document: style {style} is unknown: use title, text, big, small, rule, qr or blank", "Dòng {line} của tài liệu: kiểu {style} không tồn tại: hãy dùng title, text, big, small, rule, qr hoặc blank"},
	{"invalid_document", "line {line} of the document: alignment {align} is unknown: use left, center, right or leave it empty", "Dòng {line} của tài liệu: cách căn lề {align} không tồn tại: hãy dùng left, center, right hoặc để trống"},
	{"invalid_document", "line {line} of the document: a {style} line has no text", "Dòng {line} của tài liệu: dòng kiểu {style} không có chữ"},
	{"invalid_document", "line {line} of the document: a qr line needs its text (the link to encode)", "Dòng {line} của tài liệu: dòng mã QR cần có nội dung (đường liên kết cần mã hóa)"},
	{"invalid_document", "line {line} of the document: the qr text is longer than {max} bytes", "Dòng {line} của tài liệu: nội dung mã QR dài quá {max} byte"},
	{"invalid_document", "line {line} of the document: the qr text may hold only printable ASCII (a link, percent-encoded)", "Dòng {line} của tài liệu: nội dung mã QR chỉ được chứa ký tự ASCII in được (một đường liên kết đã mã hóa phần trăm)"},
	{"invalid_document", "line {line} of the document: a qr line has no text_en: put its caption on a line of its own", "Dòng {line} của tài liệu: dòng mã QR không có text_en: hãy đặt chú thích ở một dòng riêng"},
	{"invalid_document", "line {line} of the document: a big line has no text_en: put the English on a line of its own", "Dòng {line} của tài liệu: dòng chữ lớn không có text_en: hãy đặt tiếng Anh ở một dòng riêng"},
	{"invalid_document", "line {line} of the document: a text line needs its text", "Dòng {line} của tài liệu: dòng chữ cần có nội dung"},
	{"invalid_document", "line {line} of the document: {field} is not valid UTF-8", "Dòng {line} của tài liệu: {field} không phải là văn bản UTF-8 hợp lệ"},
	{"invalid_document", "line {line} of the document: {field} has {n} characters; at most {max} fit", "Dòng {line} của tài liệu: {field} có {n} ký tự; chỉ in vừa tối đa {max} ký tự"},
	{"invalid_document", "line {line} of the document: {field} contains {problem}, which is not allowed", "Dòng {line} của tài liệu: {field} có chứa {problem}, là ký tự không được phép"},
	{"invalid_print_kind", "print job kind {kind} is unknown: use reprint, test, dossier_receipt or apology", "Loại lệnh in {kind} không tồn tại: hãy dùng reprint, test, dossier_receipt hoặc apology"},
	{"invalid_print_job", "the print job is for office {office}, not this one", "Lệnh in thuộc cơ quan {office}, không phải cơ quan này"},
	{"invalid_print_job", "a new print job must be queued, not {state}", "Lệnh in mới phải ở trạng thái chờ in, không phải {state}"},
	{"invalid_print_result", "result {result} is unknown: use \"printed\" or \"failed\"", "Kết quả {result} không tồn tại: hãy dùng \"printed\" hoặc \"failed\""},
	{"invalid_print_fault", "a printed job has no fault: send the fault only with \"failed\"", "Lệnh đã in thì không có lỗi: chỉ gửi mã lỗi cùng kết quả \"failed\""},
	{"invalid_print_fault", "fault {fault} is not a fault code: use lower-case letters, digits, '-' or '_', at most {max}", "{fault} không phải là mã lỗi: hãy dùng chữ thường, chữ số, '-' hoặc '_', tối đa {max} ký tự"},
	{"print_job_done", "print job {job} was already acknowledged {state}: it cannot become {result}", "Lệnh in {job} đã được xác nhận là {state}: không thể chuyển thành {result}"},
	{"no_station", "counter {counter} has no station to print on: register a station for it (administration, devices) first", "Quầy {counter} chưa có màn hình quầy để in: hãy đăng ký màn hình quầy cho quầy này trước (quản trị, thiết bị)"},
	{"unknown_ticket", "ticket {ticket} does not exist in your office", "Cơ quan của bạn không có số {ticket}"},
	{"ticket_not_called", "ticket {number} has not been called at a counter: only a ticket called at a counter is printed again there", "Số {number} chưa được gọi tại quầy nào: chỉ số đã được gọi tại một quầy mới được in lại tại quầy đó"},
	{"invalid_print_job_id", "print job id {id} is not a job number: use the id from GET /api/v1/station/print-jobs", "Mã lệnh in {id} không phải là số lệnh in: hãy dùng mã lấy từ GET /api/v1/station/print-jobs"},
	{"unknown_print_job", "print job {job} is not a job of this station's counter", "Lệnh in {job} không phải là lệnh in của quầy có màn hình này"},
}

// printWords are the Vietnamese of the print jobs' states that fill the
// messages above.
var printWords = map[string]string{
	"queued": "đang chờ in", "printed": "đã in", "failed": "in lỗi",
}

func init() { maps.Copy(words, printWords) }
