package web

// dossierAdminTexts are the administrator's dossier pages' texts (the
// reports and the integration keys): Vietnamese, English.
var dossierAdminTexts = map[string][2]string{
	"dr.title":         {"Báo cáo hồ sơ", "Dossier reports"},
	"dr.csv.vi":        {"Tải CSV (tiếng Việt)", "Download CSV (Vietnamese)"},
	"dr.csv.en":        {"Tải CSV (tiếng Anh)", "Download CSV (English)"},
	"dr.total":         {"Tổng số hồ sơ", "Dossiers"},
	"dr.done":          {"Đã giải quyết", "Done"},
	"dr.ontime.rate":   {"Giải quyết đúng hạn hoặc trước hạn", "Done on time or early"},
	"dr.late.done":     {"Giải quyết trễ hạn", "Done late"},
	"dr.avg.days":      {"Số ngày làm việc giải quyết trung bình", "Average working days to process"},
	"dr.open.late":     {"Đang giải quyết và đã quá hạn", "Open and past due"},
	"dr.refused":       {"Không tiếp nhận", "Refused"},
	"dr.none":          {"Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.", "No dossier was received in this period."},
	"dr.by.procedure":  {"Theo thủ tục", "By procedure"},
	"dr.by.field":      {"Theo lĩnh vực", "By field"},
	"dr.by.department": {"Theo phòng ban", "By department"},
	"dr.by.month":      {"Theo tháng tiếp nhận", "By month of receipt"},
	"dr.early":         {"Trước hạn", "Early"},
	"dr.ontime":        {"Đúng hạn", "On time"},
	"dr.late":          {"Trễ hạn", "Late"},
	"dr.openlate":      {"Đang quá hạn", "Open, late"},
	"dr.rate":          {"Tỷ lệ đúng hạn", "On time or early"},
	"dr.days":          {"Số ngày TB", "Avg days"},
	"dr.late.list":     {"Hồ sơ trễ hạn", "Late dossiers"},
	"dr.late.none":     {"Không có hồ sơ trễ hạn.", "No late dossier."},
	"dr.code":          {"Mã hồ sơ", "Code"},
	"dr.procedure":     {"Thủ tục", "Procedure"},
	"dr.department":    {"Phòng ban", "Department"},
	"dr.status":        {"Trạng thái", "Status"},
	"dr.received":      {"Ngày tiếp nhận", "Received"},
	"dr.due":           {"Hạn giải quyết", "Due"},
	"dr.newdue":        {"Hẹn lại", "New date"},
	"dr.completed":     {"Có kết quả", "Completed"},
	"dr.dayslate":      {"Số ngày trễ", "Days late"},
	"dk.title":         {"Khóa kết nối hệ thống một cửa", "One-stop system integration keys"},
	"dk.intro": {"Hệ thống một cửa của tỉnh tạo và cập nhật hồ sơ của cơ quan qua API (PUT /api/v1/dossiers/{mã}) và nhập danh sách hồ sơ dạng CSV bằng khóa này. Mọi thao tác đều được ghi vào nhật ký.",
		"The province's one-stop system creates and updates the office's dossiers through the API (PUT /api/v1/dossiers/{code}) and imports lists of dossiers as CSV with these keys. Everything it does is in the audit log."},
	"dk.issued":  {"Khóa mới của", "New key of"},
	"dk.once":    {"Hãy chép khóa này ngay: khóa chỉ hiện một lần, máy chủ chỉ giữ mã băm của khóa.", "Copy this key now: it is shown once, the server keeps only its hash."},
	"dk.howto":   {"Gửi khóa trong tiêu đề Authorization: Bearer <khóa>.", "Send it in the header Authorization: Bearer <key>."},
	"dk.clients": {"Các hệ thống kết nối", "Integration clients"},
	"dk.id":      {"Mã hệ thống", "Client id"},
	"dk.name":    {"Tên hệ thống", "Client name"},
	"dk.created": {"Ngày cấp", "Issued"},
	"dk.state":   {"Tình trạng", "State"},
	"dk.action":  {"Thao tác", "Action"},
	"dk.active":  {"Đang dùng", "Active"},
	"dk.revoked": {"Đã thu hồi", "Revoked"},
	"dk.revoke":  {"Thu hồi khóa", "Revoke the key"},
	"dk.none":    {"Chưa cấp khóa nào.", "No key issued yet."},
	"dk.new":     {"Cấp khóa mới", "Issue a new key"},
	"dk.issue":   {"Cấp khóa", "Issue the key"},
}

// dossierAdminFailTexts are these pages' refusals, keyed by their
// English: Vietnamese, English ("" is the key itself).
var dossierAdminFailTexts = map[string][2]string{
	"dossiers are not set up for this office: ask the administrator to configure them": {
		"Cơ quan này chưa thiết lập hồ sơ: hãy đề nghị quản trị viên cấu hình", ""},
}

func init() {
	for k, v := range dossierAdminTexts {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " is defined twice")
		}
		texts[k] = v
	}
	for k, v := range dossierAdminFailTexts {
		if _, dup := failTexts[k]; dup {
			panic("web: refusal " + k + " is defined twice")
		}
		failTexts[k] = v
	}
}
